n, k = map(int, input().split())
t = list(map(int, input().split()))
s = best = sum(t[:k])
for i in range(k, n):
    s += t[i] - t[i - k]
    best = max(best, s)
print("%.2f" % (best / k))
