"""Tests of Pebble Piles: generate() returns the 9 stdin texts, the large one last."""

import random


def ints(xs):
    return " ".join(map(str, xs))


def generate():
    rng = random.Random("pebble-piles")

    def games_text(games):
        return f"{len(games)}\n" + "".join(f"{len(p)} {k}\n{ints(p)}\n" for k, p in games)

    tests = [
        "3\n1 3\n5\n2 1\n1 1\n3 2\n1 2 3\n",
        "1\n1 1\n1\n",
        "1\n2 1000000000\n7 7\n",
        "2\n1 1\n2\n1 5\n6\n",
        "1\n4 3\n4 8 12 16\n",
        "1\n3 1000000000\n1 2 3\n",
    ]
    games = []
    for _ in range(40):
        k = rng.randint(1, 6)
        games.append((k, [rng.randint(1, 12) for _ in range(rng.randint(1, 5))]))
    tests.append(games_text(games))
    games = []
    for _ in range(300):
        k = rng.choice([1, 2, 10, 1000, 10 ** 9])
        games.append((k, [rng.randint(1, 10 ** 9) for _ in range(rng.randint(1, 30))]))
    tests.append(games_text(games))
    games = [(rng.randint(1, 10 ** 5), [rng.randint(1, 10 ** 6) for _ in range(20000)]) for _ in range(5)]
    for gi in (2, 4):  # make these two games lost for Alice
        k, piles = games[gi]
        x = 0
        for p in piles[:-1]:
            x ^= p % (k + 1)
        piles[-1] = x if x else k + 1
    tests.append(games_text(games))
    return tests
