n = int(input())
k = list(map(int, input().split()))
# expected number of rolls = sum over cells i < n of P(the token ever stands on i)
diff = [0.0] * (n + 1)
diff[0], diff[1] = 1.0, -1.0  # the token surely stands on cell 0
visit = 0.0
expected = 0.0
for i in range(n):
    visit += diff[i]
    expected += visit
    share = visit / k[i]
    lo, hi = i + 1, min(i + k[i], n - 1)
    if lo <= hi:
        diff[lo] += share
        diff[hi + 1] -= share
print("%.7f" % expected)
