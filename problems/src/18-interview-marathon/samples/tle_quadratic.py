n = int(input())
jobs = [tuple(map(int, input().split())) for _ in range(n)]
jobs.sort(key=lambda t: t[1])
dp = [0] * n
for i in range(n):
    s, e, w = jobs[i]
    best = w
    for j in range(i):
        if jobs[j][1] <= s and dp[j] + w > best:
            best = dp[j] + w
    dp[i] = max(best, dp[i - 1] if i else 0)
print(dp[-1])
