import sys
from collections import deque


def main():
    data = sys.stdin.buffer.read().split()
    r, c = int(data[0]), int(data[1])
    w = c + 2
    # padded, flattened grid: a border of walls removes bounds checks
    cells = bytearray(b"#" * (w * (r + 2)))
    for i in range(r):
        cells[(i + 1) * w + 1:(i + 1) * w + 1 + c] = data[2 + i]
    start = cells.index(b"S")
    target = cells.index(b"T")
    dist = [-1] * len(cells)
    dist[start] = 0
    q = deque([start])
    wall = ord("#")
    while q:
        v = q.popleft()
        if v == target:
            break
        nd = dist[v] + 1
        for u in (v - 1, v + 1, v - w, v + w):
            if dist[u] < 0 and cells[u] != wall:
                dist[u] = nd
                q.append(u)
    print(dist[target])


main()
