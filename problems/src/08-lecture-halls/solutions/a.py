import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    events = []
    for i in range(n):
        s = int(data[1 + 2 * i])
        e = int(data[2 + 2 * i])
        events.append((s, 1))
        events.append((e, -1))
    events.sort()  # at equal times the -1 (a lecture ending) comes first
    cur = best = 0
    for _, delta in events:
        cur += delta
        if cur > best:
            best = cur
    print(best)


main()
