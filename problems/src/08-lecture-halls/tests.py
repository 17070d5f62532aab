"""Tests of Lecture Halls: generate() returns the 10 stdin texts, the large one last."""

import random


def generate():
    rng = random.Random("lecture-halls")
    tests = [
        "4\n1 5\n2 6\n5 8\n6 9\n",
        "1\n0 1\n",
        "3\n0 1\n1 2\n2 3\n",
        "3\n0 10\n0 10\n0 10\n",
        "4\n0 100\n10 20\n30 40\n15 35\n",
        "2\n0 1000000000\n999999999 1000000000\n",
        "5\n5 6\n4 7\n3 8\n2 9\n1 10\n",
    ]

    def lectures(n, span, longest):
        rows = []
        for _ in range(n):
            s = rng.randint(0, span)
            rows.append(f"{s} {s + rng.randint(1, longest)}")
        return f"{n}\n" + "\n".join(rows) + "\n"

    tests.append(lectures(30, 50, 10))
    tests.append(lectures(4000, 100000, 3000))
    tests.append(lectures(50000, 99000, 3000))
    return tests
