import sys

input = sys.stdin.readline
n, q = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(n - 1):
    u, v, w = map(int, input().split())
    adj[u].append((v, w))
    adj[v].append((u, w))
# Euler tour (iterative DFS): LCA(u, v) = shallowest vertex between their first visits
dist = [0] * (n + 1)
depth = [0] * (n + 1)
first = [0] * (n + 1)
euler = []
it = [0] * (n + 1)
stack = [1]
visited = [False] * (n + 1)
visited[1] = True
first[1] = 0
euler.append(1)
while stack:
    u = stack[-1]
    if it[u] < len(adj[u]):
        v, w = adj[u][it[u]]
        it[u] += 1
        if not visited[v]:
            visited[v] = True
            depth[v] = depth[u] + 1
            dist[v] = dist[u] + w
            first[v] = len(euler)
            euler.append(v)
            stack.append(v)
    else:
        stack.pop()
        if stack:
            euler.append(stack[-1])
keys = [depth[v] * (n + 1) + v for v in euler]  # compare by depth, then label
table = [keys]
span = 1
while 2 * span <= len(keys):
    prev = table[-1]
    table.append([min(prev[i], prev[i + span]) for i in range(len(prev) - span)])
    span *= 2
res = []
for _ in range(q):
    u, v = map(int, input().split())
    l, r = first[u], first[v]
    if l > r:
        l, r = r, l
    j = (r - l + 1).bit_length() - 1
    key = min(table[j][l], table[j][r - (1 << j) + 1])
    lca = key % (n + 1)
    res.append(dist[u] + dist[v] - 2 * dist[lca])
print("\n".join(map(str, res)))
