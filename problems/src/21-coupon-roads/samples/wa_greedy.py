import heapq

n, m, K = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(m):
    u, v, w = map(int, input().split())
    adj[u].append((v, w))
    adj[v].append((u, w))
INF = float("inf")
dist = [INF] * (n + 1)
how = [None] * (n + 1)
dist[1] = 0
pq = [(0, 1)]
while pq:
    d, u = heapq.heappop(pq)
    if d > dist[u]:
        continue
    for v, w in adj[u]:
        if d + w < dist[v]:
            dist[v] = d + w
            how[v] = (u, w)
            heapq.heappush(pq, (d + w, v))
if dist[n] == INF:
    print(-1)
else:
    path = []
    v = n
    while v != 1:
        u, w = how[v]
        path.append(w)
        v = u
    path.sort(reverse=True)
    saved = sum(w // 2 for w in path[:K])
    print(dist[n] - saved)
