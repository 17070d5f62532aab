from itertools import accumulate

t = int(input())
for _ in range(t):
    n = int(input())
    a = list(map(int, input().split()))
    total = sum(a)
    prefixes = set(accumulate(a[:-1]))
    print("yes" if total % 2 == 0 and total // 2 in prefixes else "no")
