"""What the HTML report shows, computed from the runs (and the problems when given): a run's data, each task's tests and failures, and the page's shared constants."""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from taco_judge.problems import TaskId, TaskMeta, normalize_task_id, task_sort_key
from taco_judge.verdict import SampleResult, Verdict

if TYPE_CHECKING:
    from taco_judge.problems import Problem

log = logging.getLogger(__name__)

OutputKey = tuple[TaskId, int, int]  # (task_id, sample, test index)
TRUNCATE_CHARS = 2048  # input, expected, output, stderr and details are cut to this many characters
MAX_FAILURES_PER_TASK = 10  # failing samples listed per (run, task); the rest are only counted
MAX_DISAGREEMENTS = 500  # checker disagreements listed per run; metrics.json keeps up to 1000
VERDICT_COLORS: dict[str, str] = {
    "AC": "#59a14f",
    "WA": "#e15759",
    "TLE": "#f28e2b",
    "MLE": "#b07aa1",
    "RE": "#9c755f",
    "CE": "#8c8c8c",
    "OLE": "#76b7b2",
    "SE": "#333333",
}
RUN_COLORS: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#7f7f7f",
)
# Histogram bins of usage / limit: 1-2-5 steps, so "how close to the limit" reads at a glance.
RATIO_EDGES: tuple[float, ...] = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, math.inf)
RATIO_LABELS: tuple[str, ...] = ("<1%", "1-2%", "2-5%", "5-10%", "10-20%", "20-50%", "50-100%", ">100%")
@dataclass(frozen=True)
class RunData:
    """One run as the report sees it.

    ``records`` are results.jsonl objects (``SampleResult.to_json()`` shape; ``from_results``
    also takes SampleResult objects). ``metrics`` is the run's metrics.json. ``tasks`` optionally
    gives per-task difficulty and skills (problems passed to ``write_html`` fill the gaps).
    ``outputs`` optionally maps (task_id, sample, test index) to what the program printed (or
    returned, as text) on that test: results.jsonl does not keep program output, so the report
    shows it only when a caller (e.g. the results store) supplies it.
    """

    name: str
    records: tuple[dict[str, Any], ...]
    metrics: dict[str, Any]
    tasks: Mapping[TaskId, TaskMeta] = field(default_factory=dict)
    outputs: Mapping[OutputKey, str | bytes] = field(default_factory=dict)

    @classmethod
    def from_results(
        cls,
        name: str,
        results: Iterable[SampleResult | Mapping[str, Any]],
        metrics: Mapping[str, Any],
        tasks: Mapping[TaskId, TaskMeta] | None = None,
        outputs: Mapping[OutputKey, str | bytes] | None = None,
    ) -> RunData:
        """A RunData from SampleResult objects or results.jsonl records (mixed is fine)."""
        records = tuple(
            r.to_json() if isinstance(r, SampleResult) else dict(r) for r in results
        )
        return cls(name, records, dict(metrics), dict(tasks or {}), dict(outputs or {}))


@dataclass
class TaskInfo:
    task_id: TaskId
    name: str = ""
    difficulty: str = ""
    skills: tuple[str, ...] = ()
    num_tests: int | None = None
    mode: str = ""
    tests: dict[int, tuple[str, str]] = field(default_factory=dict)  # index -> (input, expected)


@dataclass(frozen=True)
class Failure:
    run: int
    sample: int
    verdict: str
    test: int | None  # index of the first failing test; None for CE / SE without tests
    detail: str
    stderr_tail: str
    got: str | None


@dataclass
class TaskRun:
    verdicts: Counter[str] = field(default_factory=Counter)
    n: int = 0  # judged (non-SE) samples
    c: int = 0
    unjudgeable: bool = False
    failures: list[Failure] = field(default_factory=list)
    failures_total: int = 0

    @property
    def pass1(self) -> float | None:
        return None if self.unjudgeable or self.n == 0 else self.c / self.n


def _record_task_id(record: Mapping[str, Any]) -> TaskId:
    return normalize_task_id(record["task_id"])


def _first_failing(record: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for test in record.get("tests") or ():
        if test.get("verdict") != Verdict.AC.value:
            return test
    return None


def _as_text(value: Any) -> str:
    """Test data / output as display text: strings as they are, other values as JSON."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):
        return repr(value)


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n... [{len(text) - limit} more characters not shown]"


def collect(
    runs: Sequence[RunData],
    problems: Iterable[Problem] | None,
    max_failures: int,
    limit: int,
) -> tuple[list[TaskId], dict[TaskId, TaskInfo], list[dict[TaskId, TaskRun]]]:
    per_run: list[dict[TaskId, TaskRun]] = []
    wanted_tests: dict[TaskId, set[int]] = {}
    for r, run in enumerate(runs):
        table: dict[TaskId, TaskRun] = {}
        for record in sorted(run.records, key=lambda x: (task_sort_key(_record_task_id(x)), x.get("sample", 0))):
            tid = _record_task_id(record)
            entry = table.setdefault(tid, TaskRun())
            verdict = str(record.get("verdict"))
            entry.verdicts[verdict] += 1
            if verdict != Verdict.SE.value:
                entry.n += 1
                entry.c += verdict == Verdict.AC.value
            entry.unjudgeable = entry.unjudgeable or bool(record.get("unjudgeable"))
            if verdict == Verdict.AC.value:
                continue
            entry.failures_total += 1
            if len(entry.failures) >= max_failures:
                continue
            sample = int(record.get("sample", 0))
            test = _first_failing(record)
            index = int(test["test"]) if test is not None and "test" in test else None
            got = run.outputs.get((tid, sample, index)) if index is not None else None
            entry.failures.append(
                Failure(
                    run=r,
                    sample=sample,
                    verdict=verdict,
                    test=index,
                    detail=_clip(_as_text((test or {}).get("detail") or record.get("detail") or ""), limit),
                    stderr_tail=_clip(_as_text((test or {}).get("stderr_tail") or ""), limit),
                    got=None if got is None else _clip(_as_text(got), limit),
                )
            )
            if index is not None:
                wanted_tests.setdefault(tid, set()).add(index)
        per_run.append(table)

    task_ids = sorted({tid for table in per_run for tid in table}, key=task_sort_key)
    infos = {tid: TaskInfo(task_id=tid) for tid in task_ids}
    for run in runs:
        for tid, meta in run.tasks.items():
            info = infos.get(normalize_task_id(tid))
            if info is not None:
                info.difficulty = info.difficulty or meta.difficulty
                info.skills = info.skills or tuple(meta.skills)
                info.mode = info.mode or meta.mode
    for run in runs:
        for record in run.records:
            info = infos[_record_task_id(record)]
            if info.num_tests is None and isinstance(record.get("num_tests"), int):
                info.num_tests = record["num_tests"]
    if problems is not None:
        remaining = set(task_ids)
        for problem in problems:
            info = infos.get(problem.task_id)
            if info is None:
                continue
            info.name = problem.name or info.name
            info.difficulty = problem.difficulty or info.difficulty
            info.skills = tuple(problem.skills) or info.skills
            info.num_tests = len(problem.tests)
            info.mode = problem.mode
            for index in sorted(wanted_tests.get(problem.task_id, ())):
                if 0 <= index < len(problem.tests):
                    case = problem.tests[index]
                    info.tests[index] = (_clip(_as_text(case.input), limit), _clip(_as_text(case.expected), limit))
            remaining.discard(problem.task_id)
            if not remaining:
                break
    return task_ids, infos, per_run
