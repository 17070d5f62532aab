"""Tests of Stacking Crates: generate() returns the 10 stdin texts, the large one last."""

import random


def ints(xs):
    return " ".join(map(str, xs))


def generate():
    rng = random.Random("stacking-crates")
    tests = [
        "6\n3 1 4 1 5 9\n",
        "1\n42\n",
        "5\n7 7 7 7 7\n",
        "5\n9 8 7 6 5\n",
        "5\n1 2 3 4 5\n",
        "8\n2 2 3 3 1 4 4 5\n",
        "4\n1000000000 1 999999999 2\n",
    ]
    for n, top in ((30, 20), (3000, 10 ** 9)):
        tests.append(f"{n}\n{ints(rng.randint(1, top) for _ in range(n))}\n")
    n = 60000
    a = sorted(rng.randint(1, 10 ** 9) for _ in range(n))
    for _ in range(n // 3):  # mostly increasing: a long but not trivial answer
        i, j = rng.randrange(n), rng.randrange(n)
        a[i], a[j] = a[j], a[i]
    tests.append(f"{n}\n{ints(a)}\n")
    return tests
