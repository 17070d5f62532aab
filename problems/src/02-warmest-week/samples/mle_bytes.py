import sys

data = sys.stdin.read().split()
n, k = int(data[0]), int(data[1])
# precompute a huge scratch buffer "for speed"
scratch = bytearray(2 * 1024 ** 3)
t = list(map(int, data[2:]))
best = max(sum(t[i:i + k]) for i in range(n - k + 1))
print("%.9f" % (best / k))
