import time


def second_largest(nums):
    time.sleep(100)
    values = sorted(set(nums))
    return values[-2] if len(values) > 1 else None
