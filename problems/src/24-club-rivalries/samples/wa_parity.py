n, m = map(int, input().split())
deg = [0] * (n + 1)
for _ in range(m):
    u, v = map(int, input().split())
    deg[u] += 1
    deg[v] += 1
# a graph with an odd cycle must have an odd number of rivalries
print("NO" if m % 2 == 1 else "YES")
