"""Tests of Signal Relay: generate() returns the 11 stdin texts, the large one last."""

import random


def generate():
    rng = random.Random("signal-relay")

    def graph_text(n, edges):
        return f"{n} {len(edges)}\n" + "".join(f"{u} {v} {w}\n" for u, v, w in edges)

    def random_graph(n, m, wmax, connected=True):
        edges = []
        if connected:
            order = list(range(2, n + 1))
            rng.shuffle(order)
            placed = [1]
            for v in order:
                edges.append((rng.choice(placed), v, rng.randint(1, wmax)))
                placed.append(v)
        while len(edges) < m:
            edges.append((rng.randint(1, n), rng.randint(1, n), rng.randint(1, wmax)))
        rng.shuffle(edges)
        return graph_text(n, edges)

    tests = [
        "4 4\n1 2 5\n2 4 5\n1 3 2\n3 4 9\n",
        "1 0\n",
        "2 0\n",
        "3 1\n1 2 7\n",
        "2 3\n1 2 10\n2 1 3\n1 1 1\n",
        "5 5\n1 2 1\n2 3 1\n3 4 1\n4 5 1\n1 5 5\n",
        "5 4\n1 2 10000\n2 3 10000\n3 4 10000\n4 5 10000\n",
    ]
    tests.append(random_graph(8, 12, 20))
    tests.append(random_graph(300, 600, 100, connected=False))
    tests.append(random_graph(2000, 5000, 1000))
    tests.append(random_graph(25000, 45000, 10000))
    return tests
