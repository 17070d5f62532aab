n = int(input())
a = list(map(int, input().split()))
order = {v: i + 1 for i, v in enumerate(sorted(set(a)))}
size = len(order)
bit = [0] * (size + 1)
inv = 0
for seen, v in enumerate(a):
    r = order[v]
    # count earlier values <= v, then the rest of the earlier ones are bigger
    le = 0
    i = r
    while i:
        le += bit[i]
        i &= i - 1
    inv += seen - le
    while r <= size:
        bit[r] += 1
        r += r & -r
print(inv)
