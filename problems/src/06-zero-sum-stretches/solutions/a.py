import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    seen = {0: 1}
    prefix = 0
    total = 0
    for tok in data[1:1 + n]:
        prefix += int(tok)
        c = seen.get(prefix, 0)
        total += c
        seen[prefix] = c + 1
    print(total)


main()
