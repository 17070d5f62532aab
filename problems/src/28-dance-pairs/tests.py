"""Tests of Dance Pairs: generate() returns the argument lists of the 11 calls, the large one last."""

import random


def generate():
    rng = random.Random("dance-pairs")
    tests = [
        [[1, 5, 3, 9, 7], 2],
        [[4], 0],
        [[2, 2, 2], 0],
        [[1, 2, 3, 4], 1],
        [[10, 1], 100],
        [[-5, -3, -1], 1],
        [[1, 2, 3], 1],
        [[5, 4, 6, 1, 2, 9, 8], 0],
        [[rng.randint(1, 40) for _ in range(30)], 2],
        [[rng.randint(-10 ** 6, 10 ** 6) for _ in range(3000)], 500],
        [[rng.randint(-10 ** 6, 10 ** 6) for _ in range(70000)], 15],
    ]
    return tests
