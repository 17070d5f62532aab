import heapq
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m, K = int(data[0]), int(data[1]), int(data[2])
    adj = [[] for _ in range(n + 1)]
    pos = 3
    for _ in range(m):
        u, v, w = int(data[pos]), int(data[pos + 1]), int(data[pos + 2])
        pos += 3
        adj[u].append((v, w))
        adj[v].append((u, w))
    L = K + 1
    INF = float("inf")
    dist = [INF] * ((n + 1) * L)  # state (city, coupons used) -> v * L + used
    dist[1 * L] = 0
    heap = [(0, 1 * L)]
    while heap:
        d, s = heapq.heappop(heap)
        if d > dist[s]:
            continue
        u, used = divmod(s, L)
        if u == n:
            print(d)
            return
        for v, w in adj[u]:
            t = v * L + used
            nd = d + w
            if nd < dist[t]:
                dist[t] = nd
                heapq.heappush(heap, (nd, t))
            if used < K:
                nd = d + w // 2
                if nd < dist[t + 1]:
                    dist[t + 1] = nd
                    heapq.heappush(heap, (nd, t + 1))
    print(-1)


main()
