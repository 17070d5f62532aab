from itertools import groupby


def longest_run(s):
    best = ["", 0]
    for ch, grp in groupby(s):
        size = sum(1 for _ in grp)
        if size > best[1]:
            best = [ch, size]
    return best
