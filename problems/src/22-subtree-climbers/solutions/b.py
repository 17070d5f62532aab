import sys

input = sys.stdin.readline
n = int(input())
par_line = input().split()
val = [0] + list(map(int, input().split()))
kids = [[] for _ in range(n + 1)]
for i, p in enumerate(par_line, start=2):
    kids[int(p)].append(i)
ranks = sorted(set(val[1:]))
rank = {v: i + 1 for i, v in enumerate(ranks)}
m = len(ranks)
fen = [0] * (m + 1)
inserted = 0


def count_greater(v):
    r = rank[v]
    s = 0
    while r:
        s += fen[r]
        r &= r - 1
    return inserted - s


res = [0] * (n + 1)
# answer = (#larger values seen when leaving v) - (#larger values seen when entering v)
stack = [(1, 0)]
while stack:
    v, state = stack.pop()
    if state == 0:
        res[v] = -count_greater(val[v])
        r = rank[val[v]]
        while r <= m:
            fen[r] += 1
            r += r & -r
        inserted += 1
        stack.append((v, 1))
        for c in kids[v]:
            stack.append((c, 0))
    else:
        res[v] += count_greater(val[v])
print(*res[1:])
