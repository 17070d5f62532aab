"""The strict checker forgives layout (spaces, CR LF, trailing blank lines) and nothing else."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taco_judge.checkers import (
    CHECKERS,
    CheckerError,
    CheckOutcome,
    ProgramChecker,
    StrictChecker,
    TacoChecker,
    build_checker,
    build_comparator,
)
from taco_judge.problems import Problem
from taco_judge.problems import TestCase as Case
from taco_judge.verdict import Observation

STDIN = Problem(task_id=1, mode="stdin", tests=())
CALL = Problem(task_id=2, mode="call", tests=(), fn_name="f")


def judge_text(got: str | bytes, expected, **options) -> CheckOutcome:
    stdout = got.encode() if isinstance(got, str) else got
    checker = build_checker("strict", **options)
    return checker.check(STDIN, Case(0, "", expected), Observation(stdout=stdout, exit_code=0))


def judge_value(returned, expected, **options) -> CheckOutcome:
    """``returned`` is already the runner's tagged JSON."""
    checker = build_checker("strict", **options)
    obs = Observation(exit_code=0, returned=True, return_value=returned)
    return checker.check(CALL, Case(0, [], expected), obs)


# --------------------------------------------------------------------------- stdin: what is forgiven


@pytest.mark.parametrize(
    ("got", "expected"),
    [
        ("1 2 3\n", "1 2 3\n"),
        ("1 2 3", "1 2 3\n"),  # missing final newline
        ("1 2 3\n\n\n", "1 2 3\n"),  # trailing blank lines
        ("1 2 3   \n", "1 2 3\n"),  # trailing spaces
        ("1 2  3\n", "1 2 3\n"),  # a run of spaces between tokens
        ("1\t2 \t 3\n", "1 2 3\n"),  # tabs separate tokens too
        ("  1 2 3\n", "1 2 3\n"),  # leading spaces on a line
        ("1\r\n2\r\n", "1\n2\n"),  # Windows line endings
        ("1\n2\n", "1\r\n2\r\n"),  # ... on either side
        ("x\n \ny\n", "x\n\ny\n"),  # a blank line may hold spaces
        ("", ""),
        ("\n\n", ""),
        ("", "\n"),
    ],
)
def test_layout_differences_are_forgiven(got: str, expected: str) -> None:
    assert judge_text(got, expected) == CheckOutcome(True, "")


@pytest.mark.parametrize(
    ("got", "expected", "detail"),
    [
        ("11\n", "1\n", "line 1, token 1: expected '1', got '11'"),
        ("1 2\n3\n", "1\n2 3\n", "line 1, token 2: expected end of line, got '2'"),
        ("321\n", "1 2 3\n", "line 1, token 1: expected '1', got '321'"),
        ("3\n2\n1\n", "1\n2\n3\n", "line 1, token 1: expected '1', got '3'"),
        ("1 2\n", "1 2 3\n", "line 1, token 3: expected '3', got end of line"),
        ("1\n", "1\n2\n", "line 2: expected '2', got end of output"),
        ("1\n2\n", "1\n", "line 2: expected end of output, got '2'"),
        ("\n42\n", "42\n", "line 1, token 1: expected '42', got end of line"),  # leading blank line
        ("x\ny\n", "x\n\ny\n", "line 2, token 1: expected end of line, got 'y'"),  # blank lines inside count
        ("YES\n", "yes\n", "line 1, token 1: expected 'yes', got 'YES'"),
        ("1.0\n", "1\n", "line 1, token 1: expected '1', got '1.0'"),
        ("01\n", "1\n", "line 1, token 1: expected '1', got '01'"),
        ("-0\n", "0\n", "line 1, token 1: expected '0', got '-0'"),
        ("0.3333333333\n", "0.333333333\n", "line 1, token 1: expected '0.333333333', got '0.3333333333'"),
        ("1\u00a02\n", "1 2\n", "line 1, token 1: expected '1', got '1\\xa02'"),  # NBSP is not a separator
        ("", "0\n", "line 1: expected '0', got end of output"),
    ],
)
def test_content_differences_are_wrong_answers(got: str, expected: str, detail: str) -> None:
    assert judge_text(got, expected) == CheckOutcome(False, detail)


def test_second_line_third_token_is_pinpointed() -> None:
    outcome = judge_text("a b c\n4 5 6 7\n", "a b c\n4 5 5 7\n")
    assert outcome.detail == "line 2, token 3: expected '5', got '6'"


def test_long_tokens_are_truncated_in_the_detail() -> None:
    outcome = judge_text("x" * 500 + "\n", "y" * 500 + "\n")
    assert not outcome.passed
    assert len(outcome.detail) <= 100
    assert "..." in outcome.detail


def test_output_that_is_not_utf8_is_a_wrong_answer() -> None:
    assert judge_text(b"1\xff\n", "1\n") == CheckOutcome(False, "output is not valid UTF-8")


def test_expected_as_a_list_of_lines_is_joined() -> None:
    assert judge_text("1\n2\n", ["1", "2"]).passed
    assert not judge_text("1 2\n", ["1", "2"]).passed


def test_expected_that_is_not_text_is_a_checker_error() -> None:
    outcome = judge_text("1\n", 1)
    assert not outcome.passed and outcome.checker_error


# --------------------------------------------------------------------------- stdin: float and case modes


@pytest.mark.parametrize(
    ("got", "expected", "passed"),
    [
        ("1.0\n", "1\n", True),
        ("0.3333333333\n", "0.333333333\n", True),
        ("1.0000001\n", "1\n", True),
        ("1.000001\n", "1\n", True),  # exactly at the tolerance
        ("1.00001\n", "1\n", False),
        ("1000000.5\n", "1000000\n", True),  # relative: 0.5 <= 1e-6 * 1e6
        ("1000002\n", "1000000\n", False),  # two integers compare exactly, even in float mode
        ("01\n", "1\n", True),  # ... by value
        ("1e3\n", "1000\n", True),
        ("nan\n", "nan\n", True),  # identical text always passes
        ("nan\n", "NaN\n", False),  # as numbers, NaN equals nothing
        ("inf\n", "inf\n", True),
        ("inf\n", "1e308\n", False),
        ("-inf\n", "inf\n", False),
        ("abc\n", "abd\n", False),  # not numbers: exact
        ("1.0 abc\n", "1 abc\n", True),
    ],
)
def test_float_mode_spj_case_3(got: str, expected: str, passed: bool) -> None:
    assert judge_text(got, expected, spj_case=3).passed is passed


def test_float_tol_option_sets_the_tolerance() -> None:
    assert judge_text("1.05\n", "1\n", float_tol=0.1).passed
    assert not judge_text("1.5\n", "1\n", float_tol=0.1).passed
    assert not judge_text("1.05\n", "1\n").passed  # off by default


def test_case_insensitive_only_when_flagged() -> None:
    assert judge_text("YES\nno\n", "yes\nNO\n", spj_case=2).passed
    assert not judge_text("YES\n", "yes\n").passed
    assert not judge_text("YES\n", "yes\n", spj_case=3).passed


# --------------------------------------------------------------------------- call mode


@pytest.mark.parametrize(
    ("returned", "expected", "passed"),
    [
        (3, [3], True),  # TACO's one-element wrapping
        (3, 3, True),
        ([1, 2], [[1, 2]], True),
        ({"$tuple": [1, 2]}, [[1, 2]], True),  # tuples compare as lists
        ([{"$tuple": [1, 2]}, {"$tuple": [3, 4]}], [[[1, 2], [3, 4]]], True),  # ... recursively
        ({"$tuple": [{"$tuple": [1, 2]}]}, [[[1, 2]]], True),
        (1.0, [1], True),  # numbers compare by value: JSON loses int/float
        (True, [1], True),  # numbers compare as Python's == (the original tests' own rule)
        (1, [True], True),
        (False, [0], True),
        ("3", [3], False),
        (0.30000000000000004, [0.3], False),  # no tolerance unless float mode
        (1, [1, 2], False),  # only a one-element list is unwrapped
        ([1], [[1], [2]], False),
        ({"$dict": [[1, 2]]}, [{"1": 2}], True),  # int keys: TACO's convention
        ({"1": 2}, [{"1": 2}], True),  # ... but JSON cannot tell, so str keys also match
        ({"$dict": [[1, 2], ["1", 3]]}, [{"1": 2}], False),  # keys colliding after JSON conversion
        ({"a": 1}, [{"a": 1, "b": 2}], False),
        ({"$set": [1, 2]}, [[1, 2]], False),  # a set is not a list
        ({"$float": "nan"}, [float("nan")], False),
        ({"$float": "inf"}, [float("inf")], True),
        ({"$opaque": "Fraction", "$repr": "Fraction(1, 1)"}, [1], False),
        (None, [None], True),
        ([], [[]], True),
        ([[]], [[]], True),  # the wrapped reading of the same expected
    ],
)
def test_call_based_equality(returned, expected, passed: bool) -> None:
    assert judge_value(returned, expected).passed is passed


def test_call_based_float_mode_compares_recursively_with_tolerance() -> None:
    assert judge_value([0.30000000000000004, {"$tuple": [1.0000001]}], [[0.3, [1]]], spj_case=3).passed
    assert not judge_value([0.31], [[0.3]], spj_case=3).passed
    assert not judge_value(1000001, [1000000], spj_case=3).passed  # ints stay exact
    assert judge_value(0.35, [0.3], float_tol=0.1).passed


def test_call_based_case_insensitive_strings() -> None:
    assert judge_value(["YES", "no"], [["yes", "NO"]], spj_case=2).passed
    assert not judge_value("YES", ["yes"]).passed


@pytest.mark.parametrize(
    ("returned", "expected", "detail"),
    [
        (4, [3], "expected 3, got 4"),
        ([1, 2, 4], [[1, 2, 3]], "at [2]: expected 3, got 4"),
        ([1, 2], [[1, 2, 3]], "expected 3 elements, got 2"),
        (True, ["yes"], "expected str 'yes', got bool True"),
        ({"$set": [1]}, [[1]], "expected list [1], got set {1}"),
        ({"a": [1, 5]}, [{"a": [1, 2]}], "at ['a'][1]: expected 2, got 5"),
        ({"a": 1}, [{"b": 1}], "missing key 'b'"),
        ({"$opaque": "Node", "$repr": "Node(1)"}, [1], "expected int 1, got Node 'Node(1)'"),
    ],
)
def test_call_based_detail_pinpoints_the_difference(returned, expected, detail: str) -> None:
    assert judge_value(returned, expected) == CheckOutcome(False, detail)


def test_call_based_without_a_return_value_fails() -> None:
    checker = build_checker("strict")
    outcome = checker.check(CALL, Case(0, [], [1]), Observation(exit_code=0, returned=False))
    assert not outcome.passed


# --------------------------------------------------------------------------- registry and options


def test_registry_names_the_checkers() -> None:
    assert CHECKERS == {"strict": StrictChecker, "taco": TacoChecker}
    assert build_checker("strict").name == "strict"
    assert build_checker("taco").name == "taco"


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("exact", {}, "unknown checker 'exact': choose one of strict, taco"),
        ("strict", {"float_tol": 0.0}, "float tolerance 0.0 must be a positive finite number, e.g. 1e-6"),
        ("strict", {"float_tol": math.nan}, "float tolerance nan must be a positive finite number, e.g. 1e-6"),
        ("strict", {"spj_case": 7}, "special-judge case 7 is not one of 0, 1, 2, 3 (see docs/checkers.md)"),
    ],
)
def test_bad_options_are_user_errors(name: str, options: dict, message: str) -> None:
    with pytest.raises(CheckerError) as info:
        build_checker(name, **options)
    assert str(info.value) == message
    assert "\n" not in str(info.value)


def test_taco_ignores_tolerance_and_special_judge_case() -> None:
    checker = build_checker("taco", spj_case=3, float_tol=0.1)
    outcome = checker.check(STDIN, Case(0, "", "1\n"), Observation(stdout=b"1.05\n", exit_code=0))
    assert not outcome.passed
    checker = build_checker("taco", spj_case=2)
    assert not checker.check(STDIN, Case(0, "", "yes\n"), Observation(stdout=b"YES\n", exit_code=0)).passed


def test_a_checker_program_is_a_comparator_of_its_own(tmp_path) -> None:
    program = tmp_path / "check.py"
    program.write_text("import sys\nsys.exit(0)\n")
    assert isinstance(build_comparator(str(program)), ProgramChecker)


# --------------------------------------------------------------------------- properties

TOKEN = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=8)
LINES = st.lists(st.lists(TOKEN, max_size=6), max_size=8)
GAP = st.text(alphabet=" \t", min_size=1, max_size=3)


def render(lines: list[list[str]], gap: str = " ", eol: str = "\n") -> str:
    return "".join(gap.join(line) + eol for line in lines)


@given(LINES)
def test_identity_always_passes(lines: list[list[str]]) -> None:
    text = render(lines)
    for options in ({}, {"spj_case": 2}, {"spj_case": 3}):
        assert judge_text(text, text, **options).passed


@given(LINES, GAP, st.text(alphabet=" \t", max_size=3), st.integers(0, 3), st.sampled_from(["\n", "\r\n"]))
def test_layout_never_matters(lines, gap: str, trailing: str, blank_lines: int, eol: str) -> None:
    got = "".join(gap.join(line) + trailing + eol for line in lines) + eol * blank_lines
    assert judge_text(got, render(lines)).passed


@given(LINES.filter(lambda lines: any(lines)), st.data())
def test_changing_one_token_always_fails(lines: list[list[str]], data) -> None:
    positions = [(i, j) for i, line in enumerate(lines) for j in range(len(line))]
    i, j = data.draw(st.sampled_from(positions))
    replacement = data.draw(TOKEN.filter(lambda token: token != lines[i][j]))
    changed = [list(line) for line in lines]
    changed[i][j] = replacement
    outcome = judge_text(render(changed), render(lines))
    assert not outcome.passed
    assert outcome.detail.startswith(f"line {i + 1}, token {j + 1}: ")


@given(LINES.filter(lambda lines: sum(1 for line in lines if line) >= 2))
def test_joining_lines_fails(lines: list[list[str]]) -> None:
    flat = [token for line in lines for token in line]
    assert not judge_text(" ".join(flat) + "\n", render(lines)).passed


FINITE = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(FINITE, st.floats(min_value=-0.9, max_value=0.9), st.sampled_from([1e-6, 1e-4, 1e-2]))
def test_float_within_tolerance_passes(expected: float, fraction: float, tol: float) -> None:
    error = fraction * tol * max(1.0, abs(expected))
    got = expected + error
    assert judge_text(f"{got!r}\n", f"{expected!r}\n", float_tol=tol).passed


@given(FINITE, st.floats(min_value=1.5, max_value=1e3), st.sampled_from([1e-6, 1e-4, 1e-2]), st.booleans())
def test_float_beyond_tolerance_fails(expected: float, factor: float, tol: float, above: bool) -> None:
    error = factor * tol * max(1.0, abs(expected))
    got = expected + error if above else expected - error
    assert not judge_text(f"{got!r}\n", f"{expected!r}\n", float_tol=tol).passed


@given(st.integers(-(10**30), 10**30), st.integers(-(10**30), 10**30))
def test_integers_compare_exactly_in_every_mode(a: int, b: int) -> None:
    for options in ({}, {"spj_case": 3}):
        assert judge_text(f"{a}\n", f"{b}\n", **options).passed is (a == b)


def test_detail_format_is_stable() -> None:
    outcome = judge_text("1 2 9\n", "1 2 3\n")
    assert re.fullmatch(r"line \d+, token \d+: expected '.*', got '.*'", outcome.detail)


def test_details_show_ints_past_the_int_str_cap_without_crashing() -> None:
    from taco_judge.checkers.base import show

    assert show(10**5000) == "<int of ~5001 digits>"
    assert show([1, -(10**6000)]) == "<list: int too long to print>"
    assert show(10**40) == repr(10**40)[:29] + "..."
