import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n = int(data[pos])
        pos += 1
        a = list(map(int, data[pos:pos + n]))
        pos += n
        total = sum(a)
        run = 0
        ok = False
        for x in a[:-1]:
            run += x
            if 2 * run == total:
                ok = True
                break
        out.append("YES" if ok else "NO")
    print("\n".join(out))


main()
