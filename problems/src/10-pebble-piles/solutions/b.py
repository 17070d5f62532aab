from functools import reduce
from operator import xor

for _ in range(int(input())):
    n, k = map(int, input().split())
    piles = map(int, input().split())
    grundy = reduce(xor, (p % (k + 1) for p in piles), 0)
    print("ALICE" if grundy != 0 else "BOB")
