n = int(input())
k = list(map(int, input().split()))
E = [0.0] * (n + 1)
S = [0.0] * (n + 2)
for i in range(n - 1, -1, -1):
    hi = min(i + k[i], n)
    cnt = hi - i  # faces that stay on the board
    E[i] = 1.0 + (S[i + 1] - S[hi + 1]) / cnt
    S[i] = S[i + 1] + E[i]
print("%.10f" % E[0])
