from itertools import accumulate

n = int(input())
a = list(map(int, input().split()))
# suffix[i] = max(a[i:])
suffix = list(accumulate(reversed(a), max))[::-1]
print(1 + sum(1 for i in range(n - 1) if a[i] > suffix[i + 1]))
