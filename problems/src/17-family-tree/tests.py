"""Tests of Family Tree Distances: generate() returns the 9 stdin texts, the large one last."""

import random


def generate():
    rng = random.Random("family-tree")

    def tree_text(n, edges, queries):
        return (f"{n} {len(queries)}\n" + "".join(f"{u} {v} {w}\n" for u, v, w in edges)
                + "".join(f"{u} {v}\n" for u, v in queries))

    def random_tree(n, q, wmax, chain=0):
        labels = list(range(1, n + 1))
        rng.shuffle(labels)
        edges = []
        for i in range(1, n):
            parent = i - 1 if i <= chain else rng.randrange(i)
            edges.append((labels[parent], labels[i], rng.randint(1, wmax)))
        rng.shuffle(edges)
        queries = [(rng.randint(1, n), rng.randint(1, n)) for _ in range(q)]
        return tree_text(n, edges, queries)

    tests = [
        "5 4\n1 2 3\n1 3 4\n3 4 1\n3 5 2\n2 4\n4 5\n1 1\n5 2\n",
        "1 1\n1 1\n",
        "2 2\n1 2 1000000\n1 2\n2 2\n",
    ]
    # a bamboo of 3000 vertices: deep recursion breaks naive recursive DFS
    n = 3000
    edges = [(i, i + 1, rng.randint(1, 9)) for i in range(1, n)]
    tests.append(tree_text(n, edges, [(1, n), (n, 1), (1500, 2999), (7, 7)]))
    tests.append("4 3\n1 2 5\n1 3 5\n1 4 5\n2 3\n3 4\n4 1\n")
    tests.append(random_tree(9, 12, 10))
    tests.append(random_tree(200, 300, 1000))
    tests.append(random_tree(5000, 5000, 10 ** 6, chain=2500))
    tests.append(random_tree(25000, 25000, 1000, chain=12500))
    return tests
