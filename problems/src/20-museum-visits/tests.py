"""Tests of Museum Visits: generate() returns the 10 stdin texts, the large one last."""

import random


def ints(xs):
    return " ".join(map(str, xs))


def generate():
    rng = random.Random("museum-visits")

    def case(a, queries):
        return (f"{len(a)} {len(queries)}\n{ints(a)}\n"
                + "".join(f"{l} {r}\n" for l, r in queries))

    def random_case(n, q, top, long_ranges=False):
        a = [rng.randint(1, top) for _ in range(n)]
        queries = []
        for _ in range(q):
            if long_ranges:
                l, r = rng.randint(1, n // 3), rng.randint(2 * n // 3, n)
            else:
                l = rng.randint(1, n)
                r = rng.randint(l, n)
            queries.append((l, r))
        return case(a, queries)

    tests = [
        "6 4\n1 2 1 3 2 2\n1 3\n2 5\n4 4\n1 6\n",
        "1 1\n5\n1 1\n",
        "5 3\n7 7 7 7 7\n1 5\n2 3\n5 5\n",
        "5 2\n1 2 3 4 5\n1 5\n2 4\n",
        "4 3\n1000000000 1 1000000000 1\n1 4\n1 3\n2 2\n",
        "7 3\n3 1 3 1 3 1 3\n1 7\n2 2\n3 6\n",
    ]
    tests.append(random_case(12, 15, 4))
    tests.append(random_case(300, 400, 50))
    tests.append(random_case(3000, 3000, 10 ** 9))
    tests.append(random_case(35000, 35000, 20000, long_ranges=True))
    return tests
