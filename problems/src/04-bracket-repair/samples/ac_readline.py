import sys

line = sys.stdin.readline().rstrip("\n")
balance = 0
need = 0
for c in line:
    balance += 1 if c == "(" else -1
    if balance < 0:
        need += 1
        balance = 0
sys.stdout.write(str(need + balance) + "\n")
