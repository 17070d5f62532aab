n = int(input())
d = list(map(int, input().split()))
span = [0] * n
for i in range(n):
    j = i - 1
    # hop over whole spans that are already known to be <= d[i]
    while j >= 0 and d[j] <= d[i]:
        j -= span[j]
    span[i] = i - j
print(*span)
