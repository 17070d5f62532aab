"""Tests of Count Peaks: generate() returns the argument lists of the 11 calls, the large one last."""

import random


def generate():
    rng = random.Random("count-peaks")
    tests = [
        [[1, 3, 2, 4, 1]],
        [[5]],
        [[2, 2]],
        [[1, 2]],
        [[3, 3, 3]],
        [[-1, -5, -1]],
        [[0, 0, 1, 0, 0]],
        [[1000000000, -1000000000, 1000000000, -1000000000]],
        [[rng.randint(0, 5) for _ in range(30)]],
        [[rng.randint(-1000, 1000) for _ in range(3000)]],
        [[rng.randint(0, 99999) for _ in range(100000)]],
    ]
    return tests
