class Solution:
    def maxDancePairs(self, heights: List[int], d: int) -> int:
        h = sorted(heights)
        return sum(1 for a, b in zip(h, h[1:]) if b - a <= d)
