import heapq
import sys

input = sys.stdin.readline
n, m = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(m):
    u, v, w = map(int, input().split())
    adj[u].append((w, v))
    adj[v].append((w, u))
inside = [False] * (n + 1)
heap = [(0, 1)]
total = 0
count = 0
while heap and count < n:
    w, u = heapq.heappop(heap)
    if inside[u]:
        continue
    inside[u] = True
    total += w
    count += 1
    for edge in adj[u]:
        if not inside[edge[1]]:
            heapq.heappush(heap, edge)
print(total if count == n else -1)
