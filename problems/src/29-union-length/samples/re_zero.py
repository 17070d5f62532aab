def union_length(segments):
    # bucket width tuned to the average segment length
    avg = sum(r - l for l, r in segments) / len(segments)
    total = 0
    end = None
    start = None
    for l, r in sorted(segments):
        if end is None or l > end:
            if end is not None:
                total += end - start
            start, end = l, r
        else:
            end = max(end, r)
    if end is not None:
        total += end - start
    return total
