text = input().strip()
pat = input().strip()
s = pat + "\x00" + text
n = len(s)
m = len(pat)
z = [0] * n  # Z-function: z[i] = longest common prefix of s and s[i:]
l = r = 0
hits = 0
for i in range(1, n):
    if i < r:
        z[i] = min(r - i, z[i - l])
    while i + z[i] < n and s[z[i]] == s[i + z[i]]:
        z[i] += 1
    if i + z[i] > r:
        l, r = i, i + z[i]
    if z[i] == m:
        hits += 1
print(hits)
