"""The taco checker agrees with TACO's reference evaluator on every recorded vector; strict differs where documented."""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED_TACO  # TACO_JUDGE_TACO_DATA or ../shared/data/taco

from taco_judge.checkers import CheckOutcome, build_checker
from taco_judge.problems import Problem
from taco_judge.problems import TestCase as Case
from taco_judge.verdict import Observation

REPO = Path(__file__).resolve().parents[1]
STDIN_VECTORS = SHARED_TACO / "compare_vectors_stdin.jsonl"
CALL_VECTORS = SHARED_TACO / "compare_vectors_call.jsonl"
NO_VECTORS = f"TACO comparator vectors not found under {SHARED_TACO} (../shared/data/taco, or set TACO_JUDGE_TACO_DATA=DIR)"

STDIN = Problem(task_id=1, mode="stdin", tests=())
CALL = Problem(task_id=2, mode="call", tests=(), fn_name="f")
TACO = build_checker("taco")
STRICT = build_checker("strict")


# --------------------------------------------------------------------------- helpers


def encode_value(value: Any) -> Any:
    """Python value -> the runner's tagged JSON (CONTEXT.md), independent of the runner's encoder."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return {"$float": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
    if isinstance(value, list):
        return [encode_value(item) for item in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode_value(item) for item in value]}
    if isinstance(value, frozenset):
        return {"$frozenset": [encode_value(item) for item in value]}
    if isinstance(value, set):
        return {"$set": [encode_value(item) for item in value]}
    if isinstance(value, dict):
        if all(isinstance(key, str) and not key.startswith("$") for key in value):
            return {key: encode_value(item) for key, item in value.items()}
        return {"$dict": [[encode_value(key), encode_value(item)] for key, item in value.items()]}
    if isinstance(value, bytes):
        return {"$bytes": value.hex()}
    return {"$opaque": type(value).__name__, "$repr": repr(value)}


_ARITHMETIC = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub)


def python_literal(text: str) -> Any:
    """A vector's "returned" field: a Python literal, or literal arithmetic such as ``0.1 + 0.2``."""
    try:
        return ast.literal_eval(text)
    except ValueError:
        tree = ast.parse(text, mode="eval")
        assert all(isinstance(node, _ARITHMETIC) for node in ast.walk(tree)), text
        return eval(compile(tree, "<vector>", "eval"), {"__builtins__": {}})


def load(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_stdin(checker, got: str | bytes, expected: Any) -> CheckOutcome:
    stdout = got.encode() if isinstance(got, str) else got
    return checker.check(STDIN, Case(0, "", expected), Observation(stdout=stdout, exit_code=0))


def run_call(checker, returned: Any, expected: Any) -> CheckOutcome:
    obs = Observation(exit_code=0, returned=True, return_value=encode_value(returned))
    return checker.check(CALL, Case(0, [], expected), obs)


STDIN_ROWS = load(STDIN_VECTORS)
CALL_ROWS = load(CALL_VECTORS)
needs_vectors = pytest.mark.skipif(not STDIN_ROWS or not CALL_ROWS, reason=NO_VECTORS)


# --------------------------------------------------------------------------- every vector agrees


@pytest.mark.realdata
@pytest.mark.skipif(not STDIN_ROWS, reason=NO_VECTORS)
@pytest.mark.parametrize("row", STDIN_ROWS, ids=[f"stdin{n}-{row['note']}" for n, row in enumerate(STDIN_ROWS, 1)])
def test_taco_checker_matches_reference_on_stdin_vector(row: dict[str, Any]) -> None:
    assert run_stdin(TACO, row["got"], row["expected"]).passed is row["taco"]


@pytest.mark.realdata
@pytest.mark.skipif(not CALL_ROWS, reason=NO_VECTORS)
@pytest.mark.parametrize("row", CALL_ROWS, ids=[f"call{n}" for n in range(1, len(CALL_ROWS) + 1)])
def test_taco_checker_matches_reference_on_call_vector(row: dict[str, Any]) -> None:
    assert run_call(TACO, python_literal(row["returned"]), row["expected"]).passed is row["taco"]


@pytest.mark.realdata
@needs_vectors
def test_vector_files_are_the_expected_size() -> None:
    assert len(STDIN_ROWS) == 644
    assert len(CALL_ROWS) == 500


# --------------------------------------------------------------------------- the reference's quirks, without data


@pytest.mark.parametrize(
    ("got", "expected", "passed"),
    [
        ("11\n", "1\n", True),  # character set of "11" == token set of "1"
        ("321\n", "1 2 3\n", True),
        ("3\n2\n1\n", "1\n2\n3\n", True),
        ("2\n", "2\n2\n2\n", True),
        ("1\n", "1.000000\n", True),  # the round(float(char), 3) fallback
        ("1", "1.0\n", True),  # the per-character float fallback (needs no whitespace at all)
        ("12", "1\n2.000001\n", True),  # ... with numpy.allclose tolerance per line
        ("1.000000\n", "1\n", False),
        ("1 2  3\n", "1 2 3\n", False),
        ("10 \n20\n", "10\n20\n", False),
        ("1\r\n2\r\n", "1\n2\n", True),  # text-mode subprocess translates CR LF ...
        ("1\r2\r", "1\n2\n", True),  # ... and lone CR
        ("YES\n", "yes\n", False),
    ],
)
def test_taco_stdin_quirks(got: str, expected: str, passed: bool) -> None:
    assert run_stdin(TACO, got, expected).passed is passed


def test_taco_rejects_output_that_is_not_utf8() -> None:
    outcome = run_stdin(TACO, b"\xff1\n", "1\n")
    assert not outcome.passed
    assert "not valid UTF-8" in outcome.detail


def test_taco_joins_expected_lists() -> None:
    assert run_stdin(TACO, "1\n2\n", ["1", "2"]).passed


def test_taco_explains_its_rejections() -> None:
    assert run_stdin(TACO, "1 2 4\n", "1 2 3\n").detail == "line 1, token 3: expected '3', got '4'"
    assert "spacing" in run_stdin(TACO, "1  2\n", "1 2\n").detail


@pytest.mark.parametrize(
    ("returned", "expected", "passed"),
    [
        (True, [1], True),
        (1.0, [1], True),
        (3, [3], True),
        (3, 3, True),
        ((1, 2), [[1, 2]], True),
        ([(1, 2), (3, 4)], [[[1, 2], [3, 4]]], True),
        (((1, 2), (3, 4)), [[1, 2], [3, 4]], False),  # unwrapped expected: inner tuples stay tuples
        (0.1 + 0.2, [0.3], False),
        ({1: 2}, {"1": 2}, True),  # expected dict keys become ints
        ({1: 2}, [{"1": 2}], True),
        ({"1": 2}, [{"1": 2}], False),
        ({"a": 1}, [{"a": 1}], True),  # keys that are not ints stay strings
        (1, [1, 2], True),  # value == expected[0] for any non-empty list
        ({1, 2}, [[1, 2]], False),
        (None, [None], True),
        (float("nan"), [float("nan")], False),
    ],
)
def test_taco_call_quirks(returned: Any, expected: Any, passed: bool) -> None:
    assert run_call(TACO, returned, expected).passed is passed


def test_taco_call_detail() -> None:
    assert run_call(TACO, 4, [3]) == CheckOutcome(False, "expected [3], got 4")


# --------------------------------------------------------------------------- strict on the same vectors


def strict_oracle(got: str, expected: str) -> bool:
    """docs/checkers.md's definition of strict, for ASCII text: lines of whitespace-split tokens."""

    def grid(text: str) -> list[list[str]]:
        lines = [line.split() for line in text.split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        return lines

    return grid(got) == grid(expected)


@pytest.mark.realdata
@pytest.mark.skipif(not STDIN_ROWS, reason=NO_VECTORS)
def test_strict_follows_its_definition_on_every_stdin_vector() -> None:
    wrong = [
        (row["got"], row["expected"])
        for row in STDIN_ROWS
        if run_stdin(STRICT, row["got"], row["expected"]).passed is not strict_oracle(row["got"], row["expected"])
    ]
    assert wrong == []


@pytest.mark.realdata
@pytest.mark.skipif(not STDIN_ROWS, reason=NO_VECTORS)
@pytest.mark.parametrize(
    ("got", "expected", "taco", "strict"),
    [
        ("11\n", "1\n", True, False),
        ("55\n", "5\n", True, False),
        ("321\n", "1 2 3\n", True, False),
        ("3\n2\n1\n", "1\n2\n3\n", True, False),
        ("2\n", "2\n2\n2\n", True, False),
        ("x\ny\n", "x\n\ny\n", True, False),
        ("1 2  3\n", "1 2 3\n", False, True),
        ("10 \n20\n", "10\n20\n", False, True),
        ("1\r\n2\r\n", "1\n2\n", True, True),
        ("1.0\n", "1\n", False, False),  # strict accepts it only in float mode
        ("YES\n", "yes\n", False, False),  # ... or case-insensitive mode
    ],
)
def test_documented_stdin_differences(got: str, expected: str, taco: bool, strict: bool) -> None:
    assert {"got": got, "expected": expected} in [{"got": r["got"], "expected": r["expected"]} for r in STDIN_ROWS]
    assert run_stdin(TACO, got, expected).passed is taco
    assert run_stdin(STRICT, got, expected).passed is strict


# Every (returned, expected) pair of the call vectors on which strict and the reference disagree.
CALL_DIFFERENCES = {
    # the reference accepts, strict rejects (True == 1, False == 0 are accepted by both: Python's ==)
    ("1", "[1, 2]"): False,
    ("1.0", "[1, 2]"): False,
    ("True", "[1, 2]"): False,
    ("(1, 2)", "[[1, 2], [3, 4]]"): False,
    ("[1, 2]", "[[1, 2], [3, 4]]"): False,
    # the reference rejects, strict accepts
    ("((1, 2), (3, 4))", "[[1, 2], [3, 4]]"): True,
    ("{'1': 2}", "[{\"1\": 2}]"): True,
    ("{'1': 2}", "{\"1\": 2}"): True,
}


@pytest.mark.realdata
@pytest.mark.skipif(not CALL_ROWS, reason=NO_VECTORS)
def test_strict_differs_from_the_reference_only_where_documented_on_call_vectors() -> None:
    differences = {}
    for row in CALL_ROWS:
        strict = run_call(STRICT, python_literal(row["returned"]), row["expected"]).passed
        if strict is not row["taco"]:
            differences[(row["returned"], json.dumps(row["expected"]))] = strict
    assert differences == CALL_DIFFERENCES


# --------------------------------------------------------------------------- the docs tables are real

_STDIN_ROW = re.compile(
    r"^\| `(?P<got>\"[^`]*\")` \| `(?P<expected>\"[^`]*\")` \| (?P<taco>AC|WA) \| (?P<strict>AC|WA) \| "
    r"(?P<nocase>AC|WA) \| (?P<float>AC|WA) \|"
)
_CALL_ROW = re.compile(r"^\| `(?P<returned>[^`]*)` \| `(?P<expected>[^`]*)` \| (?P<taco>AC|WA) \| (?P<strict>AC|WA) \|")
_VERDICT = {True: "AC", False: "WA"}


def _docs_section() -> str:
    text = (REPO / "docs" / "checkers.md").read_text(encoding="utf-8")
    return text.split("## What the taco checker gets wrong", 1)[1]


@pytest.mark.realdata
@pytest.mark.skipif(not STDIN_ROWS, reason=NO_VECTORS)
def test_every_stdin_row_of_the_docs_tables_is_a_vector_with_those_verdicts() -> None:
    stdin_part = _docs_section().split("### call-based", 1)[0]
    rows = [match for line in stdin_part.splitlines() if (match := _STDIN_ROW.match(line))]
    assert len(rows) >= 30
    checkers = {
        "strict": STRICT,
        "nocase": build_checker("strict", spj_case=2),
        "float": build_checker("strict", spj_case=3),
    }
    vectors = {(r["got"], r["expected"]): r["taco"] for r in STDIN_ROWS}
    for match in rows:
        got, expected = json.loads(match["got"]), json.loads(match["expected"])
        assert (got, expected) in vectors, match.group(0)
        assert _VERDICT[vectors[(got, expected)]] == match["taco"], match.group(0)
        assert _VERDICT[run_stdin(TACO, got, expected).passed] == match["taco"], match.group(0)
        for column, checker in checkers.items():
            assert _VERDICT[run_stdin(checker, got, expected).passed] == match[column], match.group(0)


@pytest.mark.realdata
@pytest.mark.skipif(not CALL_ROWS, reason=NO_VECTORS)
def test_the_call_table_of_the_docs_lists_exactly_the_call_differences() -> None:
    call_part = _docs_section().split("### call-based", 1)[1]
    rows = [match for line in call_part.splitlines() if (match := _CALL_ROW.match(line))]
    vectors = {(r["returned"], json.dumps(r["expected"])): r["taco"] for r in CALL_ROWS}
    documented = {}
    for match in rows:
        key = (match["returned"], json.dumps(json.loads(match["expected"])))
        assert key in vectors, match.group(0)
        assert _VERDICT[vectors[key]] == match["taco"], match.group(0)
        documented[key] = match["strict"] == "AC"
    assert documented == CALL_DIFFERENCES


@pytest.mark.parametrize(
    "flood",
    [
        pytest.param(b"ab " * (11 * 1024 * 1024), id="11M-identical-tokens"),
        pytest.param(b"".join(b"%d " % i for i in range(4_000_000)), id="4M-distinct-tokens"),
        pytest.param(b"7" * (32 * 1024 * 1024), id="32M-digit-characters"),
    ],
)
def test_a_flood_of_output_does_not_grow_the_judges_memory(flood: bytes) -> None:
    """The program's output (up to the 32 MiB cap) is read token by token: the check's memory
    stays within a few copies of the text, where splitting it first took about 30 times its
    size (hostile suite: token_flood)."""
    import tracemalloc

    tracemalloc.start()
    try:
        outcome = build_checker("taco").check(STDIN, Case(0, "", "ab\n"), Observation(stdout=flood, exit_code=0))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not outcome.passed and outcome.detail
    assert peak < 6 * len(flood) + 16 * 1024 * 1024, f"{peak / 2**20:.0f} MiB for {len(flood) / 2**20:.0f} MiB of output"
