"""Tests of Lantern Leaders: generate() returns the 11 stdin texts, the large one last."""

import random


def ints(xs):
    return " ".join(map(str, xs))


def generate():
    rng = random.Random("lantern-leaders")
    tests = [
        "5\n3 9 4 6 2\n",
        "1\n-7\n",
        "6\n4 4 4 4 4 4\n",
        "5\n1 2 3 4 5\n",
        "5\n5 4 3 2 1\n",
        "7\n-3 -1 -2 0 -5 -5 -6\n",
        "4\n0 0 -1 0\n",
        "3\n1000000000 -1000000000 1000000000\n",
    ]
    for n in (40, 1000):
        a = [rng.randint(-50, 50) for _ in range(n)]
        tests.append(f"{n}\n{ints(a)}\n")
    n = 100000
    a = [rng.randint(-100000, 100000) for _ in range(n)]
    tests.append(f"{n}\n{ints(a)}\n")
    return tests
