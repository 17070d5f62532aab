"""Tests of Lucky Ladder: generate() returns the 10 stdin texts, the large one last."""

import random


def ints(xs):
    return " ".join(map(str, xs))


def generate():
    rng = random.Random("lucky-ladder")
    tests = [
        "3\n1 1 1\n",
        "1\n1\n",
        "1\n6\n",
        "2\n2 1\n",
        "4\n4 4 4 4\n",
        "5\n1 200000 1 200000 1\n",
        "6\n3 1 2 6 1 2\n",
    ]
    for n, top in ((15, 4), (3000, 50)):
        tests.append(f"{n}\n{ints(rng.randint(1, top) for _ in range(n))}\n")
    n = 100000
    faces = [rng.randint(1, 3) if rng.random() < 0.3 else rng.randint(n // 4, 200000) for _ in range(n)]
    tests.append(f"{n}\n{ints(faces)}\n")
    return tests
