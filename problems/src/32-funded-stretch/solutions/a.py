from collections import deque
from typing import List


class Solution:
    def shortestFundedStretch(self, flows: List[int], target: int) -> int:
        prefix = [0]
        for x in flows:
            prefix.append(prefix[-1] + x)
        best = len(flows) + 1
        starts = deque()  # candidate start indices with increasing prefix sums
        for j, p in enumerate(prefix):
            while starts and p - prefix[starts[0]] >= target:
                i = starts.popleft()
                if j - i < best:
                    best = j - i
            while starts and prefix[starts[-1]] >= p:
                starts.pop()
            starts.append(j)
        return best if best <= len(flows) else -1
