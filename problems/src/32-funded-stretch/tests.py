"""Tests of Shortest Funded Stretch: generate() returns the argument lists of the 11 calls, the large one last."""

import random


def generate():
    rng = random.Random("funded-stretch")
    tests = [
        [[2, -1, 2], 3],
        [[1], 2],
        [[5], 5],
        [[1, 2, 3, 4], 7],
        [[-1, -2, -3], -2],
        [[3, -10, 4, 4, -1, 5], 9],
        [[0, 0, 0], 0],
        [[-5, 10, -5, 10], 10],
        [[rng.randint(-10, 10) for _ in range(30)], 12],
        [[rng.randint(-1000, 1000) for _ in range(3000)], 9000],
        [[rng.randint(-10000, 10100) for _ in range(120000)], 2000000],
    ]
    return tests
