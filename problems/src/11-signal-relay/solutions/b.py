import sys
from heapq import heappop, heappush

input = sys.stdin.readline
n, m = map(int, input().split())
head = [-1] * (n + 1)
nxt = [0] * (2 * m)
to = [0] * (2 * m)
cost = [0] * (2 * m)
for i in range(m):
    u, v, w = map(int, input().split())
    for e, a, b in ((2 * i, u, v), (2 * i + 1, v, u)):
        to[e] = b
        cost[e] = w
        nxt[e] = head[a]
        head[a] = e
done = [False] * (n + 1)
best = {1: 0}
pq = [(0, 1)]
answer = -1
while pq:
    d, u = heappop(pq)
    if done[u]:
        continue
    done[u] = True
    if u == n:
        answer = d
        break
    e = head[u]
    while e != -1:
        v = to[e]
        nd = d + cost[e]
        if not done[v] and nd < best.get(v, nd + 1):
            best[v] = nd
            heappush(pq, (nd, v))
        e = nxt[e]
print(answer)
