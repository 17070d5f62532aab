from itertools import accumulate

n, k = map(int, input().split())
t = list(map(int, input().split()))
p = [0] + list(accumulate(t))
best = max(p[i + k] - p[i] for i in range(n - k + 1))
print(f"{best / k:.7f}")
