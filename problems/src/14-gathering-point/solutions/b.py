n = int(input())
xs, inv = [], []
for _ in range(n):
    x, v = map(int, input().split())
    xs.append(x)
    inv.append(1.0 / v)
pairs = list(zip(xs, inv))
# g(p) = max_i |x_i - p| / v_i is convex; bisect on p where the walkers coming from the right
# (need (x - p) / v) and from the left (need (p - x) / v) are equally late.
lo, hi = float(min(xs)), float(max(xs))
for _ in range(70):
    p = (lo + hi) / 2
    from_right = max([(x - p) * w for x, w in pairs])
    from_left = max([(p - x) * w for x, w in pairs])
    if from_right > from_left:
        lo = p
    else:
        hi = p
p = (lo + hi) / 2
print("%.12f" % max(abs(x - p) * w for x, w in pairs))
