import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    values = set(map(int, data[1:1 + n]))
    if len(values) == 1:
        print(0)
        return
    answer = 0
    for bit in range(20, -1, -1):
        candidate = answer | (1 << bit)
        prefixes = {v >> bit for v in values}
        want = candidate >> bit
        # is there p, q among the prefixes with p ^ q == want?
        if any((p ^ want) in prefixes for p in prefixes):
            answer = candidate
    print(answer)


main()
