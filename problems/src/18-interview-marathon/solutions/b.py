from bisect import bisect_left

n = int(input())
jobs = sorted(tuple(map(int, input().split())) for _ in range(n))  # by start
starts = [s for s, _, _ in jobs]
f = [0] * (n + 1)  # f[i] = best total using only jobs i..n-1 (by start)
for i in range(n - 1, -1, -1):
    s, e, w = jobs[i]
    nxt = bisect_left(starts, e, i + 1)  # first job starting at or after e
    f[i] = max(f[i + 1], w + f[nxt])
print(f[0])
