"""Tests of Coupon Roads: generate() returns the 11 stdin texts, the large one last."""

import random


def generate():
    rng = random.Random("coupon-roads")

    def graph_text(n, k, edges):
        return f"{n} {len(edges)} {k}\n" + "".join(f"{u} {v} {w}\n" for u, v, w in edges)

    def random_graph(n, m, k, wmax):
        edges = []
        for v in range(2, n + 1):
            edges.append((rng.randint(max(1, v - 30), v - 1), v, 2 * rng.randint(1, wmax // 2)))
        while len(edges) < m:
            edges.append((rng.randint(1, n), rng.randint(1, n), 2 * rng.randint(1, wmax // 2)))
        rng.shuffle(edges)
        return graph_text(n, k, edges)

    tests = [
        "4 4 1\n1 2 10\n2 4 10\n1 3 2\n3 4 16\n",
        "1 0 3\n",
        "2 0 1\n",
        "3 2 0\n1 2 4\n2 3 6\n",
        "3 3 1\n1 2 40\n2 3 40\n1 3 100\n",
        "3 3 2\n1 2 20\n2 3 20\n1 3 100\n",
        "3 4 5\n1 1 2\n1 2 2\n2 2 4\n2 3 20000\n",
        "4 2 1\n1 2 6\n3 4 6\n",
    ]
    tests.append(random_graph(10, 20, 2, 40))
    tests.append(random_graph(500, 1500, 3, 2000))
    tests.append(random_graph(12000, 24000, 3, 20000))
    return tests
