"""Tests of Union Length: generate() returns the argument lists of the 11 calls, the large one last."""

import random


def generate():
    rng = random.Random("union-length")

    def segs(n, lo, hi, longest):
        out = []
        for _ in range(n):
            a = rng.randint(lo, hi)
            out.append([a, a + rng.randint(0, longest)])
        return out

    tests = [
        [[[1, 4], [2, 6], [8, 9]]],
        [[]],
        [[[3, 3]]],
        [[[-5, -1], [-3, 2]]],
        [[[0, 10], [2, 3], [4, 5]]],
        [[[1, 2], [2, 3]]],
        [[[5, 7], [5, 7], [5, 7]]],
        [[[-1000000000, 1000000000], [0, 1]]],
        [segs(20, -30, 30, 8)],
        [segs(3000, -10 ** 6, 10 ** 6, 5000)],
        [segs(50000, -30000, 30000, 40)],
    ]
    return tests
