"""The default checker: the program runs as Python runs it; its output is compared token by token.

The program runs as a file (``__file__`` exists, error lines are the submitted code's), after the
preamble's imports, with the test input on stdin and also in ``input.txt``; a program that wrote
``output.txt`` and nothing on stdout is judged by that file. The comparison is line-aware and
forgives only layout, never content (docs/checkers.md defines exactly what); the detail of a
failure names the first difference (line and token, or the position inside a returned value).
"""

from __future__ import annotations

import decimal
import fractions
import itertools
import math
import re
from dataclasses import replace
from typing import Any

from taco_judge.checkers.base import (
    CASE_MULTI,
    DEFAULT_FLOAT_TOL,
    Context,
    Runs,
    TrackOutcome,
    expected_text,
    judge_tests,
    show,
    track_outcome,
    validate_options,
)
from taco_judge.judgement import test_verdict
from taco_judge.plans import Plan
from taco_judge.problems import Problem, TestCase
from taco_judge.spj import CASE_FLOAT, CASE_NOCASE
from taco_judge.values import Opaque, decode
from taco_judge.verdict import CheckOutcome, Limits, Observation, Verdict

INPUT_FILE = "input.txt"
OUTPUT_FILE = "output.txt"
# SyntaxErrors the reference evaluator forgives by running the program inside a function: not
# Python, so CE here, with a hint (a taco run judges them the reference's way).
_FUNCTION_ONLY = ("'return' outside function", "'yield' outside function", "nonlocal declaration not allowed",
                  "no binding for nonlocal")

# Whitespace that separates tokens inside a line: ASCII only. "\n" ends a line, so "\r\n" is a
# line end with a trailing "\r". Non-ASCII spaces (NBSP, U+2028, ...) are part of tokens.
_SPACES = re.compile(r"[ \t\r\v\f]+")
# A token of a line: what _SPACES separates. Used to read a program's output lazily (see
# first_difference_in_text): its memory must not grow with what the program printed.
_TOKEN = re.compile(r"[^ \t\r\v\f\n]+")
_BLANK = " \t\r\v\f\n"
_SHOWN_TOKENS = 200  # of an unexpected extra line, for its detail (show() cuts it to a few chars anyway)
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:inf|infinity|nan)", re.I)

# A value exactly at the tolerance written in decimal (1.000001 vs 1 at 1e-6) lands a few ulps over
# it in binary; this slack keeps the boundary inclusive as documented.
_TOL_SLACK = 1 + 1e-9


def _tokens(line: str) -> list[str]:
    return [token for token in _SPACES.split(line) if token]


def split_lines(text: str) -> list[list[str]]:
    """Text as lines of tokens, with trailing blank lines dropped."""
    lines = [_tokens(line) for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _same_integer(a: str, b: str) -> bool:
    """Integer literals equal in value, compared as text (no digit-count limit)."""

    def canonical(text: str) -> str:
        negative = text.startswith("-")
        digits = text.lstrip("+-").lstrip("0") or "0"
        return ("-" if negative and digits != "0" else "") + digits

    return canonical(a) == canonical(b)


def numbers_close(got: float, expected: float, tol: float) -> bool:
    """|got - expected| <= tol, or <= tol * |expected|; NaN equals nothing, infinities only themselves."""
    if math.isnan(got) or math.isnan(expected):
        return False
    if math.isinf(got) or math.isinf(expected):
        return got == expected
    diff = abs(got - expected)
    return diff <= tol * _TOL_SLACK or diff <= tol * abs(expected) * _TOL_SLACK


def program_output(problem: Problem, obs: Observation) -> Observation:
    """The observation as strict judges it: a stdin program that printed nothing but wrote
    ``output.txt`` is judged by that file (its size capped like stdout)."""
    if problem.mode == "stdin" and not obs.stdout and obs.output_file is not None:
        return replace(obs, stdout=obs.output_file, stdout_truncated=obs.output_file_truncated)
    return obs


class StrictChecker:
    """Token-by-token comparison per line; float tolerance and case folding only when asked for."""

    name = "strict"
    honours_special_judge = True

    def __init__(self, *, spj_case: int = 0, float_tol: float | None = None) -> None:
        validate_options(spj_case, float_tol)
        self.case_insensitive = spj_case == CASE_NOCASE
        if float_tol is not None:
            self.float_tol: float | None = float(float_tol)
        elif spj_case == CASE_FLOAT:
            self.float_tol = DEFAULT_FLOAT_TOL
        else:
            self.float_tol = None

    def __repr__(self) -> str:
        return f"StrictChecker(case_insensitive={self.case_insensitive}, float_tol={self.float_tol})"

    # ------------------------------------------------------------------ judging a submission

    @staticmethod
    def track_limits(limits: Limits, time_given: bool) -> Limits:
        """The problem's own limits (or the command line's)."""
        return limits

    def plan(self, ctx: Context) -> Plan:
        """The submission as written, after the preamble; stdin programs may use input.txt/output.txt."""
        problem = ctx.problem
        files = {"input_file": INPUT_FILE, "output_file": OUTPUT_FILE} if problem.mode == "stdin" else {}
        return Plan(code=ctx.code, mode=problem.mode, fn_name=problem.fn_name, preamble=ctx.preamble, **files)

    def judge(self, ctx: Context, runs: Runs) -> TrackOutcome:
        comparator = ctx.program if ctx.spj_case == CASE_MULTI and ctx.program is not None else self

        def verdict_of(test: TestCase, obs: Observation) -> tuple[Verdict, str]:
            return test_verdict(program_output(ctx.problem, obs), ctx.limits,
                                lambda o: comparator.check(ctx.problem, test, o))

        compile_error, judged = judge_tests(ctx, runs, self.plan(ctx), verdict_of)
        if compile_error is not None:
            hint = ""
            if any(phrase in compile_error for phrase in _FUNCTION_ONLY):
                hint = (" (not valid Python at the top level of a program; TACO's reference evaluator reruns such "
                        "programs wrapped in a function: --compare taco judges them its way)")
            return TrackOutcome(Verdict.CE, compile_error + hint)
        return track_outcome(ctx, judged, honours_special_judge=True)

    # ------------------------------------------------------------------ comparison

    def check(self, problem: Problem, test: TestCase, obs: Observation) -> CheckOutcome:
        if problem.mode == "call":
            return self._check_call(test, obs)
        return self.compare_text(obs.stdout, test.expected)

    # ------------------------------------------------------------------ stdin mode

    def compare_text(self, stdout: bytes, expected: Any) -> CheckOutcome:
        """Compare a program's raw stdout with a stdin test's expected output."""
        want = expected_text(expected)
        if want is None:
            return CheckOutcome(False, f"expected output is not text ({type(expected).__name__})", checker_error=True)
        try:
            got = stdout.decode("utf-8")
        except UnicodeDecodeError:
            return CheckOutcome(False, "output is not valid UTF-8")
        detail = self.first_difference_in_text(got, split_lines(want))
        return CheckOutcome(detail is None, detail or "")

    def first_difference_in_text(self, got: str, want: list[list[str]]) -> str | None:
        """Where the output first differs from the expected token grid, as "line L, token T:
        expected ..., got ..." (None when equal), reading ``got`` lazily.

        The output is the program's (up to the output cap, 32 MiB by default): splitting it all
        into tokens first costs about 30 times its size (11 million two-letter tokens: ~900 MB in
        the judge). This walks it line by line and token by token and stops at the first
        difference, so the judge's memory does not grow with the output.
        """
        end = len(got.rstrip(_BLANK))  # what follows is trailing blank lines, which are forgiven
        got_count = got.count("\n", 0, end) + 1 if end else 0
        pos = 0
        for number, want_line in enumerate(want, start=1):
            if number > got_count:
                return f"line {number}: expected {show(' '.join(want_line))}, got end of output"
            line_end = got.find("\n", pos)
            line_end = len(got) if line_end < 0 else line_end
            tokens = (m.group(0) for m in _TOKEN.finditer(got, pos, line_end))
            for index, w in enumerate(want_line, start=1):
                g = next(tokens, None)
                if g is None:
                    return f"line {number}, token {index}: expected {show(w)}, got end of line"
                if not self.tokens_equal(g, w):
                    return f"line {number}, token {index}: expected {show(w)}, got {show(g)}"
            extra = next(tokens, None)
            if extra is not None:
                return f"line {number}, token {len(want_line) + 1}: expected end of line, got {show(extra)}"
            pos = line_end + 1
        if got_count > len(want):
            number = len(want) + 1
            line_end = got.find("\n", pos)
            line_end = len(got) if line_end < 0 else line_end
            shown = itertools.islice((m.group(0) for m in _TOKEN.finditer(got, pos, line_end)), _SHOWN_TOKENS)
            return f"line {number}: expected end of output, got {show(' '.join(shown))}"
        return None

    def tokens_equal(self, got: str, want: str) -> bool:
        """One token against the expected token, under this checker's options."""
        if got == want:
            return True
        if self.case_insensitive and got.lower() == want.lower():
            return True
        if self.float_tol is None:
            return False
        if not (_NUMBER.fullmatch(got) and _NUMBER.fullmatch(want)):
            return False
        if _INTEGER.fullmatch(got) and _INTEGER.fullmatch(want):
            return _same_integer(got, want)
        return numbers_close(float(got), float(want), self.float_tol)

    # ------------------------------------------------------------------ call mode

    def _check_call(self, test: TestCase, obs: Observation) -> CheckOutcome:
        if not obs.returned:
            return CheckOutcome(False, "the function did not return a value")
        try:
            value = decode(obs.return_value)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return CheckOutcome(False, f"runner sent a malformed return value ({exc!r})", checker_error=True)
        return self.compare_value(value, test.expected)

    def compare_value(self, value: Any, expected: Any) -> CheckOutcome:
        """A returned value against TACO's expected entry, which is usually wrapped in a 1-element list."""
        wrapped = isinstance(expected, list) and len(expected) == 1
        if wrapped and self._difference(value, expected[0], "") is None:
            return CheckOutcome(True)
        difference = self._difference(value, expected, "")
        if difference is None:
            return CheckOutcome(True)
        if wrapped:  # explain against the unwrapped answer, the one the problem means
            difference = self._difference(value, expected[0], "") or difference
        return CheckOutcome(False, difference)

    def _difference(self, got: Any, want: Any, path: str) -> str | None:
        """The first difference between a returned value and an expected JSON value; None if equal."""
        where = f"at {path}: " if path else ""
        if want is None or isinstance(want, str):
            if type(got) is type(want) and (
                got == want or (self.case_insensitive and isinstance(got, str) and got.lower() == want.lower())
            ):
                return None
            return where + _mismatch(want, got)
        if isinstance(want, (int, float)):
            # Numbers compare by value as Python's == does (the original codewars/LeetCode tests
            # use ==): 66.0 == 66, True == 1, Fraction(1, 1) == 1. Floats get a tolerance only in
            # float mode.
            if isinstance(got, _NUMBERS) and self._numbers_equal(got, want):
                return None
            return where + _mismatch(want, got)
        if isinstance(want, list):
            if not isinstance(got, (list, tuple)):
                return where + _mismatch(want, got)
            for index, (g, w) in enumerate(zip(got, want)):
                difference = self._difference(g, w, f"{path}[{index}]")
                if difference is not None:
                    return difference
            if len(got) != len(want):
                return f"{where}expected {len(want)} elements, got {len(got)}"
            return None
        if isinstance(want, dict):
            if not isinstance(got, dict):
                return where + _mismatch(want, got)
            # JSON wrote the expected keys as strings; TACO's convention reads digit keys back as
            # ints. A returned key matches when json.dumps would write it the same way.
            got_by_key: dict[str, Any] = {}
            for key, item in got.items():
                text = _json_key(key)
                if text is None or text in got_by_key:
                    return f"{where}returned dict key {show(key)} has no distinct JSON form"
                got_by_key[text] = item
            want_by_key = {_json_key(key): item for key, item in want.items()}
            for key, item in want_by_key.items():
                if key not in got_by_key:
                    return f"{where}missing key {show(key)}"
                difference = self._difference(got_by_key[key], item, f"{path}[{key!r}]")
                if difference is not None:
                    return difference
            extra = [key for key in got_by_key if key not in want_by_key]
            if extra:
                return f"{where}unexpected key {show(extra[0])}"
            return None
        return where + _mismatch(want, got)

    def _numbers_equal(self, got: Any, want: int | float) -> bool:
        if self.float_tol is None or (isinstance(got, int) and isinstance(want, int)):
            return bool(got == want)
        try:
            return numbers_close(float(got), float(want), self.float_tol)
        except (OverflowError, ValueError):
            return False


_NUMBERS = (int, float, fractions.Fraction, decimal.Decimal)  # bool is an int


def _json_key(key: Any) -> str | None:
    """The string json.dumps would write for a dict key (None: it cannot be a JSON key)."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        return repr(key) if math.isfinite(key) else None
    return None


def _kind(value: Any) -> str:
    if isinstance(value, Opaque):
        return value.type_name
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, (list, tuple)):
        return "list"
    return type(value).__name__


def _mismatch(want: Any, got: Any) -> str:
    """"expected X, got Y", naming the types when they differ (1 vs True vs '1', list vs set)."""
    want_text = show(want)
    got_text = show(got.text) if isinstance(got, Opaque) else show(got)
    if _kind(want) == _kind(got):
        return f"expected {want_text}, got {got_text}"
    got_type = got.type_name if isinstance(got, Opaque) else type(got).__name__
    return f"expected {type(want).__name__} {want_text}, got {got_type} {got_text}"
