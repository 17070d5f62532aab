n, m = map(int, input().split())
left = set(input().split())
right = set(input().split())
print(len(left & right))
