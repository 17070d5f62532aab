"""Tests of Castle Courtyard: generate() returns the 10 stdin texts, the large one last."""

import random


def generate():
    rng = random.Random("castle-courtyard")

    def grid_text(g):
        return f"{len(g)} {len(g[0])}\n" + "\n".join("".join(row) for row in g) + "\n"

    def random_grid(r, c, wall):
        g = [["#" if rng.random() < wall else "." for _ in range(c)] for _ in range(r)]
        cells = rng.sample(range(r * c), 2)
        g[cells[0] // c][cells[0] % c] = "S"
        g[cells[1] // c][cells[1] % c] = "T"
        return g

    tests = [
        "3 4\nS..#\n.#..\n...T\n",
        "1 2\nST\n",
        "2 2\nS#\n#T\n",
        "1 5\nT...S\n",
        "3 3\nS#.\n.#.\n.#T\n",
        "5 5\nS....\n####.\n.....\n.####\n....T\n",
    ]
    tests.append(grid_text(random_grid(6, 9, 0.25)))
    tests.append(grid_text(random_grid(40, 60, 0.3)))
    # a long serpentine corridor
    r, c = 61, 80
    g = [["." for _ in range(c)] for _ in range(r)]
    for row in range(1, r, 2):
        for col in range(c):
            g[row][col] = "#"
        g[row][c - 1 if (row // 2) % 2 == 0 else 0] = "."
    g[0][0] = "S"
    g[r - 1][c - 1] = "T"
    tests.append(grid_text(g))
    big = random_grid(500, 500, 0.3)
    tests.append(grid_text(big))
    return tests
