"""Tests of Exactly K Kinds: generate() returns the argument lists of the 10 calls, the large one last."""

import random


def generate():
    rng = random.Random("exactly-k-kinds")
    big = [rng.randint(1, 3) for _ in range(100000)]
    for i in range(0, 100000, 25000):
        big[i + rng.randrange(1000)] = rng.randint(4, 6)
    tests = [
        [[1, 2, 1, 3, 3], 2],
        [[5], 1],
        [[5], 2],
        [[7, 7, 7], 1],
        [[1, 2, 3], 3],
        [[1, 2, 3], 4],
        [[-1, 0, -1], 2],
        [[rng.randint(1, 4) for _ in range(30)], 2],
        [[rng.randint(1, 30) for _ in range(3000)], 10],
        [big, 3],
    ]
    return tests
