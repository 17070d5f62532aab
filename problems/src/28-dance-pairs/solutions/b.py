class Solution:
    def maxDancePairs(self, heights, d):
        h = sorted(heights)
        # best[i] = most pairs among the i shortest dancers
        best = [0] * (len(h) + 1)
        for i in range(2, len(h) + 1):
            best[i] = best[i - 1]
            if h[i - 1] - h[i - 2] <= d and best[i - 2] + 1 > best[i]:
                best[i] = best[i - 2] + 1
        return best[len(h)]
