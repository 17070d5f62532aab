import sys

n, q = map(int, sys.stdin.readline().split())
g = [[] for _ in range(n + 1)]
for _ in range(n - 1):
    u, v, w = map(int, sys.stdin.readline().split())
    g[u].append((v, w))
    g[v].append((u, w))
par = [0] * (n + 1)
dep = [0] * (n + 1)
dist = [0] * (n + 1)


def dfs(u, p):
    for v, w in g[u]:
        if v != p:
            par[v] = u
            dep[v] = dep[u] + 1
            dist[v] = dist[u] + w
            dfs(v, u)


dfs(1, 0)
for _ in range(q):
    a, b = map(int, sys.stdin.readline().split())
    x, y = a, b
    while x != y:
        if dep[x] < dep[y]:
            x, y = y, x
        x = par[x]
    print(dist[a] + dist[b] - 2 * dist[x])
