n = int(input())
vals = sorted(set(map(int, input().split())))


def cross(xs, ys, bit):
    # largest x ^ y over x in xs, y in ys (both non-empty) looking at bits 0..bit only
    if bit < 0:
        return 0
    mask = 1 << bit
    x0 = [x for x in xs if not x & mask]
    x1 = [x for x in xs if x & mask]
    y0 = [y for y in ys if not y & mask]
    y1 = [y for y in ys if y & mask]
    best = -1
    if x0 and y1:
        best = mask + cross(x0, y1, bit - 1)
    if x1 and y0:
        best = max(best, mask + cross(x1, y0, bit - 1))
    if best >= 0:
        return best
    # every x and every y agree on this bit
    return cross(x0, y0, bit - 1) if x0 else cross(x1, y1, bit - 1)


answer = 0
for bit in range(20, -1, -1):
    high = [v for v in vals if v >> bit & 1]
    low = [v for v in vals if not v >> bit & 1]
    if high and low:  # the highest bit on which the codes disagree
        answer = cross(low, high, bit)
        break
print(answer)
