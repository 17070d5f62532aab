import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    k = list(map(int, data[1:1 + n]))
    # E[i] = expected rolls from cell i; S[j] = E[j] + E[j + 1] + ... + E[n]; E[n] = 0
    S = [0.0] * (n + 2)
    for i in range(n - 1, -1, -1):
        far = min(i + k[i], n)  # cells i+1..far are reachable; overshooting rolls land on n
        e = 1.0 + (S[i + 1] - S[far + 1]) / k[i]
        S[i] = S[i + 1] + e
    print("%.10f" % (S[0] - S[1]))


main()
