"""Tests of Overlapping Echoes: generate() returns the 10 stdin texts, the large one last."""

import random


def generate():
    rng = random.Random("overlapping-echoes")
    tests = [
        "abababa\naba\n",
        "a\na\n",
        "a\nb\n",
        "ab\nabc\n",
        "aaaaa\naa\n",
        "mississippi\nissi\n",
        "abcabcabc\nabcabcabc\n",
    ]
    t = "".join(rng.choice("ab") for _ in range(60))
    tests.append(f"{t}\n{t[10:13]}\n")
    t = "".join(rng.choice("abc") for _ in range(5000))
    tests.append(f"{t}\n{t[100:104]}\n")
    t = ["a"] * 200000
    for _ in range(30):
        t[rng.randrange(200000)] = "b"
    p = "a" * 40000
    tests.append("".join(t) + "\n" + p + "\n")
    return tests
