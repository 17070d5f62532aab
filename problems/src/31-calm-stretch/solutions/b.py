import heapq


class Solution:
    def longestCalmStretch(self, readings, tolerance):
        min_heap = []  # (value, index)
        max_heap = []  # (-value, index)
        left = 0
        best = 0
        for right, x in enumerate(readings):
            heapq.heappush(min_heap, (x, right))
            heapq.heappush(max_heap, (-x, right))
            while True:
                while min_heap[0][1] < left:
                    heapq.heappop(min_heap)
                while max_heap[0][1] < left:
                    heapq.heappop(max_heap)
                if -max_heap[0][0] - min_heap[0][0] <= tolerance:
                    break
                left += 1
            best = max(best, right - left + 1)
        return best
