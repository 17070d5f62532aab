from collections import Counter


def anagram_groups(words):
    signature = Counter(tuple(sorted(Counter(w).items())) for w in words)
    sizes = list(signature.values())
    sizes.sort()
    sizes.reverse()
    return sizes
