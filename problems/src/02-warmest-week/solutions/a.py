import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    t = list(map(int, data[2:2 + n]))
    window = sum(t[:k])
    best = window
    for i in range(k, n):
        window += t[i] - t[i - k]
        if window > best:
            best = window
    print("%.10f" % (best / k))


main()
