from collections import deque
import sys

def main():
    it = iter(sys.stdin.read().split())
    n = int(next(it)); m = int(next(it))
    g = [[] for _ in range(n + 1)]
    for _ in range(m):
        a = int(next(it)); b = int(next(it))
        g[a].append(b); g[b].append(a)
    side = [0] * (n + 1)
    for s in range(1, n + 1):
        if side[s]:
            continue
        side[s] = 1
        dq = deque([s])
        while dq:
            u = dq.popleft()
            for v in g[u]:
                if not side[v]:
                    side[v] = -side[u]
                    dq.append(v)
                elif side[v] == side[u]:
                    return "no"
    return "yes"

print(main())
