class Solution:
    def countPeaks(self, heights: List[int]) -> int:
        # List comes from the judge's preamble
        result = 0
        last = len(heights) - 1
        for i in range(len(heights)):
            left_ok = i == 0 or heights[i] > heights[i - 1]
            right_ok = i == last or heights[i] > heights[i + 1]
            result += left_ok and right_ok
        return result
