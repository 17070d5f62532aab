from itertools import accumulate, groupby

n = int(input())
a = list(map(int, input().split()))
prefixes = sorted([0] + list(accumulate(a)))
answer = 0
for _, group in groupby(prefixes):
    c = sum(1 for _ in group)
    answer += c * (c - 1) // 2
print(answer)
