"""Classify each test of a problem from repeated runs of its reference solutions (pure functions).

The audit runs every reference N times on every test (``audit_run.py``); this module turns those
runs into one class per test with the evidence behind it. Classes, their precedence and every
evidence field are defined in docs/audit.md; the rules below are the same, in code.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Protocol, Sequence

from taco_judge.spj import CASE_MULTI
from taco_judge.verdict import Verdict

NONDETERMINISTIC = "nondeterministic"
WRONG_EXPECTED = "wrong-expected"
NEEDS_SPECIAL_JUDGE = "needs-special-judge"
TIMING_FLAKY = "timing-flaky"
UNVERIFIED = "unverified"
OK = "ok"

# Precedence, highest first: a test gets the first class whose rule holds; the others that also
# hold are listed in evidence["also"].
CLASSES = (NONDETERMINISTIC, WRONG_EXPECTED, NEEDS_SPECIAL_JUDGE, TIMING_FLAKY, UNVERIFIED, OK)

DEFAULT_RUNS = 5
DEFAULT_SOLUTIONS = 10
DEFAULT_MARGIN = 0.2  # a clean run using >= (1 - margin) x the CPU limit is "near the limit"
DEFAULT_MIN_AGREE = 2  # references that must share a rejected answer to call the expected output wrong

# Outcomes of a run that end without an answer to compare (the program crashed or was cut off).
_CRASHES = frozenset({Verdict.RE, Verdict.MLE, Verdict.OLE})
_CLEAN = frozenset({Verdict.AC, Verdict.WA})

# Per-solution status on one test (evidence["solutions"][i]["status"]).
STABLE = "stable"  # every run that finished printed the same answer
CHANGES_OUTPUT = "changes-output"  # different answers, or an answer in some runs and a crash in others
SLOW = "slow"  # every run exceeded the CPU limit
CRASHES = "crashes"  # every run that finished crashed (RE / MLE / OLE)
NOT_RUN = "not-run"  # the jail failed every run (SE)


class OutputSpace(Protocol):
    """The distinct outputs seen on one test (and the expected one), addressed by short keys.

    ``same`` decides whether two outputs are the same answer under the problem's checker (so
    float noise on a float problem, or case on a case-insensitive one, is not a disagreement);
    ``difference`` names where ``got`` first differs from ``reference``; ``preview`` is the start
    of an output, for people.
    """

    def same(self, a: str, b: str) -> bool: ...

    def difference(self, reference: str, got: str) -> str: ...

    def preview(self, key: str) -> str: ...


@dataclass(frozen=True)
class SolutionRun:
    """One run of one reference solution on one test, reduced to what the audit compares.

    ``verdict`` is the judge's verdict against the expected output (strict checker, the
    problem's special-judge case); ``output`` is the key of the answer for runs that exited
    cleanly (AC or WA), else None. SE runs (the jail failed) take no part in any rule.
    """

    solution: int
    run: int
    verdict: Verdict
    output: str | None
    cpu_s: float
    wall_s: float


@dataclass(frozen=True)
class TestAudit:
    """The class of one test and the evidence for it (one entry of audit.json's ``tests``)."""

    __test__ = False  # not a pytest test class

    task_id: int | str
    test: int
    cls: str
    evidence: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def reason(self) -> str:
        return str(self.evidence.get("reason", ""))

    def to_json(self) -> dict[str, Any]:
        return {"task_id": self.task_id, "test": self.test, "class": self.cls, "evidence": self.evidence}


@dataclass(frozen=True)
class _Solution:
    """What one reference did on one test over all its runs."""

    solution: int
    runs: tuple[SolutionRun, ...]  # SE runs left out
    jail_failures: int
    status: str
    answer: str | None  # the one answer of a STABLE solution
    answers: tuple[str, ...]  # distinct answers (after merging same() ones), in order seen
    tle_runs: int
    near_limit_runs: int
    accepted: bool  # STABLE and its answer is AC

    @property
    def timing_flips(self) -> bool:
        return 0 < self.tle_runs < len(self.runs)


def _answers(keys: Iterable[str], outputs: OutputSpace) -> list[str]:
    """Distinct answers among keys: a key joins the first earlier answer that is the same()."""
    distinct: list[str] = []
    for key in keys:
        if not any(key == seen or outputs.same(key, seen) for seen in distinct):
            distinct.append(key)
    return distinct


def _summarize(
    solution: int,
    runs: Sequence[SolutionRun],
    outputs: OutputSpace,
    near_cpu_s: float,
) -> _Solution:
    real = tuple(r for r in runs if r.verdict is not Verdict.SE)
    failures = len(runs) - len(real)
    clean = [r for r in real if r.verdict in _CLEAN and r.output is not None]
    crashed = [r for r in real if r.verdict in _CRASHES]
    tle = [r for r in real if r.verdict is Verdict.TLE]
    answers = _answers((r.output for r in clean), outputs)  # type: ignore[misc]
    near = sum(1 for r in real if r.verdict is not Verdict.TLE and r.cpu_s >= near_cpu_s)
    answer: str | None = None
    if not real:
        status = NOT_RUN
    elif len(answers) > 1 or (answers and crashed):
        status = CHANGES_OUTPUT
    elif answers:
        status, answer = STABLE, answers[0]
    elif crashed:
        status = CRASHES
    else:
        status = SLOW if tle else NOT_RUN
    accepted = status == STABLE and all(r.verdict is Verdict.AC for r in clean)
    return _Solution(solution, real, failures, status, answer, tuple(answers), len(tle), near, accepted)


@dataclass(frozen=True)
class _Answer:
    key: str
    solutions: tuple[int, ...]
    accepted: bool


def _group_answers(stable: Sequence[_Solution], outputs: OutputSpace) -> list[_Answer]:
    """Stable solutions grouped by answer, largest group first (ties: the answer seen first)."""
    groups: list[tuple[str, list[_Solution]]] = []
    for sol in stable:
        assert sol.answer is not None
        for key, members in groups:
            if sol.answer == key or outputs.same(sol.answer, key):
                members.append(sol)
                break
        else:
            groups.append((sol.answer, [sol]))
    answers = [
        _Answer(key, tuple(m.solution for m in members), all(m.accepted for m in members)) for key, members in groups
    ]
    return sorted(answers, key=lambda a: -len(a.solutions))  # stable sort keeps first-seen order on ties


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _spread(values: Sequence[float]) -> dict[str, float] | None:
    if not values:
        return None
    return {
        "min": round(min(values), 4),
        "median": round(statistics.median(values), 4),
        "max": round(max(values), 4),
        "spread": round(max(values) - min(values), 4),
    }


def classify_test(
    task_id: int | str,
    test: int,
    runs: Sequence[SolutionRun],
    *,
    time_limit_s: float,
    outputs: OutputSpace,
    expected: str,
    margin: float = DEFAULT_MARGIN,
    min_agree: int = DEFAULT_MIN_AGREE,
    spj_case: int | None = None,
) -> TestAudit:
    """The class of one test from every run of every reference on it.

    ``expected`` is the key of the expected output in ``outputs``; ``spj_case`` is the
    problem's entry in the special-judge list (None when no list was given or the problem is
    not in it). Rules and precedence: docs/audit.md.
    """
    near_cpu_s = (1.0 - margin) * time_limit_s
    by_solution: dict[int, list[SolutionRun]] = {}
    for run in runs:
        by_solution.setdefault(run.solution, []).append(run)
    solutions = [
        _summarize(sol, sorted(by_solution[sol], key=lambda r: r.run), outputs, near_cpu_s)
        for sol in sorted(by_solution)
    ]
    ran = [s for s in solutions if s.status != NOT_RUN]
    stable = [s for s in ran if s.status == STABLE]
    answers = _group_answers(stable, outputs)

    found: dict[str, str] = {}  # class -> reason, for every rule that holds
    headline_diff: dict[str, str] | None = None

    # nondeterministic: one solution's own output changes across its runs
    changing = [s for s in ran if s.status == CHANGES_OUTPUT]
    if changing:
        first = changing[0]
        crashes = sum(1 for r in first.runs if r.verdict in _CRASHES)
        if len(first.answers) > 1:
            what = f"printed {len(first.answers)} different answers in {len(first.runs)} runs"
            headline_diff = {
                "between": [first.answers[0], first.answers[1]],
                "first_difference": outputs.difference(first.answers[0], first.answers[1]),
            }
        else:
            what = f"printed an answer in some runs and crashed in {crashes} of {len(first.runs)}"
        others = f" (and {_plural(len(changing) - 1, 'other solution')})" if len(changing) > 1 else ""
        found[NONDETERMINISTIC] = f"solution {first.solution} {what}{others}"

    # wrong-expected / needs-special-judge / ok-by-answers / unverified, from the stable solutions
    answer_class: str | None = None
    answer_reason = ""
    accepted_count = sum(len(a.solutions) for a in answers if a.accepted)
    rejected = [a for a in answers if not a.accepted]
    multi_listed = spj_case == CASE_MULTI
    if not stable:
        if not ran:
            answer_reason = "no reference solution ran on this test"
        elif all(s.status == SLOW for s in ran):
            answer_reason = "every reference exceeded the time limit, so none gave an answer"
        elif not changing:
            answer_reason = "no reference gave an answer: every one crashed (RE/MLE/OLE) or timed out"
        if answer_reason:
            answer_class = UNVERIFIED
    elif not rejected:
        answer_class = OK
        answer_reason = f"{_plural(len(stable), 'reference')} {'agrees' if len(stable) == 1 else 'agree'} with the expected output"
    elif multi_listed:
        answer_class = NEEDS_SPECIAL_JUDGE
        answer_reason = (
            f"the special-judge list marks this problem as having several valid answers, and "
            f"{len(rejected)} of the {_plural(len(answers), 'answer')} the references print "
            f"{'differs' if len(rejected) == 1 else 'differ'} from the expected output"
        )
    elif 2 * accepted_count > len(stable):
        answer_class = OK
        dissent = sorted(sol for a in rejected for sol in a.solutions)
        answer_reason = (
            f"{accepted_count} of {len(stable)} references agree with the expected output "
            f"(solution{'s' if len(dissent) > 1 else ''} {', '.join(map(str, dissent))} "
            f"{'print' if len(dissent) > 1 else 'prints'} something else and {'are' if len(dissent) > 1 else 'is'} "
            "taken to be wrong)"
        )
    elif 2 * len(answers[0].solutions) > len(stable) and not answers[0].accepted:
        top = answers[0]
        diff = outputs.difference(expected, top.key)
        if len(top.solutions) >= min_agree:
            answer_class = WRONG_EXPECTED
            answer_reason = (
                f"{len(top.solutions)} of {len(stable)} references print the same answer, "
                f"which differs from the expected output ({diff})"
            )
        else:
            answer_class = UNVERIFIED
            answer_reason = (
                f"the only reference with an answer disagrees with the expected output ({diff}); "
                f"{min_agree} agreeing references are needed to call it wrong"
            )
        headline_diff = headline_diff or {"between": ["expected", top.key], "first_difference": diff}
    else:
        answer_class = NEEDS_SPECIAL_JUDGE
        answer_reason = (
            f"the references print {len(answers)} different answers "
            f"({accepted_count} of {len(stable)} match the expected output), each the same on every run"
        )
    if answer_class == NEEDS_SPECIAL_JUDGE and headline_diff is None:
        other = rejected[0].key
        headline_diff = {"between": ["expected", other], "first_difference": outputs.difference(expected, other)}
    if answer_class is not None and answer_class != OK:
        found[answer_class] = answer_reason

    # timing-flaky: AC/TLE flips across runs, a finished run near the limit, or no reference fast enough
    flipping = [s for s in ran if s.timing_flips]
    near = [s for s in ran if s.near_limit_runs]
    if flipping:
        s = flipping[0]
        finished = Counter(r.verdict.value for r in s.runs if r.verdict is not Verdict.TLE)
        mix = ", ".join(f"{v} in {n}" for v, n in finished.items())
        found[TIMING_FLAKY] = (
            f"solution {s.solution}: TLE in {s.tle_runs} of {len(s.runs)} runs, {mix} "
            f"(CPU limit {time_limit_s:g} s)"
        )
    elif near:
        s = near[0]
        top_cpu = max(r.cpu_s for r in s.runs if r.verdict is not Verdict.TLE)
        found[TIMING_FLAKY] = (
            f"solution {s.solution} used {top_cpu:.2f} s of CPU, within {margin:.0%} of the "
            f"{time_limit_s:g} s limit"
        )
    elif ran and all(s.status == SLOW for s in ran):
        found[TIMING_FLAKY] = f"every reference exceeded the {time_limit_s:g} s CPU limit on every run"

    cls = next((c for c in CLASSES if c in found), OK)
    if cls == OK:
        reason = answer_reason or "no rule flagged this test"
    else:
        reason = found[cls]

    evidence: dict[str, Any] = {"reason": reason}
    also = [c for c in CLASSES if c in found and c != cls]
    if also:
        evidence["also"] = {c: found[c] for c in also}
    evidence["time_limit_s"] = time_limit_s
    evidence["margin"] = margin
    if spj_case is not None:
        evidence["spj_case"] = spj_case
    if cls == NEEDS_SPECIAL_JUDGE:
        evidence["spj_agrees"] = None if spj_case is None else multi_listed
    evidence["expected"] = {"output": expected, "preview": outputs.preview(expected)}
    evidence["answers"] = [
        {
            "output": a.key,
            "solutions": list(a.solutions),
            "matches_expected": a.accepted,
            "preview": outputs.preview(a.key),
            **({} if a.accepted else {"first_difference": outputs.difference(expected, a.key)}),
        }
        for a in answers
    ]
    if headline_diff is not None:
        evidence["diff"] = headline_diff
    evidence["solutions"] = [_solution_json(s) for s in solutions]
    timed = [r for s in ran for r in s.runs]
    evidence["cpu_s"] = _spread([r.cpu_s for r in timed])
    evidence["wall_s"] = _spread([r.wall_s for r in timed])
    evidence["tle_runs"] = sum(s.tle_runs for s in ran)
    evidence["near_limit_runs"] = sum(s.near_limit_runs for s in ran)
    failures = sum(s.jail_failures for s in solutions)
    if failures:
        evidence["jail_failures"] = failures
    return TestAudit(task_id, test, cls, evidence)


def _solution_json(s: _Solution) -> dict[str, Any]:
    out: dict[str, Any] = {
        "solution": s.solution,
        "status": s.status,
        "runs": len(s.runs),
        "verdicts": dict(Counter(r.verdict.value for r in s.runs)),
        "outputs": dict(Counter(r.output for r in s.runs if r.output is not None)),
    }
    if s.runs:
        out["cpu_s"] = [round(min(r.cpu_s for r in s.runs), 4), round(max(r.cpu_s for r in s.runs), 4)]
        out["wall_s"] = [round(min(r.wall_s for r in s.runs), 4), round(max(r.wall_s for r in s.runs), 4)]
    if s.jail_failures:
        out["jail_failures"] = s.jail_failures
    return out


def unverified_test(task_id: int | str, test: int, reason: str, **evidence: Any) -> TestAudit:
    """A test the audit can say nothing about (the problem has no usable reference solution)."""
    return TestAudit(task_id, test, UNVERIFIED, {"reason": reason, **evidence})


def class_counts(tests: Iterable[TestAudit]) -> dict[str, int]:
    """How many tests got each class, in precedence order, zeros left out."""
    counts = Counter(t.cls for t in tests)
    return {c: counts[c] for c in CLASSES if counts[c]}


# ------------------------------------------------------------------------- one submission, N reruns


@dataclass(frozen=True)
class Rerun:
    """One rerun of a submission: the sample verdict and, per test run, (verdict, cpu_s, wall_s)."""

    run: int
    verdict: Verdict
    tests: Mapping[int, tuple[Verdict, float, float]]


def summarize_reruns(
    reruns: Sequence[Rerun],
    *,
    time_limit_s: float,
    margin: float = DEFAULT_MARGIN,
) -> dict[str, Any]:
    """Verdict distribution and timing spread of one submission over N reruns.

    ``assessment`` is ``stable`` (same verdict every run, no finished run near the limit),
    ``flaky`` (the verdict changed across runs) or ``near-limit`` (same verdict, but a finished
    run used at least (1 - margin) of the CPU limit, so load or a slower machine may flip it).
    """
    near_cpu_s = (1.0 - margin) * time_limit_s
    real = [r for r in reruns if r.verdict is not Verdict.SE]
    verdicts = Counter(r.verdict.value for r in real)
    tests: list[dict[str, Any]] = []
    indices = sorted({i for r in real for i in r.tests})
    near = False
    for index in indices:
        seen = [r.tests[index] for r in real if index in r.tests]
        finished = [cpu for v, cpu, _ in seen if v is not Verdict.TLE]
        test_near = any(cpu >= near_cpu_s for cpu in finished)
        near = near or test_near
        tests.append({
            "test": index,
            "runs": len(seen),
            "verdicts": dict(Counter(v.value for v, _, _ in seen)),
            "cpu_s": _spread([cpu for _, cpu, _ in seen]),
            "wall_s": _spread([wall for _, _, wall in seen]),
            "near_limit": test_near,
        })
    if len(verdicts) > 1 or any(len(t["verdicts"]) > 1 for t in tests):
        assessment = "flaky"
    elif near:
        assessment = "near-limit"
    else:
        assessment = "stable"
    slowest = max(tests, key=lambda t: (t["cpu_s"] or {}).get("max", 0.0), default=None)
    return {
        "runs": len(real),
        "jail_failures": len(reruns) - len(real),
        "verdicts": dict(verdicts),
        "assessment": assessment,
        "time_limit_s": time_limit_s,
        "margin": margin,
        "slowest_test": None if slowest is None else slowest["test"],
        "tests": tests,
    }
