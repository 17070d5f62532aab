import sys

input = sys.stdin.readline
n, q = map(int, input().split())
a = list(map(int, input().split()))
# count i in [l, r] whose previous equal code lies before l
prev = [0] * (n + 1)
seen = {}
release = [[] for _ in range(n + 1)]  # release[p] = positions whose previous occurrence is p
for i in range(1, n + 1):
    p = seen.get(a[i - 1], 0)
    prev[i] = p
    release[p].append(i)
    seen[a[i - 1]] = i
queries = []
for idx in range(q):
    l, r = map(int, input().split())
    queries.append((l, r, idx))
queries.sort()
fen = [0] * (n + 1)


def add(i):
    while i <= n:
        fen[i] += 1
        i += i & -i


def prefix(i):
    s = 0
    while i > 0:
        s += fen[i]
        i -= i & -i
    return s


res = [0] * q
opened = 0  # all positions with prev < opened have been added
for l, r, idx in queries:
    while opened < l:
        for i in release[opened]:
            add(i)
        opened += 1
    res[idx] = prefix(r) - prefix(l - 1)
print("\n".join(map(str, res)))
