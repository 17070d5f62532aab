n = int(input())
a = list(map(int, input().split()))
best = 0
for i in range(n):
    ai = a[i]
    for j in range(i + 1, n):
        if ai ^ a[j] > best:
            best = ai ^ a[j]
print(best)
