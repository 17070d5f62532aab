class Solution:
    def longestCalmStretch(self, readings: List[int], tolerance: int) -> int:
        best = cur = 1
        for a, b in zip(readings, readings[1:]):
            cur = cur + 1 if abs(a - b) <= tolerance else 1
            best = max(best, cur)
        return best
