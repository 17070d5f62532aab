import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    depth = list(map(int, data[1:1 + n]))
    stack = []  # (value, span) pairs with strictly decreasing values
    out = []
    for d in depth:
        span = 1
        while stack and stack[-1][0] <= d:
            span += stack.pop()[1]
        stack.append((d, span))
        out.append(span)
    print(" ".join(map(str, out)))


main()
