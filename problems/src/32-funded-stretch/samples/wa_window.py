class Solution:
    def shortestFundedStretch(self, flows, target):
        best = float("inf")
        s = 0
        left = 0
        for right, x in enumerate(flows):
            s += x
            while left <= right and s >= target:
                best = min(best, right - left + 1)
                s -= flows[left]
                left += 1
        return best if best != float("inf") else -1
