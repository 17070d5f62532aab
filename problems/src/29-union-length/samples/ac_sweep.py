def union_length(segments):
    segs = sorted(map(tuple, segments))
    res, reach = 0, float("-inf")
    for l, r in segs:
        if r > reach:
            res += r - max(l, reach)
            reach = r
    return int(res)
