class Solution:
    def countPeaks(self, heights):
        n = len(heights)
        c = 0
        for i in range(n):
            l = heights[i - 1] if i > 0 else float("-inf")
            r = heights[i + 1] if i < n - 1 else float("-inf")
            if heights[i] >= l and heights[i] >= r:
                c += 1
        return c
