def union_length(segments):
    events = []
    for l, r in segments:
        if l < r:
            events.append((l, 1))
            events.append((r, -1))
    events.sort()
    covered = 0
    depth = 0
    prev = None
    for x, delta in events:
        if depth > 0:
            covered += x - prev
        depth += delta
        prev = x
    return covered
