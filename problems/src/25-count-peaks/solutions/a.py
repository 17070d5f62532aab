from typing import List


class Solution:
    def countPeaks(self, heights: List[int]) -> int:
        n = len(heights)
        peaks = 0
        for i, h in enumerate(heights):
            if (i == 0 or h > heights[i - 1]) and (i == n - 1 or h > heights[i + 1]):
                peaks += 1
        return peaks
