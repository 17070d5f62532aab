from collections import deque
from typing import List


class Solution:
    def longestCalmStretch(self, readings: List[int], tolerance: int) -> int:
        lows = deque()   # indices, readings increasing
        highs = deque()  # indices, readings decreasing
        left = 0
        best = 0
        for right, x in enumerate(readings):
            while lows and readings[lows[-1]] >= x:
                lows.pop()
            lows.append(right)
            while highs and readings[highs[-1]] <= x:
                highs.pop()
            highs.append(right)
            while readings[highs[0]] - readings[lows[0]] > tolerance:
                left += 1
                if lows[0] < left:
                    lows.popleft()
                if highs[0] < left:
                    highs.popleft()
            if right - left + 1 > best:
                best = right - left + 1
        return best
