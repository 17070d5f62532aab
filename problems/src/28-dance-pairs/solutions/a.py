from typing import List


class Solution:
    def maxDancePairs(self, heights: List[int], d: int) -> int:
        h = sorted(heights)
        pairs = 0
        i = 0
        while i + 1 < len(h):
            if h[i + 1] - h[i] <= d:
                pairs += 1
                i += 2
            else:
                i += 1
        return pairs
