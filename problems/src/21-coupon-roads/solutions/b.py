import heapq
import sys

input = sys.stdin.readline
n, m, K = map(int, input().split())
edges = [tuple(map(int, input().split())) for _ in range(m)]
adj = [[] for _ in range(n + 1)]
for u, v, w in edges:
    adj[u].append((v, w))
    adj[v].append((u, w))
INF = 10 ** 18


def settle(dist):
    # Dijkstra that starts from every city at once with the given tentative costs
    heap = [(d, v) for v, d in enumerate(dist) if d < INF]
    heapq.heapify(heap)
    while heap:
        d, u = heapq.heappop(heap)
        if d != dist[u]:
            continue
        for v, w in adj[u]:
            if d + w < dist[v]:
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    return dist


layer = [INF] * (n + 1)
layer[1] = 0
layer = settle(layer)  # no coupon used
for _ in range(K):  # allow one more coupon: the last coupon is spent on some road (u, v)
    nxt = layer[:]
    for u, v, w in edges:
        if layer[u] + w // 2 < nxt[v]:
            nxt[v] = layer[u] + w // 2
        if layer[v] + w // 2 < nxt[u]:
            nxt[u] = layer[v] + w // 2
    layer = settle(nxt)
print(layer[n] if layer[n] < INF else -1)
