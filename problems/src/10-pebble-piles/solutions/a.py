import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n, k = int(data[pos]), int(data[pos + 1])
        pos += 2
        x = 0
        for tok in data[pos:pos + n]:
            x ^= int(tok) % (k + 1)  # Sprague-Grundy value of one pile
        pos += n
        out.append("Alice" if x else "Bob")
    print("\n".join(out))


main()
