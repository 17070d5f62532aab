"""Tests of Network Cabling: generate() returns the 11 stdin texts, the large one last."""

import random


def generate():
    rng = random.Random("network-cabling")

    def graph_text(n, edges):
        return f"{n} {len(edges)}\n" + "".join(f"{u} {v} {w}\n" for u, v, w in edges)

    def random_graph(n, m, wmax, connected=True):
        edges = []
        if connected:
            for v in range(2, n + 1):
                edges.append((rng.randint(max(1, v - 50), v - 1), v, rng.randint(1, wmax)))
        while len(edges) < m:
            edges.append((rng.randint(1, n), rng.randint(1, n), rng.randint(1, wmax)))
        rng.shuffle(edges)
        return graph_text(n, edges)

    tests = [
        "4 5\n1 2 3\n2 3 1\n3 4 4\n4 1 2\n1 3 5\n",
        "1 0\n",
        "3 1\n1 2 5\n",
        "2 3\n1 2 7\n1 2 2\n2 2 1\n",
        "4 2\n1 2 1\n3 4 1\n",
        "3 3\n1 2 1000000\n2 3 1000000\n1 3 1000000\n",
        "5 4\n1 2 1\n1 3 1\n1 4 1\n1 5 1\n",
    ]
    tests.append(random_graph(10, 18, 30))
    tests.append(random_graph(500, 700, 1000, connected=False))
    tests.append(random_graph(3000, 9000, 10 ** 6))
    tests.append(random_graph(25000, 45000, 10000))
    return tests
