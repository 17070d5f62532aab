import sys
from bisect import bisect_right


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    jobs = sorted(
        (int(data[2 + 3 * i]), int(data[1 + 3 * i]), int(data[3 + 3 * i])) for i in range(n)
    )  # (end, start, pay) sorted by end
    ends = [e for e, _, _ in jobs]
    best = [0] * (n + 1)  # best[i] = best total using only the first i jobs (by end)
    for i, (e, s, w) in enumerate(jobs):
        j = bisect_right(ends, s, 0, i)  # jobs ending no later than s
        take = best[j] + w
        best[i + 1] = take if take > best[i] else best[i]
    print(best[n])


main()
