from collections import defaultdict


def exactly_k_kinds(nums, k):
    # window [far, right] has exactly k kinds; [near, right] is the shortest such window start
    in_far = defaultdict(int)
    in_near = defaultdict(int)
    far = near = 0
    kinds_far = kinds_near = 0
    answer = 0
    for x in nums:
        in_far[x] += 1
        if in_far[x] == 1:
            kinds_far += 1
        in_near[x] += 1
        if in_near[x] == 1:
            kinds_near += 1
        while kinds_far > k:
            y = nums[far]
            in_far[y] -= 1
            if in_far[y] == 0:
                kinds_far -= 1
            far += 1
        while kinds_near >= k:
            y = nums[near]
            in_near[y] -= 1
            if in_near[y] == 0:
                kinds_near -= 1
            near += 1
        if kinds_far == k:
            answer += near - far
    return answer
