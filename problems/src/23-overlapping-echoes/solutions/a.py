import sys


def main():
    text = sys.stdin.readline().strip()
    pat = sys.stdin.readline().strip()
    m = len(pat)
    # Knuth-Morris-Pratt failure function of the pattern
    fail = [0] * m
    k = 0
    for i in range(1, m):
        while k and pat[i] != pat[k]:
            k = fail[k - 1]
        if pat[i] == pat[k]:
            k += 1
        fail[i] = k
    count = 0
    k = 0
    for ch in text:
        while k and ch != pat[k]:
            k = fail[k - 1]
        if ch == pat[k]:
            k += 1
            if k == m:
                count += 1
                k = fail[k - 1]
    print(count)


main()
