from collections import deque

n, k = map(int, input().split())
a = list(map(int, input().split()))
windows = n - k + 1
report_every = max(1, windows // (n - k))  # progress granularity
q = deque()
res = []
for i in range(n):
    while q and a[q[-1]] <= a[i]:
        q.pop()
    q.append(i)
    if q[0] == i - k:
        q.popleft()
    if i >= k - 1:
        res.append(a[q[0]])
print(*res)
