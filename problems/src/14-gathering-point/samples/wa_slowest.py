n = int(input())
ps = [tuple(map(int, input().split())) for _ in range(n)]
xs = [x for x, _ in ps]
slow = min(v for _, v in ps)
print("%.9f" % ((max(xs) - min(xs)) / (2 * slow)))
