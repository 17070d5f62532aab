"""The quarantine file: tests the audit found unfit to decide verdicts, and how the judge treats them.

``taco-judge audit`` writes it; ``taco-judge judge --quarantine FILE`` reads it (``load``),
reorders each problem so quarantined tests run after the trusted ones (``apply``), recomputes
each sample's verdict without them (``settle``) and reports what they would have changed
(``quarantine_report``). docs/audit.md defines the format and the two actions:

- ``skip``: the test's outcome never counts (wrong expected output, several valid answers,
  nondeterministic output). It still runs, last, so the report can say how many samples it
  would have failed.
- ``rejudge``: the test is judged again under a relaxed rule: a TLE on it does not count (its
  time limit is too tight to be trusted), any other failure does (timing-flaky tests).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from taco_judge.audit import (
    NEEDS_SPECIAL_JUDGE,
    NONDETERMINISTIC,
    TIMING_FLAKY,
    WRONG_EXPECTED,
    TestAudit,
)
from taco_judge.errors import UserError, json_problem
from taco_judge.problems import Problem, normalize_task_id
from taco_judge.verdict import SampleResult, TestResult, Verdict

FORMAT = "taco-judge-quarantine"
VERSION = 1
SKIP = "skip"
REJUDGE = "rejudge"
ACTIONS = (SKIP, REJUDGE)
# What the audit writes for each class it quarantines; "ok" and "unverified" tests are not quarantined.
ACTION_BY_CLASS = {
    WRONG_EXPECTED: SKIP,
    NEEDS_SPECIAL_JUDGE: SKIP,
    NONDETERMINISTIC: SKIP,
    TIMING_FLAKY: REJUDGE,
}


class QuarantineError(UserError):
    """The quarantine file cannot be read, is malformed, or does not fit the problems judged."""


@dataclass(frozen=True)
class QuarantineEntry:
    """One quarantined test. ``tests_sha256`` (of the task's tests when audited) guards against a stale file."""

    task_id: int | str
    test: int
    action: str
    cls: str = ""
    reason: str = ""
    tests_sha256: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"task_id": self.task_id, "test": self.test, "class": self.cls, "action": self.action}
        if self.tests_sha256:
            out["tests_sha256"] = self.tests_sha256
        if self.reason:
            out["reason"] = self.reason
        return out

    def discounts(self, verdict: Verdict) -> bool:
        """Whether a failure with this verdict on this test is left out of the sample's verdict."""
        if verdict is Verdict.AC:
            return False
        return self.action == SKIP or (self.action == REJUDGE and verdict is Verdict.TLE)


@dataclass(frozen=True)
class Quarantine:
    """All quarantined tests, indexed by task. ``source`` names the file, for messages and metrics."""

    entries: tuple[QuarantineEntry, ...] = ()
    source: str = ""
    _by_task: dict[Any, dict[int, QuarantineEntry]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        by_task: dict[Any, dict[int, QuarantineEntry]] = {}
        for entry in self.entries:
            by_task.setdefault(entry.task_id, {})[entry.test] = entry
        object.__setattr__(self, "_by_task", by_task)

    def for_task(self, task_id: int | str) -> dict[int, QuarantineEntry]:
        """test index -> entry for one task (empty when nothing of it is quarantined)."""
        return self._by_task.get(task_id, {})

    @property
    def tasks(self) -> frozenset[int | str]:
        return frozenset(self._by_task)

    def __len__(self) -> int:
        return len(self.entries)


# --------------------------------------------------------------------------------- build / write / load


def from_audit(tests: Iterable[TestAudit], tests_sha256: Mapping[Any, str] | None = None) -> Quarantine:
    """The quarantine for an audit: every test whose class has an action, in task and test order."""
    hashes = tests_sha256 or {}
    entries = [
        QuarantineEntry(t.task_id, t.test, ACTION_BY_CLASS[t.cls], t.cls, t.reason, hashes.get(t.task_id))
        for t in tests
        if t.cls in ACTION_BY_CLASS
    ]
    return Quarantine(tuple(entries))


def to_json(quarantine: Quarantine, **meta: Any) -> dict[str, Any]:
    """The file's JSON object; ``meta`` (e.g. created_by, problems, runs) is kept as written."""
    return {"format": FORMAT, "version": VERSION, **meta, "tests": [e.to_json() for e in quarantine.entries]}


def write(path: str | os.PathLike[str], quarantine: Quarantine, **meta: Any) -> None:
    """Write the quarantine file atomically (a reader never sees half of it)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(to_json(quarantine, **meta), indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def load(path: str | os.PathLike[str]) -> Quarantine:
    """Read and check a quarantine file. Raises QuarantineError with one line naming the problem."""
    where = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QuarantineError(f"{where}: quarantine file not found; run `taco-judge audit --out DIR` to make DIR/quarantine.json") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QuarantineError(f"{where}: cannot read the quarantine file ({exc})") from None
    except json.JSONDecodeError as exc:
        raise QuarantineError(f"{where}: not valid JSON (line {exc.lineno}: {json_problem(exc)}); write it again with taco-judge audit") from None
    return parse(data, where)


def parse(data: Any, where: str = "quarantine") -> Quarantine:
    """Check a decoded quarantine object; ``where`` names it in error messages."""
    if not isinstance(data, dict) or not isinstance(data.get("tests"), list):
        raise QuarantineError(f'{where}: expected a JSON object with a "tests" list (the quarantine.json taco-judge audit writes)')
    if data.get("format", FORMAT) != FORMAT:
        raise QuarantineError(f'{where}: "format" is {data["format"]!r}, not {FORMAT!r}; is this a quarantine file?')
    version = data.get("version", VERSION)
    if version != VERSION:
        raise QuarantineError(f"{where}: version {version!r} is not supported (this taco-judge reads version {VERSION})")
    entries: list[QuarantineEntry] = []
    seen: set[tuple[Any, int]] = set()
    for number, item in enumerate(data["tests"]):
        at = f"{where}: tests[{number}]"
        if not isinstance(item, dict):
            raise QuarantineError(f'{at}: expected an object like {{"task_id": 3, "test": 0, "action": "skip"}}')
        raw_id = item.get("task_id")
        if raw_id is None or isinstance(raw_id, (bool, list, dict)) or not str(raw_id).strip():
            raise QuarantineError(f'{at}: missing or invalid "task_id"')
        task_id = normalize_task_id(raw_id)
        test = item.get("test")
        if isinstance(test, bool) or not isinstance(test, int) or test < 0:
            raise QuarantineError(f'{at} (task {task_id}): "test" must be a 0-based test index, not {test!r}')
        cls = item.get("class", "")
        if not isinstance(cls, str):
            raise QuarantineError(f'{at} (task {task_id}): "class" must be a string, not {cls!r}')
        action = item.get("action", ACTION_BY_CLASS.get(cls))
        if action not in ACTIONS:
            raise QuarantineError(
                f'{at} (task {task_id}, test {test}): "action" must be one of {", ".join(ACTIONS)}, not {action!r}'
            )
        sha = item.get("tests_sha256")
        if sha is not None and not isinstance(sha, str):
            raise QuarantineError(f'{at} (task {task_id}): "tests_sha256" must be a hex string')
        if (task_id, test) in seen:
            raise QuarantineError(f"{at}: task {task_id} test {test} is listed twice; keep one entry")
        seen.add((task_id, test))
        reason = item.get("reason", "")
        entries.append(QuarantineEntry(task_id, test, action, cls, reason if isinstance(reason, str) else "", sha))
    return Quarantine(tuple(entries), where)


# --------------------------------------------------------------------------------- judging with it


def apply(problem: Problem, quarantine: Quarantine) -> tuple[Problem, tuple[int, ...]]:
    """The problem to judge under the quarantine, and the indices of its skipped tests.

    Tests keep their indices; quarantined ones move after all trusted ones (``rejudge`` tests
    first, then ``skip`` tests), so with early stop a sample reaches them only once every
    trusted test has passed, and a failure on one of them never hides a real failure. Raises
    QuarantineError when the file names a test the problem does not have, or was made for
    other tests of this task (``tests_sha256``).
    """
    entries = quarantine.for_task(problem.task_id)
    if not entries:
        return problem, ()
    indices = {t.index for t in problem.tests}
    for entry in entries.values():
        if entry.tests_sha256 and entry.tests_sha256 != problem.tests_sha256:
            raise QuarantineError(
                f"{quarantine.source or 'quarantine'}: task {problem.task_id} was audited with other tests than these "
                "(tests_sha256 differs); run taco-judge audit again on this problem set"
            )
        if entry.test not in indices:
            raise QuarantineError(
                f"{quarantine.source or 'quarantine'}: task {problem.task_id} has no test {entry.test} "
                f"(it has {len(problem.tests)}); the file was made for another problem set"
            )
    rank = {REJUDGE: 1, SKIP: 2}
    ordered = sorted(problem.tests, key=lambda t: (rank[entries[t.index].action] if t.index in entries else 0, t.index))
    skipped = tuple(sorted(i for i, e in entries.items() if e.action == SKIP))
    return replace(problem, tests=tuple(ordered)), skipped


def _first_counted_failure(tests: Sequence[TestResult], entries: Mapping[int, QuarantineEntry]) -> TestResult | None:
    for test in sorted(tests, key=lambda t: t.index):
        if test.verdict is Verdict.AC:
            continue
        entry = entries.get(test.index)
        if entry is None or not entry.discounts(test.verdict):
            return test
    return None


def settle(result: SampleResult, quarantine: Quarantine, *, needs_special_judge: bool = False) -> SampleResult:
    """The sample's verdict with quarantined failures left out: the first failure that still counts.

    Pure: works on the per-test results the judge recorded. ``needs_special_judge`` (the
    problem's SampleJudge.needs_special_judge) marks a new WA as unjudgeable, as the judge does.
    Only the primary checker's verdict is recomputed (per-test verdicts of other checkers are
    not recorded); ``verdict_by_checker`` gets the new primary verdict.
    """
    entries = quarantine.for_task(result.task_id)
    if not entries or not result.tests:  # CE, or SE before any test ran: nothing to settle
        return result
    failure = _first_counted_failure(result.tests, entries)
    verdict = failure.verdict if failure else Verdict.AC
    if failure is None:
        detail = ""
    else:
        detail = f"test {failure.index}: {failure.detail}" if failure.detail else f"test {failure.index}"
    if verdict is result.verdict and detail == result.detail:
        return result
    unjudgeable = verdict is Verdict.WA and (needs_special_judge or result.unjudgeable)
    alt = dict(result.alt_verdicts)
    if alt:
        alt[result.checker] = verdict.value
    return replace(result, verdict=verdict, detail=detail, unjudgeable=unjudgeable, alt_verdicts=alt)


def quarantine_report(results: Iterable[SampleResult], quarantine: Quarantine) -> dict[str, Any]:
    """For metrics.json: per quarantined test, how many samples it failed and how many it alone would have failed.

    Works on results before or after ``settle`` (it reads the per-test results, which settle
    leaves alone). Per test: ``samples`` of its task, ``ran`` (samples that ran it: with early
    stop only those that passed every trusted test), ``failed`` (samples whose outcome on it
    was a failure) with ``verdicts``, and ``rescued``: samples that pass only because the
    quarantine left this test's failure out (their first failure, among the tests they ran).
    """
    by_task: dict[Any, list[SampleResult]] = {}
    for result in results:
        if result.task_id in quarantine.tasks:
            by_task.setdefault(result.task_id, []).append(result)
    rows: list[dict[str, Any]] = []
    rescued_total = 0
    for entry in quarantine.entries:
        samples = by_task.get(entry.task_id)
        if samples is None:
            continue
        entries = quarantine.for_task(entry.task_id)
        ran = failed = rescued = 0
        verdicts: Counter[str] = Counter()
        for result in samples:
            outcome = next((t for t in result.tests if t.index == entry.test), None)
            if outcome is not None:
                ran += 1
                verdicts[outcome.verdict.value] += 1
                failed += outcome.verdict is not Verdict.AC
            original = next((t for t in sorted(result.tests, key=lambda t: t.index) if t.verdict is not Verdict.AC), None)
            if (
                original is not None
                and original.index == entry.test
                and _first_counted_failure(result.tests, entries) is None
            ):
                rescued += 1
        rescued_total += rescued
        rows.append({
            "task_id": entry.task_id,
            "test": entry.test,
            "class": entry.cls,
            "action": entry.action,
            "samples": len(samples),
            "ran": ran,
            "failed": failed,
            "verdicts": dict(verdicts),
            "rescued": rescued,
        })
    judged = {(r["task_id"], r["test"]) for r in rows}
    return {
        "file": quarantine.source,
        "tests_quarantined": len(quarantine),
        "tests_in_run": len(rows),
        "by_action": dict(Counter(e.action for e in quarantine.entries if (e.task_id, e.test) in judged)),
        "samples_rescued": rescued_total,
        "tests": rows,
    }
