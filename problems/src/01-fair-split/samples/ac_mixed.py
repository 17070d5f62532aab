import sys
input = sys.stdin.readline

for _ in range(int(input())):
    n = int(input())
    a = list(map(int, input().split()))
    left, right = 0, sum(a)
    found = False
    for i in range(n - 1):
        left += a[i]
        right -= a[i]
        if left == right:
            found = True
            break
    print("Yes" if found else "No")
