s = input()
ans = 0
bal = 0
for c in s:
    if c == "(":
        bal += 1
    elif bal > 0:
        bal -= 1
    else:
        ans += 1
while True:
    pass
print(ans + bal)
