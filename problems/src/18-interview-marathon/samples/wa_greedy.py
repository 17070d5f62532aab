n = int(input())
jobs = sorted((tuple(map(int, input().split())) for _ in range(n)), key=lambda t: t[1])
last_end = -1
total = 0
for s, e, w in jobs:
    if s >= last_end:
        total += w
        last_end = e
print(total)
