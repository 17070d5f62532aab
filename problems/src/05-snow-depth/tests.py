"""Tests of Snow Depth Report: generate() returns the 10 stdin texts, the large one last."""

import random


def ints(xs):
    return " ".join(map(str, xs))


def generate():
    rng = random.Random("snow-depth")
    tests = [
        "7\n10 4 5 90 120 80 120\n",
        "1\n0\n",
        "4\n3 3 3 3\n",
        "5\n9 7 5 3 1\n",
        "5\n1 2 3 4 5\n",
        "6\n5 1 1 5 1 5\n",
        "3\n1000000000 0 1000000000\n",
    ]
    for n, top in ((20, 5), (3000, 1000)):
        tests.append(f"{n}\n{ints(rng.randint(0, top) for _ in range(n))}\n")
    n = 80000
    depth = [i // 2 + rng.randint(0, 3) if rng.random() > 0.001 else rng.randint(0, 100) for i in range(n)]
    tests.append(f"{n}\n{ints(depth)}\n")
    return tests
