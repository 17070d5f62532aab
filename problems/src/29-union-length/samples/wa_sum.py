def union_length(segments):
    return sum(r - l for l, r in segments)
