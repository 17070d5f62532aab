"""Tests of Gathering Point: generate() returns the 10 stdin texts, the large one last."""

import random


def generate():
    rng = random.Random("gathering-point")

    def walkers(rows):
        return f"{len(rows)}\n" + "".join(f"{x} {v}\n" for x, v in rows)

    tests = [
        "3\n0 1\n10 1\n4 2\n",
        "1\n-7 3\n",
        "4\n5 1\n5 2\n5 3\n5 100\n",
        "2\n-10000 1\n10000 1\n",
        "2\n0 1\n1 2\n",
        "3\n-3 2\n7 5\n1 1\n",
        "5\n0 100\n1 100\n2 100\n3 100\n4 100\n",
    ]
    tests.append(walkers([(rng.randint(-50, 50), rng.randint(1, 5)) for _ in range(12)]))
    tests.append(walkers([(rng.randint(-10000, 10000), rng.randint(1, 100)) for _ in range(2000)]))
    tests.append(walkers([(rng.randint(-10000, 10000), rng.randint(1, 100)) for _ in range(20000)]))
    return tests
