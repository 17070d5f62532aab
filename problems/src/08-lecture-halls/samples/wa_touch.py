n = int(input())
ev = []
for _ in range(n):
    s, e = map(int, input().split())
    ev.append((s, 0))
    ev.append((e, 1))
ev.sort()
cur = best = 0
for t, kind in ev:
    if kind == 0:
        cur += 1
        best = max(best, cur)
    else:
        cur -= 1
print(best)
