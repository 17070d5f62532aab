"""Tests of Matching Gloves: generate() returns the 10 stdin texts, the large one last."""

import random


def ints(xs):
    return " ".join(map(str, xs))


def generate():
    rng = random.Random("matching-gloves")
    tests = [
        "4 3\n7 7 8 9\n7 9 9\n",
        "1 1\n5\n6\n",
        "1 1\n1000000000\n1000000000\n",
        "5 5\n2 2 2 2 2\n2 2 2 2 2\n",
        "3 6\n1 2 3\n3 3 3 2 2 1\n",
        "6 2\n4 4 4 4 4 4\n4 5\n",
        "2 3\n1 1\n2 2 2\n",
    ]
    for n, m, top in ((12, 9, 6), (3000, 2500, 400)):
        left = [rng.randint(1, top) for _ in range(n)]
        right = [rng.randint(1, top) for _ in range(m)]
        tests.append(f"{n} {m}\n{ints(left)}\n{ints(right)}\n")
    n = m = 60000
    left = [rng.randint(1, 40000) for _ in range(n)]
    right = [rng.randint(1, 40000) for _ in range(m)]
    tests.append(f"{n} {m}\n{ints(left)}\n{ints(right)}\n")
    return tests
