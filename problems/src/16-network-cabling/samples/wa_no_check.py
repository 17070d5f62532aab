n, m = map(int, input().split())
edges = []
for _ in range(m):
    u, v, w = map(int, input().split())
    edges.append((w, u, v))
edges.sort()
par = list(range(n + 1))


def root(x):
    while par[x] != x:
        x = par[x]
    return x


cost = 0
for w, u, v in edges:
    ru, rv = root(u), root(v)
    if ru != rv:
        par[ru] = rv
        cost += w
print(cost)
