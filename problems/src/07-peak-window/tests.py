"""Tests of Peak Window: generate() returns the 10 stdin texts, the large one last."""

import random


def ints(xs):
    return " ".join(map(str, xs))


def generate():
    rng = random.Random("peak-window")
    tests = [
        "7 3\n4 2 12 3 8 9 1\n",
        "1 1\n-5\n",
        "5 5\n3 1 4 1 5\n",
        "5 1\n-1 -2 -3 -4 -5\n",
        "6 2\n7 7 7 7 7 7\n",
        "6 4\n-10 -20 -30 -5 -40 -50\n",
        "4 2\n1000000000 -1000000000 0 999999999\n",
    ]
    for n, k in ((25, 6), (3000, 120)):
        tests.append(f"{n} {k}\n{ints(rng.randint(-100, 100) for _ in range(n))}\n")
    n, k = 80000, 40000
    tests.append(f"{n} {k}\n{ints(rng.randint(0, 999999) for _ in range(n))}\n")
    return tests
