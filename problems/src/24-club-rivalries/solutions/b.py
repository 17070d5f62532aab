import sys

input = sys.stdin.readline
n, m = map(int, input().split())
parent = list(range(n + 1))
parity = [0] * (n + 1)  # parity of the path to the parent


def find(x):
    path = []
    while parent[x] != x:
        path.append(x)
        x = parent[x]
    # compress, fixing parities from the top down
    acc = 0
    for y in reversed(path):
        acc ^= parity[y]
        parity[y] = acc
        parent[y] = x
    return x


ok = True
for _ in range(m):
    u, v = map(int, input().split())
    ru, rv = find(u), find(v)
    if ru == rv:
        if parity[u] == parity[v]:
            ok = False
            break
    else:
        parent[ru] = rv
        parity[ru] = parity[u] ^ parity[v] ^ 1
print("Yes" if ok else "No")
