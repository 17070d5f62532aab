"""Tests of Longest Calm Stretch: generate() returns the argument lists of the 11 calls, the large one last."""

import random


def generate():
    rng = random.Random("calm-stretch")

    def walk(n, step):
        x = 0
        out = []
        for _ in range(n):
            x += rng.randint(-step, step)
            out.append(x)
        return out

    tests = [
        [[1, 3, 6, 4, 5, 9], 2],
        [[5], 0],
        [[2, 2, 2, 2], 0],
        [[1, 10, 1, 10], 5],
        [[-3, -1, -2, 5], 2],
        [[1, 2, 3, 4, 5], 2],
        [[0, 1000000000], 1000000000],
        [[4, 1, 4, 1, 4], 3],
        [[rng.randint(0, 10) for _ in range(30)], 4],
        [walk(3000, 5), 40],
        [walk(120000, 1), 300],
    ]
    return tests
