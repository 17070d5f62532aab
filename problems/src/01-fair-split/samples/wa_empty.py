t = int(input())
for _ in range(t):
    n = int(input())
    a = list(map(int, input().split()))
    total = sum(a)
    left = 0
    ans = "NO"
    for k in range(n + 1):
        if left == total - left:
            ans = "YES"
            break
        if k < n:
            left += a[k]
    print(ans)
