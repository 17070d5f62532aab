"""Build the taco-judge original problem set (problems/*.jsonl, generations.json, ...).

Every problem here was written for taco-judge: the stories, statements, tests and programs are
original.  The script is deterministic (each problem draws its tests from a ``random.Random``
seeded with the problem's slug) and uses only the standard library, so running

    python3 problems/build_problems.py

reproduces the shipped files byte for byte.  Expected outputs are produced by running the first
reference solution of each problem in-process; ``taco-judge problems validate`` (or any checker)
can confirm that the second reference solution agrees.
"""

from __future__ import annotations

import copy
import io
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = "taco-judge-original"
MEMORY = "256 megabytes"

PROBLEMS = []


def problem(fn):
    """Register a problem-building function (called in definition order: task id = position)."""
    PROBLEMS.append(fn)
    return fn


def ints(xs):
    return " ".join(map(str, xs))


def fence(code, before="", after=""):
    """Wrap code in a markdown block the way chat models answer, with optional prose around it."""
    text = "```python\n" + code + ("" if code.endswith("\n") else "\n") + "```"
    if before:
        text = before + "\n\n" + text
    if after:
        text = text + "\n\n" + after
    return text


def run_stdin(code, text):
    """Run a standalone stdin program in-process and return what it printed."""
    old_in, old_out = sys.stdin, sys.stdout
    sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8")
    out = io.StringIO()
    sys.stdout = out
    try:
        exec(compile(code, "<reference>", "exec"), {"__name__": "__main__"})  # noqa: S102 -- our own reference code
    finally:
        sys.stdin, sys.stdout = old_in, old_out
    return out.getvalue()


def run_call(code, fn_name, args):
    """Define the reference function (or class Solution) in-process and call it."""
    ns = {"__name__": "__main__"}
    exec(compile(code, "<reference>", "exec"), ns)  # noqa: S102 -- our own reference code
    if "Solution" in ns:
        fn = getattr(ns["Solution"](), fn_name)
    else:
        fn = ns[fn_name]
    value = fn(*copy.deepcopy(args))
    return json.loads(json.dumps(value))  # tuples -> lists, as the judge compares them


def examples_stdin(tests, outputs, count):
    parts = ["-----Examples-----", ""]
    for inp, out in list(zip(tests, outputs))[:count]:
        parts += ["Input", inp.rstrip("\n"), "", "Output", out.rstrip("\n"), "", ""]
    return "\n".join(parts).rstrip("\n") + "\n"


def examples_call(call_repr, tests, outputs, count):
    lines = ["Examples:", ""]
    for args, out in list(zip(tests, outputs))[:count]:
        shown = ", ".join(repr(a) for a in args)
        lines.append(f"    {call_repr}({shown}) -> {out[0]!r}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# 0  Lantern Leaders (stdin, EASY)
# ---------------------------------------------------------------------------------------------
@problem
def lantern_leaders():
    rng = random.Random("lantern-leaders")
    tests = [
        "5\n3 9 4 6 2\n",
        "1\n-7\n",
        "6\n4 4 4 4 4 4\n",
        "5\n1 2 3 4 5\n",
        "5\n5 4 3 2 1\n",
        "7\n-3 -1 -2 0 -5 -5 -6\n",
        "4\n0 0 -1 0\n",
        "3\n1000000000 -1000000000 1000000000\n",
    ]
    for n in (40, 1000):
        a = [rng.randint(-50, 50) for _ in range(n)]
        tests.append(f"{n}\n{ints(a)}\n")
    n = 100000
    a = [rng.randint(-100000, 100000) for _ in range(n)]
    tests.append(f"{n}\n{ints(a)}\n")

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    levels = list(map(int, data[1:1 + n]))
    best = None
    proud = 0
    for x in reversed(levels):
        if best is None or x > best:
            proud += 1
            best = x
    print(proud)


main()
'''
    ref_b = r'''from itertools import accumulate

n = int(input())
a = list(map(int, input().split()))
# suffix[i] = max(a[i:])
suffix = list(accumulate(reversed(a), max))[::-1]
print(1 + sum(1 for i in range(n - 1) if a[i] > suffix[i + 1]))
'''
    ac_open0 = r'''data = open(0).read().split()
n = int(data[0])
a = [int(x) for x in data[1:n + 1]]
running = float("-inf")
answer = 0
for i in range(n - 1, -1, -1):
    if a[i] > running:
        answer += 1
        running = a[i]
print(answer)
'''
    wa_ge = r'''n = int(input())
a = list(map(int, input().split()))
best = -10 ** 18
count = 0
for x in a[::-1]:
    if x >= best:
        count += 1
        best = x
print(count)
'''
    tle_slices = r'''n = int(input())
a = list(map(int, input().split()))
count = 0
for i in range(n):
    if i == n - 1 or a[i] > max(a[i + 1:]):
        count += 1
print(count)
'''
    re_exit = r'''import sys

n = int(sys.stdin.readline())
a = list(map(int, sys.stdin.readline().split()))
top = a[-1]
res = 1
for x in reversed(a[:-1]):
    if x > top:
        res += 1
        top = x
print(res)
sys.exit(3)
'''
    return {
        "name": "Lantern Leaders",
        "mode": "stdin",
        "difficulty": "EASY",
        "time_limit": "1 second",
        "skills": ["Greedy algorithms"],
        "tags": ["Greedy algorithms", "Implementation"],
        "raw_tags": ["implementation", "greedy"],
        "complexity": "O(n)",
        "aux": "O(n)",
        "date": "2024-03-02",
        "spj": 0,
        "body": (
            "Along the old harbour wall stand $n$ signal lanterns, numbered $1$ to $n$ from west to east. "
            "After a storm the harbour master measured the charge level of every lantern: lantern $i$ has "
            "level $a_i$ (a faulty calibration means that levels may be negative).\n\n"
            "A lantern is called proud if its level is strictly greater than the level of every lantern "
            "to the east of it. The easternmost lantern has nothing to its east, so it is always proud.\n\n"
            "Count the proud lanterns.\n\n\n"
            "-----Input-----\n\n"
            "The first line contains an integer $n$ ($1 \\le n \\le 2 \\cdot 10^5$).\n\n"
            "The second line contains $n$ integers $a_1, a_2, \\dots, a_n$ ($-10^9 \\le a_i \\le 10^9$).\n\n\n"
            "-----Output-----\n\n"
            "Print one integer: the number of proud lanterns.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ac_open0, "Scan from the east end keeping the largest level seen so far:")),
            ("WA", wa_ge),
            ("TLE", tle_slices),
            ("RE", re_exit),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 1  Fair Split (stdin, EASY, case-insensitive)
# ---------------------------------------------------------------------------------------------
@problem
def fair_split():
    rng = random.Random("fair-split")

    def planted(n, lo, hi, want_yes):
        a = [rng.randint(lo, hi) for _ in range(n)]
        if want_yes and n >= 2:
            k = rng.randint(1, n - 1)
            d = sum(a[:k]) - sum(a[k:])  # make the two sides equal by nudging random elements
            while d != 0:
                j = rng.randrange(n)
                up = (d > 0) == (j >= k)  # raising a right element (or lowering a left one) cuts d
                if up:
                    step = min(hi - a[j], abs(d))
                    a[j] += step
                else:
                    step = min(a[j] - lo, abs(d))
                    a[j] -= step
                d = d - step if d > 0 else d + step
            return a
        if not want_yes and sum(a) % 2 == 0:
            a[0] += 1 if a[0] < hi else -1  # an odd total can never be split evenly
        return a

    def case_block(cases):
        return f"{len(cases)}\n" + "".join(f"{len(a)}\n{ints(a)}\n" for a in cases)

    tests = [
        "3\n4\n1 2 3 0\n3\n1 1 1\n2\n-5 -5\n",
        "1\n1\n0\n",
        "2\n2\n0 0\n4\n1 -1 1 -1\n",
        "1\n5\n1000000000 1000000000 -1000000000 1000000000 1000000000\n",
        "1\n6\n3 -3 3 -3 3 -3\n",
        "1\n2\n7 -7\n",
    ]
    cases = []
    for _ in range(20):
        n = rng.randint(1, 8)
        cases.append([rng.randint(-3, 3) for _ in range(n)])
    tests.append(case_block(cases))
    cases = []
    for i in range(100):
        n = rng.randint(1, 50)
        cases.append(planted(n, -10 ** 9 // 3, 10 ** 9 // 3, i % 2 == 0))
    tests.append(case_block(cases))
    cases = [planted(40000, -100, 100, i in (1, 2)) for i in range(4)]
    tests.append(case_block(cases))

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n = int(data[pos])
        pos += 1
        a = list(map(int, data[pos:pos + n]))
        pos += n
        total = sum(a)
        run = 0
        ok = False
        for x in a[:-1]:
            run += x
            if 2 * run == total:
                ok = True
                break
        out.append("YES" if ok else "NO")
    print("\n".join(out))


main()
'''
    ref_b = r'''from itertools import accumulate

t = int(input())
for _ in range(t):
    n = int(input())
    a = list(map(int, input().split()))
    total = sum(a)
    prefixes = set(accumulate(a[:-1]))
    print("yes" if total % 2 == 0 and total // 2 in prefixes else "no")
'''
    ac_mixed = r'''import sys
input = sys.stdin.readline

for _ in range(int(input())):
    n = int(input())
    a = list(map(int, input().split()))
    left, right = 0, sum(a)
    found = False
    for i in range(n - 1):
        left += a[i]
        right -= a[i]
        if left == right:
            found = True
            break
    print("Yes" if found else "No")
'''
    wa_empty = r'''t = int(input())
for _ in range(t):
    n = int(input())
    a = list(map(int, input().split()))
    total = sum(a)
    left = 0
    ans = "NO"
    for k in range(n + 1):
        if left == total - left:
            ans = "YES"
            break
        if k < n:
            left += a[k]
    print(ans)
'''
    ce_syntax = r'''t = int(input())
for _ in range(t)
    n = int(input())
    a = list(map(int, input().split()))
    s = sum(a)
    p = 0
    print("YES" if any((p := p + x) * 2 == s for x in a[:-1]) else "NO")
'''
    return {
        "name": "Fair Split",
        "mode": "stdin",
        "difficulty": "EASY",
        "time_limit": "1 second",
        "skills": ["Range queries"],
        "tags": ["Prefix sums", "Implementation"],
        "raw_tags": ["implementation", "prefix sums"],
        "complexity": "O(n)",
        "aux": "O(n)",
        "date": "2024-03-09",
        "spj": 2,
        "body": (
            "Before a tug of war, $n$ people stand in a line. Person $i$ has a strength $a_i$; a "
            "strength can be negative (some people pull the wrong way) or zero.\n\n"
            "The referee draws a chalk line between two neighbouring people. Everybody to the left of "
            "the line forms team West, everybody to the right forms team East, and both teams must be "
            "non-empty. Can the referee draw the line so that both teams have exactly the same total "
            "strength?\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $t$ ($1 \\le t \\le 10^4$), the number of line-ups. Each line-up is "
            "given by a line with $n$ ($1 \\le n \\le 2 \\cdot 10^5$) and a line with $n$ integers "
            "$a_1, \\dots, a_n$ ($-10^9 \\le a_i \\le 10^9$). The sum of $n$ over all line-ups does not "
            "exceed $2 \\cdot 10^5$.\n\n\n"
            "-----Output-----\n\n"
            "For each line-up print YES if such a line exists and NO otherwise. You may print each "
            "letter in any case (\"yes\", \"Yes\" and \"YES\" are all accepted).\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ac_mixed),
            ("AC", fence(ref_b)),
            ("WA", wa_empty),
            ("CE", fence(ce_syntax, "Here is a compact solution using the walrus operator:")),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 2  Warmest Week (stdin, EASY, float answer)
# ---------------------------------------------------------------------------------------------
@problem
def warmest_week():
    rng = random.Random("warmest-week")
    tests = [
        "5 2\n1 3 -2 8 4\n",
        "1 1\n-7\n",
        "4 4\n1 2 3 4\n",
        "6 3\n-5 -5 -5 -5 -5 -5\n",
        "5 3\n0 0 0 0 1\n",
        "7 2\n-1 -2 -3 -4 -5 -6 -7\n",
        "3 2\n10000 -10000 9999\n",
    ]
    for n, k in ((30, 7), (2000, 333)):
        a = [rng.randint(-10000, 10000) for _ in range(n)]
        tests.append(f"{n} {k}\n{ints(a)}\n")
    n, k = 100000, 777
    a = [rng.randint(-10000, 10000) for _ in range(n)]
    tests.append(f"{n} {k}\n{ints(a)}\n")

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    t = list(map(int, data[2:2 + n]))
    window = sum(t[:k])
    best = window
    for i in range(k, n):
        window += t[i] - t[i - k]
        if window > best:
            best = window
    print("%.10f" % (best / k))


main()
'''
    ref_b = r'''from itertools import accumulate

n, k = map(int, input().split())
t = list(map(int, input().split()))
p = [0] + list(accumulate(t))
best = max(p[i + k] - p[i] for i in range(n - k + 1))
print(f"{best / k:.7f}")
'''
    ac_repr = r'''n, k = map(int, input().split())
t = list(map(int, input().split()))
s = sum(t[:k])
m = s
for i in range(k, n):
    s += t[i] - t[i - k]
    m = max(m, s)
print(m / k)
'''
    wa_rounded = r'''n, k = map(int, input().split())
t = list(map(int, input().split()))
s = best = sum(t[:k])
for i in range(k, n):
    s += t[i] - t[i - k]
    best = max(best, s)
print("%.2f" % (best / k))
'''
    mle_bytes = r'''import sys

data = sys.stdin.read().split()
n, k = int(data[0]), int(data[1])
# precompute a huge scratch buffer "for speed"
scratch = bytearray(2 * 1024 ** 3)
t = list(map(int, data[2:]))
best = max(sum(t[i:i + k]) for i in range(n - k + 1))
print("%.9f" % (best / k))
'''
    return {
        "name": "Warmest Week",
        "mode": "stdin",
        "difficulty": "EASY",
        "time_limit": "1 second",
        "skills": ["Amortized analysis"],
        "tags": ["Sliding window", "Implementation"],
        "raw_tags": ["implementation", "two pointers"],
        "complexity": "O(n)",
        "aux": "O(1)",
        "date": "2024-03-16",
        "spj": 3,
        "body": (
            "A weather station logged $n$ hourly temperatures $t_1, t_2, \\dots, t_n$ (whole degrees, "
            "possibly negative). For a block length $k$, the station's report shows the highest average "
            "temperature over any $k$ consecutive readings.\n\n"
            "Compute that value.\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ and $k$ ($1 \\le k \\le n \\le 2 \\cdot 10^5$). The second line "
            "contains $n$ integers $t_1, \\dots, t_n$ ($-10^4 \\le t_i \\le 10^4$).\n\n\n"
            "-----Output-----\n\n"
            "Print the maximum average of $k$ consecutive readings. Your answer is accepted if its "
            "absolute or relative error does not exceed $10^{-6}$.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_a)),
            ("AC", ac_repr),
            ("WA", wa_rounded),
            ("MLE", mle_bytes),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 3  Matching Gloves (stdin, EASY)
# ---------------------------------------------------------------------------------------------
@problem
def matching_gloves():
    rng = random.Random("matching-gloves")
    tests = [
        "4 3\n7 7 8 9\n7 9 9\n",
        "1 1\n5\n6\n",
        "1 1\n1000000000\n1000000000\n",
        "5 5\n2 2 2 2 2\n2 2 2 2 2\n",
        "3 6\n1 2 3\n3 3 3 2 2 1\n",
        "6 2\n4 4 4 4 4 4\n4 5\n",
        "2 3\n1 1\n2 2 2\n",
    ]
    for n, m, top in ((12, 9, 6), (3000, 2500, 400)):
        left = [rng.randint(1, top) for _ in range(n)]
        right = [rng.randint(1, top) for _ in range(m)]
        tests.append(f"{n} {m}\n{ints(left)}\n{ints(right)}\n")
    n = m = 60000
    left = [rng.randint(1, 40000) for _ in range(n)]
    right = [rng.randint(1, 40000) for _ in range(m)]
    tests.append(f"{n} {m}\n{ints(left)}\n{ints(right)}\n")

    ref_a = r'''import sys
from collections import Counter


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    left = Counter(data[2:2 + n])
    right = Counter(data[2 + n:2 + n + m])
    print(sum(min(c, right[size]) for size, c in left.items()))


main()
'''
    ref_b = r'''n, m = map(int, input().split())
left = sorted(map(int, input().split()))
right = sorted(map(int, input().split()))
i = j = pairs = 0
while i < n and j < m:
    if left[i] == right[j]:
        pairs += 1
        i += 1
        j += 1
    elif left[i] < right[j]:
        i += 1
    else:
        j += 1
print(pairs)
'''
    wa_set = r'''n, m = map(int, input().split())
left = set(input().split())
right = set(input().split())
print(len(left & right))
'''
    re_index = r'''n, m = map(int, input().split())
L = sorted(map(int, input().split()))
R = sorted(map(int, input().split()))
i = j = 0
ans = 0
while i <= n and j <= m:
    if L[i] == R[j]:
        ans += 1
        i += 1
        j += 1
    elif L[i] < R[j]:
        i += 1
    else:
        j += 1
print(ans)
'''
    tle_sleep = r'''import time
from collections import Counter

n, m = map(int, input().split())
left = Counter(input().split())
right = Counter(input().split())
time.sleep(100)  # wait for the warehouse robot
print(sum((left & right).values()))
'''
    return {
        "name": "Matching Gloves",
        "mode": "stdin",
        "difficulty": "EASY",
        "time_limit": "1 second",
        "skills": ["Sorting", "Data structures"],
        "tags": ["Hashing", "Counting"],
        "raw_tags": ["implementation", "sortings"],
        "complexity": "O(n log n)",
        "aux": "O(n)",
        "date": "2024-03-23",
        "spj": 0,
        "body": (
            "The lost-and-found office keeps a box of left gloves and a box of right gloves. There are "
            "$n$ left gloves with sizes $l_1, \\dots, l_n$ and $m$ right gloves with sizes "
            "$r_1, \\dots, r_m$. A left glove and a right glove form a pair when their sizes are equal, "
            "and each glove can be used in at most one pair.\n\n"
            "What is the largest number of pairs the office can put together?\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ and $m$ ($1 \\le n, m \\le 10^5$). The second line contains the "
            "$n$ sizes of the left gloves, the third line the $m$ sizes of the right gloves. Every size "
            "is an integer between $1$ and $10^9$.\n\n\n"
            "-----Output-----\n\n"
            "Print the maximum number of pairs.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_b, "Sort both boxes and walk through them with two pointers.")),
            ("WA", wa_set),
            ("RE", re_index),
            ("TLE", tle_sleep),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 4  Bracket Repair (stdin, EASY)
# ---------------------------------------------------------------------------------------------
@problem
def bracket_repair():
    rng = random.Random("bracket-repair")
    tests = ["())(\n", "(\n", ")\n", "()\n", ")(\n", "((()))\n", ")))(((\n", "(()))(()\n", "()()()()\n"]
    for n in (25, 400):
        tests.append("".join(rng.choice("()") for _ in range(n)) + "\n")
    depth = 60000
    mid = "".join(rng.choice("()") for _ in range(80000))
    tests.append("(" * depth + mid + ")" * (depth - 7) + "\n")

    ref_a = r'''s = input().strip()
open_count = 0
inserted = 0
for ch in s:
    if ch == "(":
        open_count += 1
    elif open_count:
        open_count -= 1
    else:
        inserted += 1
print(inserted + open_count)
'''
    ref_b = r'''import sys

s = sys.stdin.readline().strip()
stack = []
for ch in s:
    if ch == ")" and stack and stack[-1] == "(":
        stack.pop()
    else:
        stack.append(ch)
# whatever is left is unmatched; each needs one partner
print(len(stack))
'''
    ac_readline = r'''import sys

line = sys.stdin.readline().rstrip("\n")
balance = 0
need = 0
for c in line:
    balance += 1 if c == "(" else -1
    if balance < 0:
        need += 1
        balance = 0
sys.stdout.write(str(need + balance) + "\n")
'''
    wa_diff = r'''s = input()
print(abs(s.count("(") - s.count(")")))
'''
    tle_spin = r'''s = input()
ans = 0
bal = 0
for c in s:
    if c == "(":
        bal += 1
    elif bal > 0:
        bal -= 1
    else:
        ans += 1
while True:
    pass
print(ans + bal)
'''
    return {
        "name": "Bracket Repair",
        "mode": "stdin",
        "difficulty": "EASY",
        "time_limit": "1 second",
        "skills": ["Greedy algorithms"],
        "tags": ["Greedy algorithms", "Strings"],
        "raw_tags": ["greedy", "strings"],
        "complexity": "O(n)",
        "aux": "O(1)",
        "date": "2024-03-30",
        "spj": 0,
        "body": (
            "A typesetting robot printed a line $s$ made only of the characters ( and ), but some "
            "brackets fell off the page. The editor may insert new brackets anywhere in the line (at the "
            "start, at the end, or between any two characters); nothing can be removed.\n\n"
            "What is the smallest number of brackets the editor must insert so that the line becomes a "
            "correct bracket sequence? (For example, (()()) and () are correct, while )(, (() and ) "
            "are not.)\n\n\n"
            "-----Input-----\n\n"
            "One line with the string $s$ ($1 \\le |s| \\le 2 \\cdot 10^5$).\n\n\n"
            "-----Output-----\n\n"
            "Print the minimum number of insertions.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ac_readline),
            ("WA", fence(wa_diff, "The answer is just how many brackets are unmatched overall:")),
            ("TLE", tle_spin),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 5  Snow Depth Report (stdin, MEDIUM)
# ---------------------------------------------------------------------------------------------
@problem
def snow_depth():
    rng = random.Random("snow-depth")
    tests = [
        "7\n10 4 5 90 120 80 120\n",
        "1\n0\n",
        "4\n3 3 3 3\n",
        "5\n9 7 5 3 1\n",
        "5\n1 2 3 4 5\n",
        "6\n5 1 1 5 1 5\n",
        "3\n1000000000 0 1000000000\n",
    ]
    for n, top in ((20, 5), (3000, 1000)):
        tests.append(f"{n}\n{ints(rng.randint(0, top) for _ in range(n))}\n")
    n = 80000
    depth = [i // 2 + rng.randint(0, 3) if rng.random() > 0.001 else rng.randint(0, 100) for i in range(n)]
    tests.append(f"{n}\n{ints(depth)}\n")

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    depth = list(map(int, data[1:1 + n]))
    stack = []  # (value, span) pairs with strictly decreasing values
    out = []
    for d in depth:
        span = 1
        while stack and stack[-1][0] <= d:
            span += stack.pop()[1]
        stack.append((d, span))
        out.append(span)
    print(" ".join(map(str, out)))


main()
'''
    ref_b = r'''n = int(input())
d = list(map(int, input().split()))
span = [0] * n
for i in range(n):
    j = i - 1
    # hop over whole spans that are already known to be <= d[i]
    while j >= 0 and d[j] <= d[i]:
        j -= span[j]
    span[i] = i - j
print(*span)
'''
    wa_strict = r'''n = int(input())
d = list(map(int, input().split()))
st = []
res = []
for i, x in enumerate(d):
    while st and d[st[-1]] < x:
        st.pop()
    res.append(i - st[-1] if st else i + 1)
    st.append(i)
print(*res)
'''
    mle_list = r'''n = int(input())
d = list(map(int, input().split()))
# table of every possible depth value, indexed directly
last_seen = [0] * (10 ** 9 + 1)
out = []
stack = []
for i, x in enumerate(d):
    while stack and d[stack[-1]] <= x:
        stack.pop()
    out.append(i - stack[-1] if stack else i + 1)
    stack.append(i)
print(*out)
'''
    return {
        "name": "Snow Depth Report",
        "mode": "stdin",
        "difficulty": "MEDIUM",
        "time_limit": "2 seconds",
        "skills": ["Data structures", "Amortized analysis"],
        "tags": ["Stack", "Data structures"],
        "raw_tags": ["data structures", "implementation"],
        "complexity": "O(n)",
        "aux": "O(n)",
        "date": "2024-04-06",
        "spj": 0,
        "body": (
            "A mountain hut measures the snow depth every morning; on day $i$ the depth is $d_i$ "
            "centimetres. For its daily report the hut computes the streak of day $i$: the largest "
            "number of consecutive days ending with day $i$ (day $i$ included) on which the depth was "
            "at most $d_i$.\n\n"
            "Print the streak of every day.\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ ($1 \\le n \\le 2 \\cdot 10^5$). The second line contains "
            "$d_1, \\dots, d_n$ ($0 \\le d_i \\le 10^9$).\n\n\n"
            "-----Output-----\n\n"
            "Print $n$ integers separated by spaces: the streaks of days $1, 2, \\dots, n$.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_b)),
            ("WA", wa_strict),
            ("MLE", mle_list),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 6  Zero-Sum Stretches (stdin, MEDIUM)
# ---------------------------------------------------------------------------------------------
@problem
def zero_sum_stretches():
    rng = random.Random("zero-sum-stretches")
    tests = [
        "5\n1 -1 2 -2 0\n",
        "1\n0\n",
        "1\n5\n",
        "4\n0 0 0 0\n",
        "3\n1000000000 -1000000000 1000000000\n",
        "6\n2 -1 -1 3 -3 1\n",
        "5\n1 2 3 4 5\n",
    ]
    for n, top in ((30, 2), (2500, 5)):
        tests.append(f"{n}\n{ints(rng.randint(-top, top) for _ in range(n))}\n")
    n = 200000
    tests.append(f"{n}\n{ints(rng.randint(-3, 3) for _ in range(n))}\n")

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    seen = {0: 1}
    prefix = 0
    total = 0
    for tok in data[1:1 + n]:
        prefix += int(tok)
        c = seen.get(prefix, 0)
        total += c
        seen[prefix] = c + 1
    print(total)


main()
'''
    ref_b = r'''from itertools import accumulate, groupby

n = int(input())
a = list(map(int, input().split()))
prefixes = sorted([0] + list(accumulate(a)))
answer = 0
for _, group in groupby(prefixes):
    c = sum(1 for _ in group)
    answer += c * (c - 1) // 2
print(answer)
'''
    ac_osread = r'''import os

chunks = []
while True:
    chunk = os.read(0, 1 << 25)
    if not chunk:
        break
    chunks.append(chunk)
data = b"".join(chunks).split()
n = int(data[0])
count = {0: 1}
s = 0
res = 0
for x in map(int, data[1:n + 1]):
    s += x
    res += count.get(s, 0)
    count[s] = count.get(s, 0) + 1
print(res)
'''
    wa_no_zero = r'''from collections import defaultdict

n = int(input())
a = list(map(int, input().split()))
freq = defaultdict(int)
s = 0
ans = 0
for x in a:
    s += x
    ans += freq[s]
    freq[s] += 1
print(ans)
'''
    tle_double = r'''n = int(input())
a = list(map(int, input().split()))
ans = 0
for i in range(n):
    s = 0
    for j in range(i, n):
        s += a[j]
        if s == 0:
            ans += 1
print(ans)
'''
    return {
        "name": "Zero-Sum Stretches",
        "mode": "stdin",
        "difficulty": "MEDIUM",
        "time_limit": "2 seconds",
        "skills": ["Data structures"],
        "tags": ["Prefix sums", "Hashing"],
        "raw_tags": ["data structures", "implementation"],
        "complexity": "O(n)",
        "aux": "O(n)",
        "date": "2024-04-13",
        "spj": 0,
        "body": (
            "A shop's cash register records every operation as an integer: deposits are positive, "
            "withdrawals negative, and a zero means the drawer was opened without any change. The "
            "auditors call a stretch of consecutive operations balanced when its total is exactly "
            "zero.\n\n"
            "Given the log of $n$ operations, count the balanced stretches. Stretches are counted by "
            "their position, so equal-looking stretches at different places are counted separately.\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ ($1 \\le n \\le 2 \\cdot 10^5$). The second line contains "
            "$a_1, \\dots, a_n$ ($-10^9 \\le a_i \\le 10^9$).\n\n\n"
            "-----Output-----\n\n"
            "Print the number of pairs $(l, r)$ with $1 \\le l \\le r \\le n$ and "
            "$a_l + a_{l+1} + \\dots + a_r = 0$.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ac_osread),
            ("WA", wa_no_zero),
            ("TLE", tle_double),
            ("AC", fence(ref_b, "Sort the prefix sums and count equal ones:")),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 7  Peak Window (stdin, MEDIUM)
# ---------------------------------------------------------------------------------------------
@problem
def peak_window():
    rng = random.Random("peak-window")
    tests = [
        "7 3\n4 2 12 3 8 9 1\n",
        "1 1\n-5\n",
        "5 5\n3 1 4 1 5\n",
        "5 1\n-1 -2 -3 -4 -5\n",
        "6 2\n7 7 7 7 7 7\n",
        "6 4\n-10 -20 -30 -5 -40 -50\n",
        "4 2\n1000000000 -1000000000 0 999999999\n",
    ]
    for n, k in ((25, 6), (3000, 120)):
        tests.append(f"{n} {k}\n{ints(rng.randint(-100, 100) for _ in range(n))}\n")
    n, k = 80000, 40000
    tests.append(f"{n} {k}\n{ints(rng.randint(0, 999999) for _ in range(n))}\n")

    ref_a = r'''import sys
from collections import deque


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    a = list(map(int, data[2:2 + n]))
    dq = deque()  # indices, values decreasing from front to back
    out = []
    for i, x in enumerate(a):
        while dq and a[dq[-1]] <= x:
            dq.pop()
        dq.append(i)
        if dq[0] <= i - k:
            dq.popleft()
        if i >= k - 1:
            out.append(a[dq[0]])
    print(" ".join(map(str, out)))


main()
'''
    ref_b = r'''n, k = map(int, input().split())
a = list(map(int, input().split()))
# block trick: prefix maxima inside blocks of length k, suffix maxima inside the same blocks
pre = a[:]
suf = a[:]
for i in range(1, n):
    if i % k:
        pre[i] = max(pre[i - 1], a[i])
for i in range(n - 2, -1, -1):
    if (i + 1) % k:
        suf[i] = max(suf[i + 1], a[i])
print(*[max(suf[i], pre[i + k - 1]) for i in range(n - k + 1)])
'''
    re_zero = r'''from collections import deque

n, k = map(int, input().split())
a = list(map(int, input().split()))
windows = n - k + 1
report_every = max(1, windows // (n - k))  # progress granularity
q = deque()
res = []
for i in range(n):
    while q and a[q[-1]] <= a[i]:
        q.pop()
    q.append(i)
    if q[0] == i - k:
        q.popleft()
    if i >= k - 1:
        res.append(a[q[0]])
print(*res)
'''
    wa_off = r'''from collections import deque

n, k = map(int, input().split())
a = list(map(int, input().split()))
q = deque()
res = []
for i in range(n):
    while q and a[q[-1]] < a[i]:
        q.pop()
    q.append(i)
    if q[0] < i - k:
        q.popleft()
    if i >= k - 1:
        res.append(a[q[0]])
print(*res)
'''
    return {
        "name": "Peak Window",
        "mode": "stdin",
        "difficulty": "MEDIUM",
        "time_limit": "2 seconds",
        "skills": ["Data structures", "Amortized analysis"],
        "tags": ["Sliding window", "Deque"],
        "raw_tags": ["data structures", "two pointers"],
        "complexity": "O(n)",
        "aux": "O(k)",
        "date": "2024-04-20",
        "spj": 0,
        "body": (
            "A seismograph stores $n$ amplitude readings $a_1, \\dots, a_n$. The dashboard scrolls a "
            "window of exactly $k$ consecutive readings from left to right, one position at a time, and "
            "displays the largest reading inside the window.\n\n"
            "Print every value the dashboard displays.\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ and $k$ ($1 \\le k \\le n \\le 2 \\cdot 10^5$). The second line "
            "contains $a_1, \\dots, a_n$ ($-10^9 \\le a_i \\le 10^9$).\n\n\n"
            "-----Output-----\n\n"
            "Print $n - k + 1$ integers: the maximum of $a_i, \\dots, a_{i+k-1}$ for "
            "$i = 1, \\dots, n - k + 1$.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_a)),
            ("RE", re_zero),
            ("WA", wa_off),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 8  Lecture Halls (stdin, MEDIUM)
# ---------------------------------------------------------------------------------------------
@problem
def lecture_halls():
    rng = random.Random("lecture-halls")
    tests = [
        "4\n1 5\n2 6\n5 8\n6 9\n",
        "1\n0 1\n",
        "3\n0 1\n1 2\n2 3\n",
        "3\n0 10\n0 10\n0 10\n",
        "4\n0 100\n10 20\n30 40\n15 35\n",
        "2\n0 1000000000\n999999999 1000000000\n",
        "5\n5 6\n4 7\n3 8\n2 9\n1 10\n",
    ]

    def lectures(n, span, longest):
        rows = []
        for _ in range(n):
            s = rng.randint(0, span)
            rows.append(f"{s} {s + rng.randint(1, longest)}")
        return f"{n}\n" + "\n".join(rows) + "\n"

    tests.append(lectures(30, 50, 10))
    tests.append(lectures(4000, 100000, 3000))
    tests.append(lectures(50000, 99000, 3000))

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    events = []
    for i in range(n):
        s = int(data[1 + 2 * i])
        e = int(data[2 + 2 * i])
        events.append((s, 1))
        events.append((e, -1))
    events.sort()  # at equal times the -1 (a lecture ending) comes first
    cur = best = 0
    for _, delta in events:
        cur += delta
        if cur > best:
            best = cur
    print(best)


main()
'''
    ref_b = r'''import heapq
import sys

input = sys.stdin.readline
n = int(input())
talks = sorted(tuple(map(int, input().split())) for _ in range(n))
ends = []  # end times of the halls in use
for s, e in talks:
    if ends and ends[0] <= s:
        heapq.heapreplace(ends, e)
    else:
        heapq.heappush(ends, e)
print(len(ends))
'''
    wa_touch = r'''n = int(input())
ev = []
for _ in range(n):
    s, e = map(int, input().split())
    ev.append((s, 0))
    ev.append((e, 1))
ev.sort()
cur = best = 0
for t, kind in ev:
    if kind == 0:
        cur += 1
        best = max(best, cur)
    else:
        cur -= 1
print(best)
'''
    ce_prose = r'''import heapq

n = int(input())
iv = sorted(tuple(map(int, input().split())) for _ in range(n))
h = []
for s, e in iv:
    if h and h[0] <= s:
        heapq.heappop(h)
    heapq.heappush(h, e)
print(len(h)))
'''
    return {
        "name": "Lecture Halls",
        "mode": "stdin",
        "difficulty": "MEDIUM",
        "time_limit": "2 seconds",
        "skills": ["Sorting", "Greedy algorithms"],
        "tags": ["Sweep line", "Heap"],
        "raw_tags": ["greedy", "sortings"],
        "complexity": "O(n log n)",
        "aux": "O(n)",
        "date": "2024-04-27",
        "spj": 0,
        "body": (
            "A summer school has $n$ lectures. Lecture $i$ occupies a hall during the time interval "
            "$[s_i, e_i)$: it starts at moment $s_i$ and the hall becomes free at moment $e_i$, so a "
            "lecture starting exactly when another one ends may use the same hall.\n\n"
            "What is the smallest number of halls that lets every lecture take place?\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ ($1 \\le n \\le 10^5$). Each of the next $n$ lines contains "
            "$s_i$ and $e_i$ ($0 \\le s_i < e_i \\le 10^9$).\n\n\n"
            "-----Output-----\n\n"
            "Print the minimum number of halls.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ref_b),
            ("WA", wa_touch),
            ("CE", fence(ce_prose, "Sort by start time and keep a min-heap of end times:",
                         "This runs in O(n log n).")),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 9  Castle Courtyard (stdin, MEDIUM)
# ---------------------------------------------------------------------------------------------
@problem
def castle_courtyard():
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

    ref_a = r'''import sys
from collections import deque


def main():
    data = sys.stdin.buffer.read().split()
    r, c = int(data[0]), int(data[1])
    w = c + 2
    # padded, flattened grid: a border of walls removes bounds checks
    cells = bytearray(b"#" * (w * (r + 2)))
    for i in range(r):
        cells[(i + 1) * w + 1:(i + 1) * w + 1 + c] = data[2 + i]
    start = cells.index(b"S")
    target = cells.index(b"T")
    dist = [-1] * len(cells)
    dist[start] = 0
    q = deque([start])
    wall = ord("#")
    while q:
        v = q.popleft()
        if v == target:
            break
        nd = dist[v] + 1
        for u in (v - 1, v + 1, v - w, v + w):
            if dist[u] < 0 and cells[u] != wall:
                dist[u] = nd
                q.append(u)
    print(dist[target])


main()
'''
    ref_b = r'''r, c = map(int, input().split())
grid = [input() for _ in range(r)]
for i in range(r):
    for j in range(c):
        if grid[i][j] == "S":
            start = (i, j)
        elif grid[i][j] == "T":
            goal = (i, j)
seen = {start}
frontier = [start]
steps = 0
answer = -1
while frontier:
    if goal in seen:
        answer = steps
        break
    nxt = []
    for i, j in frontier:
        for a, b in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
            if 0 <= a < r and 0 <= b < c and grid[a][b] != "#" and (a, b) not in seen:
                seen.add((a, b))
                nxt.append((a, b))
    frontier = nxt
    steps += 1
print(answer)
'''
    wa_diag = r'''from collections import deque

r, c = map(int, input().split())
g = [input() for _ in range(r)]
for i in range(r):
    for j in range(c):
        if g[i][j] == "S":
            s = (i, j)
dist = {s: 0}
q = deque([s])
ans = -1
while q:
    i, j = q.popleft()
    if g[i][j] == "T":
        ans = dist[(i, j)]
        break
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            a, b = i + di, j + dj
            if 0 <= a < r and 0 <= b < c and g[a][b] != "#" and (a, b) not in dist:
                dist[(a, b)] = dist[(i, j)] + 1
                q.append((a, b))
print(ans)
'''
    ac_input = r'''from collections import deque

R, C = map(int, input().split())
rows = [input().strip() for _ in range(R)]
flat = "".join(rows)
src, dst = flat.index("S"), flat.index("T")
D = [-1] * (R * C)
D[src] = 0
dq = deque([src])
while dq:
    v = dq.popleft()
    y, x = divmod(v, C)
    for ok, u in ((y > 0, v - C), (y < R - 1, v + C), (x > 0, v - 1), (x < C - 1, v + 1)):
        if ok and D[u] == -1 and flat[u] != "#":
            D[u] = D[v] + 1
            dq.append(u)
print(D[dst])
'''
    return {
        "name": "Castle Courtyard",
        "mode": "stdin",
        "difficulty": "MEDIUM",
        "time_limit": "2 seconds",
        "skills": ["Graph algorithms", "Shortest paths"],
        "tags": ["Breadth-first search", "Graph algorithms", "Shortest paths"],
        "raw_tags": ["graphs", "shortest paths", "dfs and similar"],
        "complexity": "O(r c)",
        "aux": "O(r c)",
        "date": "2024-05-04",
        "spj": 0,
        "body": (
            "The courtyard of a castle is a grid of $r$ rows and $c$ columns. Every cell is either "
            "free (.) or blocked by a hedge (#). A page stands on the cell marked S and has to deliver "
            "a letter to the cell marked T (both are free cells). In one move the page steps to a free "
            "cell sharing a side with the current one.\n\n"
            "Find the minimum number of moves, or report that T cannot be reached.\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $r$ and $c$ ($1 \\le r, c \\le 700$, $r \\cdot c \\ge 2$). Each of the "
            "next $r$ lines contains $c$ characters from the set {., #, S, T}; S and T each appear "
            "exactly once.\n\n\n"
            "-----Output-----\n\n"
            "Print the minimum number of moves, or -1 if the letter cannot be delivered.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ac_input),
            ("WA", fence(wa_diag)),
            ("AC", fence(ref_a, "Breadth-first search on a padded, flattened grid:")),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 10  Pebble Piles (stdin, MEDIUM, case-insensitive)
# ---------------------------------------------------------------------------------------------
@problem
def pebble_piles():
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

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n, k = int(data[pos]), int(data[pos + 1])
        pos += 2
        x = 0
        for tok in data[pos:pos + n]:
            x ^= int(tok) % (k + 1)  # Sprague-Grundy value of one pile
        pos += n
        out.append("Alice" if x else "Bob")
    print("\n".join(out))


main()
'''
    ref_b = r'''from functools import reduce
from operator import xor

for _ in range(int(input())):
    n, k = map(int, input().split())
    piles = map(int, input().split())
    grundy = reduce(xor, (p % (k + 1) for p in piles), 0)
    print("ALICE" if grundy != 0 else "BOB")
'''
    wa_plain_nim = r'''t = int(input())
for _ in range(t):
    n, k = map(int, input().split())
    x = 0
    for p in map(int, input().split()):
        x ^= p
    print("Alice" if x else "Bob")
'''
    ole_flood = r'''while True:
    print("x" * 1000)
'''
    return {
        "name": "Pebble Piles",
        "mode": "stdin",
        "difficulty": "MEDIUM",
        "time_limit": "2 seconds",
        "skills": ["Mathematics"],
        "tags": ["Game theory", "Mathematics"],
        "raw_tags": ["games", "math"],
        "complexity": "O(n)",
        "aux": "O(1)",
        "date": "2024-05-11",
        "spj": 2,
        "body": (
            "Alice and Bob play with $n$ piles of pebbles; pile $i$ holds $a_i$ pebbles. They move in "
            "turns and Alice moves first. A move consists of choosing one non-empty pile and removing "
            "at least $1$ and at most $k$ pebbles from it. The player who cannot move loses.\n\n"
            "Both players play perfectly. Who wins?\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $t$ ($1 \\le t \\le 10^4$), the number of games. Each game is "
            "described by a line with $n$ and $k$ ($1 \\le n \\le 2 \\cdot 10^5$, $1 \\le k \\le 10^9$) and "
            "a line with $a_1, \\dots, a_n$ ($1 \\le a_i \\le 10^9$). The sum of $n$ over all games does "
            "not exceed $2 \\cdot 10^5$.\n\n\n"
            "-----Output-----\n\n"
            "For each game print the winner's name, Alice or Bob. Letter case does not matter.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_b, "Each pile is worth p mod (k + 1); XOR the values (Sprague-Grundy).")),
            ("WA", wa_plain_nim),
            ("OLE", ole_flood),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 11  Signal Relay (stdin, MEDIUM_HARD)
# ---------------------------------------------------------------------------------------------
@problem
def signal_relay():
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

    ref_a = r'''import heapq
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    adj = [[] for _ in range(n + 1)]
    pos = 2
    for _ in range(m):
        u, v, w = int(data[pos]), int(data[pos + 1]), int(data[pos + 2])
        pos += 3
        adj[u].append((v, w))
        adj[v].append((u, w))
    INF = float("inf")
    dist = [INF] * (n + 1)
    dist[1] = 0
    heap = [(0, 1)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        if u == n:
            break
        for v, w in adj[u]:
            nd = d + w
            if nd < dist[v]:
                dist[v] = nd
                heapq.heappush(heap, (nd, v))
    print(dist[n] if dist[n] != INF else -1)


main()
'''
    ref_b = r'''import sys
from heapq import heappop, heappush

input = sys.stdin.readline
n, m = map(int, input().split())
head = [-1] * (n + 1)
nxt = [0] * (2 * m)
to = [0] * (2 * m)
cost = [0] * (2 * m)
for i in range(m):
    u, v, w = map(int, input().split())
    for e, a, b in ((2 * i, u, v), (2 * i + 1, v, u)):
        to[e] = b
        cost[e] = w
        nxt[e] = head[a]
        head[a] = e
done = [False] * (n + 1)
best = {1: 0}
pq = [(0, 1)]
answer = -1
while pq:
    d, u = heappop(pq)
    if done[u]:
        continue
    done[u] = True
    if u == n:
        answer = d
        break
    e = head[u]
    while e != -1:
        v = to[e]
        nd = d + cost[e]
        if not done[v] and nd < best.get(v, nd + 1):
            best[v] = nd
            heappush(pq, (nd, v))
        e = nxt[e]
print(answer)
'''
    tle_quadratic = r'''n, m = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(m):
    u, v, w = map(int, input().split())
    adj[u].append((v, w))
    adj[v].append((u, w))
INF = float("inf")
dist = [INF] * (n + 1)
used = [False] * (n + 1)
dist[1] = 0
for _ in range(n):
    u = -1
    for v in range(1, n + 1):
        if not used[v] and (u == -1 or dist[v] < dist[u]):
            u = v
    if dist[u] == INF:
        break
    used[u] = True
    for v, w in adj[u]:
        if dist[u] + w < dist[v]:
            dist[v] = dist[u] + w
print(dist[n] if dist[n] < INF else -1)
'''
    wa_bfs = r'''from collections import deque

n, m = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(m):
    u, v, w = map(int, input().split())
    adj[u].append((v, w))
    adj[v].append((u, w))
dist = [-1] * (n + 1)
dist[1] = 0
q = deque([1])
while q:
    u = q.popleft()
    for v, w in adj[u]:
        if dist[v] == -1:
            dist[v] = dist[u] + w
            q.append(v)
print(dist[n])
'''
    return {
        "name": "Signal Relay",
        "mode": "stdin",
        "difficulty": "MEDIUM_HARD",
        "time_limit": "2 seconds",
        "skills": ["Graph algorithms", "Shortest paths"],
        "tags": ["Shortest paths", "Dijkstra", "Graph algorithms"],
        "raw_tags": ["graphs", "shortest paths"],
        "complexity": "O(m log n)",
        "aux": "O(n + m)",
        "date": "2024-05-18",
        "spj": 0,
        "body": (
            "A mountain rescue team runs $n$ radio relay stations, numbered $1$ to $n$, connected by "
            "$m$ two-way links. Passing a message along link $i$ between stations $u_i$ and $v_i$ takes "
            "$w_i$ milliseconds. Links may connect a station to itself, and two stations may be "
            "connected by several links.\n\n"
            "Base camp is station $1$ and the summit hut is station $n$. What is the smallest time in "
            "which a message from base camp can reach the summit hut?\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ and $m$ ($1 \\le n \\le 10^5$, $0 \\le m \\le 10^5$). Each of "
            "the next $m$ lines contains $u_i$, $v_i$, $w_i$ ($1 \\le u_i, v_i \\le n$, "
            "$1 \\le w_i \\le 10^4$).\n\n\n"
            "-----Output-----\n\n"
            "Print the minimum time, or -1 if the summit hut cannot be reached. If $n = 1$ the answer "
            "is $0$.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ref_a),
            ("TLE", tle_quadratic),
            ("WA", fence(wa_bfs, "Use BFS from station 1:")),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 12  Stacking Crates (stdin, MEDIUM_HARD)
# ---------------------------------------------------------------------------------------------
@problem
def stacking_crates():
    rng = random.Random("stacking-crates")
    tests = [
        "6\n3 1 4 1 5 9\n",
        "1\n42\n",
        "5\n7 7 7 7 7\n",
        "5\n9 8 7 6 5\n",
        "5\n1 2 3 4 5\n",
        "8\n2 2 3 3 1 4 4 5\n",
        "4\n1000000000 1 999999999 2\n",
    ]
    for n, top in ((30, 20), (3000, 10 ** 9)):
        tests.append(f"{n}\n{ints(rng.randint(1, top) for _ in range(n))}\n")
    n = 60000
    a = sorted(rng.randint(1, 10 ** 9) for _ in range(n))
    for _ in range(n // 3):  # mostly increasing: a long but not trivial answer
        i, j = rng.randrange(n), rng.randrange(n)
        a[i], a[j] = a[j], a[i]
    tests.append(f"{n}\n{ints(a)}\n")

    ref_a = r'''import sys
from bisect import bisect_left


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    tails = []  # tails[L] = smallest possible last weight of an increasing tower of height L + 1
    for w in map(int, data[1:1 + n]):
        i = bisect_left(tails, w)
        if i == len(tails):
            tails.append(w)
        else:
            tails[i] = w
    print(len(tails))


main()
'''
    ref_b = r'''n = int(input())
a = list(map(int, input().split()))
rank = {v: i + 1 for i, v in enumerate(sorted(set(a)))}
size = len(rank)
tree = [0] * (size + 1)  # Fenwick tree of prefix maxima over weight ranks
best = 0
for v in a:
    r = rank[v] - 1  # only strictly lighter crates may sit below
    cur = 0
    while r > 0:
        if tree[r] > cur:
            cur = tree[r]
        r &= r - 1
    cur += 1
    if cur > best:
        best = cur
    r = rank[v]
    while r <= size:
        if tree[r] < cur:
            tree[r] = cur
        r += r & -r
print(best)
'''
    tle_dp = r'''n = int(input())
a = list(map(int, input().split()))
dp = [1] * n
for i in range(n):
    for j in range(i):
        if a[j] < a[i] and dp[j] + 1 > dp[i]:
            dp[i] = dp[j] + 1
print(max(dp))
'''
    wa_nonstrict = r'''from bisect import bisect_right

n = int(input())
a = list(map(int, input().split()))
tails = []
for x in a:
    i = bisect_right(tails, x)
    if i == len(tails):
        tails.append(x)
    else:
        tails[i] = x
print(len(tails))
'''
    return {
        "name": "Stacking Crates",
        "mode": "stdin",
        "difficulty": "MEDIUM_HARD",
        "time_limit": "2 seconds",
        "skills": ["Dynamic programming", "Data structures"],
        "tags": ["Dynamic programming", "Binary search"],
        "raw_tags": ["dp", "binary search", "data structures"],
        "complexity": "O(n log n)",
        "aux": "O(n)",
        "date": "2024-05-25",
        "spj": 0,
        "body": (
            "Crates arrive at a warehouse on a conveyor belt; crate $i$ is $h_i$ centimetres tall. "
            "For the shop window the foreman builds a staircase: he picks some of the crates, keeping "
            "their order of arrival, and every picked crate must be strictly taller than the crate "
            "picked just before it.\n\n"
            "How many crates can the staircase have?\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ ($1 \\le n \\le 2 \\cdot 10^5$). The second line contains "
            "$h_1, \\dots, h_n$ ($1 \\le h_i \\le 10^9$) in order of arrival.\n\n\n"
            "-----Output-----\n\n"
            "Print the largest number of crates in a staircase, i.e. the length of the longest "
            "strictly increasing subsequence of $h$.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_b)),
            ("TLE", tle_dp),
            ("WA", wa_nonstrict),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 13  Out of Order (stdin, MEDIUM_HARD)
# ---------------------------------------------------------------------------------------------
@problem
def out_of_order():
    rng = random.Random("out-of-order")
    tests = [
        "5\n3 1 4 1 5\n",
        "1\n0\n",
        "4\n2 2 2 2\n",
        "5\n5 4 3 2 1\n",
        "5\n-1 -2 -3 -4 -5\n",
        "6\n1 2 3 4 5 6\n",
        "3\n1000000000 -1000000000 0\n",
    ]
    for n, top in ((40, 5), (3000, 10 ** 9)):
        tests.append(f"{n}\n{ints(rng.randint(-top, top) for _ in range(n))}\n")
    n = 80000
    tests.append(f"{n}\n{ints(rng.randint(-999999, 999999) for _ in range(n))}\n")

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = list(map(int, data[1:1 + n]))
    inversions = 0
    width = 1
    while width < n:  # bottom-up merge sort counting cross inversions
        merged = []
        for lo in range(0, n, 2 * width):
            left = a[lo:lo + width]
            right = a[lo + width:lo + 2 * width]
            i = j = 0
            nl, nr = len(left), len(right)
            while i < nl and j < nr:
                if right[j] < left[i]:
                    merged.append(right[j])
                    inversions += nl - i
                    j += 1
                else:
                    merged.append(left[i])
                    i += 1
            merged.extend(left[i:])
            merged.extend(right[j:])
        a = merged
        width *= 2
    print(inversions)


main()
'''
    ref_b = r'''n = int(input())
a = list(map(int, input().split()))
order = {v: i + 1 for i, v in enumerate(sorted(set(a)))}
size = len(order)
bit = [0] * (size + 1)
inv = 0
for seen, v in enumerate(a):
    r = order[v]
    # count earlier values <= v, then the rest of the earlier ones are bigger
    le = 0
    i = r
    while i:
        le += bit[i]
        i &= i - 1
    inv += seen - le
    while r <= size:
        bit[r] += 1
        r += r & -r
print(inv)
'''
    wa_ge = r'''n = int(input())
a = list(map(int, input().split()))


def sort_count(lst):
    if len(lst) <= 1:
        return lst, 0
    mid = len(lst) // 2
    left, x = sort_count(lst[:mid])
    right, y = sort_count(lst[mid:])
    res = []
    c = x + y
    i = j = 0
    while i < len(left) and j < len(right):
        if right[j] <= left[i]:
            res.append(right[j])
            c += len(left) - i
            j += 1
        else:
            res.append(left[i])
            i += 1
    res += left[i:] + right[j:]
    return res, c


print(sort_count(a)[1])
'''
    mle_numpy = r'''import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
a = list(map(int, data[1:n + 1]))
# Fenwick tree indexed directly by value (shifted to be positive); np comes from the preamble
OFFSET = 10 ** 9 + 1
SIZE = 2 * 10 ** 9 + 2
tree = np.full(SIZE + 1, 0, dtype=np.int64)
inv = 0
for seen, v in enumerate(a):
    i = v + OFFSET
    le = 0
    while i > 0:
        le += int(tree[i])
        i -= i & -i
    inv += seen - le
    i = v + OFFSET
    while i <= SIZE:
        tree[i] += 1
        i += i & -i
print(inv)
'''
    return {
        "name": "Out of Order",
        "mode": "stdin",
        "difficulty": "MEDIUM_HARD",
        "time_limit": "2 seconds",
        "skills": ["Sorting", "Data structures"],
        "tags": ["Divide and conquer", "Fenwick tree", "Sorting"],
        "raw_tags": ["data structures", "divide and conquer", "sortings"],
        "complexity": "O(n log n)",
        "aux": "O(n)",
        "date": "2024-06-01",
        "spj": 0,
        "body": (
            "The archive of a town hall stores $n$ folders on one long shelf. Folder $i$ (counting from "
            "the left) carries the number $a_i$. The archivist measures the disorder of the shelf as the "
            "number of pairs of positions $i < j$ with $a_i > a_j$: pairs of folders that stand in the "
            "wrong order. Folders with equal numbers never form such a pair.\n\n"
            "Compute the disorder.\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ ($1 \\le n \\le 10^5$). The second line contains "
            "$a_1, \\dots, a_n$ ($-10^9 \\le a_i \\le 10^9$).\n\n\n"
            "-----Output-----\n\n"
            "Print the number of pairs $i < j$ with $a_i > a_j$.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_a, "Count inversions while merging (bottom-up merge sort):")),
            ("WA", wa_ge),
            ("MLE", mle_numpy),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 14  Gathering Point (stdin, MEDIUM_HARD, float answer)
# ---------------------------------------------------------------------------------------------
@problem
def gathering_point():
    rng = random.Random("gathering-point")

    def walkers(rows):
        return f"{len(rows)}\n" + "".join(f"{x} {v}\n" for x, v in rows)

    tests = [
        "3\n0 1\n10 1\n4 2\n",
        "1\n-7 3\n",
        "4\n5 1\n5 2\n5 3\n5 100\n",
        "2\n-10000 1\n10000 1\n",
        "2\n0 1\n1 2\n",
        "3\n-3 2\n7 5\n1 1\n",
        "5\n0 100\n1 100\n2 100\n3 100\n4 100\n",
    ]
    tests.append(walkers([(rng.randint(-50, 50), rng.randint(1, 5)) for _ in range(12)]))
    tests.append(walkers([(rng.randint(-10000, 10000), rng.randint(1, 100)) for _ in range(2000)]))
    tests.append(walkers([(rng.randint(-10000, 10000), rng.randint(1, 100)) for _ in range(20000)]))

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    xs = list(map(int, data[1:1 + 2 * n:2]))
    vs = list(map(int, data[2:2 + 2 * n:2]))
    pairs = list(zip(xs, vs))

    def feasible(t):
        # everybody can be anywhere in [x - v t, x + v t]; do all these intervals meet?
        return max([x - v * t for x, v in pairs]) <= min([x + v * t for x, v in pairs])

    lo, hi = 0.0, 20000.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if feasible(mid):
            hi = mid
        else:
            lo = mid
    print("%.9f" % hi)


main()
'''
    ref_b = r'''n = int(input())
xs, inv = [], []
for _ in range(n):
    x, v = map(int, input().split())
    xs.append(x)
    inv.append(1.0 / v)
pairs = list(zip(xs, inv))
# g(p) = max_i |x_i - p| / v_i is convex; bisect on p where the walkers coming from the right
# (need (x - p) / v) and from the left (need (p - x) / v) are equally late.
lo, hi = float(min(xs)), float(max(xs))
for _ in range(70):
    p = (lo + hi) / 2
    from_right = max([(x - p) * w for x, w in pairs])
    from_left = max([(p - x) * w for x, w in pairs])
    if from_right > from_left:
        lo = p
    else:
        hi = p
p = (lo + hi) / 2
print("%.12f" % max(abs(x - p) * w for x, w in pairs))
'''
    ac_twelve = r'''import sys

it = iter(sys.stdin.buffer.read().split())
n = int(next(it))
P = [(int(next(it)), int(next(it))) for _ in range(n)]
lo, hi = 0.0, 4e4
while hi - lo > 1e-10:
    t = (lo + hi) / 2
    L = max(x - v * t for x, v in P)
    R = min(x + v * t for x, v in P)
    if L <= R:
        hi = t
    else:
        lo = t
print(f"{hi:.12f}")
'''
    wa_slowest = r'''n = int(input())
ps = [tuple(map(int, input().split())) for _ in range(n)]
xs = [x for x, _ in ps]
slow = min(v for _, v in ps)
print("%.9f" % ((max(xs) - min(xs)) / (2 * slow)))
'''
    ole_debug = r'''n = int(input())
w = [tuple(map(int, input().split())) for _ in range(n)]
lo, hi = 0.0, 20000.0
for it in range(100000):
    mid = (lo + hi) / 2
    print(f"iteration {it}: lo={lo!r} hi={hi!r} " + "#" * 400)
    if max(x - v * mid for x, v in w) <= min(x + v * mid for x, v in w):
        hi = mid
    else:
        lo = mid
print("%.9f" % hi)
'''
    return {
        "name": "Gathering Point",
        "mode": "stdin",
        "difficulty": "MEDIUM_HARD",
        "time_limit": "2 seconds",
        "skills": ["Mathematics", "Greedy algorithms"],
        "tags": ["Binary search", "Ternary search", "Mathematics"],
        "raw_tags": ["binary search", "math", "ternary search"],
        "complexity": "O(n log(1/eps))",
        "aux": "O(n)",
        "date": "2024-06-08",
        "spj": 3,
        "body": (
            "$n$ hikers are spread along a straight trail. Hiker $i$ stands at position $x_i$ and walks "
            "at most $v_i$ metres per minute in either direction; a hiker may also stop and wait. They "
            "want to meet: all of them at the same point of the trail at the same moment.\n\n"
            "What is the earliest moment (in minutes from now) at which they can all be together?\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ ($1 \\le n \\le 2 \\cdot 10^4$). Each of the next $n$ lines "
            "contains $x_i$ and $v_i$ ($-10^4 \\le x_i \\le 10^4$, $1 \\le v_i \\le 100$).\n\n\n"
            "-----Output-----\n\n"
            "Print the earliest meeting time. Answers with absolute or relative error at most "
            "$10^{-6}$ are accepted.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_b)),
            ("AC", ac_twelve),
            ("WA", wa_slowest),
            ("OLE", ole_debug),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 15  Lucky Ladder (stdin, HARD, float answer, probability)
# ---------------------------------------------------------------------------------------------
@problem
def lucky_ladder():
    rng = random.Random("lucky-ladder")
    tests = [
        "3\n1 1 1\n",
        "1\n1\n",
        "1\n6\n",
        "2\n2 1\n",
        "4\n4 4 4 4\n",
        "5\n1 200000 1 200000 1\n",
        "6\n3 1 2 6 1 2\n",
    ]
    for n, top in ((15, 4), (3000, 50)):
        tests.append(f"{n}\n{ints(rng.randint(1, top) for _ in range(n))}\n")
    n = 100000
    faces = [rng.randint(1, 3) if rng.random() < 0.3 else rng.randint(n // 4, 200000) for _ in range(n)]
    tests.append(f"{n}\n{ints(faces)}\n")

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    k = list(map(int, data[1:1 + n]))
    # E[i] = expected rolls from cell i; S[j] = E[j] + E[j + 1] + ... + E[n]; E[n] = 0
    S = [0.0] * (n + 2)
    for i in range(n - 1, -1, -1):
        far = min(i + k[i], n)  # cells i+1..far are reachable; overshooting rolls land on n
        e = 1.0 + (S[i + 1] - S[far + 1]) / k[i]
        S[i] = S[i + 1] + e
    print("%.10f" % (S[0] - S[1]))


main()
'''
    ref_b = r'''n = int(input())
k = list(map(int, input().split()))
# expected number of rolls = sum over cells i < n of P(the token ever stands on i)
diff = [0.0] * (n + 1)
diff[0], diff[1] = 1.0, -1.0  # the token surely stands on cell 0
visit = 0.0
expected = 0.0
for i in range(n):
    visit += diff[i]
    expected += visit
    share = visit / k[i]
    lo, hi = i + 1, min(i + k[i], n - 1)
    if lo <= hi:
        diff[lo] += share
        diff[hi + 1] -= share
print("%.7f" % expected)
'''
    ac_visits = r'''import sys

def solve():
    n = int(sys.stdin.readline())
    k = list(map(int, sys.stdin.readline().split()))
    add = [0.0] * (n + 2)
    add[0] += 1.0
    add[1] -= 1.0
    p = 0.0
    total = 0.0
    for i in range(n):
        p += add[i]
        total += p
        r = min(i + k[i], n - 1)
        if r > i:
            add[i + 1] += p / k[i]
            add[r + 1] -= p / k[i]
    print(round(total, 8))

solve()
'''
    wa_no_clamp = r'''n = int(input())
k = list(map(int, input().split()))
E = [0.0] * (n + 1)
S = [0.0] * (n + 2)
for i in range(n - 1, -1, -1):
    hi = min(i + k[i], n)
    cnt = hi - i  # faces that stay on the board
    E[i] = 1.0 + (S[i + 1] - S[hi + 1]) / cnt
    S[i] = S[i + 1] + E[i]
print("%.10f" % E[0])
'''
    return {
        "name": "Lucky Ladder",
        "mode": "stdin",
        "difficulty": "HARD",
        "time_limit": "2 seconds",
        "skills": ["Dynamic programming", "Probability"],
        "tags": ["Probability", "Expected value", "Dynamic programming", "Prefix sums"],
        "raw_tags": ["dp", "probabilities", "math"],
        "complexity": "O(n)",
        "aux": "O(n)",
        "date": "2024-06-15",
        "spj": 3,
        "body": (
            "A board game track has cells $0, 1, \\dots, n$. A token starts on cell $0$ and the game ends "
            "when it reaches cell $n$. While the token stands on cell $i < n$, the player rolls a fair "
            "die with $k_i$ faces showing $1, 2, \\dots, k_i$ and moves the token forward by the rolled "
            "number; a move that would pass cell $n$ stops exactly on cell $n$.\n\n"
            "What is the expected number of rolls in a game?\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ ($1 \\le n \\le 2 \\cdot 10^5$). The second line contains "
            "$k_0, k_1, \\dots, k_{n-1}$ ($1 \\le k_i \\le 2 \\cdot 10^5$).\n\n\n"
            "-----Output-----\n\n"
            "Print the expected number of rolls. Answers with absolute or relative error at most "
            "$10^{-6}$ are accepted.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ac_visits),
            ("WA", wa_no_clamp),
            ("AC", fence(ref_a)),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 16  Network Cabling (stdin, MEDIUM_HARD)
# ---------------------------------------------------------------------------------------------
@problem
def network_cabling():
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

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    us = data[2:2 + 3 * m:3]
    vs = data[3:3 + 3 * m:3]
    ws = list(map(int, data[4:4 + 3 * m:3]))
    parent = list(range(n + 1))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    total = 0
    joined = 0
    for i in sorted(range(m), key=ws.__getitem__):
        a, b = find(int(us[i])), find(int(vs[i]))
        if a != b:
            parent[a] = b
            total += ws[i]
            joined += 1
            if joined == n - 1:
                break
    print(total if joined == n - 1 else -1)


main()
'''
    ref_b = r'''import heapq
import sys

input = sys.stdin.readline
n, m = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(m):
    u, v, w = map(int, input().split())
    adj[u].append((w, v))
    adj[v].append((w, u))
inside = [False] * (n + 1)
heap = [(0, 1)]
total = 0
count = 0
while heap and count < n:
    w, u = heapq.heappop(heap)
    if inside[u]:
        continue
    inside[u] = True
    total += w
    count += 1
    for edge in adj[u]:
        if not inside[edge[1]]:
            heapq.heappush(heap, edge)
print(total if count == n else -1)
'''
    wa_no_check = r'''n, m = map(int, input().split())
edges = []
for _ in range(m):
    u, v, w = map(int, input().split())
    edges.append((w, u, v))
edges.sort()
par = list(range(n + 1))


def root(x):
    while par[x] != x:
        x = par[x]
    return x


cost = 0
for w, u, v in edges:
    ru, rv = root(u), root(v)
    if ru != rv:
        par[ru] = rv
        cost += w
print(cost)
'''
    mle_grow = r'''import sys

n, m = map(int, sys.stdin.readline().split())
cache = []
while True:
    cache.append(" " * (1 << 20))  # buffer the cable catalogue
'''
    return {
        "name": "Network Cabling",
        "mode": "stdin",
        "difficulty": "MEDIUM_HARD",
        "time_limit": "2 seconds",
        "skills": ["Graph algorithms", "Greedy algorithms", "Data structures"],
        "tags": ["Minimum spanning tree", "Disjoint set union", "Spanning trees"],
        "raw_tags": ["dsu", "graphs", "greedy"],
        "complexity": "O(m log m)",
        "aux": "O(n + m)",
        "date": "2024-06-22",
        "spj": 0,
        "body": (
            "A village has $n$ houses, numbered $1$ to $n$. The council has a price list of $m$ possible "
            "cables: cable $i$ would connect houses $u_i$ and $v_i$ and costs $w_i$ coins. Some offers "
            "connect a house to itself and some pairs of houses appear in several offers.\n\n"
            "The council wants every house to be able to reach every other house through the cables "
            "that are bought. What is the minimum total cost?\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ and $m$ ($1 \\le n \\le 10^5$, $0 \\le m \\le 10^5$). Each of "
            "the next $m$ lines contains $u_i$, $v_i$, $w_i$ ($1 \\le u_i, v_i \\le n$, "
            "$1 \\le w_i \\le 10^6$).\n\n\n"
            "-----Output-----\n\n"
            "Print the minimum total cost, or -1 if the houses cannot all be connected.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_b, "Prim's algorithm with a binary heap:")),
            ("WA", wa_no_check),
            ("MLE", mle_grow),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 17  Family Tree Distances (stdin, HARD)
# ---------------------------------------------------------------------------------------------
@problem
def family_tree():
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

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    adj = [[] for _ in range(n + 1)]
    pos = 2
    for _ in range(n - 1):
        u, v, w = int(data[pos]), int(data[pos + 1]), int(data[pos + 2])
        pos += 3
        adj[u].append((v, w))
        adj[v].append((u, w))
    LOG = max(1, n.bit_length())
    parent = [0] * (n + 1)
    depth = [0] * (n + 1)
    dist = [0] * (n + 1)
    order = [1]
    seen = [False] * (n + 1)
    seen[1] = True
    for u in order:  # BFS order; the list grows while we iterate
        for v, w in adj[u]:
            if not seen[v]:
                seen[v] = True
                parent[v] = u
                depth[v] = depth[u] + 1
                dist[v] = dist[u] + w
                order.append(v)
    parent[1] = 1
    up = [parent]
    for _ in range(LOG - 1):
        prev = up[-1]
        up.append([prev[prev[v]] for v in range(n + 1)])
    out = []
    for _ in range(q):
        u, v = int(data[pos]), int(data[pos + 1])
        pos += 2
        a, b = u, v
        if depth[a] < depth[b]:
            a, b = b, a
        diff = depth[a] - depth[b]
        k = 0
        while diff:
            if diff & 1:
                a = up[k][a]
            diff >>= 1
            k += 1
        if a != b:
            for k in range(LOG - 1, -1, -1):
                if up[k][a] != up[k][b]:
                    a = up[k][a]
                    b = up[k][b]
            a = parent[a]
        out.append(dist[u] + dist[v] - 2 * dist[a])
    sys.stdout.write("\n".join(map(str, out)) + "\n")


main()
'''
    ref_b = r'''import sys

input = sys.stdin.readline
n, q = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(n - 1):
    u, v, w = map(int, input().split())
    adj[u].append((v, w))
    adj[v].append((u, w))
# Euler tour (iterative DFS): LCA(u, v) = shallowest vertex between their first visits
dist = [0] * (n + 1)
depth = [0] * (n + 1)
first = [0] * (n + 1)
euler = []
it = [0] * (n + 1)
stack = [1]
visited = [False] * (n + 1)
visited[1] = True
first[1] = 0
euler.append(1)
while stack:
    u = stack[-1]
    if it[u] < len(adj[u]):
        v, w = adj[u][it[u]]
        it[u] += 1
        if not visited[v]:
            visited[v] = True
            depth[v] = depth[u] + 1
            dist[v] = dist[u] + w
            first[v] = len(euler)
            euler.append(v)
            stack.append(v)
    else:
        stack.pop()
        if stack:
            euler.append(stack[-1])
keys = [depth[v] * (n + 1) + v for v in euler]  # compare by depth, then label
table = [keys]
span = 1
while 2 * span <= len(keys):
    prev = table[-1]
    table.append([min(prev[i], prev[i + span]) for i in range(len(prev) - span)])
    span *= 2
res = []
for _ in range(q):
    u, v = map(int, input().split())
    l, r = first[u], first[v]
    if l > r:
        l, r = r, l
    j = (r - l + 1).bit_length() - 1
    key = min(table[j][l], table[j][r - (1 << j) + 1])
    lca = key % (n + 1)
    res.append(dist[u] + dist[v] - 2 * dist[lca])
print("\n".join(map(str, res)))
'''
    re_recursion = r'''import sys

n, q = map(int, sys.stdin.readline().split())
g = [[] for _ in range(n + 1)]
for _ in range(n - 1):
    u, v, w = map(int, sys.stdin.readline().split())
    g[u].append((v, w))
    g[v].append((u, w))
par = [0] * (n + 1)
dep = [0] * (n + 1)
dist = [0] * (n + 1)


def dfs(u, p):
    for v, w in g[u]:
        if v != p:
            par[v] = u
            dep[v] = dep[u] + 1
            dist[v] = dist[u] + w
            dfs(v, u)


dfs(1, 0)
for _ in range(q):
    a, b = map(int, sys.stdin.readline().split())
    x, y = a, b
    while x != y:
        if dep[x] < dep[y]:
            x, y = y, x
        x = par[x]
    print(dist[a] + dist[b] - 2 * dist[x])
'''
    wa_edges = r'''import sys
from collections import deque

data = sys.stdin.read().split()
n, q = int(data[0]), int(data[1])
adj = [[] for _ in range(n + 1)]
p = 2
for _ in range(n - 1):
    u, v = int(data[p]), int(data[p + 1])
    p += 3
    adj[u].append(v)
    adj[v].append(u)
par = [0] * (n + 1)
dep = [-1] * (n + 1)
dep[1] = 0
dq = deque([1])
while dq:
    u = dq.popleft()
    for v in adj[u]:
        if dep[v] < 0:
            dep[v] = dep[u] + 1
            par[v] = u
            dq.append(v)
out = []
for _ in range(q):
    a, b = int(data[p]), int(data[p + 1])
    p += 2
    x, y = a, b
    while x != y:
        if dep[x] < dep[y]:
            x, y = y, x
        x = par[x]
    out.append(dep[a] + dep[b] - 2 * dep[x])
print("\n".join(map(str, out)))
'''
    return {
        "name": "Family Tree Distances",
        "mode": "stdin",
        "difficulty": "HARD",
        "time_limit": "3 seconds",
        "skills": ["Tree algorithms", "Data structures"],
        "tags": ["Trees", "Lowest common ancestor", "Binary lifting"],
        "raw_tags": ["trees", "data structures", "dfs and similar"],
        "complexity": "O((n + q) log n)",
        "aux": "O(n log n)",
        "date": "2024-06-29",
        "spj": 0,
        "body": (
            "A genealogy society keeps a family tree of $n$ people, numbered $1$ to $n$. The tree has "
            "$n - 1$ links; link $i$ joins persons $u_i$ and $v_i$ and records that they lived "
            "$w_i$ kilometres apart. Any two people are connected by exactly one chain of links, and "
            "the distance between two people is the total length of the links on that chain.\n\n"
            "Answer $q$ questions of the form: how far apart are persons $a$ and $b$?\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ and $q$ ($1 \\le n, q \\le 10^5$). Each of the next $n - 1$ "
            "lines contains $u_i$, $v_i$, $w_i$ ($1 \\le u_i, v_i \\le n$, $1 \\le w_i \\le 10^6$). Each "
            "of the next $q$ lines contains $a$ and $b$ ($1 \\le a, b \\le n$).\n\n\n"
            "-----Output-----\n\n"
            "For each question print the distance on its own line.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_b, "Euler tour plus a sparse table for LCA queries:")),
            ("RE", re_recursion),
            ("WA", wa_edges),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 18  Interview Marathon (stdin, HARD)
# ---------------------------------------------------------------------------------------------
@problem
def interview_marathon():
    rng = random.Random("interview-marathon")

    def offers(rows):
        return f"{len(rows)}\n" + "".join(f"{s} {e} {w}\n" for s, e, w in rows)

    def random_offers(n, span, longest, wmax):
        rows = []
        for _ in range(n):
            s = rng.randint(0, span)
            rows.append((s, s + rng.randint(1, longest), rng.randint(1, wmax)))
        return offers(rows)

    tests = [
        "4\n1 3 5\n2 5 6\n4 6 5\n6 7 4\n",
        "1\n0 1 7\n",
        "3\n0 10 5\n0 10 9\n0 10 9\n",
        "4\n0 1 1\n1 2 1\n2 3 1\n3 4 1\n",
        "3\n0 100 10\n0 50 6\n50 100 6\n",
        "2\n0 1000000000 10000\n1 2 1\n",
        "5\n5 9 3\n1 4 3\n4 5 3\n0 2 2\n9 10 1\n",
    ]
    tests.append(random_offers(15, 30, 8, 20))
    tests.append(random_offers(3000, 100000, 500, 10000))
    tests.append(random_offers(40000, 10 ** 6, 10000, 10000))

    ref_a = r'''import sys
from bisect import bisect_right


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    jobs = sorted(
        (int(data[2 + 3 * i]), int(data[1 + 3 * i]), int(data[3 + 3 * i])) for i in range(n)
    )  # (end, start, pay) sorted by end
    ends = [e for e, _, _ in jobs]
    best = [0] * (n + 1)  # best[i] = best total using only the first i jobs (by end)
    for i, (e, s, w) in enumerate(jobs):
        j = bisect_right(ends, s, 0, i)  # jobs ending no later than s
        take = best[j] + w
        best[i + 1] = take if take > best[i] else best[i]
    print(best[n])


main()
'''
    ref_b = r'''from bisect import bisect_left

n = int(input())
jobs = sorted(tuple(map(int, input().split())) for _ in range(n))  # by start
starts = [s for s, _, _ in jobs]
f = [0] * (n + 1)  # f[i] = best total using only jobs i..n-1 (by start)
for i in range(n - 1, -1, -1):
    s, e, w = jobs[i]
    nxt = bisect_left(starts, e, i + 1)  # first job starting at or after e
    f[i] = max(f[i + 1], w + f[nxt])
print(f[0])
'''
    tle_quadratic = r'''n = int(input())
jobs = [tuple(map(int, input().split())) for _ in range(n)]
jobs.sort(key=lambda t: t[1])
dp = [0] * n
for i in range(n):
    s, e, w = jobs[i]
    best = w
    for j in range(i):
        if jobs[j][1] <= s and dp[j] + w > best:
            best = dp[j] + w
    dp[i] = max(best, dp[i - 1] if i else 0)
print(dp[-1])
'''
    wa_greedy = r'''n = int(input())
jobs = sorted((tuple(map(int, input().split())) for _ in range(n)), key=lambda t: t[1])
last_end = -1
total = 0
for s, e, w in jobs:
    if s >= last_end:
        total += w
        last_end = e
print(total)
'''
    ac_input = r'''import bisect

def main():
    n = int(input())
    items = []
    for _ in range(n):
        s, e, w = map(int, input().split())
        items.append((e, s, w))
    items.sort()
    E = [it[0] for it in items]
    dp = [0]
    for e, s, w in items:
        k = bisect.bisect_right(E, s)
        dp.append(max(dp[-1], dp[k] + w))
    print(dp[-1])

main()
'''
    return {
        "name": "Interview Marathon",
        "mode": "stdin",
        "difficulty": "HARD",
        "time_limit": "2 seconds",
        "skills": ["Dynamic programming", "Sorting"],
        "tags": ["Dynamic programming", "Binary search", "Interval scheduling"],
        "raw_tags": ["dp", "binary search", "sortings"],
        "complexity": "O(n log n)",
        "aux": "O(n)",
        "date": "2024-07-06",
        "spj": 0,
        "body": (
            "A freelance interpreter has $n$ job offers. Offer $i$ occupies the time interval "
            "$[s_i, e_i)$ and pays $w_i$. She can work on only one job at a time, but a job may start "
            "exactly when the previous one ends. Every job is either taken completely or not at all.\n\n"
            "Which largest total payment can she earn?\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ ($1 \\le n \\le 10^5$). Each of the next $n$ lines contains "
            "$s_i$, $e_i$, $w_i$ ($0 \\le s_i < e_i \\le 10^9$, $1 \\le w_i \\le 10^4$).\n\n\n"
            "-----Output-----\n\n"
            "Print the maximum total payment.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ac_input),
            ("TLE", tle_quadratic),
            ("WA", wa_greedy),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 19  Twin Bits (stdin, HARD)
# ---------------------------------------------------------------------------------------------
@problem
def twin_bits():
    rng = random.Random("twin-bits")
    tests = [
        "4\n6 9 17 4\n",
        "2\n0 0\n",
        "2\n7 7\n",
        "3\n7 8 15\n",
        "5\n1 2 4 8 16\n",
        "2\n0 1048575\n",
        "6\n12 12 12 3 3 3\n",
    ]
    for n, top in ((20, 63), (3000, 2 ** 20 - 1)):
        tests.append(f"{n}\n{ints(rng.randint(0, top) for _ in range(n))}\n")
    n = 100000
    # values share their top bits so the answer needs the low bits to be decided correctly
    tests.append(f"{n}\n{ints(rng.randint(0, 2 ** 20 - 1) for _ in range(n))}\n")

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    values = set(map(int, data[1:1 + n]))
    if len(values) == 1:
        print(0)
        return
    answer = 0
    for bit in range(20, -1, -1):
        candidate = answer | (1 << bit)
        prefixes = {v >> bit for v in values}
        want = candidate >> bit
        # is there p, q among the prefixes with p ^ q == want?
        if any((p ^ want) in prefixes for p in prefixes):
            answer = candidate
    print(answer)


main()
'''
    ref_b = r'''n = int(input())
vals = sorted(set(map(int, input().split())))


def cross(xs, ys, bit):
    # largest x ^ y over x in xs, y in ys (both non-empty) looking at bits 0..bit only
    if bit < 0:
        return 0
    mask = 1 << bit
    x0 = [x for x in xs if not x & mask]
    x1 = [x for x in xs if x & mask]
    y0 = [y for y in ys if not y & mask]
    y1 = [y for y in ys if y & mask]
    best = -1
    if x0 and y1:
        best = mask + cross(x0, y1, bit - 1)
    if x1 and y0:
        best = max(best, mask + cross(x1, y0, bit - 1))
    if best >= 0:
        return best
    # every x and every y agree on this bit
    return cross(x0, y0, bit - 1) if x0 else cross(x1, y1, bit - 1)


answer = 0
for bit in range(20, -1, -1):
    high = [v for v in vals if v >> bit & 1]
    low = [v for v in vals if not v >> bit & 1]
    if high and low:  # the highest bit on which the codes disagree
        answer = cross(low, high, bit)
        break
print(answer)
'''
    wa_with_max = r'''n = int(input())
a = list(map(int, input().split()))
m = max(a)
print(max(m ^ x for x in a))
'''
    tle_pairs = r'''n = int(input())
a = list(map(int, input().split()))
best = 0
for i in range(n):
    ai = a[i]
    for j in range(i + 1, n):
        if ai ^ a[j] > best:
            best = ai ^ a[j]
print(best)
'''
    return {
        "name": "Twin Bits",
        "mode": "stdin",
        "difficulty": "HARD",
        "time_limit": "2 seconds",
        "skills": ["Bit manipulation", "Greedy algorithms"],
        "tags": ["Bit manipulation", "Trie", "Greedy algorithms"],
        "raw_tags": ["bitmasks", "greedy", "data structures"],
        "complexity": "O(n log C)",
        "aux": "O(n)",
        "date": "2024-07-13",
        "spj": 0,
        "body": (
            "Two radio beacons interfere most when their frequency codes differ in as many high bits "
            "as possible. A field station has $n$ beacons with codes $a_1, \\dots, a_n$.\n\n"
            "Choose two different beacons $i \\ne j$ (their codes may be equal) so that "
            "$a_i \\oplus a_j$ is as large as possible, where $\\oplus$ is bitwise exclusive or, and print "
            "that value.\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ ($2 \\le n \\le 10^5$). The second line contains "
            "$a_1, \\dots, a_n$ ($0 \\le a_i < 2^{20}$).\n\n\n"
            "-----Output-----\n\n"
            "Print the maximum of $a_i \\oplus a_j$ over $i \\ne j$.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_a)),
            ("WA", wa_with_max),
            ("TLE", tle_pairs),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 20  Museum Visits (stdin, VERY_HARD)
# ---------------------------------------------------------------------------------------------
@problem
def museum_visits():
    rng = random.Random("museum-visits")

    def case(a, queries):
        return (f"{len(a)} {len(queries)}\n{ints(a)}\n"
                + "".join(f"{l} {r}\n" for l, r in queries))

    def random_case(n, q, top, long_ranges=False):
        a = [rng.randint(1, top) for _ in range(n)]
        queries = []
        for _ in range(q):
            if long_ranges:
                l, r = rng.randint(1, n // 3), rng.randint(2 * n // 3, n)
            else:
                l = rng.randint(1, n)
                r = rng.randint(l, n)
            queries.append((l, r))
        return case(a, queries)

    tests = [
        "6 4\n1 2 1 3 2 2\n1 3\n2 5\n4 4\n1 6\n",
        "1 1\n5\n1 1\n",
        "5 3\n7 7 7 7 7\n1 5\n2 3\n5 5\n",
        "5 2\n1 2 3 4 5\n1 5\n2 4\n",
        "4 3\n1000000000 1 1000000000 1\n1 4\n1 3\n2 2\n",
        "7 3\n3 1 3 1 3 1 3\n1 7\n2 2\n3 6\n",
    ]
    tests.append(random_case(12, 15, 4))
    tests.append(random_case(300, 400, 50))
    tests.append(random_case(3000, 3000, 10 ** 9))
    tests.append(random_case(35000, 35000, 20000, long_ranges=True))

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    a = data[2:2 + n]
    by_right = [[] for _ in range(n + 1)]
    pos = 2 + n
    for idx in range(q):
        l, r = int(data[pos]), int(data[pos + 1])
        pos += 2
        by_right[r].append((l, idx))
    # sweep r; only the last occurrence of every code so far is marked in the Fenwick tree
    tree = [0] * (n + 1)
    last = {}
    marked = 0
    ans = [0] * q
    for i in range(1, n + 1):
        v = a[i - 1]
        p = last.get(v)
        if p:
            while p <= n:
                tree[p] -= 1
                p += p & -p
        else:
            marked += 1
        j = i
        while j <= n:
            tree[j] += 1
            j += j & -j
        last[v] = i
        for l, idx in by_right[i]:
            before = 0  # marked positions < l
            j = l - 1
            while j:
                before += tree[j]
                j &= j - 1
            ans[idx] = marked - before
    sys.stdout.write("\n".join(map(str, ans)) + "\n")


main()
'''
    ref_b = r'''import sys

input = sys.stdin.readline
n, q = map(int, input().split())
a = list(map(int, input().split()))
# count i in [l, r] whose previous equal code lies before l
prev = [0] * (n + 1)
seen = {}
release = [[] for _ in range(n + 1)]  # release[p] = positions whose previous occurrence is p
for i in range(1, n + 1):
    p = seen.get(a[i - 1], 0)
    prev[i] = p
    release[p].append(i)
    seen[a[i - 1]] = i
queries = []
for idx in range(q):
    l, r = map(int, input().split())
    queries.append((l, r, idx))
queries.sort()
fen = [0] * (n + 1)


def add(i):
    while i <= n:
        fen[i] += 1
        i += i & -i


def prefix(i):
    s = 0
    while i > 0:
        s += fen[i]
        i -= i & -i
    return s


res = [0] * q
opened = 0  # all positions with prev < opened have been added
for l, r, idx in queries:
    while opened < l:
        for i in release[opened]:
            add(i)
        opened += 1
    res[idx] = prefix(r) - prefix(l - 1)
print("\n".join(map(str, res)))
'''
    wa_adjacent = r'''import sys

data = sys.stdin.read().split()
n, q = int(data[0]), int(data[1])
a = data[2:2 + n]
same = [0] * (n + 1)  # same[i] = number of j <= i with a[j] == a[j - 1]
for i in range(1, n):
    same[i + 1] = same[i] + (a[i] == a[i - 1])
out = []
p = 2 + n
for _ in range(q):
    l, r = int(data[p]), int(data[p + 1])
    p += 2
    out.append(r - l + 1 - (same[r] - same[l]))
print("\n".join(map(str, out)))
'''
    ole_flood = r'''import sys

while True:
    print("x" * 1000)
'''
    return {
        "name": "Museum Visits",
        "mode": "stdin",
        "difficulty": "VERY_HARD",
        "time_limit": "3 seconds",
        "skills": ["Range queries", "Data structures"],
        "tags": ["Offline queries", "Fenwick tree", "Range queries"],
        "raw_tags": ["data structures", "sortings", "offline"],
        "complexity": "O((n + q) log n)",
        "aux": "O(n + q)",
        "date": "2024-07-20",
        "spj": 0,
        "body": (
            "A museum corridor shows $n$ exhibits in a row; exhibit $i$ carries the catalogue code "
            "$a_i$, and replicas of the same object share a code. A guided tour walks along a stretch "
            "of consecutive exhibits $l, l + 1, \\dots, r$.\n\n"
            "For each of $q$ planned tours, how many different objects (different codes) does it "
            "show?\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ and $q$ ($1 \\le n, q \\le 10^5$). The second line contains "
            "$a_1, \\dots, a_n$ ($1 \\le a_i \\le 10^9$). Each of the next $q$ lines contains $l$ and "
            "$r$ ($1 \\le l \\le r \\le n$).\n\n\n"
            "-----Output-----\n\n"
            "For each tour print the number of distinct codes among $a_l, \\dots, a_r$ on its own "
            "line.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_b, "Offline: sort the tours by their left end and use a Fenwick tree.")),
            ("WA", wa_adjacent),
            ("OLE", ole_flood),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 21  Coupon Roads (stdin, VERY_HARD)
# ---------------------------------------------------------------------------------------------
@problem
def coupon_roads():
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

    ref_a = r'''import heapq
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m, K = int(data[0]), int(data[1]), int(data[2])
    adj = [[] for _ in range(n + 1)]
    pos = 3
    for _ in range(m):
        u, v, w = int(data[pos]), int(data[pos + 1]), int(data[pos + 2])
        pos += 3
        adj[u].append((v, w))
        adj[v].append((u, w))
    L = K + 1
    INF = float("inf")
    dist = [INF] * ((n + 1) * L)  # state (city, coupons used) -> v * L + used
    dist[1 * L] = 0
    heap = [(0, 1 * L)]
    while heap:
        d, s = heapq.heappop(heap)
        if d > dist[s]:
            continue
        u, used = divmod(s, L)
        if u == n:
            print(d)
            return
        for v, w in adj[u]:
            t = v * L + used
            nd = d + w
            if nd < dist[t]:
                dist[t] = nd
                heapq.heappush(heap, (nd, t))
            if used < K:
                nd = d + w // 2
                if nd < dist[t + 1]:
                    dist[t + 1] = nd
                    heapq.heappush(heap, (nd, t + 1))
    print(-1)


main()
'''
    ref_b = r'''import heapq
import sys

input = sys.stdin.readline
n, m, K = map(int, input().split())
edges = [tuple(map(int, input().split())) for _ in range(m)]
adj = [[] for _ in range(n + 1)]
for u, v, w in edges:
    adj[u].append((v, w))
    adj[v].append((u, w))
INF = 10 ** 18


def settle(dist):
    # Dijkstra that starts from every city at once with the given tentative costs
    heap = [(d, v) for v, d in enumerate(dist) if d < INF]
    heapq.heapify(heap)
    while heap:
        d, u = heapq.heappop(heap)
        if d != dist[u]:
            continue
        for v, w in adj[u]:
            if d + w < dist[v]:
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    return dist


layer = [INF] * (n + 1)
layer[1] = 0
layer = settle(layer)  # no coupon used
for _ in range(K):  # allow one more coupon: the last coupon is spent on some road (u, v)
    nxt = layer[:]
    for u, v, w in edges:
        if layer[u] + w // 2 < nxt[v]:
            nxt[v] = layer[u] + w // 2
        if layer[v] + w // 2 < nxt[u]:
            nxt[u] = layer[v] + w // 2
    layer = settle(nxt)
print(layer[n] if layer[n] < INF else -1)
'''
    wa_greedy = r'''import heapq

n, m, K = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(m):
    u, v, w = map(int, input().split())
    adj[u].append((v, w))
    adj[v].append((u, w))
INF = float("inf")
dist = [INF] * (n + 1)
how = [None] * (n + 1)
dist[1] = 0
pq = [(0, 1)]
while pq:
    d, u = heapq.heappop(pq)
    if d > dist[u]:
        continue
    for v, w in adj[u]:
        if d + w < dist[v]:
            dist[v] = d + w
            how[v] = (u, w)
            heapq.heappush(pq, (d + w, v))
if dist[n] == INF:
    print(-1)
else:
    path = []
    v = n
    while v != 1:
        u, w = how[v]
        path.append(w)
        v = u
    path.sort(reverse=True)
    saved = sum(w // 2 for w in path[:K])
    print(dist[n] - saved)
'''
    ce_syntax = r'''import heapq
n, m, K = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(m):
    u, v, w = map(int, input().split())
    adj[u].append((v, w)); adj[v].append((u, w))
dist = {(1, 0): 0}
pq = [(0, 1, 0)]
while pq:
    d, u, c = heapq.heappop(pq)
    if u == n: print(d); break
    for v, w in adj[u]:
        for nc, nd in ((c, d + w), (c + 1, d + w // 2)) if c < K else ((c, d + w),):
            if nd < dist.get((v, nc), float("inf"):
                dist[(v, nc)] = nd
                heapq.heappush(pq, (nd, v, nc))
else:
    print(-1)
'''
    return {
        "name": "Coupon Roads",
        "mode": "stdin",
        "difficulty": "VERY_HARD",
        "time_limit": "3 seconds",
        "skills": ["Graph algorithms", "Shortest paths"],
        "tags": ["Shortest paths", "Dijkstra", "State graphs"],
        "raw_tags": ["graphs", "shortest paths", "dp"],
        "complexity": "O(K m log(K n))",
        "aux": "O(K n + m)",
        "date": "2024-07-27",
        "spj": 0,
        "body": (
            "A courier must drive from city $1$ to city $n$. The $m$ roads between cities are two-way "
            "toll roads; road $i$ joins cities $u_i$ and $v_i$ and its toll $w_i$ is an even number. The "
            "courier owns $K$ discount coupons. Each coupon can be used on one passage over a road and "
            "halves that passage's toll; at most one coupon can be used per passage. A road may join a "
            "city to itself, and several roads may join the same two cities.\n\n"
            "What is the minimum total toll of the trip?\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$, $m$, $K$ ($1 \\le n \\le 5 \\cdot 10^4$, "
            "$0 \\le m \\le 10^5$, $0 \\le K \\le 5$). Each of the next $m$ lines contains $u_i$, $v_i$, "
            "$w_i$ ($1 \\le u_i, v_i \\le n$, $2 \\le w_i \\le 2 \\cdot 10^4$, $w_i$ even).\n\n\n"
            "-----Output-----\n\n"
            "Print the minimum total toll, or -1 if city $n$ cannot be reached. If $n = 1$ the answer "
            "is $0$.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ref_a),
            ("WA", wa_greedy),
            ("CE", ce_syntax),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 22  Subtree Climbers (stdin, VERY_HARD)
# ---------------------------------------------------------------------------------------------
@problem
def subtree_climbers():
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

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    parent = [0, 0] + [int(x) for x in data[1:n]]
    value = [0] + [int(x) for x in data[n:2 * n]]
    children = [[] for _ in range(n + 1)]
    for v in range(2, n + 1):
        children[parent[v]].append(v)
    tin = [0] * (n + 1)
    tout = [0] * (n + 1)
    timer = 0
    stack = [(1, False)]
    while stack:  # iterative DFS assigning entry/exit times
        v, leaving = stack.pop()
        if leaving:
            tout[v] = timer
            continue
        timer += 1
        tin[v] = timer
        stack.append((v, True))
        for c in children[v]:
            stack.append((c, False))
    tree = [0] * (n + 1)
    answer = [0] * (n + 1)
    order = sorted(range(1, n + 1), key=lambda v: -value[v])
    i = 0
    while i < n:
        j = i
        while j < n and value[order[j]] == value[order[i]]:
            j += 1
        for v in order[i:j]:  # only strictly larger values are in the tree yet
            s = 0
            k = tout[v]
            while k:
                s += tree[k]
                k &= k - 1
            k = tin[v] - 1
            while k:
                s -= tree[k]
                k &= k - 1
            answer[v] = s
        for v in order[i:j]:
            k = tin[v]
            while k <= n:
                tree[k] += 1
                k += k & -k
        i = j
    sys.stdout.write(" ".join(map(str, answer[1:])) + "\n")


main()
'''
    ref_b = r'''import sys

input = sys.stdin.readline
n = int(input())
par_line = input().split()
val = [0] + list(map(int, input().split()))
kids = [[] for _ in range(n + 1)]
for i, p in enumerate(par_line, start=2):
    kids[int(p)].append(i)
ranks = sorted(set(val[1:]))
rank = {v: i + 1 for i, v in enumerate(ranks)}
m = len(ranks)
fen = [0] * (m + 1)
inserted = 0


def count_greater(v):
    r = rank[v]
    s = 0
    while r:
        s += fen[r]
        r &= r - 1
    return inserted - s


res = [0] * (n + 1)
# answer = (#larger values seen when leaving v) - (#larger values seen when entering v)
stack = [(1, 0)]
while stack:
    v, state = stack.pop()
    if state == 0:
        res[v] = -count_greater(val[v])
        r = rank[val[v]]
        while r <= m:
            fen[r] += 1
            r += r & -r
        inserted += 1
        stack.append((v, 1))
        for c in kids[v]:
            stack.append((c, 0))
    else:
        res[v] += count_greater(val[v])
print(*res[1:])
'''
    wa_ge = r'''import sys

data = sys.stdin.read().split()
n = int(data[0])
par = [0, 0] + list(map(int, data[1:n]))
val = [0] + list(map(int, data[n:2 * n]))
kids = [[] for _ in range(n + 1)]
for v in range(2, n + 1):
    kids[par[v]].append(v)
res = [0] * (n + 1)
for v in range(1, n + 1):
    st = [v]
    c = 0
    while st:
        u = st.pop()
        if val[u] >= val[v]:
            c += 1
        st.extend(kids[u])
    res[v] = c
print(*res[1:])
'''
    re_recursion = r'''import sys
from bisect import bisect_right, insort

n = int(sys.stdin.readline())
par = [0, 0] + list(map(int, sys.stdin.readline().split()))
val = [0] + list(map(int, sys.stdin.readline().split()))
kids = [[] for _ in range(n + 1)]
for v in range(2, n + 1):
    kids[par[v]].append(v)
ans = [0] * (n + 1)


def collect(v):
    # returns the sorted values of v's subtree (small-to-large merging)
    best = []
    for c in kids[v]:
        sub = collect(c)
        if len(sub) > len(best):
            best, sub = sub, best
        for x in sub:
            insort(best, x)
    ans[v] = len(best) - bisect_right(best, val[v])
    insort(best, val[v])
    return best


collect(1)
print(*ans[1:])
'''
    return {
        "name": "Subtree Climbers",
        "mode": "stdin",
        "difficulty": "VERY_HARD",
        "time_limit": "3 seconds",
        "skills": ["Tree algorithms", "Data structures", "Range queries"],
        "tags": ["Trees", "Euler tour", "Fenwick tree", "Offline queries"],
        "raw_tags": ["trees", "data structures", "dfs and similar"],
        "complexity": "O(n log n)",
        "aux": "O(n)",
        "date": "2024-08-03",
        "spj": 0,
        "body": (
            "A climbing club is organised as a rooted tree: member $1$ is the founder, and every other "
            "member $i$ was recruited by member $p_i$. The members recruited by $i$, the members they "
            "recruited, and so on, form the followers of $i$ (a member is not a follower of "
            "themselves). Member $i$ has climbed a highest peak of $h_i$ metres.\n\n"
            "For every member, count the followers who climbed strictly higher than the member.\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ ($1 \\le n \\le 10^5$). The second line contains "
            "$p_2, p_3, \\dots, p_n$ ($1 \\le p_i \\le n$); the recruitment relation forms a tree rooted "
            "at member $1$ (the line is empty when $n = 1$). The third line contains "
            "$h_1, \\dots, h_n$ ($1 \\le h_i \\le 10^9$).\n\n\n"
            "-----Output-----\n\n"
            "Print $n$ integers: the answers for members $1, 2, \\dots, n$.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_a)),
            ("WA", wa_ge),
            ("RE", re_recursion),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 23  Overlapping Echoes (stdin, MEDIUM_HARD)
# ---------------------------------------------------------------------------------------------
@problem
def overlapping_echoes():
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

    ref_a = r'''import sys


def main():
    text = sys.stdin.readline().strip()
    pat = sys.stdin.readline().strip()
    m = len(pat)
    # Knuth-Morris-Pratt failure function of the pattern
    fail = [0] * m
    k = 0
    for i in range(1, m):
        while k and pat[i] != pat[k]:
            k = fail[k - 1]
        if pat[i] == pat[k]:
            k += 1
        fail[i] = k
    count = 0
    k = 0
    for ch in text:
        while k and ch != pat[k]:
            k = fail[k - 1]
        if ch == pat[k]:
            k += 1
            if k == m:
                count += 1
                k = fail[k - 1]
    print(count)


main()
'''
    ref_b = r'''text = input().strip()
pat = input().strip()
s = pat + "\x00" + text
n = len(s)
m = len(pat)
z = [0] * n  # Z-function: z[i] = longest common prefix of s and s[i:]
l = r = 0
hits = 0
for i in range(1, n):
    if i < r:
        z[i] = min(r - i, z[i - l])
    while i + z[i] < n and s[z[i]] == s[i + z[i]]:
        z[i] += 1
    if i + z[i] > r:
        l, r = i, i + z[i]
    if z[i] == m:
        hits += 1
print(hits)
'''
    wa_count = r'''text = input()
pat = input()
print(text.count(pat))
'''
    ole_flood = r'''while True:
    print("x" * 1000)
'''
    return {
        "name": "Overlapping Echoes",
        "mode": "stdin",
        "difficulty": "MEDIUM_HARD",
        "time_limit": "2 seconds",
        "skills": ["Data structures"],
        "tags": ["String algorithms", "KMP", "Z-function"],
        "raw_tags": ["strings", "string suffix structures"],
        "complexity": "O(|t| + |p|)",
        "aux": "O(|t| + |p|)",
        "date": "2024-08-10",
        "spj": 0,
        "body": (
            "In a cave the explorers recorded a long sound pattern as a string $t$ of lowercase "
            "letters. They want to know how often a motif $p$ echoes in it. Echoes may overlap: "
            "in the recording aaaa the motif aa echoes three times.\n\n"
            "Count the positions $i$ such that $p$ occurs in $t$ starting at position $i$.\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $t$ and the second line contains $p$ "
            "($1 \\le |t|, |p| \\le 2 \\cdot 10^5$; both consist of lowercase English letters).\n\n\n"
            "-----Output-----\n\n"
            "Print the number of occurrences of $p$ in $t$, overlapping ones included.\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_b, "Z-function on pattern + separator + text:")),
            ("WA", wa_count),
            ("OLE", ole_flood),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 24  Club Rivalries (stdin, MEDIUM_HARD, case-insensitive)
# ---------------------------------------------------------------------------------------------
@problem
def club_rivalries():
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

    ref_a = r'''import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    adj = [[] for _ in range(n + 1)]
    for i in range(m):
        u, v = int(data[2 + 2 * i]), int(data[3 + 2 * i])
        adj[u].append(v)
        adj[v].append(u)
    color = [-1] * (n + 1)
    for s in range(1, n + 1):
        if color[s] != -1:
            continue
        color[s] = 0
        queue = [s]
        for u in queue:  # BFS; the list grows while we walk it
            cu = color[u]
            for v in adj[u]:
                if color[v] == -1:
                    color[v] = cu ^ 1
                    queue.append(v)
                elif color[v] == cu:
                    print("NO")
                    return
    print("YES")


main()
'''
    ref_b = r'''import sys

input = sys.stdin.readline
n, m = map(int, input().split())
parent = list(range(n + 1))
parity = [0] * (n + 1)  # parity of the path to the parent


def find(x):
    path = []
    while parent[x] != x:
        path.append(x)
        x = parent[x]
    # compress, fixing parities from the top down
    acc = 0
    for y in reversed(path):
        acc ^= parity[y]
        parity[y] = acc
        parent[y] = x
    return x


ok = True
for _ in range(m):
    u, v = map(int, input().split())
    ru, rv = find(u), find(v)
    if ru == rv:
        if parity[u] == parity[v]:
            ok = False
            break
    else:
        parent[ru] = rv
        parity[ru] = parity[u] ^ parity[v] ^ 1
print("Yes" if ok else "No")
'''
    re_recursion = r'''import sys

n, m = map(int, sys.stdin.readline().split())
g = [[] for _ in range(n + 1)]
for _ in range(m):
    u, v = map(int, sys.stdin.readline().split())
    g[u].append(v)
    g[v].append(u)
col = [0] * (n + 1)


def paint(u, c):
    col[u] = c
    for v in g[u]:
        if col[v] == c:
            return False
        if col[v] == 0 and not paint(v, -c):
            return False
    return True


ok = all(col[v] or paint(v, 1) for v in range(1, n + 1))
print("YES" if ok else "NO")
'''
    ac_lower = r'''from collections import deque
import sys

def main():
    it = iter(sys.stdin.read().split())
    n = int(next(it)); m = int(next(it))
    g = [[] for _ in range(n + 1)]
    for _ in range(m):
        a = int(next(it)); b = int(next(it))
        g[a].append(b); g[b].append(a)
    side = [0] * (n + 1)
    for s in range(1, n + 1):
        if side[s]:
            continue
        side[s] = 1
        dq = deque([s])
        while dq:
            u = dq.popleft()
            for v in g[u]:
                if not side[v]:
                    side[v] = -side[u]
                    dq.append(v)
                elif side[v] == side[u]:
                    return "no"
    return "yes"

print(main())
'''
    wa_parity = r'''n, m = map(int, input().split())
deg = [0] * (n + 1)
for _ in range(m):
    u, v = map(int, input().split())
    deg[u] += 1
    deg[v] += 1
# a graph with an odd cycle must have an odd number of rivalries
print("NO" if m % 2 == 1 else "YES")
'''
    return {
        "name": "Club Rivalries",
        "mode": "stdin",
        "difficulty": "MEDIUM_HARD",
        "time_limit": "2 seconds",
        "skills": ["Graph algorithms"],
        "tags": ["Bipartite graphs", "Breadth-first search", "Disjoint set union"],
        "raw_tags": ["graphs", "dfs and similar", "dsu"],
        "complexity": "O(n + m)",
        "aux": "O(n + m)",
        "date": "2024-08-17",
        "spj": 2,
        "body": (
            "A chess club with $n$ members, numbered $1$ to $n$, is splitting into two teams for a "
            "friendly match. The secretary has a list of $m$ rivalries: members $u_i$ and $v_i$ refuse "
            "to play on the same team. A pair of members may appear in the list several times.\n\n"
            "Can the club be split into two teams (one team may be empty) so that no two rivals end up "
            "on the same team?\n\n\n"
            "-----Input-----\n\n"
            "The first line contains $n$ and $m$ ($1 \\le n \\le 10^5$, $0 \\le m \\le 10^5$). Each of "
            "the next $m$ lines contains $u_i$ and $v_i$ ($1 \\le u_i, v_i \\le n$, "
            "$u_i \\ne v_i$).\n\n\n"
            "-----Output-----\n\n"
            "Print YES if such a split exists and NO otherwise (in any letter case).\n\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ac_lower),
            ("RE", re_recursion),
            ("WA", wa_parity),
            ("AC", fence(ref_b, "Union-find with parity bits:")),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 25  Count Peaks (call-based, LeetCode style, EASY)
# ---------------------------------------------------------------------------------------------
@problem
def count_peaks():
    rng = random.Random("count-peaks")
    tests = [
        [[1, 3, 2, 4, 1]],
        [[5]],
        [[2, 2]],
        [[1, 2]],
        [[3, 3, 3]],
        [[-1, -5, -1]],
        [[0, 0, 1, 0, 0]],
        [[1000000000, -1000000000, 1000000000, -1000000000]],
        [[rng.randint(0, 5) for _ in range(30)]],
        [[rng.randint(-1000, 1000) for _ in range(3000)]],
        [[rng.randint(0, 99999) for _ in range(100000)]],
    ]
    ref_a = r'''from typing import List


class Solution:
    def countPeaks(self, heights: List[int]) -> int:
        n = len(heights)
        peaks = 0
        for i, h in enumerate(heights):
            if (i == 0 or h > heights[i - 1]) and (i == n - 1 or h > heights[i + 1]):
                peaks += 1
        return peaks
'''
    ref_b = r'''class Solution:
    def countPeaks(self, heights):
        low = float("-inf")
        padded = [low] + list(heights) + [low]
        return sum(1 for a, b, c in zip(padded, padded[1:], padded[2:]) if a < b > c)
'''
    ac_preamble = r'''class Solution:
    def countPeaks(self, heights: List[int]) -> int:
        # List comes from the judge's preamble
        result = 0
        last = len(heights) - 1
        for i in range(len(heights)):
            left_ok = i == 0 or heights[i] > heights[i - 1]
            right_ok = i == last or heights[i] > heights[i + 1]
            result += left_ok and right_ok
        return result
'''
    wa_ge = r'''class Solution:
    def countPeaks(self, heights):
        n = len(heights)
        c = 0
        for i in range(n):
            l = heights[i - 1] if i > 0 else float("-inf")
            r = heights[i + 1] if i < n - 1 else float("-inf")
            if heights[i] >= l and heights[i] >= r:
                c += 1
        return c
'''
    re_index = r'''class Solution:
    def countPeaks(self, heights):
        count = 0
        for i in range(len(heights)):
            left = heights[i - 1] if i > 0 else float("-inf")
            right = heights[i + 1]
            if heights[i] > left and heights[i] > right:
                count += 1
        return count
'''
    return {
        "name": "Count Peaks",
        "mode": "call",
        "fn_name": "countPeaks",
        "starter": "class Solution:\n    def countPeaks(self, heights: List[int]) -> int:\n",
        "call_repr": "Solution().countPeaks",
        "difficulty": "EASY",
        "time_limit": "1 second",
        "skills": ["Complete search"],
        "tags": ["Arrays", "Implementation"],
        "raw_tags": ["Array"],
        "complexity": "O(n)",
        "aux": "O(1)",
        "date": "2024-08-24",
        "spj": 0,
        "body": (
            "A hiking map lists the heights of $n$ points along a ridge, from west to east, in the "
            "list heights. A point is a peak when it is strictly higher than each of its neighbours "
            "that exist: the first and last points have only one neighbour, and a ridge with a single "
            "point has one peak.\n\n"
            "Return the number of peaks.\n\n"
            "Constraints: $1 \\le n \\le 2 \\cdot 10^5$, $-10^9 \\le heights[i] \\le 10^9$.\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ac_preamble),
            ("WA", wa_ge),
            ("RE", fence(re_index)),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 26  Longest Run (call-based, codewars style, EASY)
# ---------------------------------------------------------------------------------------------
@problem
def longest_run():
    rng = random.Random("longest-run")

    def runs(n, alphabet, max_run):
        out = []
        while len(out) < n:
            out.extend(rng.choice(alphabet) * rng.randint(1, max_run))
        return "".join(out[:n])

    tests = [
        ["aabbbcc"],
        [""],
        ["z"],
        ["abab"],
        ["xxxyyy"],
        ["  ab"],
        ["Aaa"],
        [runs(40, "xy", 4)],
        [runs(3000, "abc", 20)],
        [runs(200000, "ab", 40)],
    ]
    ref_a = r'''def longest_run(s):
    best_char, best_len = "", 0
    i = 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        if j - i > best_len:
            best_char, best_len = s[i], j - i
        i = j
    return [best_char, best_len]
'''
    ref_b = r'''from itertools import groupby


def longest_run(s):
    best = ["", 0]
    for ch, grp in groupby(s):
        size = sum(1 for _ in grp)
        if size > best[1]:
            best = [ch, size]
    return best
'''
    ac_tuple = r'''def longest_run(s):
    if not s:
        return ("", 0)
    best = (s[0], 1)
    cur = 1
    for a, b in zip(s, s[1:]):
        cur = cur + 1 if a == b else 1
        if cur > best[1]:
            best = (b, cur)
    return best
'''
    ce_missing = r'''def longestRun(s):
    best, length, run = "", 0, 0
    for i, ch in enumerate(s):
        run = run + 1 if i and s[i - 1] == ch else 1
        if run > length:
            best, length = ch, run
    return [best, length]
'''
    return {
        "name": "Longest Run",
        "mode": "call",
        "fn_name": "longest_run",
        "starter": "def longest_run(s):\n",
        "call_repr": "longest_run",
        "difficulty": "EASY",
        "time_limit": "1 second",
        "skills": ["Complete search"],
        "tags": ["Strings", "Implementation"],
        "raw_tags": ["Fundamentals", "Strings"],
        "complexity": "O(n)",
        "aux": "O(1)",
        "date": "2024-08-31",
        "spj": 0,
        "body": (
            "A telegraph operator wants to know the longest burst of identical characters in a "
            "message.\n\n"
            "Write a function longest_run(s) that returns a list [character, length] describing the "
            "longest block of consecutive equal characters in the string s. If several blocks are "
            "equally long, report the one that starts first. Characters are compared exactly "
            "(\"A\" and \"a\" differ; spaces count). For the empty string return [\"\", 0].\n\n"
            "The string has at most $2 \\cdot 10^5$ characters.\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_b)),
            ("CE", ce_missing),
            ("AC", ac_tuple),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 27  Second Largest (call-based, codewars style, EASY)
# ---------------------------------------------------------------------------------------------
@problem
def second_largest():
    rng = random.Random("second-largest")
    tests = [
        [[3, 1, 4, 1, 5]],
        [[5, 5, 3]],
        [[7]],
        [[2, 2, 2]],
        [[-1, -2]],
        [[]],
        [[0, -1, 0, -1]],
        [[1000000000, -1000000000]],
        [[rng.randint(-20, 20) for _ in range(25)]],
        [[rng.randint(-10 ** 9, 10 ** 9) for _ in range(3000)]],
        [[rng.randint(-10 ** 5, 10 ** 5) for _ in range(70000)]],
    ]
    ref_a = r'''def second_largest(nums):
    first = second = None
    for x in nums:
        if first is None or x > first:
            first, second = x, first
        elif x != first and (second is None or x > second):
            second = x
    return second
'''
    ref_b = r'''def second_largest(nums):
    distinct = sorted(set(nums), reverse=True)
    return distinct[1] if len(distinct) >= 2 else None
'''
    wa_sorted = r'''def second_largest(nums):
    s = sorted(nums)
    return s[-2] if len(s) >= 2 else None
'''
    tle_sleep = r'''import time


def second_largest(nums):
    time.sleep(100)
    values = sorted(set(nums))
    return values[-2] if len(values) > 1 else None
'''
    ac_heap = r'''import heapq


def second_largest(nums):
    top = heapq.nlargest(2, set(nums))
    return top[1] if len(top) == 2 else None
'''
    return {
        "name": "Second Largest",
        "mode": "call",
        "fn_name": "second_largest",
        "starter": "def second_largest(nums):\n",
        "call_repr": "second_largest",
        "difficulty": "EASY",
        "time_limit": "1 second",
        "skills": ["Sorting"],
        "tags": ["Arrays", "Implementation"],
        "raw_tags": ["Fundamentals", "Arrays"],
        "complexity": "O(n)",
        "aux": "O(1)",
        "date": "2024-09-07",
        "spj": 0,
        "body": (
            "The runner-up of a contest is the second best distinct score: if the best score was "
            "reached by several people, the runner-up score is the next lower one.\n\n"
            "Write a function second_largest(nums) that returns the second largest distinct value of "
            "the list nums, or None when the list has fewer than two distinct values (this includes "
            "the empty list).\n\n"
            "The list has at most $2 \\cdot 10^5$ integers, each between $-10^9$ and $10^9$.\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ac_heap),
            ("WA", wa_sorted),
            ("TLE", tle_sleep),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 28  Dance Pairs (call-based, LeetCode style, MEDIUM)
# ---------------------------------------------------------------------------------------------
@problem
def dance_pairs():
    rng = random.Random("dance-pairs")
    tests = [
        [[1, 5, 3, 9, 7], 2],
        [[4], 0],
        [[2, 2, 2], 0],
        [[1, 2, 3, 4], 1],
        [[10, 1], 100],
        [[-5, -3, -1], 1],
        [[1, 2, 3], 1],
        [[5, 4, 6, 1, 2, 9, 8], 0],
        [[rng.randint(1, 40) for _ in range(30)], 2],
        [[rng.randint(-10 ** 6, 10 ** 6) for _ in range(3000)], 500],
        [[rng.randint(-10 ** 6, 10 ** 6) for _ in range(70000)], 15],
    ]
    ref_a = r'''from typing import List


class Solution:
    def maxDancePairs(self, heights: List[int], d: int) -> int:
        h = sorted(heights)
        pairs = 0
        i = 0
        while i + 1 < len(h):
            if h[i + 1] - h[i] <= d:
                pairs += 1
                i += 2
            else:
                i += 1
        return pairs
'''
    ref_b = r'''class Solution:
    def maxDancePairs(self, heights, d):
        h = sorted(heights)
        # best[i] = most pairs among the i shortest dancers
        best = [0] * (len(h) + 1)
        for i in range(2, len(h) + 1):
            best[i] = best[i - 1]
            if h[i - 1] - h[i - 2] <= d and best[i - 2] + 1 > best[i]:
                best[i] = best[i - 2] + 1
        return best[len(h)]
'''
    wa_overlap = r'''class Solution:
    def maxDancePairs(self, heights: List[int], d: int) -> int:
        h = sorted(heights)
        return sum(1 for a, b in zip(h, h[1:]) if b - a <= d)
'''
    ce_syntax = r'''class Solution:
    def maxDancePairs(self, heights: List[int], d: int) -> int:
        h = sorted(heights)
        count = i = 0
        while i < len(h) - 1:
            if h[i + 1] - h[i] <= d:
                count += 1; i += 2
            else
                i += 1
        return count
'''
    return {
        "name": "Dance Pairs",
        "mode": "call",
        "fn_name": "maxDancePairs",
        "starter": "class Solution:\n    def maxDancePairs(self, heights: List[int], d: int) -> int:\n",
        "call_repr": "Solution().maxDancePairs",
        "difficulty": "MEDIUM",
        "time_limit": "2 seconds",
        "skills": ["Sorting", "Greedy algorithms"],
        "tags": ["Greedy algorithms", "Sorting"],
        "raw_tags": ["Greedy", "Sorting", "Array"],
        "complexity": "O(n log n)",
        "aux": "O(n)",
        "date": "2024-09-14",
        "spj": 0,
        "body": (
            "At a village ball the dancers with heights heights[0], ..., heights[n-1] pair up for the "
            "first waltz. Two dancers can form a pair when their heights differ by at most d, and "
            "every dancer is in at most one pair.\n\n"
            "Return the largest possible number of pairs.\n\n"
            "Constraints: $1 \\le n \\le 2 \\cdot 10^5$, $-10^6 \\le heights[i] \\le 10^6$, "
            "$0 \\le d \\le 10^6$.\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_a, "Sort, then greedily pair neighbours from the shortest dancer up.")),
            ("CE", ce_syntax),
            ("WA", wa_overlap),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 29  Union Length (call-based, codewars style, MEDIUM)
# ---------------------------------------------------------------------------------------------
@problem
def union_length():
    rng = random.Random("union-length")

    def segs(n, lo, hi, longest):
        out = []
        for _ in range(n):
            a = rng.randint(lo, hi)
            out.append([a, a + rng.randint(0, longest)])
        return out

    tests = [
        [[[1, 4], [2, 6], [8, 9]]],
        [[]],
        [[[3, 3]]],
        [[[-5, -1], [-3, 2]]],
        [[[0, 10], [2, 3], [4, 5]]],
        [[[1, 2], [2, 3]]],
        [[[5, 7], [5, 7], [5, 7]]],
        [[[-1000000000, 1000000000], [0, 1]]],
        [segs(20, -30, 30, 8)],
        [segs(3000, -10 ** 6, 10 ** 6, 5000)],
        [segs(50000, -30000, 30000, 40)],
    ]
    ref_a = r'''def union_length(segments):
    total = 0
    cur_l = cur_r = None
    for l, r in sorted(segments):
        if cur_r is None or l > cur_r:
            if cur_r is not None:
                total += cur_r - cur_l
            cur_l, cur_r = l, r
        elif r > cur_r:
            cur_r = r
    if cur_r is not None:
        total += cur_r - cur_l
    return total
'''
    ref_b = r'''def union_length(segments):
    events = []
    for l, r in segments:
        if l < r:
            events.append((l, 1))
            events.append((r, -1))
    events.sort()
    covered = 0
    depth = 0
    prev = None
    for x, delta in events:
        if depth > 0:
            covered += x - prev
        depth += delta
        prev = x
    return covered
'''
    wa_sum = r'''def union_length(segments):
    return sum(r - l for l, r in segments)
'''
    re_zero = r'''def union_length(segments):
    # bucket width tuned to the average segment length
    avg = sum(r - l for l, r in segments) / len(segments)
    total = 0
    end = None
    start = None
    for l, r in sorted(segments):
        if end is None or l > end:
            if end is not None:
                total += end - start
            start, end = l, r
        else:
            end = max(end, r)
    if end is not None:
        total += end - start
    return total
'''
    ac_sweep = r'''def union_length(segments):
    segs = sorted(map(tuple, segments))
    res, reach = 0, float("-inf")
    for l, r in segs:
        if r > reach:
            res += r - max(l, reach)
            reach = r
    return int(res)
'''
    return {
        "name": "Union Length",
        "mode": "call",
        "fn_name": "union_length",
        "starter": "def union_length(segments):\n",
        "call_repr": "union_length",
        "difficulty": "MEDIUM",
        "time_limit": "2 seconds",
        "skills": ["Sorting"],
        "tags": ["Sorting", "Sweep line", "Intervals"],
        "raw_tags": ["Algorithms", "Sorting"],
        "complexity": "O(n log n)",
        "aux": "O(n)",
        "date": "2024-09-21",
        "spj": 0,
        "body": (
            "Road workers painted several stretches of the centre line of a long road. Each stretch "
            "is given as [l, r] with integers l <= r and covers the part of the line between "
            "kilometre marks l and r; stretches may overlap or repeat.\n\n"
            "Write a function union_length(segments) that returns the total length of road that has "
            "paint on it, i.e. the length of the union of all the segments (a stretch [l, l] has "
            "length 0). An empty list gives 0.\n\n"
            "There are at most $10^5$ segments and every coordinate lies between $-10^9$ and "
            "$10^9$.\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ac_sweep),
            ("WA", wa_sum),
            ("RE", re_zero),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 30  Anagram Groups (call-based, codewars style, MEDIUM)
# ---------------------------------------------------------------------------------------------
@problem
def anagram_groups():
    rng = random.Random("anagram-groups")

    def words(n, alphabet, lo, hi):
        return ["".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi))) for _ in range(n)]

    tests = [
        [["listen", "silent", "enlist", "google", "gogole", "cat"]],
        [[]],
        [["a"]],
        [["ab", "ba", "ab"]],
        [["abc", "abd", "dba"]],
        [["", ""]],
        [["aab", "aba", "abb", "bab", "bba", "baa"]],
        [words(30, "abc", 1, 3)],
        [words(3000, "abcdefghij", 2, 6)],
        [words(70000, "abcdef", 5, 5)],
    ]
    ref_a = r'''def anagram_groups(words):
    groups = {}
    for w in words:
        key = "".join(sorted(w))
        groups[key] = groups.get(key, 0) + 1
    return sorted(groups.values(), reverse=True)
'''
    ref_b = r'''from collections import Counter


def anagram_groups(words):
    signature = Counter(tuple(sorted(Counter(w).items())) for w in words)
    sizes = list(signature.values())
    sizes.sort()
    sizes.reverse()
    return sizes
'''
    ac_preamble = r'''def anagram_groups(words):
    # Counter is available without an import in the judge's preamble
    counts = Counter("".join(sorted(word)) for word in words)
    return sorted(counts.values(), key=lambda c: -c)
'''
    mle_table = r'''def anagram_groups(words):
    # direct-address table over all possible 26-letter signatures
    table = [0] * (10 ** 9)
    seen = {}
    for w in words:
        k = "".join(sorted(w))
        seen[k] = seen.get(k, 0) + 1
    return sorted(seen.values(), reverse=True)
'''
    wa_unsorted = r'''def anagram_groups(words):
    d = {}
    for w in words:
        d.setdefault(tuple(sorted(w)), []).append(w)
    return [len(v) for v in d.values()]
'''
    return {
        "name": "Anagram Groups",
        "mode": "call",
        "fn_name": "anagram_groups",
        "starter": "def anagram_groups(words):\n",
        "call_repr": "anagram_groups",
        "difficulty": "MEDIUM",
        "time_limit": "2 seconds",
        "skills": ["Sorting", "Data structures"],
        "tags": ["Hashing", "Strings", "Sorting"],
        "raw_tags": ["Strings", "Hash tables"],
        "complexity": "O(n k log k)",
        "aux": "O(n)",
        "date": "2024-09-28",
        "spj": 0,
        "body": (
            "A crossword club files words into drawers: two words go into the same drawer exactly when "
            "one is an anagram of the other (the same letters with the same multiplicities, in any "
            "order). Equal words are anagrams of each other, and so are two empty strings.\n\n"
            "Write a function anagram_groups(words) that returns the sizes of the drawers as a list "
            "sorted from largest to smallest. An empty list of words gives an empty list.\n\n"
            "There are at most $10^5$ words of lowercase letters, each at most $20$ letters long.\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ac_preamble),
            ("MLE", mle_table),
            ("WA", wa_unsorted),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 31  Longest Calm Stretch (call-based, LeetCode style, MEDIUM_HARD)
# ---------------------------------------------------------------------------------------------
@problem
def calm_stretch():
    rng = random.Random("calm-stretch")

    def walk(n, step):
        x = 0
        out = []
        for _ in range(n):
            x += rng.randint(-step, step)
            out.append(x)
        return out

    tests = [
        [[1, 3, 6, 4, 5, 9], 2],
        [[5], 0],
        [[2, 2, 2, 2], 0],
        [[1, 10, 1, 10], 5],
        [[-3, -1, -2, 5], 2],
        [[1, 2, 3, 4, 5], 2],
        [[0, 1000000000], 1000000000],
        [[4, 1, 4, 1, 4], 3],
        [[rng.randint(0, 10) for _ in range(30)], 4],
        [walk(3000, 5), 40],
        [walk(120000, 1), 300],
    ]
    ref_a = r'''from collections import deque
from typing import List


class Solution:
    def longestCalmStretch(self, readings: List[int], tolerance: int) -> int:
        lows = deque()   # indices, readings increasing
        highs = deque()  # indices, readings decreasing
        left = 0
        best = 0
        for right, x in enumerate(readings):
            while lows and readings[lows[-1]] >= x:
                lows.pop()
            lows.append(right)
            while highs and readings[highs[-1]] <= x:
                highs.pop()
            highs.append(right)
            while readings[highs[0]] - readings[lows[0]] > tolerance:
                left += 1
                if lows[0] < left:
                    lows.popleft()
                if highs[0] < left:
                    highs.popleft()
            if right - left + 1 > best:
                best = right - left + 1
        return best
'''
    ref_b = r'''import heapq


class Solution:
    def longestCalmStretch(self, readings, tolerance):
        min_heap = []  # (value, index)
        max_heap = []  # (-value, index)
        left = 0
        best = 0
        for right, x in enumerate(readings):
            heapq.heappush(min_heap, (x, right))
            heapq.heappush(max_heap, (-x, right))
            while True:
                while min_heap[0][1] < left:
                    heapq.heappop(min_heap)
                while max_heap[0][1] < left:
                    heapq.heappop(max_heap)
                if -max_heap[0][0] - min_heap[0][0] <= tolerance:
                    break
                left += 1
            best = max(best, right - left + 1)
        return best
'''
    tle_naive = r'''class Solution:
    def longestCalmStretch(self, readings, tolerance):
        n = len(readings)
        best = 0
        for i in range(n):
            lo = hi = readings[i]
            j = i
            while j < n:
                v = readings[j]
                if v < lo:
                    lo = v
                if v > hi:
                    hi = v
                if hi - lo > tolerance:
                    break
                j += 1
            if j - i > best:
                best = j - i
        return best
'''
    wa_adjacent = r'''class Solution:
    def longestCalmStretch(self, readings: List[int], tolerance: int) -> int:
        best = cur = 1
        for a, b in zip(readings, readings[1:]):
            cur = cur + 1 if abs(a - b) <= tolerance else 1
            best = max(best, cur)
        return best
'''
    return {
        "name": "Longest Calm Stretch",
        "mode": "call",
        "fn_name": "longestCalmStretch",
        "starter": ("class Solution:\n"
                 "    def longestCalmStretch(self, readings: List[int], tolerance: int) -> int:\n"),
        "call_repr": "Solution().longestCalmStretch",
        "difficulty": "MEDIUM_HARD",
        "time_limit": "2 seconds",
        "skills": ["Data structures", "Amortized analysis"],
        "tags": ["Sliding window", "Monotonic queue", "Two pointers"],
        "raw_tags": ["Sliding Window", "Queue", "Monotonic Queue"],
        "complexity": "O(n)",
        "aux": "O(n)",
        "date": "2024-10-05",
        "spj": 0,
        "body": (
            "A harbour sensor records the water level every minute in the list readings. A stretch of "
            "consecutive readings is calm when the difference between its highest and its lowest "
            "reading is at most tolerance.\n\n"
            "Return the length of the longest calm stretch (a single reading is always calm).\n\n"
            "Constraints: $1 \\le n \\le 2 \\cdot 10^5$, $-10^9 \\le readings[i] \\le 10^9$, "
            "$0 \\le tolerance \\le 10^9$.\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_a)),
            ("TLE", tle_naive),
            ("WA", wa_adjacent),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 32  Shortest Funded Stretch (call-based, LeetCode style, HARD)
# ---------------------------------------------------------------------------------------------
@problem
def funded_stretch():
    rng = random.Random("funded-stretch")
    tests = [
        [[2, -1, 2], 3],
        [[1], 2],
        [[5], 5],
        [[1, 2, 3, 4], 7],
        [[-1, -2, -3], -2],
        [[3, -10, 4, 4, -1, 5], 9],
        [[0, 0, 0], 0],
        [[-5, 10, -5, 10], 10],
        [[rng.randint(-10, 10) for _ in range(30)], 12],
        [[rng.randint(-1000, 1000) for _ in range(3000)], 9000],
        [[rng.randint(-10000, 10100) for _ in range(120000)], 2000000],
    ]
    ref_a = r'''from collections import deque
from typing import List


class Solution:
    def shortestFundedStretch(self, flows: List[int], target: int) -> int:
        prefix = [0]
        for x in flows:
            prefix.append(prefix[-1] + x)
        best = len(flows) + 1
        starts = deque()  # candidate start indices with increasing prefix sums
        for j, p in enumerate(prefix):
            while starts and p - prefix[starts[0]] >= target:
                i = starts.popleft()
                if j - i < best:
                    best = j - i
            while starts and prefix[starts[-1]] >= p:
                starts.pop()
            starts.append(j)
        return best if best <= len(flows) else -1
'''
    ref_b = r'''from bisect import bisect_right


class Solution:
    def shortestFundedStretch(self, flows, target):
        # for every end j find the latest start i < j with prefix[i] <= prefix[j] - target;
        # only starts whose prefix is smaller than every later prefix can be that start
        idx = []  # stack of start indices, prefix values strictly increasing
        vals = []
        best = -1
        p = 0
        for j in range(len(flows) + 1):
            if j:
                p += flows[j - 1]
                k = bisect_right(vals, p - target) - 1
                if k >= 0 and (best < 0 or j - idx[k] < best):
                    best = j - idx[k]
            while vals and vals[-1] >= p:
                vals.pop()
                idx.pop()
            vals.append(p)
            idx.append(j)
        return best
'''
    wa_window = r'''class Solution:
    def shortestFundedStretch(self, flows, target):
        best = float("inf")
        s = 0
        left = 0
        for right, x in enumerate(flows):
            s += x
            while left <= right and s >= target:
                best = min(best, right - left + 1)
                s -= flows[left]
                left += 1
        return best if best != float("inf") else -1
'''
    re_empty = r'''class Solution:
    def shortestFundedStretch(self, flows: List[int], target: int) -> int:
        pre = [0]
        for f in flows:
            pre.append(pre[-1] + f)
        q = deque()
        lengths = []
        for j in range(len(pre)):
            while q and pre[j] - pre[q[0]] >= target:
                lengths.append(j - q.popleft())
            while q and pre[q[-1]] >= pre[j]:
                q.pop()
            q.append(j)
        return min(lengths)
'''
    ac_preamble = r'''class Solution:
    def shortestFundedStretch(self, flows: List[int], target: int) -> int:
        # deque and List come from the judge's preamble
        pre = [0]
        for f in flows:
            pre.append(pre[-1] + f)
        best = float("inf")
        q = deque()
        for j, p in enumerate(pre):
            while q and p - pre[q[0]] >= target:
                best = min(best, j - q.popleft())
            while q and pre[q[-1]] >= p:
                q.pop()
            q.append(j)
        return -1 if best == float("inf") else best
'''
    return {
        "name": "Shortest Funded Stretch",
        "mode": "call",
        "fn_name": "shortestFundedStretch",
        "starter": ("class Solution:\n"
                 "    def shortestFundedStretch(self, flows: List[int], target: int) -> int:\n"),
        "call_repr": "Solution().shortestFundedStretch",
        "difficulty": "HARD",
        "time_limit": "2 seconds",
        "skills": ["Data structures", "Amortized analysis"],
        "tags": ["Prefix sums", "Monotonic queue", "Binary search"],
        "raw_tags": ["Array", "Prefix Sum", "Monotonic Queue"],
        "complexity": "O(n)",
        "aux": "O(n)",
        "date": "2024-10-12",
        "spj": 0,
        "body": (
            "A charity logs its daily cash flows in the list flows (donations are positive, expenses "
            "negative). It wants to feature a short run of consecutive days that raised at least "
            "target in total.\n\n"
            "Return the length of the shortest non-empty stretch of consecutive days whose sum is at "
            "least target, or -1 if there is none.\n\n"
            "Constraints: $1 \\le n \\le 2 \\cdot 10^5$, $-10^5 \\le flows[i] \\le 10^5$, "
            "$-10^{10} \\le target \\le 10^{10}$.\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", fence(ref_b, "Monotonic stack of prefix sums plus binary search:")),
            ("WA", wa_window),
            ("RE", re_empty),
            ("AC", ac_preamble),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 33  Exactly K Kinds (call-based, codewars style, HARD)
# ---------------------------------------------------------------------------------------------
@problem
def exactly_k_kinds():
    rng = random.Random("exactly-k-kinds")
    big = [rng.randint(1, 3) for _ in range(100000)]
    for i in range(0, 100000, 25000):
        big[i + rng.randrange(1000)] = rng.randint(4, 6)
    tests = [
        [[1, 2, 1, 3, 3], 2],
        [[5], 1],
        [[5], 2],
        [[7, 7, 7], 1],
        [[1, 2, 3], 3],
        [[1, 2, 3], 4],
        [[-1, 0, -1], 2],
        [[rng.randint(1, 4) for _ in range(30)], 2],
        [[rng.randint(1, 30) for _ in range(3000)], 10],
        [big, 3],
    ]
    ref_a = r'''def exactly_k_kinds(nums, k):
    def at_most(limit):
        # subarrays with at most `limit` distinct values, by two pointers
        if limit <= 0:
            return 0
        count = {}
        left = 0
        total = 0
        for right, x in enumerate(nums):
            count[x] = count.get(x, 0) + 1
            while len(count) > limit:
                y = nums[left]
                count[y] -= 1
                if not count[y]:
                    del count[y]
                left += 1
            total += right - left + 1
        return total

    return at_most(k) - at_most(k - 1)
'''
    ref_b = r'''from collections import defaultdict


def exactly_k_kinds(nums, k):
    # window [far, right] has exactly k kinds; [near, right] is the shortest such window start
    in_far = defaultdict(int)
    in_near = defaultdict(int)
    far = near = 0
    kinds_far = kinds_near = 0
    answer = 0
    for x in nums:
        in_far[x] += 1
        if in_far[x] == 1:
            kinds_far += 1
        in_near[x] += 1
        if in_near[x] == 1:
            kinds_near += 1
        while kinds_far > k:
            y = nums[far]
            in_far[y] -= 1
            if in_far[y] == 0:
                kinds_far -= 1
            far += 1
        while kinds_near >= k:
            y = nums[near]
            in_near[y] -= 1
            if in_near[y] == 0:
                kinds_near -= 1
            near += 1
        if kinds_far == k:
            answer += near - far
    return answer
'''
    tle_naive = r'''def exactly_k_kinds(nums, k):
    n = len(nums)
    total = 0
    for i in range(n):
        seen = set()
        for j in range(i, n):
            seen.add(nums[j])
            if len(seen) == k:
                total += 1
            elif len(seen) > k:
                break
    return total
'''
    ce_missing = r'''def count_k_distinct(nums, k):
    from collections import Counter

    def at_most(m):
        c, l, t = Counter(), 0, 0
        for r, x in enumerate(nums):
            c[x] += 1
            while len(c) > m:
                c[nums[l]] -= 1
                if c[nums[l]] == 0:
                    del c[nums[l]]
                l += 1
            t += r - l + 1
        return t

    return at_most(k) - at_most(k - 1)
'''
    return {
        "name": "Exactly K Kinds",
        "mode": "call",
        "fn_name": "exactly_k_kinds",
        "starter": "def exactly_k_kinds(nums, k):\n",
        "call_repr": "exactly_k_kinds",
        "difficulty": "HARD",
        "time_limit": "2 seconds",
        "skills": ["Data structures", "Amortized analysis"],
        "tags": ["Two pointers", "Hashing", "Counting"],
        "raw_tags": ["Algorithms", "Arrays"],
        "complexity": "O(n)",
        "aux": "O(n)",
        "date": "2024-10-19",
        "spj": 0,
        "body": (
            "A birdwatcher writes down the species code of every bird that lands on a feeder, in the "
            "list nums. A period of consecutive sightings is interesting when exactly k different "
            "species appear in it.\n\n"
            "Write a function exactly_k_kinds(nums, k) that returns the number of interesting "
            "periods, i.e. the number of pairs (i, j), i <= j, such that nums[i..j] contains exactly "
            "k distinct values.\n\n"
            "The list has between $1$ and $10^5$ integers with absolute value at most $10^9$, and "
            "$1 \\le k \\le 10^5$.\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ref_b),
            ("TLE", tle_naive),
            ("CE", fence(ce_missing, "Count windows with at most k kinds and subtract:")),
        ],
    }


# ---------------------------------------------------------------------------------------------
# 34  Total Spread (call-based, LeetCode style, VERY_HARD)
# ---------------------------------------------------------------------------------------------
@problem
def total_spread():
    rng = random.Random("total-spread")
    tests = [
        [[1, 3, 2]],
        [[7]],
        [[1, 3, 3]],
        [[4, 4, 4]],
        [[-2, 5]],
        [[1, 2, 3, 4]],
        [[1000000, -1000000, 1000000, -1000000]],
        [[rng.randint(-3, 3) for _ in range(30)]],
        [[rng.randint(-10 ** 6, 10 ** 6) for _ in range(3000)]],
        [[rng.randint(-10 ** 6, 10 ** 6) for _ in range(70000)]],
    ]
    ref_a = r'''from typing import List


class Solution:
    def totalSpread(self, nums: List[int]) -> int:
        n = len(nums)

        def sum_of_maxima(a):
            # a[i] is the maximum of subarrays [l, r] with l in (left[i], i], r in [i, right[i]):
            # left[i] = previous index with a value >= a[i], right[i] = next index with a larger
            # value, so a period whose maximum appears several times is credited to the leftmost
            left = [-1] * n
            right = [n] * n
            stack = []
            for i, x in enumerate(a):
                while stack and a[stack[-1]] < x:
                    right[stack.pop()] = i
                left[i] = stack[-1] if stack else -1
                stack.append(i)
            total = 0
            for i, x in enumerate(a):
                total += x * (i - left[i]) * (right[i] - i)
            return total

        return sum_of_maxima(nums) + sum_of_maxima([-x for x in nums])
'''
    ref_b = r'''class Solution:
    def totalSpread(self, nums):
        # end_max = sum over l <= r of max(nums[l..r]) for the current r, kept with a stack
        total = 0
        max_stack, min_stack = [], []  # (value, count of starts it dominates)
        end_max = end_min = 0
        for x in nums:
            cnt = 1
            while max_stack and max_stack[-1][0] <= x:
                v, c = max_stack.pop()
                end_max -= v * c
                cnt += c
            max_stack.append((x, cnt))
            end_max += x * cnt
            cnt = 1
            while min_stack and min_stack[-1][0] >= x:
                v, c = min_stack.pop()
                end_min -= v * c
                cnt += c
            min_stack.append((x, cnt))
            end_min += x * cnt
            total += end_max - end_min
        return total
'''
    wa_strict = r'''class Solution:
    def totalSpread(self, nums):
        n = len(nums)

        def contrib(a):
            left = [0] * n
            right = [0] * n
            st = []
            for i in range(n):
                while st and a[st[-1]] < a[i]:
                    st.pop()
                left[i] = i - st[-1] if st else i + 1
                st.append(i)
            st = []
            for i in range(n - 1, -1, -1):
                while st and a[st[-1]] < a[i]:
                    st.pop()
                right[i] = st[-1] - i if st else n - i
                st.append(i)
            return sum(a[i] * left[i] * right[i] for i in range(n))

        return contrib(nums) + contrib([-v for v in nums])
'''
    return {
        "name": "Total Spread",
        "mode": "call",
        "fn_name": "totalSpread",
        "starter": "class Solution:\n    def totalSpread(self, nums: List[int]) -> int:\n",
        "call_repr": "Solution().totalSpread",
        "difficulty": "VERY_HARD",
        "time_limit": "2 seconds",
        "skills": ["Data structures", "Amortized analysis", "Mathematics"],
        "tags": ["Monotonic stack", "Contribution technique", "Combinatorics"],
        "raw_tags": ["Array", "Stack", "Monotonic Stack"],
        "complexity": "O(n)",
        "aux": "O(n)",
        "date": "2024-10-26",
        "spj": 0,
        "body": (
            "A commodity exchange stores a price history in the list nums. For a period of "
            "consecutive entries its spread is the highest price minus the lowest price in the period "
            "(a single entry has spread $0$).\n\n"
            "Return the sum of the spreads of all $n (n + 1) / 2$ non-empty periods. The answer may be "
            "large; return it exactly.\n\n"
            "Constraints: $1 \\le n \\le 2 \\cdot 10^5$, $-10^6 \\le nums[i] \\le 10^6$.\n\n"
        ),
        "tests": tests,
        "refs": [ref_a, ref_b],
        "samples": [
            ("AC", ref_b),
            ("WA", fence(wa_strict)),
            ("AC", fence(ref_a, "Contribution technique: every element counts as the maximum (and as "
                                "the minimum) of a range of periods found with a monotonic stack.")),
        ],
    }


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------
SPJ_NAMES = {0: "-", 2: "2 (case-insensitive)", 3: "3 (float, 1e-6)"}

README_HEAD = """# taco-judge original problems

{count} problems written for taco-judge ({stdin} stdin, {call} call-based, of which {leetcode} are
LeetCode-style `class Solution` methods). Statements, stories, tests and programs are original. The set
exists to exercise a TACO judge end to end: every verdict, special judges, large tests that separate
O(n log n) from O(n^2) programs, and LLM-style answers (markdown fences, prose, unusual stdin reading).

## Files

| file | format |
|---|---|
| `problems.jsonl` | one BAAI/TACO row per line; the task id is the 0-based line number. `input_output`, `solutions`, `tags`, `skill_types`, `raw_tags` are JSON-encoded strings, as in TACO. Call-based expected values are wrapped in a one-element list (TACO's codewars convention). The last test of every problem is the large one. |
| `output_spj.jsonl` | TACO's special-judge file: `{{"idx", "special_judge", "case"}}`; case 2 = case-insensitive words, case 3 = floats compared with tolerance 1e-6, 0 = exact tokens. |
| `generations.json` | TACO `generation.json` format: `[{{"task_id", "prompt", "output": [code, ...]}}]`, 3 to 6 samples per task. |
| `expected_verdicts.json` | `{{"<task_id>": [verdict of each sample, in order]}}` under the default early-stop judging. |
| `generations_b.json`, `expected_verdicts_b.json` | a second made-up "model" for the sweep example: per task, the second reference solution (new code) then the first model's failing samples, padded to the same sample count. |
| `sweep.toml` | a pass@k sweep comparing the two "models": `taco-judge sweep problems/sweep.toml`. |
| `build_problems.py` | deterministic, stdlib-only generator of all the files above (including this README). |

Regenerate (byte-for-byte identical output):

    python3 problems/build_problems.py

Expected outputs are produced by running the first reference solution of each problem; the second
reference solution is an independent algorithm and agrees on every test. Both finish the large test well
within half the time limit. Memory limit: 256 MB for every problem. In the float problems (spj case 3)
the two references print different numbers of decimals, and in the case-insensitive problems (case 2)
different letter case, so a checker without the special judge rejects one of them.

Sample verdicts across `generations.json`: {verdict_counts}.

Notes on the samples: TLE samples are correct on every test before the large one (or hang on the first
test: `while True: pass`, `time.sleep(100)`); RE samples that recurse deeply assume CPython's default
recursion limit (1000) is left alone by the judge; MLE samples allocate far beyond 256 MB and touch the
memory (`[0] * 10**9`, `bytearray(2 * 1024**3)`, `np.full(2 * 10**9 + 3, 0)` with numpy from the preamble,
a list of 1 MiB strings growing forever); OLE samples
write more than 32 MiB. Call-based samples marked AC may rely on TACO's import preamble (`List`,
`Counter`, `deque` without imports).

## Problems

| id | name | mode | fn_name | difficulty | time limit | tests | skills | spj case |
|---|---|---|---|---|---|---|---|---|
"""


def model_b_samples(p):
    """The samples of a second, made-up "model" for the sweep example (sweep.toml).

    It answers with the problem's second reference solution (new code: AC) and then repeats the
    first model's failing samples, padded to the first model's sample count with its first
    failing sample again (or its later samples when it has no failing one). Code shared with the
    first model runs once in a sweep, through the shared cache.
    """
    samples = p["samples"]
    failing = [s for s in samples if s[0] != "AC"]
    b = [("AC", fence(p["refs"][1]))] + failing
    filler = failing[:1] or samples[1:]
    while len(b) < len(samples):
        b.append(filler[(len(b) - 1 - len(failing)) % len(filler)])
    return b[:len(samples)]


def build_all():
    rows, spj, generations, verdicts, table = [], [], [], {}, []
    generations_b, verdicts_b = [], {}
    for task_id, make in enumerate(PROBLEMS):
        p = make()
        tests = p["tests"]
        if p["mode"] == "stdin":
            outputs = []
            for text in tests:
                out = run_stdin(p["refs"][0], text)
                outputs.append(out if out.endswith("\n") else out + "\n")
            question = p["body"] + examples_stdin(tests, outputs, 2)
            io_obj = {"inputs": tests, "outputs": outputs}
            starter = ""
            fmt = "Use Standard Input format"
        else:
            outputs = [[run_call(p["refs"][0], p["fn_name"], args)] for args in tests]
            question = p["body"] + examples_call(p["call_repr"], tests, outputs, 4)
            io_obj = {"fn_name": p["fn_name"], "inputs": tests, "outputs": outputs}
            starter = p["starter"]
            fmt = "Use Call-Based format"
        row = {
            "question": question,
            "solutions": json.dumps(p["refs"]),
            "starter_code": starter,
            "input_output": json.dumps(io_obj),
            "difficulty": p["difficulty"],
            "raw_tags": json.dumps(p["raw_tags"]),
            "name": p["name"],
            "source": SOURCE,
            "tags": json.dumps(p["tags"]),
            "skill_types": json.dumps(p["skills"]),
            "url": "",
            "Expected Auxiliary Space": p["aux"],
            "time_limit": p["time_limit"],
            "date": p["date"],
            "picture_num": "0",
            "memory_limit": MEMORY,
            "Expected Time Complexity": p["complexity"],
        }
        rows.append(json.dumps(row))
        spj.append(json.dumps({"idx": task_id, "special_judge": p["spj"] != 0, "case": p["spj"]},
                              separators=(",", ":")))
        prompt = "\nQUESTION:\n" + question + starter + fmt + "\nANSWER:\n"
        generations.append({"task_id": task_id, "prompt": prompt,
                             "output": [code for _, code in p["samples"]]})
        verdicts[str(task_id)] = [v for v, _ in p["samples"]]
        samples_b = model_b_samples(p)
        generations_b.append({"task_id": task_id, "prompt": prompt, "output": [code for _, code in samples_b]})
        verdicts_b[str(task_id)] = [v for v, _ in samples_b]
        table.append(
            f"| {task_id} | {p['name']} | {p['mode']} | {p.get('fn_name') or '-'} | {p['difficulty']} "
            f"| {p['time_limit']} | {len(tests)} | {', '.join(p['skills'])} | {SPJ_NAMES[p['spj']]} |"
        )
    return rows, spj, generations, verdicts, table, generations_b, verdicts_b


def verdicts_text(verdicts):
    return "{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in verdicts.items()) + "\n}\n"


def write(name, text):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def main():
    rows, spj, generations, verdicts, table, generations_b, verdicts_b = build_all()
    write("problems.jsonl", "\n".join(rows) + "\n")
    write("output_spj.jsonl", "\n".join(spj) + "\n")
    write("generations.json", json.dumps(generations, indent=4) + "\n")
    write("expected_verdicts.json", verdicts_text(verdicts))
    write("generations_b.json", json.dumps(generations_b, indent=4) + "\n")
    write("expected_verdicts_b.json", verdicts_text(verdicts_b))
    counts = {}
    for vs in verdicts.values():
        for v in vs:
            counts[v] = counts.get(v, 0) + 1
    order = ["AC", "WA", "TLE", "MLE", "RE", "CE", "OLE"]
    modes = [json.loads(r) for r in rows]
    n_call = sum(1 for r in modes if r["starter_code"])
    n_leet = sum(1 for r in modes if r["starter_code"].startswith("class Solution"))
    head = README_HEAD.format(
        count=len(rows), stdin=len(rows) - n_call, call=n_call, leetcode=n_leet,
        verdict_counts=", ".join(f"{v} {counts.get(v, 0)}" for v in order),
    )
    write("README.md", head + "\n".join(table) + "\n")


if __name__ == "__main__":
    main()
