class Solution:
    def maxDancePairs(self, heights: List[int], d: int) -> int:
        h = sorted(heights)
        count = i = 0
        while i < len(h) - 1:
            if h[i + 1] - h[i] <= d:
                count += 1; i += 2
            else
                i += 1
        return count
