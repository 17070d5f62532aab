"""Tests of Zero-Sum Stretches: generate() returns the 10 stdin texts, the large one last."""

import random


def ints(xs):
    return " ".join(map(str, xs))


def generate():
    rng = random.Random("zero-sum-stretches")
    tests = [
        "5\n1 -1 2 -2 0\n",
        "1\n0\n",
        "1\n5\n",
        "4\n0 0 0 0\n",
        "3\n1000000000 -1000000000 1000000000\n",
        "6\n2 -1 -1 3 -3 1\n",
        "5\n1 2 3 4 5\n",
    ]
    for n, top in ((30, 2), (2500, 5)):
        tests.append(f"{n}\n{ints(rng.randint(-top, top) for _ in range(n))}\n")
    n = 200000
    tests.append(f"{n}\n{ints(rng.randint(-3, 3) for _ in range(n))}\n")
    return tests
