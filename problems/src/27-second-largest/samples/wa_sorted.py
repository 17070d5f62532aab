def second_largest(nums):
    s = sorted(nums)
    return s[-2] if len(s) >= 2 else None
