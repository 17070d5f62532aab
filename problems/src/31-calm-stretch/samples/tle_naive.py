class Solution:
    def longestCalmStretch(self, readings, tolerance):
        n = len(readings)
        best = 0
        for i in range(n):
            lo = hi = readings[i]
            j = i
            while j < n:
                v = readings[j]
                if v < lo:
                    lo = v
                if v > hi:
                    hi = v
                if hi - lo > tolerance:
                    break
                j += 1
            if j - i > best:
                best = j - i
        return best
