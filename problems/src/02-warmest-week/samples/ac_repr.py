n, k = map(int, input().split())
t = list(map(int, input().split()))
s = sum(t[:k])
m = s
for i in range(k, n):
    s += t[i] - t[i - k]
    m = max(m, s)
print(m / k)
