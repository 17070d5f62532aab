from collections import deque

R, C = map(int, input().split())
rows = [input().strip() for _ in range(R)]
flat = "".join(rows)
src, dst = flat.index("S"), flat.index("T")
D = [-1] * (R * C)
D[src] = 0
dq = deque([src])
while dq:
    v = dq.popleft()
    y, x = divmod(v, C)
    for ok, u in ((y > 0, v - C), (y < R - 1, v + C), (x > 0, v - 1), (x < C - 1, v + 1)):
        if ok and D[u] == -1 and flat[u] != "#":
            D[u] = D[v] + 1
            dq.append(u)
print(D[dst])
