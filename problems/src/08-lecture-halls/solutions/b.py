import heapq
import sys

input = sys.stdin.readline
n = int(input())
talks = sorted(tuple(map(int, input().split())) for _ in range(n))
ends = []  # end times of the halls in use
for s, e in talks:
    if ends and ends[0] <= s:
        heapq.heapreplace(ends, e)
    else:
        heapq.heappush(ends, e)
print(len(ends))
