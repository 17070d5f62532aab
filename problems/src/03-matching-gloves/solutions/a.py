import sys
from collections import Counter


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    left = Counter(data[2:2 + n])
    right = Counter(data[2 + n:2 + n + m])
    print(sum(min(c, right[size]) for size, c in left.items()))


main()
