from bisect import bisect_right

n = int(input())
a = list(map(int, input().split()))
tails = []
for x in a:
    i = bisect_right(tails, x)
    if i == len(tails):
        tails.append(x)
    else:
        tails[i] = x
print(len(tails))
