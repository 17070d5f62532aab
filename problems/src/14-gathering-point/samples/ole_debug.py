n = int(input())
w = [tuple(map(int, input().split())) for _ in range(n)]
lo, hi = 0.0, 20000.0
for it in range(100000):
    mid = (lo + hi) / 2
    print(f"iteration {it}: lo={lo!r} hi={hi!r} " + "#" * 400)
    if max(x - v * mid for x, v in w) <= min(x + v * mid for x, v in w):
        hi = mid
    else:
        lo = mid
print("%.9f" % hi)
