"""Tests of Warmest Week: generate() returns the 10 stdin texts, the large one last."""

import random


def ints(xs):
    return " ".join(map(str, xs))


def generate():
    rng = random.Random("warmest-week")
    tests = [
        "5 2\n1 3 -2 8 4\n",
        "1 1\n-7\n",
        "4 4\n1 2 3 4\n",
        "6 3\n-5 -5 -5 -5 -5 -5\n",
        "5 3\n0 0 0 0 1\n",
        "7 2\n-1 -2 -3 -4 -5 -6 -7\n",
        "3 2\n10000 -10000 9999\n",
    ]
    for n, k in ((30, 7), (2000, 333)):
        a = [rng.randint(-10000, 10000) for _ in range(n)]
        tests.append(f"{n} {k}\n{ints(a)}\n")
    n, k = 100000, 777
    a = [rng.randint(-10000, 10000) for _ in range(n)]
    tests.append(f"{n} {k}\n{ints(a)}\n")
    return tests
