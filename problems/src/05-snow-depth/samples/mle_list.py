n = int(input())
d = list(map(int, input().split()))
# table of every possible depth value, indexed directly
last_seen = [0] * (10 ** 9 + 1)
out = []
stack = []
for i, x in enumerate(d):
    while stack and d[stack[-1]] <= x:
        stack.pop()
    out.append(i - stack[-1] if stack else i + 1)
    stack.append(i)
print(*out)
