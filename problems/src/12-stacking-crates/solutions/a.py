import sys
from bisect import bisect_left


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    tails = []  # tails[L] = smallest possible last weight of an increasing tower of height L + 1
    for w in map(int, data[1:1 + n]):
        i = bisect_left(tails, w)
        if i == len(tails):
            tails.append(w)
        else:
            tails[i] = w
    print(len(tails))


main()
