n, k = map(int, input().split())
a = list(map(int, input().split()))
# block trick: prefix maxima inside blocks of length k, suffix maxima inside the same blocks
pre = a[:]
suf = a[:]
for i in range(1, n):
    if i % k:
        pre[i] = max(pre[i - 1], a[i])
for i in range(n - 2, -1, -1):
    if (i + 1) % k:
        suf[i] = max(suf[i + 1], a[i])
print(*[max(suf[i], pre[i + k - 1]) for i in range(n - k + 1)])
