from collections import defaultdict

n = int(input())
a = list(map(int, input().split()))
freq = defaultdict(int)
s = 0
ans = 0
for x in a:
    s += x
    ans += freq[s]
    freq[s] += 1
print(ans)
