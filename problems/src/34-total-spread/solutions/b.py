class Solution:
    def totalSpread(self, nums):
        # end_max = sum over l <= r of max(nums[l..r]) for the current r, kept with a stack
        total = 0
        max_stack, min_stack = [], []  # (value, count of starts it dominates)
        end_max = end_min = 0
        for x in nums:
            cnt = 1
            while max_stack and max_stack[-1][0] <= x:
                v, c = max_stack.pop()
                end_max -= v * c
                cnt += c
            max_stack.append((x, cnt))
            end_max += x * cnt
            cnt = 1
            while min_stack and min_stack[-1][0] >= x:
                v, c = min_stack.pop()
                end_min -= v * c
                cnt += c
            min_stack.append((x, cnt))
            end_min += x * cnt
            total += end_max - end_min
        return total
