n = int(input())
a = list(map(int, input().split()))
ans = 0
for i in range(n):
    s = 0
    for j in range(i, n):
        s += a[j]
        if s == 0:
            ans += 1
print(ans)
