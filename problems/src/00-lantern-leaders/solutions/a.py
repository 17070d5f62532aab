import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    levels = list(map(int, data[1:1 + n]))
    best = None
    proud = 0
    for x in reversed(levels):
        if best is None or x > best:
            proud += 1
            best = x
    print(proud)


main()
