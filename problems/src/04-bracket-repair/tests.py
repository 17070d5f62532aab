"""Tests of Bracket Repair: generate() returns the 12 stdin texts, the large one last."""

import random


def generate():
    rng = random.Random("bracket-repair")
    tests = ["())(\n", "(\n", ")\n", "()\n", ")(\n", "((()))\n", ")))(((\n", "(()))(()\n", "()()()()\n"]
    for n in (25, 400):
        tests.append("".join(rng.choice("()") for _ in range(n)) + "\n")
    depth = 60000
    mid = "".join(rng.choice("()") for _ in range(80000))
    tests.append("(" * depth + mid + ")" * (depth - 7) + "\n")
    return tests
