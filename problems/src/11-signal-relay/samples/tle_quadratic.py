n, m = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(m):
    u, v, w = map(int, input().split())
    adj[u].append((v, w))
    adj[v].append((u, w))
INF = float("inf")
dist = [INF] * (n + 1)
used = [False] * (n + 1)
dist[1] = 0
for _ in range(n):
    u = -1
    for v in range(1, n + 1):
        if not used[v] and (u == -1 or dist[v] < dist[u]):
            u = v
    if dist[u] == INF:
        break
    used[u] = True
    for v, w in adj[u]:
        if dist[u] + w < dist[v]:
            dist[v] = dist[u] + w
print(dist[n] if dist[n] < INF else -1)
