def anagram_groups(words):
    d = {}
    for w in words:
        d.setdefault(tuple(sorted(w)), []).append(w)
    return [len(v) for v in d.values()]
