n = int(input())
a = list(map(int, input().split()))
best = -10 ** 18
count = 0
for x in a[::-1]:
    if x >= best:
        count += 1
        best = x
print(count)
