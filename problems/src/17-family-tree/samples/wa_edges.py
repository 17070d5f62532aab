import sys
from collections import deque

data = sys.stdin.read().split()
n, q = int(data[0]), int(data[1])
adj = [[] for _ in range(n + 1)]
p = 2
for _ in range(n - 1):
    u, v = int(data[p]), int(data[p + 1])
    p += 3
    adj[u].append(v)
    adj[v].append(u)
par = [0] * (n + 1)
dep = [-1] * (n + 1)
dep[1] = 0
dq = deque([1])
while dq:
    u = dq.popleft()
    for v in adj[u]:
        if dep[v] < 0:
            dep[v] = dep[u] + 1
            par[v] = u
            dq.append(v)
out = []
for _ in range(q):
    a, b = int(data[p]), int(data[p + 1])
    p += 2
    x, y = a, b
    while x != y:
        if dep[x] < dep[y]:
            x, y = y, x
        x = par[x]
    out.append(dep[a] + dep[b] - 2 * dep[x])
print("\n".join(map(str, out)))
