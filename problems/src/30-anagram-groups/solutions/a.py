def anagram_groups(words):
    groups = {}
    for w in words:
        key = "".join(sorted(w))
        groups[key] = groups.get(key, 0) + 1
    return sorted(groups.values(), reverse=True)
