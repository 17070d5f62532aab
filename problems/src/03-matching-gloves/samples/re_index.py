n, m = map(int, input().split())
L = sorted(map(int, input().split()))
R = sorted(map(int, input().split()))
i = j = 0
ans = 0
while i <= n and j <= m:
    if L[i] == R[j]:
        ans += 1
        i += 1
        j += 1
    elif L[i] < R[j]:
        i += 1
    else:
        j += 1
print(ans)
