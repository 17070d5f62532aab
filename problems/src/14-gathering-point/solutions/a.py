import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    xs = list(map(int, data[1:1 + 2 * n:2]))
    vs = list(map(int, data[2:2 + 2 * n:2]))
    pairs = list(zip(xs, vs))

    def feasible(t):
        # everybody can be anywhere in [x - v t, x + v t]; do all these intervals meet?
        return max([x - v * t for x, v in pairs]) <= min([x + v * t for x, v in pairs])

    lo, hi = 0.0, 20000.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if feasible(mid):
            hi = mid
        else:
            lo = mid
    print("%.9f" % hi)


main()
