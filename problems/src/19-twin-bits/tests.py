"""Tests of Twin Bits: generate() returns the 10 stdin texts, the large one last."""

import random


def ints(xs):
    return " ".join(map(str, xs))


def generate():
    rng = random.Random("twin-bits")
    tests = [
        "4\n6 9 17 4\n",
        "2\n0 0\n",
        "2\n7 7\n",
        "3\n7 8 15\n",
        "5\n1 2 4 8 16\n",
        "2\n0 1048575\n",
        "6\n12 12 12 3 3 3\n",
    ]
    for n, top in ((20, 63), (3000, 2 ** 20 - 1)):
        tests.append(f"{n}\n{ints(rng.randint(0, top) for _ in range(n))}\n")
    n = 100000
    # values share their top bits so the answer needs the low bits to be decided correctly
    tests.append(f"{n}\n{ints(rng.randint(0, 2 ** 20 - 1) for _ in range(n))}\n")
    return tests
