"""Tests of Total Spread: generate() returns the argument lists of the 10 calls, the large one last."""

import random


def generate():
    rng = random.Random("total-spread")
    tests = [
        [[1, 3, 2]],
        [[7]],
        [[1, 3, 3]],
        [[4, 4, 4]],
        [[-2, 5]],
        [[1, 2, 3, 4]],
        [[1000000, -1000000, 1000000, -1000000]],
        [[rng.randint(-3, 3) for _ in range(30)]],
        [[rng.randint(-10 ** 6, 10 ** 6) for _ in range(3000)]],
        [[rng.randint(-10 ** 6, 10 ** 6) for _ in range(70000)]],
    ]
    return tests
