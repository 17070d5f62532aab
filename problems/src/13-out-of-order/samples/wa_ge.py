n = int(input())
a = list(map(int, input().split()))


def sort_count(lst):
    if len(lst) <= 1:
        return lst, 0
    mid = len(lst) // 2
    left, x = sort_count(lst[:mid])
    right, y = sort_count(lst[mid:])
    res = []
    c = x + y
    i = j = 0
    while i < len(left) and j < len(right):
        if right[j] <= left[i]:
            res.append(right[j])
            c += len(left) - i
            j += 1
        else:
            res.append(left[i])
            i += 1
    res += left[i:] + right[j:]
    return res, c


print(sort_count(a)[1])
