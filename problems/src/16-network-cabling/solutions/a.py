import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    us = data[2:2 + 3 * m:3]
    vs = data[3:3 + 3 * m:3]
    ws = list(map(int, data[4:4 + 3 * m:3]))
    parent = list(range(n + 1))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    total = 0
    joined = 0
    for i in sorted(range(m), key=ws.__getitem__):
        a, b = find(int(us[i])), find(int(vs[i]))
        if a != b:
            parent[a] = b
            total += ws[i]
            joined += 1
            if joined == n - 1:
                break
    print(total if joined == n - 1 else -1)


main()
