import heapq
n, m, K = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(m):
    u, v, w = map(int, input().split())
    adj[u].append((v, w)); adj[v].append((u, w))
dist = {(1, 0): 0}
pq = [(0, 1, 0)]
while pq:
    d, u, c = heapq.heappop(pq)
    if u == n: print(d); break
    for v, w in adj[u]:
        for nc, nd in ((c, d + w), (c + 1, d + w // 2)) if c < K else ((c, d + w),):
            if nd < dist.get((v, nc), float("inf"):
                dist[(v, nc)] = nd
                heapq.heappush(pq, (nd, v, nc))
else:
    print(-1)
