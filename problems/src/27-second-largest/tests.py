"""Tests of Second Largest: generate() returns the argument lists of the 11 calls, the large one last."""

import random


def generate():
    rng = random.Random("second-largest")
    tests = [
        [[3, 1, 4, 1, 5]],
        [[5, 5, 3]],
        [[7]],
        [[2, 2, 2]],
        [[-1, -2]],
        [[]],
        [[0, -1, 0, -1]],
        [[1000000000, -1000000000]],
        [[rng.randint(-20, 20) for _ in range(25)]],
        [[rng.randint(-10 ** 9, 10 ** 9) for _ in range(3000)]],
        [[rng.randint(-10 ** 5, 10 ** 5) for _ in range(70000)]],
    ]
    return tests
