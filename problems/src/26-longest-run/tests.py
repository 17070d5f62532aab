"""Tests of Longest Run: generate() returns the argument lists of the 10 calls, the large one last."""

import random


def generate():
    rng = random.Random("longest-run")

    def runs(n, alphabet, max_run):
        out = []
        while len(out) < n:
            out.extend(rng.choice(alphabet) * rng.randint(1, max_run))
        return "".join(out[:n])

    tests = [
        ["aabbbcc"],
        [""],
        ["z"],
        ["abab"],
        ["xxxyyy"],
        ["  ab"],
        ["Aaa"],
        [runs(40, "xy", 4)],
        [runs(3000, "abc", 20)],
        [runs(200000, "ab", 40)],
    ]
    return tests
