"""Checkers, found by name: a new one is one file in this package plus one line in ``CHECKERS``.

``strict`` (the default) runs a program as Python runs it and compares token by token; ``taco``
is TACO's reference evaluator's whole path, bugs included. ``program`` is a user's checker
program for problems with several right answers; checkers that honour special judges use it.
docs/checkers.md defines what each one forgives; the tests assert exactly that.
"""

from __future__ import annotations

from taco_judge.checkers.base import (
    CASE_FLOAT,
    CASE_MULTI,
    CASE_NOCASE,
    CASE_NONE,
    DEFAULT_FLOAT_TOL,
    Checker,
    CheckerError,
    Comparator,
    validate_options,
)
from taco_judge.checkers.program import ProgramChecker
from taco_judge.checkers.strict import StrictChecker
from taco_judge.checkers.taco import TacoChecker
from taco_judge.verdict import CheckOutcome

CHECKERS: dict[str, type] = {
    "strict": StrictChecker,
    "taco": TacoChecker,
}
# What a run compares with (``--compare``, the API's and the service's ``checker``): the first
# checker of a set decides each sample's verdict, the others are reported beside it.
CHECKER_SETS: dict[str, tuple[str, ...]] = {"strict": ("strict",), "taco": ("taco",), "both": ("strict", "taco")}


def build_checker(name: str, *, spj_case: int = 0, float_tol: float | None = None) -> Checker:
    """The checker ``name`` for one problem: ``spj_case`` is the problem's TACO special-judge case
    (2 = case-insensitive, 3 = float answers), ``float_tol`` turns float tolerance on explicitly;
    checkers that do not honour special judges accept and ignore both."""
    validate_options(spj_case, float_tol)
    try:
        cls = CHECKERS[name]
    except KeyError:
        raise CheckerError(f"unknown checker {name!r}: choose one of {', '.join(sorted(CHECKERS))}") from None
    return cls(spj_case=spj_case, float_tol=float_tol)


def build_comparator(program: str) -> Comparator:
    """A user's checker program (``--checker``), for problems with several right answers."""
    return ProgramChecker(program)


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
    "Comparator",
    "ProgramChecker",
    "StrictChecker",
    "TacoChecker",
    "build_checker",
    "build_comparator",
]
