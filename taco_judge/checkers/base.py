"""What every checker shares: the comparison outcome, the judging context, the tracks' results.

A checker (``strict``, ``taco``) is a whole way of judging a submission: which programs it runs
(``Plan``s: the submission as written, or the reference evaluator's rewrites and reruns), and how
it turns each test's observation into a verdict. ``program`` is a comparator only: a user's
checker program for problems with several right answers, which checkers that honour special
judges call. The pure per-test rules (resource facts first, then the output) are in
``taco_judge.judgement``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from taco_judge.errors import UserError
from taco_judge.judgement import test_result
from taco_judge.plans import Plan
from taco_judge.problems import Problem, TestCase
from taco_judge.spj import CASE_FLOAT, CASE_MULTI, CASE_NOCASE, CASE_NONE
from taco_judge.verdict import CheckOutcome, Limits, Observation, TestResult, Verdict


class Comparator(Protocol):
    """Anything that judges the output of a run that exited cleanly."""

    name: str

    def check(self, problem: Problem, test: TestCase, obs: Observation) -> CheckOutcome: ...


@dataclass(frozen=True)
class Context:
    """What a checker judges one submission with."""

    problem: Problem
    code: str
    limits: Limits
    preamble: str
    early_stop: bool
    spj_case: int = CASE_NONE
    float_tol: float | None = None
    program: Comparator | None = None  # the user's checker program, for special-judge case 1

    @property
    def needs_special_judge(self) -> bool:
        """Several answers may be right and no checker program was given."""
        return self.spj_case == CASE_MULTI and self.program is None


class Runs(Protocol):
    """Runs a plan on the problem's test inputs in order, or replays a stored run of it.

    ``wants_more(observations so far)`` decides, after each test, whether the next one is needed;
    the observations returned are that prefix (all of them when it never says no)."""

    def run(self, plan: Plan, wants_more: Callable[[list[Observation]], bool], *,
            inputs: list[Any] | None = None) -> tuple[str | None, list[Observation]]:
        """``inputs``: other arguments than the problem's tests' (a checker's own conversion)."""


@dataclass(frozen=True)
class TrackOutcome:
    """One checker's judgement of a submission: its verdict (the first failing test's), that
    test's detail, every test it judged, and whether a WA is unjudgeable (several answers may be
    right, no special judge given)."""

    verdict: Verdict
    detail: str
    tests: tuple[TestResult, ...] = ()
    unjudgeable: bool = False


class Checker(Protocol):
    """A way of judging submissions; ``honours_special_judge``: whether it applies the problems'
    special-judge cases (case-folding, float tolerance, a checker program), or ignores them."""

    name: str
    honours_special_judge: bool

    def track_limits(self, limits: Limits, time_given: bool) -> Limits:
        """The limits this checker runs programs under (``time_given``: --timeout was given)."""
        ...

    def judge(self, ctx: Context, runs: Runs) -> TrackOutcome: ...


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




def judge_tests(ctx: Context, runs: Runs, plan: Plan,
                verdict_of: Callable[[TestCase, Observation], tuple[Verdict, str]], *,
                inputs: list[Any] | None = None,
                keep_going: Callable[[list[tuple[Verdict, str]]], bool] | None = None,
                ) -> tuple[str | None, list[tuple[Verdict, str, Observation]]]:
    """Run ``plan`` on the tests (or on ``inputs``), judging each observation with ``verdict_of``.

    With early stop the run ends at the first test that is not AC, unless ``keep_going`` (told
    every verdict so far) says the next test is still needed. The compile error, or each judged test.
    """
    tests = ctx.problem.tests
    memo: dict[int, tuple[Verdict, str]] = {}  # id(observation) -> verdict: each judged once

    def judged(index: int, obs: Observation) -> tuple[Verdict, str]:
        if id(obs) not in memo:
            memo[id(obs)] = verdict_of(tests[index], obs)
        return memo[id(obs)]

    def wants_more(observations: list[Observation]) -> bool:
        verdict = judged(len(observations) - 1, observations[-1])[0]
        if verdict is Verdict.AC or not ctx.early_stop:
            return True
        return keep_going is not None and keep_going([judged(i, o) for i, o in enumerate(observations)])

    compile_error, observations = runs.run(plan, wants_more, inputs=inputs)
    return compile_error, [(*judged(i, obs), obs) for i, obs in enumerate(observations)]


def track_outcome(ctx: Context, judged: list[tuple[Verdict, str, Observation]], *,
                  honours_special_judge: bool) -> TrackOutcome:
    """The track's verdict from its judged tests: the first failing test's, with that test's detail."""
    tests = ctx.problem.tests  # in run order (a quarantine puts its tests last): each keeps its own index
    results = tuple(test_result(tests[i].index, obs, verdict, detail) for i, (verdict, detail, obs) in enumerate(judged))
    failing = next((r for r in results if r.verdict is not Verdict.AC), None)
    if failing is None:
        return TrackOutcome(Verdict.AC, "", results)
    detail = f"test {failing.index}: {failing.detail}" if failing.detail else f"test {failing.index}"
    unjudgeable = failing.verdict is Verdict.WA and ctx.needs_special_judge and honours_special_judge
    return TrackOutcome(failing.verdict, detail, results, unjudgeable)
