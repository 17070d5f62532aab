def anagram_groups(words):
    # direct-address table over all possible 26-letter signatures
    table = [0] * (10 ** 9)
    seen = {}
    for w in words:
        k = "".join(sorted(w))
        seen[k] = seen.get(k, 0) + 1
    return sorted(seen.values(), reverse=True)
