import sys

s = sys.stdin.readline().strip()
stack = []
for ch in s:
    if ch == ")" and stack and stack[-1] == "(":
        stack.pop()
    else:
        stack.append(ch)
# whatever is left is unmatched; each needs one partner
print(len(stack))
