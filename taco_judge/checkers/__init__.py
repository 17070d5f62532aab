"""Output checkers: turn one clean run's observation and the expected output into pass/fail.

A checker is one small file in this package plus one line in ``CHECKERS``. ``docs/checkers.md``
defines what each checker forgives; the tests assert exactly that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

from taco_judge.errors import UserError
from taco_judge.problems import Problem, TestCase
from taco_judge.spj import CASE_FLOAT, CASE_MULTI, CASE_NOCASE, CASE_NONE
from taco_judge.verdict import Observation


@dataclass(frozen=True)
class CheckOutcome:
    """The judgement of one output.

    ``detail`` explains the first difference ("" when passed); ``checker_error`` means the checker
    itself failed (a user checker program crashed), which the judge reports as SE, not WA.
    """

    passed: bool
    detail: str = ""
    checker_error: bool = False


class Checker(Protocol):
    """Anything that judges the output of a run that exited cleanly."""

    name: str

    def check(self, problem: Problem, test: TestCase, obs: Observation) -> CheckOutcome: ...


class CheckerError(UserError):
    """A checker cannot be built from the options given (unknown name, bad tolerance, missing program)."""


DEFAULT_FLOAT_TOL = 1e-6

_DETAIL_VALUE_CHARS = 32


def show(value: Any, limit: int = _DETAIL_VALUE_CHARS) -> str:
    """A short quoted rendering of a token or value for detail messages."""
    try:
        text = value if isinstance(value, str) else repr(value)
    except ValueError:  # an int past CPython's 4300-digit int/str cap, alone or inside a container
        if isinstance(value, int):
            text = f"<int of ~{int(abs(value).bit_length() * 0.30103) + 1} digits>"
        else:
            text = f"<{type(value).__name__}: int too long to print>"
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return repr(text) if isinstance(value, str) else text


def expected_text(expected: Any) -> str | None:
    """The expected stdout of a stdin test: TACO stores a string, or sometimes a list of lines."""
    if isinstance(expected, str):
        return expected
    if isinstance(expected, list) and all(isinstance(line, str) for line in expected):
        return "\n".join(expected)
    return None


def validate_options(spj_case: int, float_tol: float | None) -> None:
    """Reject options no checker can honour, with a message naming the option."""
    if isinstance(spj_case, bool) or spj_case not in (CASE_NONE, CASE_MULTI, CASE_NOCASE, CASE_FLOAT):
        raise CheckerError(f"special-judge case {spj_case!r} is not one of 0, 1, 2, 3 (see docs/checkers.md)")
    if float_tol is not None and (
        isinstance(float_tol, bool)
        or not isinstance(float_tol, (int, float))
        or not math.isfinite(float_tol)
        or float_tol <= 0
    ):
        raise CheckerError(f"float tolerance {float_tol!r} must be a positive finite number, e.g. 1e-6")


# The registry imports come after the shared definitions above, which the checker modules import.
from taco_judge.checkers.program import ProgramChecker  # noqa: E402
from taco_judge.checkers.strict import StrictChecker  # noqa: E402
from taco_judge.checkers.taco import TacoChecker  # noqa: E402

CHECKERS: dict[str, type] = {
    "strict": StrictChecker,
    "taco": TacoChecker,
}


def build_checker(
    name: str, *, spj_case: int = 0, float_tol: float | None = None, program: str | None = None
) -> Checker:
    """Build the checker for one problem.

    ``name`` picks a registered checker; ``spj_case`` is the problem's TACO special-judge case
    (2 = case-insensitive, 3 = float answers); ``float_tol`` turns on float tolerance explicitly;
    ``program`` is a user checker program, which, when given, judges instead of ``name``.
    """
    validate_options(spj_case, float_tol)
    if program is not None:
        return ProgramChecker(program)
    try:
        cls = CHECKERS[name]
    except KeyError:
        choices = ", ".join(sorted(CHECKERS))
        raise CheckerError(f"unknown checker {name!r}: choose one of {choices}") from None
    return cls(spj_case=spj_case, float_tol=float_tol)


__all__ = [
    "CASE_FLOAT",
    "CASE_MULTI",
    "CASE_NOCASE",
    "CASE_NONE",
    "CHECKERS",
    "DEFAULT_FLOAT_TOL",
    "CheckOutcome",
    "Checker",
    "CheckerError",
    "ProgramChecker",
    "StrictChecker",
    "TacoChecker",
    "build_checker",
]
