n = int(input())
a = list(map(int, input().split()))
count = 0
for i in range(n):
    if i == n - 1 or a[i] > max(a[i + 1:]):
        count += 1
print(count)
