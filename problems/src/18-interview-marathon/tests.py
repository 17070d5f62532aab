"""Tests of Interview Marathon: generate() returns the 10 stdin texts, the large one last."""

import random


def generate():
    rng = random.Random("interview-marathon")

    def offers(rows):
        return f"{len(rows)}\n" + "".join(f"{s} {e} {w}\n" for s, e, w in rows)

    def random_offers(n, span, longest, wmax):
        rows = []
        for _ in range(n):
            s = rng.randint(0, span)
            rows.append((s, s + rng.randint(1, longest), rng.randint(1, wmax)))
        return offers(rows)

    tests = [
        "4\n1 3 5\n2 5 6\n4 6 5\n6 7 4\n",
        "1\n0 1 7\n",
        "3\n0 10 5\n0 10 9\n0 10 9\n",
        "4\n0 1 1\n1 2 1\n2 3 1\n3 4 1\n",
        "3\n0 100 10\n0 50 6\n50 100 6\n",
        "2\n0 1000000000 10000\n1 2 1\n",
        "5\n5 9 3\n1 4 3\n4 5 3\n0 2 2\n9 10 1\n",
    ]
    tests.append(random_offers(15, 30, 8, 20))
    tests.append(random_offers(3000, 100000, 500, 10000))
    tests.append(random_offers(40000, 10 ** 6, 10000, 10000))
    return tests
