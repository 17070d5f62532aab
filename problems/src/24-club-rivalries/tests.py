"""Tests of Club Rivalries: generate() returns the 10 stdin texts, the large one last."""

import random


def generate():
    rng = random.Random("club-rivalries")

    def graph_text(n, edges):
        return f"{n} {len(edges)}\n" + "".join(f"{u} {v}\n" for u, v in edges)

    def bipartite(n, m, spoil=False):
        side = [rng.randint(0, 1) for _ in range(n + 1)]
        left = [v for v in range(1, n + 1) if side[v] == 0]
        right = [v for v in range(1, n + 1) if side[v] == 1]
        edges = []
        labels = list(range(1, n + 1))
        rng.shuffle(labels)
        for i in range(1, n):  # a spanning path keeps everything in one component half the time
            a, b = labels[i - 1], labels[i]
            if side[a] != side[b]:
                edges.append((a, b))
        while len(edges) < m:
            edges.append((rng.choice(left), rng.choice(right)))
        if spoil:
            a, b = rng.sample(left, 2)
            edges.append((a, b))
        rng.shuffle(edges)
        return graph_text(n, [(u, v) if rng.random() < 0.5 else (v, u) for u, v in edges])

    tests = [
        "4 4\n1 2\n2 3\n3 4\n4 1\n",
        "3 3\n1 2\n2 3\n3 1\n",
        "1 0\n",
        "2 3\n1 2\n2 1\n1 2\n",
    ]
    n = 3001  # a long path, then one edge closing an odd cycle
    tests.append(graph_text(n, [(i, i + 1) for i in range(1, n)] + [(1, n)]))
    tests.append("6 3\n1 2\n3 4\n5 6\n")
    tests.append("7 7\n1 2\n2 3\n3 1\n4 5\n5 6\n6 7\n7 4\n")
    tests.append(bipartite(40, 60))
    tests.append(bipartite(2000, 4000, spoil=True))
    tests.append(bipartite(60000, 60000))
    return tests
