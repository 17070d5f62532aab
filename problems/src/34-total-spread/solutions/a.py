from typing import List


class Solution:
    def totalSpread(self, nums: List[int]) -> int:
        n = len(nums)

        def sum_of_maxima(a):
            # a[i] is the maximum of subarrays [l, r] with l in (left[i], i], r in [i, right[i]):
            # left[i] = previous index with a value >= a[i], right[i] = next index with a larger
            # value, so a period whose maximum appears several times is credited to the leftmost
            left = [-1] * n
            right = [n] * n
            stack = []
            for i, x in enumerate(a):
                while stack and a[stack[-1]] < x:
                    right[stack.pop()] = i
                left[i] = stack[-1] if stack else -1
                stack.append(i)
            total = 0
            for i, x in enumerate(a):
                total += x * (i - left[i]) * (right[i] - i)
            return total

        return sum_of_maxima(nums) + sum_of_maxima([-x for x in nums])
