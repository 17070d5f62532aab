r, c = map(int, input().split())
grid = [input() for _ in range(r)]
for i in range(r):
    for j in range(c):
        if grid[i][j] == "S":
            start = (i, j)
        elif grid[i][j] == "T":
            goal = (i, j)
seen = {start}
frontier = [start]
steps = 0
answer = -1
while frontier:
    if goal in seen:
        answer = steps
        break
    nxt = []
    for i, j in frontier:
        for a, b in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
            if 0 <= a < r and 0 <= b < c and grid[a][b] != "#" and (a, b) not in seen:
                seen.add((a, b))
                nxt.append((a, b))
    frontier = nxt
    steps += 1
print(answer)
