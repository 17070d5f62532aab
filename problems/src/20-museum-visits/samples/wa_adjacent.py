import sys

data = sys.stdin.read().split()
n, q = int(data[0]), int(data[1])
a = data[2:2 + n]
same = [0] * (n + 1)  # same[i] = number of j <= i with a[j] == a[j - 1]
for i in range(1, n):
    same[i + 1] = same[i] + (a[i] == a[i - 1])
out = []
p = 2 + n
for _ in range(q):
    l, r = int(data[p]), int(data[p + 1])
    p += 2
    out.append(r - l + 1 - (same[r] - same[l]))
print("\n".join(map(str, out)))
