n = int(input())
a = list(map(int, input().split()))
rank = {v: i + 1 for i, v in enumerate(sorted(set(a)))}
size = len(rank)
tree = [0] * (size + 1)  # Fenwick tree of prefix maxima over weight ranks
best = 0
for v in a:
    r = rank[v] - 1  # only strictly lighter crates may sit below
    cur = 0
    while r > 0:
        if tree[r] > cur:
            cur = tree[r]
        r &= r - 1
    cur += 1
    if cur > best:
        best = cur
    r = rank[v]
    while r <= size:
        if tree[r] < cur:
            tree[r] = cur
        r += r & -r
print(best)
