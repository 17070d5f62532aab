"""Tests of Anagram Groups: generate() returns the argument lists of the 10 calls, the large one last."""

import random


def generate():
    rng = random.Random("anagram-groups")

    def words(n, alphabet, lo, hi):
        return ["".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi))) for _ in range(n)]

    tests = [
        [["listen", "silent", "enlist", "google", "gogole", "cat"]],
        [[]],
        [["a"]],
        [["ab", "ba", "ab"]],
        [["abc", "abd", "dba"]],
        [["", ""]],
        [["aab", "aba", "abb", "bab", "bba", "baa"]],
        [words(30, "abc", 1, 3)],
        [words(3000, "abcdefghij", 2, 6)],
        [words(70000, "abcdef", 5, 5)],
    ]
    return tests
