def exactly_k_kinds(nums, k):
    def at_most(limit):
        # subarrays with at most `limit` distinct values, by two pointers
        if limit <= 0:
            return 0
        count = {}
        left = 0
        total = 0
        for right, x in enumerate(nums):
            count[x] = count.get(x, 0) + 1
            while len(count) > limit:
                y = nums[left]
                count[y] -= 1
                if not count[y]:
                    del count[y]
                left += 1
            total += right - left + 1
        return total

    return at_most(k) - at_most(k - 1)
