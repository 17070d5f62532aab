import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
a = list(map(int, data[1:n + 1]))
# Fenwick tree indexed directly by value (shifted to be positive); np comes from the preamble
OFFSET = 10 ** 9 + 1
SIZE = 2 * 10 ** 9 + 2
tree = np.full(SIZE + 1, 0, dtype=np.int64)
inv = 0
for seen, v in enumerate(a):
    i = v + OFFSET
    le = 0
    while i > 0:
        le += int(tree[i])
        i -= i & -i
    inv += seen - le
    i = v + OFFSET
    while i <= SIZE:
        tree[i] += 1
        i += i & -i
print(inv)
