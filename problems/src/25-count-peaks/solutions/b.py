class Solution:
    def countPeaks(self, heights):
        low = float("-inf")
        padded = [low] + list(heights) + [low]
        return sum(1 for a, b, c in zip(padded, padded[1:], padded[2:]) if a < b > c)
