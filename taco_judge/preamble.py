"""The import block TACO's reference evaluator puts before every program (``--preamble taco``).

Model code often relies on it (``List[int]`` hints, ``Counter`` or ``np`` with no import), so
judging without it would fail programs the reference accepts. The runner executes it before
the submission in the same globals but compiles the submission on its own, so line numbers in
error messages refer to the submitted code.
"""

from __future__ import annotations

from taco_judge.errors import UserError

# The same imports, in the same order, as FlagOpen/TACO metrics/testing_util.py
# (synthesize_std_code / synthesize_cb_code), plus the `stdin`/`stdout` aliases its stdin path adds.
TACO_PREAMBLE = "\n".join(
    [
        "import sys",
        "import time",
        "import itertools",
        "from itertools import accumulate, product, permutations, combinations",
        "import collections",
        "from collections import Counter, OrderedDict, deque, defaultdict, ChainMap",
        "from functools import lru_cache",
        "import math",
        "from math import sqrt, sin, cos, tan, ceil, fabs, floor, gcd, exp, log, log2",
        "import fractions",
        "from typing import List, Tuple",
        "import numpy as np",
        "import random",
        "import heapq",
        "from heapq import *",
        "stdin = sys.stdin",
        "stdout = sys.stdout",
    ]
)

PREAMBLES = {"taco": TACO_PREAMBLE, "none": ""}


def preamble_text(name: str) -> str:
    """The preamble called ``name`` (``taco`` or ``none``)."""
    try:
        return PREAMBLES[name]
    except KeyError:
        raise UserError(f"--preamble {name!r}: choose one of {', '.join(PREAMBLES)}") from None
