"""Tests of Out of Order: generate() returns the 10 stdin texts, the large one last."""

import random


def ints(xs):
    return " ".join(map(str, xs))


def generate():
    rng = random.Random("out-of-order")
    tests = [
        "5\n3 1 4 1 5\n",
        "1\n0\n",
        "4\n2 2 2 2\n",
        "5\n5 4 3 2 1\n",
        "5\n-1 -2 -3 -4 -5\n",
        "6\n1 2 3 4 5 6\n",
        "3\n1000000000 -1000000000 0\n",
    ]
    for n, top in ((40, 5), (3000, 10 ** 9)):
        tests.append(f"{n}\n{ints(rng.randint(-top, top) for _ in range(n))}\n")
    n = 80000
    tests.append(f"{n}\n{ints(rng.randint(-999999, 999999) for _ in range(n))}\n")
    return tests
