def union_length(segments):
    total = 0
    cur_l = cur_r = None
    for l, r in sorted(segments):
        if cur_r is None or l > cur_r:
            if cur_r is not None:
                total += cur_r - cur_l
            cur_l, cur_r = l, r
        elif r > cur_r:
            cur_r = r
    if cur_r is not None:
        total += cur_r - cur_l
    return total
