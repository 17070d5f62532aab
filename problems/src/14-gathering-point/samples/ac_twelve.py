import sys

it = iter(sys.stdin.buffer.read().split())
n = int(next(it))
P = [(int(next(it)), int(next(it))) for _ in range(n)]
lo, hi = 0.0, 4e4
while hi - lo > 1e-10:
    t = (lo + hi) / 2
    L = max(x - v * t for x, v in P)
    R = min(x + v * t for x, v in P)
    if L <= R:
        hi = t
    else:
        lo = t
print(f"{hi:.12f}")
