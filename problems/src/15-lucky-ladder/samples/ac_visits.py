import sys

def solve():
    n = int(sys.stdin.readline())
    k = list(map(int, sys.stdin.readline().split()))
    add = [0.0] * (n + 2)
    add[0] += 1.0
    add[1] -= 1.0
    p = 0.0
    total = 0.0
    for i in range(n):
        p += add[i]
        total += p
        r = min(i + k[i], n - 1)
        if r > i:
            add[i + 1] += p / k[i]
            add[r + 1] -= p / k[i]
    print(round(total, 8))

solve()
