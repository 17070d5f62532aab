import sys

n, m = map(int, sys.stdin.readline().split())
cache = []
while True:
    cache.append(" " * (1 << 20))  # buffer the cable catalogue
