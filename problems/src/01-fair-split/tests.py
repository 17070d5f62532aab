"""Tests of Fair Split: generate() returns the 9 stdin texts, the large one last."""

import random


def ints(xs):
    return " ".join(map(str, xs))


def generate():
    rng = random.Random("fair-split")

    def planted(n, lo, hi, want_yes):
        a = [rng.randint(lo, hi) for _ in range(n)]
        if want_yes and n >= 2:
            k = rng.randint(1, n - 1)
            d = sum(a[:k]) - sum(a[k:])  # make the two sides equal by nudging random elements
            while d != 0:
                j = rng.randrange(n)
                up = (d > 0) == (j >= k)  # raising a right element (or lowering a left one) cuts d
                if up:
                    step = min(hi - a[j], abs(d))
                    a[j] += step
                else:
                    step = min(a[j] - lo, abs(d))
                    a[j] -= step
                d = d - step if d > 0 else d + step
            return a
        if not want_yes and sum(a) % 2 == 0:
            a[0] += 1 if a[0] < hi else -1  # an odd total can never be split evenly
        return a

    def case_block(cases):
        return f"{len(cases)}\n" + "".join(f"{len(a)}\n{ints(a)}\n" for a in cases)

    tests = [
        "3\n4\n1 2 3 0\n3\n1 1 1\n2\n-5 -5\n",
        "1\n1\n0\n",
        "2\n2\n0 0\n4\n1 -1 1 -1\n",
        "1\n5\n1000000000 1000000000 -1000000000 1000000000 1000000000\n",
        "1\n6\n3 -3 3 -3 3 -3\n",
        "1\n2\n7 -7\n",
    ]
    cases = []
    for _ in range(20):
        n = rng.randint(1, 8)
        cases.append([rng.randint(-3, 3) for _ in range(n)])
    tests.append(case_block(cases))
    cases = []
    for i in range(100):
        n = rng.randint(1, 50)
        cases.append(planted(n, -10 ** 9 // 3, 10 ** 9 // 3, i % 2 == 0))
    tests.append(case_block(cases))
    cases = [planted(40000, -100, 100, i in (1, 2)) for i in range(4)]
    tests.append(case_block(cases))
    return tests
