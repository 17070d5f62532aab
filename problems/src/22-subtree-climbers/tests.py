"""Tests of Subtree Climbers: generate() returns the 10 stdin texts, the large one last."""

import random


def ints(xs):
    return " ".join(map(str, xs))


def generate():
    rng = random.Random("subtree-climbers")

    def tree_text(parents, values):
        return f"{len(values)}\n{ints(parents[2:])}\n{ints(values)}\n"

    def random_tree(n, top, chain=0):
        labels = list(range(2, n + 1))
        rng.shuffle(labels)
        order = [1] + labels  # order[i] is the i-th vertex created
        parents = [0, 0] + [0] * (n - 1)
        for i in range(1, n):
            parent_pos = i - 1 if i <= chain else rng.randrange(i)
            parents[order[i]] = order[parent_pos]
        values = [rng.randint(1, top) for _ in range(n)]
        return tree_text(parents, values)

    tests = [
        "5\n1 1 2 2\n3 5 1 4 6\n",
        "1\n\n7\n",
        "4\n1 2 3\n5 5 5 5\n",
    ]
    n = 2000
    tests.append(tree_text([0, 0] + list(range(1, n)), list(range(n, 0, -1))[::-1]))
    tests.append("6\n4 1 6 1 3\n10 20 30 40 50 60\n")
    tests.append("5\n1 2 3 4\n1000000000 999999999 1000000000 1 1000000000\n")
    tests.append(random_tree(10, 5))
    tests.append(random_tree(300, 100))
    tests.append(random_tree(4000, 10 ** 9, chain=1500))
    tests.append(random_tree(50000, 10 ** 9, chain=25000))
    return tests
