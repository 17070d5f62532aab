def longestRun(s):
    best, length, run = "", 0, 0
    for i, ch in enumerate(s):
        run = run + 1 if i and s[i - 1] == ch else 1
        if run > length:
            best, length = ch, run
    return [best, length]
