"""Judged samples -> the numbers in ``metrics.json``: unbiased pass@k, breakdowns, rates, resources.

Pure functions, no I/O. ``docs/metrics.md`` defines every key of the returned dict and the rules
for samples that cannot be scored (SE samples, unjudgeable tasks).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from taco_judge.problems import TaskId, TaskMeta, difficulty_sort_key, task_sort_key
from taco_judge.stats import cached_pass_at_k, pass_at_k, percentile, validate_ks
from taco_judge.verdict import SampleResult, Verdict

if TYPE_CHECKING:
    from taco_judge.score import ScoreWeights


DEFAULT_KS: tuple[int, ...] = (1, 10, 100)  # TACO's compute_metric.py default k_list
PERCENTILES: tuple[int, ...] = (50, 90, 95, 99)
DISAGREEMENTS_CAP = 1000
NO_SKILL = "(none)"
_VERDICT_VALUES = frozenset(v.value for v in Verdict)
# Verdicts that get a "<verdict>_rate" key at the top level of metrics.json.
RATE_VERDICTS: tuple[Verdict, ...] = (
    Verdict.TLE,
    Verdict.MLE,
    Verdict.RE,
    Verdict.WA,
    Verdict.CE,
    Verdict.OLE,
    Verdict.SE,
)


def compute_metrics(
    samples: Iterable[SampleResult],
    tasks: Mapping[TaskId, TaskMeta],
    ks: Sequence[int] = DEFAULT_KS,
    *,
    checker_names: Sequence[str] | None = None,
    score_weights: ScoreWeights | None = None,
) -> dict[str, Any]:
    """Everything ``metrics.json`` holds, computed from the judged samples of a run.

    ``tasks`` gives each task's metadata (a task without an entry falls in the 'unknown' groups);
    only tasks with at least one sample are counted. ``ks`` are the k of the TACO-compatible
    ``pass@k`` keys and of the breakdowns. ``checker_names`` chooses and orders the checkers of
    ``by_checker``; by default, every checker named by the samples. ``score_weights`` sets the
    composite's weights in ``score`` (default ``ScoreWeights()``). Raises ValueError on bad ks
    or on two results for the same (task_id, sample).
    """
    ks = validate_ks(ks)
    by_task: dict[TaskId, list[SampleResult]] = defaultdict(list)
    seen: set[tuple[TaskId, int]] = set()
    for result in samples:
        key = (result.task_id, result.sample)
        if key in seen:
            raise ValueError(f"two results for task {result.task_id!r} sample {result.sample}")
        seen.add(key)
        by_task[result.task_id].append(result)
    task_ids = sorted(by_task, key=task_sort_key)
    for tid in task_ids:
        by_task[tid].sort(key=lambda s: s.sample)
    all_samples = [s for tid in task_ids for s in by_task[tid]]
    metas = {tid: tasks.get(tid) or TaskMeta(task_id=tid) for tid in task_ids}
    stats = {tid: _TaskStats.of(by_task[tid]) for tid in task_ids}
    scored = [tid for tid in task_ids if not stats[tid].unjudgeable]

    out: dict[str, Any] = {}
    # TACO-compatible head: pass@k only for ks every scored task has k judged samples for.
    scored_nc = [(stats[tid].n, stats[tid].c) for tid in scored]
    detail: dict[str, dict[str, float]] = {}
    for k in ks:
        if scored and all(n >= k for n, _ in scored_nc):
            values = [pass_at_k(n, c, k) for n, c in scored_nc]
            out[f"pass@{k}"] = sum(values) / len(values)
            detail[f"pass@{k}"] = {str(tid): v for tid, v in zip(scored, values)}
    out["detail"] = detail

    out["ks"] = list(ks)
    max_n = max((n for n, _ in scored_nc), default=0)
    out["pass_at_k"] = [
        _coverage_entry(k, scored_nc) for k in sorted(set(range(1, max_n + 1)) | set(ks))
    ]

    out["counts"] = {
        "tasks": len(task_ids),
        "samples": len(all_samples),
        "tests": sum(len(s.tests) for s in all_samples),
        "scored_tasks": len(scored),
        "scored_samples": sum(n for n, _ in scored_nc),
        "tasks_without_meta": sum(1 for tid in task_ids if tid not in tasks),
    }

    verdicts = _verdict_counts(s.verdict for s in all_samples)
    out["verdicts"] = verdicts
    out["tests_verdicts"] = _verdict_counts(t.verdict for s in all_samples for t in s.tests)
    total = len(all_samples)
    for verdict in RATE_VERDICTS:
        out[f"{verdict.value.lower()}_rate"] = verdicts[verdict.value] / total if total else 0.0

    se_tasks = [tid for tid in task_ids if stats[tid].se]
    out["se_samples_excluded"] = verdicts[Verdict.SE.value]
    out["se"] = {
        "samples": verdicts[Verdict.SE.value],
        "tasks": len(se_tasks),
        "task_ids": se_tasks,
        "tasks_without_judged_samples": [tid for tid in task_ids if stats[tid].n == 0],
    }

    unjudgeable = [tid for tid in task_ids if stats[tid].unjudgeable]
    out["unjudgeable"] = {
        "tasks": len(unjudgeable),
        "samples": sum(stats[tid].flagged for tid in unjudgeable),
        "task_samples": sum(len(by_task[tid]) for tid in unjudgeable),
        "task_ids": unjudgeable,
        "spj_cases": dict(sorted(Counter(str(metas[tid].spj_case) for tid in unjudgeable).items())),
        "pass@k_bounds": _unjudgeable_bounds(task_ids, stats, ks) if unjudgeable else {},
    }

    groups: dict[str, dict[str, list[TaskId]]] = {
        "by_difficulty": defaultdict(list),
        "by_skill": defaultdict(list),
        "by_source": defaultdict(list),
        "by_mode": defaultdict(list),
    }
    for tid in task_ids:
        meta = metas[tid]
        groups["by_difficulty"][meta.difficulty or "UNKNOWN"].append(tid)
        for skill in dict.fromkeys(meta.skills or (NO_SKILL,)):
            groups["by_skill"][skill].append(tid)
        groups["by_source"][meta.source or "unknown"].append(tid)
        groups["by_mode"][meta.mode or "unknown"].append(tid)
    for name, members in groups.items():
        order = difficulty_sort_key if name == "by_difficulty" else (lambda label: (0, label))
        out[name] = {
            label: _group_entry(members[label], by_task, stats, ks)
            for label in sorted(members, key=order)
        }

    out["resources"] = _resources([s for s in all_samples if s.verdict is Verdict.AC])

    names = list(checker_names) if checker_names is not None else _checker_names(all_samples)
    # A checker that ignores special judges (taco: the reference's number) scores every task, as the
    # reference does; one that honours them leaves out the tasks it could not judge.
    out["by_checker"] = {
        name: _checker_entry(name, [(tid, by_task[tid]) for tid in (scored if _honours_special_judge(name)
                                                                     else task_ids)], ks)
        for name in names
    }
    disagreements = _disagreements(all_samples)
    out["disagreements_count"] = len(disagreements)
    out["disagreements"] = disagreements[:DISAGREEMENTS_CAP]
    # Imported here, not at the top: score.py builds on this module's helpers.
    from taco_judge.score import compute_score

    out["score"] = compute_score(all_samples, metas, score_weights)
    return out


@dataclass(frozen=True)
class _TaskStats:
    """Per-task counts: n judged (non-SE) samples, c of them AC, SE and unjudgeable flags."""

    n: int
    c: int
    se: int
    flagged: int
    unjudgeable: bool
    c_if_flagged_pass: int

    @classmethod
    def of(cls, results: list[SampleResult]) -> _TaskStats:
        judged = [s for s in results if s.verdict is not Verdict.SE]
        c = sum(1 for s in judged if s.passed)
        flagged = sum(1 for s in results if s.unjudgeable)
        flagged_failing = sum(1 for s in judged if s.unjudgeable and not s.passed)
        return cls(
            n=len(judged),
            c=c,
            se=len(results) - len(judged),
            flagged=flagged,
            unjudgeable=flagged > 0,
            c_if_flagged_pass=c + flagged_failing,
        )


def _mean_pass_at_k(nc: Sequence[tuple[int, int]], k: int) -> tuple[float | None, int]:
    """Mean pass@k over the tasks with n >= k, and how many those are (None when none)."""
    values = [cached_pass_at_k(n, c, k) for n, c in nc if n >= k]
    return (sum(values) / len(values) if values else None), len(values)


def _coverage_entry(k: int, nc: Sequence[tuple[int, int]]) -> dict[str, Any]:
    value, used = _mean_pass_at_k(nc, k)
    return {"k": k, "value": value, "tasks": used, "tasks_left_out": len(nc) - used}


def _verdict_counts(verdicts: Iterable[Verdict]) -> dict[str, int]:
    counts = Counter(verdicts)
    return {v.value: counts.get(v, 0) for v in Verdict}


def _group_entry(
    members: list[TaskId],
    by_task: Mapping[TaskId, list[SampleResult]],
    stats: Mapping[TaskId, _TaskStats],
    ks: Sequence[int],
) -> dict[str, Any]:
    nc = [(stats[tid].n, stats[tid].c) for tid in members if not stats[tid].unjudgeable]
    coverage = [_coverage_entry(k, nc) for k in ks]
    entry: dict[str, Any] = {
        "tasks": len(members),
        "samples": sum(len(by_task[tid]) for tid in members),
        "scored_tasks": len(nc),
        "unjudgeable_tasks": sum(1 for tid in members if stats[tid].unjudgeable),
        "se_samples": sum(stats[tid].se for tid in members),
    }
    for item in coverage:
        entry[f"pass@{item['k']}"] = item["value"]
    entry["pass_at_k"] = coverage
    entry["verdicts"] = _verdict_counts(s.verdict for tid in members for s in by_task[tid])
    # The population of pass@k above: a table that puts pass@1 beside a verdict mix shows these.
    scored = [tid for tid in members if not stats[tid].unjudgeable]
    entry["scored_samples"] = sum(len(by_task[tid]) for tid in scored)
    entry["scored_verdicts"] = _verdict_counts(s.verdict for tid in scored for s in by_task[tid])
    return entry


def _unjudgeable_bounds(
    task_ids: Sequence[TaskId], stats: Mapping[TaskId, _TaskStats], ks: Sequence[int]
) -> dict[str, dict[str, Any]]:
    """pass@k over all tasks (unjudgeable ones included) with flagged samples failed / passed."""
    low_nc = [(stats[tid].n, stats[tid].c) for tid in task_ids]
    high_nc = [(stats[tid].n, stats[tid].c_if_flagged_pass) for tid in task_ids]
    bounds = {}
    for k in ks:
        low, used = _mean_pass_at_k(low_nc, k)
        high, _ = _mean_pass_at_k(high_nc, k)
        bounds[f"pass@{k}"] = {"low": low, "high": high, "tasks": used}
    return bounds


def _resources(accepted: Sequence[SampleResult]) -> dict[str, Any]:
    """Percentiles over accepted samples of each sample's worst test, absolute and per limit."""
    measured = [s for s in accepted if s.tests]
    series: dict[str, list[float]] = {
        "cpu_time_ratio": [],
        "peak_memory_ratio": [],
        "cpu_s": [],
        "wall_s": [],
        "peak_mb": [],
    }
    for s in measured:
        cpu = max(t.cpu_s for t in s.tests)
        peak = max(t.peak_mb for t in s.tests)
        series["cpu_s"].append(cpu)
        series["wall_s"].append(max(t.wall_s for t in s.tests))
        series["peak_mb"].append(peak)
        series["cpu_time_ratio"].append(cpu / s.limits.time_limit_s)
        series["peak_memory_ratio"].append(peak / s.limits.memory_mb)
    out: dict[str, Any] = {"accepted_samples": len(measured)}
    for name, values in series.items():
        stats_: dict[str, float | None] = {
            f"p{p}": (percentile(values, p) if values else None) for p in PERCENTILES
        }
        stats_["max"] = max(values) if values else None
        out[name] = stats_
    out["accepted_over_half_time_limit"] = sum(1 for r in series["cpu_time_ratio"] if r > 0.5)
    out["accepted_over_half_memory_limit"] = sum(1 for r in series["peak_memory_ratio"] if r > 0.5)
    return out


def _verdicts_by_checker(result: SampleResult) -> dict[str, str]:
    """Every checker's verdict on one sample; the sample's own checker has the last word."""
    verdicts = {name: str(v) for name, v in result.alt_verdicts.items()}
    verdicts[result.checker] = result.verdict.value
    return verdicts


def _honours_special_judge(name: str) -> bool:
    from taco_judge.checkers import CHECKERS

    return bool(getattr(CHECKERS.get(name), "honours_special_judge", True))


def _checker_names(samples: Sequence[SampleResult]) -> list[str]:
    primary = dict.fromkeys(s.checker for s in samples)
    others = sorted({name for s in samples for name in s.alt_verdicts} - set(primary))
    return [*primary, *others]


def _checker_entry(
    name: str, scored: Sequence[tuple[TaskId, list[SampleResult]]], ks: Sequence[int]
) -> dict[str, Any]:
    """One checker's TACO-compatible pass@k over the tasks it scores (its SE verdicts excluded)."""
    nc: list[tuple[int, int]] = []
    verdicts: Counter[str] = Counter()
    for _tid, results in scored:
        mine = [v for v in (_verdicts_by_checker(s).get(name) for s in results) if v is not None]
        for v in mine:
            if v not in _VERDICT_VALUES:
                raise ValueError(f"checker {name!r} gave an unknown verdict {v!r}")
        verdicts.update(mine)
        judged = [v for v in mine if v != Verdict.SE.value]
        nc.append((len(judged), sum(1 for v in judged if v == Verdict.AC.value)))
    entry: dict[str, Any] = {}
    for k in ks:
        if nc and all(n >= k for n, _ in nc):
            entry[f"pass@{k}"] = sum(pass_at_k(n, c, k) for n, c in nc) / len(nc)
    entry["pass_at_k"] = [_coverage_entry(k, nc) for k in ks]
    entry["samples"] = sum(verdicts.values())
    entry["verdicts"] = {v.value: verdicts.get(v.value, 0) for v in Verdict}
    return entry


def _disagreements(samples: Sequence[SampleResult]) -> list[dict[str, Any]]:
    """Samples that one checker passes and another fails, in (task_id, sample) order."""
    out = []
    for s in samples:
        verdicts = _verdicts_by_checker(s)
        if len({v == Verdict.AC.value for v in verdicts.values()}) > 1:
            out.append({"task_id": s.task_id, "sample": s.sample, **verdicts})
    return out


def scored_counts(samples: Iterable[SampleResult]) -> dict[TaskId, tuple[int, int]]:
    """(n judged samples, c of them AC) per scored task, the population of every pass@k above.

    SE samples are left out of n and unjudgeable tasks are left out entirely, as in
    ``compute_metrics``; a task whose every sample is SE has n = 0 and counts for no k.
    """
    by_task: dict[TaskId, list[SampleResult]] = defaultdict(list)
    for result in samples:
        by_task[result.task_id].append(result)
    out: dict[TaskId, tuple[int, int]] = {}
    for tid in sorted(by_task, key=task_sort_key):
        stats = _TaskStats.of(by_task[tid])
        if not stats.unjudgeable:
            out[tid] = (stats.n, stats.c)
    return out


