import sys

n = int(sys.stdin.readline())
a = list(map(int, sys.stdin.readline().split()))
top = a[-1]
res = 1
for x in reversed(a[:-1]):
    if x > top:
        res += 1
        top = x
print(res)
sys.exit(3)
