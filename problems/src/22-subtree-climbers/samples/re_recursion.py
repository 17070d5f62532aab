import sys
from bisect import bisect_right, insort

n = int(sys.stdin.readline())
par = [0, 0] + list(map(int, sys.stdin.readline().split()))
val = [0] + list(map(int, sys.stdin.readline().split()))
kids = [[] for _ in range(n + 1)]
for v in range(2, n + 1):
    kids[par[v]].append(v)
ans = [0] * (n + 1)


def collect(v):
    # returns the sorted values of v's subtree (small-to-large merging)
    best = []
    for c in kids[v]:
        sub = collect(c)
        if len(sub) > len(best):
            best, sub = sub, best
        for x in sub:
            insort(best, x)
    ans[v] = len(best) - bisect_right(best, val[v])
    insort(best, val[v])
    return best


collect(1)
print(*ans[1:])
