import sys

n, m = map(int, sys.stdin.readline().split())
g = [[] for _ in range(n + 1)]
for _ in range(m):
    u, v = map(int, sys.stdin.readline().split())
    g[u].append(v)
    g[v].append(u)
col = [0] * (n + 1)


def paint(u, c):
    col[u] = c
    for v in g[u]:
        if col[v] == c:
            return False
        if col[v] == 0 and not paint(v, -c):
            return False
    return True


ok = all(col[v] or paint(v, 1) for v in range(1, n + 1))
print("YES" if ok else "NO")
