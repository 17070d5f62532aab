def longest_run(s):
    if not s:
        return ("", 0)
    best = (s[0], 1)
    cur = 1
    for a, b in zip(s, s[1:]):
        cur = cur + 1 if a == b else 1
        if cur > best[1]:
            best = (b, cur)
    return best
