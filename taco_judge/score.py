"""The code-capability score of a run: correctness with a bootstrap CI, resource facts, a composite.

Pure functions, no I/O. ``compute_score`` gives the ``score`` entry of ``metrics.json``; the README
("Code-capability score") explains the formula with a worked example and ``docs/metrics.md``
defines every key. Which samples count follows ``metrics.py``: SE samples are left out of n,
unjudgeable tasks are left out entirely.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from taco_judge.errors import UserError
from taco_judge.problems import UNLABELLED_DIFFICULTIES, TaskId, TaskMeta, difficulty_sort_key, task_sort_key
from taco_judge.stats import BOOTSTRAP_SEED, percentile, percentile_interval
from taco_judge.verdict import SampleResult, Verdict

DEFAULT_CHECKER = "strict"
BOOTSTRAP_RESAMPLES = 1000
CI_LEVEL = 0.95
# score.averaging: how correctness averages the difficulty groups (docs/metrics.md).
AVERAGING_LEVELS = "levels"  # every task labelled: each difficulty level weighs the same
AVERAGING_TASKS = "tasks"  # no task labelled: the plain mean over tasks
AVERAGING_MIXED = "levels_and_unlabelled_tasks"  # labelled levels share their tasks' weight; unlabelled tasks one each
# The verdicts that count as resource failures, in the order used everywhere in the score.
RESOURCE_VERDICTS: tuple[Verdict, ...] = (Verdict.TLE, Verdict.MLE, Verdict.RE)


@dataclass(frozen=True)
class ScoreWeights:
    """How much each kind of resource failure discounts correctness in the composite.

    A weight w for verdict X removes w x (the share of samples ending in X) of correctness, in
    proportion: composite = correctness x (1 - w_tle R_tle - w_mle R_mle - w_re R_re). Weights
    are in [0, 1], which keeps the composite in [0, correctness]. Defaults: TLE and MLE cost half
    a sample each, since such a program exhausted a budget (CPU seconds, memory) someone pays for
    and may have been right but too slow or too big; RE costs a quarter, since a crash fails fast
    and is mostly a correctness failure that pass@1 already counts.
    """

    tle: float = 0.5
    mle: float = 0.5
    re: float = 0.25

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"score weight {item.name} must be a number in [0, 1], got {value!r}")
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                raise ValueError(f"score weight {item.name} must be in [0, 1], got {value!r}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], origin: str = "score weights") -> ScoreWeights:
        """Weights from a config table such as ``{"tle": 0.5, "re": 0.1}`` (missing keys keep defaults).

        ``origin`` names the file and table in the error (a UserError, one line) raised for an
        unknown key or a value outside [0, 1].
        """
        known = {item.name for item in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise UserError(
                f"{origin}: unknown score weight {unknown[0]!r}; use {', '.join(sorted(known))}"
            )
        try:
            return cls(**{key: values[key] for key in values})
        except (TypeError, ValueError) as exc:
            raise UserError(f"{origin}: {exc}") from None

    @classmethod
    def from_text(cls, text: str, origin: str = "--score-weights") -> ScoreWeights:
        """Weights from ``"tle=0.5,mle=0.5,re=0.1"`` (the form ``to_text`` writes); UserError if malformed."""
        values: dict[str, Any] = {}
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            key, sep, number = part.partition("=")
            try:
                if not sep:
                    raise ValueError(part)
                values[key.strip().lower()] = float(number)
            except ValueError:
                raise UserError(f"{origin} {text!r}: expected name=weight pairs like tle=0.5,mle=0.5,re=0.25") from None
        return cls.from_mapping(values, origin=f"{origin} {text!r}")

    def to_text(self) -> str:
        """``"tle=0.5,mle=0.5,re=0.25"``: what ``from_text`` reads."""
        return ",".join(f"{item.name}={float(getattr(self, item.name))!r}" for item in fields(self))

    def by_verdict(self) -> dict[str, float]:
        """``{"TLE": w, "MLE": w, "RE": w}``, as written to metrics.json."""
        return {v.value: float(getattr(self, v.value.lower())) for v in RESOURCE_VERDICTS}


def composite_from_rates(correctness: float, rates: Mapping[str, float], weights: ScoreWeights) -> float:
    """The composite: ``correctness x (1 - sum over TLE, MLE, RE of weight x rate)``.

    ``correctness`` is in [0, 100]; ``rates`` maps "TLE", "MLE", "RE" to the share of samples
    ending in that verdict (averaged like correctness, so the shares and correctness/100 sum to
    at most 1). The result is in [0, correctness].
    """
    return correctness * (1.0 - penalty_from_rates(rates, weights))


def penalty_from_rates(rates: Mapping[str, float], weights: ScoreWeights) -> float:
    """The discount factor's complement: sum over TLE, MLE, RE of weight x rate, in [0, 1]."""
    w = weights.by_verdict()
    return min(1.0, sum(w[name] * rates.get(name, 0.0) for name in w))


@dataclass(frozen=True)
class _TaskCounts:
    """One scored task under the chosen checker: n judged samples, how many AC / TLE / MLE / RE."""

    task_id: TaskId
    n: int
    ac: int
    tle: int
    mle: int
    re: int

    def shares(self) -> tuple[float, float, float, float]:
        return (self.ac / self.n, self.tle / self.n, self.mle / self.n, self.re / self.n)


def compute_score(
    samples: Iterable[SampleResult],
    tasks: Mapping[TaskId, TaskMeta],
    weights: ScoreWeights | None = None,
    *,
    checker: str = DEFAULT_CHECKER,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> dict[str, Any]:
    """The ``score`` entry of metrics.json (keys defined in docs/metrics.md).

    ``checker`` picks whose verdicts count (the sample's own verdict or its
    ``verdict_by_checker`` entry); when no sample has a verdict from it, every sample's own
    verdict is used and ``score.checker`` says which checker that was. ``tasks`` gives each
    task's difficulty (a task without an entry is ``UNKNOWN``). Labelled difficulty levels weigh
    the same; unlabelled tasks (``UNKNOWN``) are not a level but weigh one task each, so that
    hundreds of them do not count as much as five EASY tasks (``group_weights``). The CI is a
    percentile bootstrap over problems, resampled within difficulty groups, with a fixed ``seed``.
    """
    weights = weights or ScoreWeights()
    if resamples < 1:
        raise ValueError(f"resamples must be >= 1, got {resamples}")
    samples = list(samples)
    use_checker = checker if any(_verdict(s, checker) is not None for s in samples) else None
    checker_used = use_checker or ", ".join(dict.fromkeys(s.checker for s in samples)) or checker

    by_task: dict[TaskId, list[SampleResult]] = defaultdict(list)
    for s in samples:
        by_task[s.task_id].append(s)
    levels: dict[str, list[_TaskCounts]] = defaultdict(list)
    counted: list[tuple[SampleResult, str]] = []  # (sample, verdict) of the scored population
    for tid in sorted(by_task, key=task_sort_key):
        results = by_task[tid]
        if any(s.unjudgeable for s in results):
            continue  # metrics.py's rule: an unjudgeable task is left out of every pass@k
        verdicts = [(s, _verdict(s, use_checker)) for s in results]
        judged = [(s, v) for s, v in verdicts if v is not None and v != Verdict.SE.value]
        if not judged:
            continue  # n = 0: pass@1 is undefined, as in metrics.py
        counted.extend(judged)
        names = [v for _, v in judged]
        meta = tasks.get(tid)
        level = (meta.difficulty if meta else "") or "UNKNOWN"
        levels[level].append(
            _TaskCounts(
                task_id=tid,
                n=len(names),
                ac=names.count(Verdict.AC.value),
                tle=names.count(Verdict.TLE.value),
                mle=names.count(Verdict.MLE.value),
                re=names.count(Verdict.RE.value),
            )
        )
    ordered = {label: levels[label] for label in sorted(levels, key=difficulty_sort_key)}

    out: dict[str, Any] = {
        "checker": checker_used,
        "tasks": sum(len(members) for members in ordered.values()),
        "samples": len(counted),
        "levels": [label for label in ordered if label not in UNLABELLED_DIFFICULTIES],
        "unlabelled_tasks": sum(len(m) for label, m in ordered.items() if label in UNLABELLED_DIFFICULTIES),
        "averaging": averaging({label: len(m) for label, m in ordered.items()}),
    }
    out.update(_correctness_and_composite(ordered, weights, resamples, seed))
    out["resource"] = _resource(counted)
    return out


def averaging(group_tasks: Mapping[str, int]) -> str | None:
    """Which treatment ``group_weights`` applies to these difficulty groups (``score.averaging``; None without tasks)."""
    labelled = sum(n for label, n in group_tasks.items() if label not in UNLABELLED_DIFFICULTIES and n)
    unlabelled = sum(n for label, n in group_tasks.items() if label in UNLABELLED_DIFFICULTIES and n)
    if not labelled and not unlabelled:
        return None
    if not unlabelled:
        return AVERAGING_LEVELS
    return AVERAGING_MIXED if labelled else AVERAGING_TASKS


def group_weights(group_tasks: Mapping[str, int]) -> dict[str, float]:
    """Each difficulty group's weight in correctness, from its number of tasks; the weights sum to 1.

    Labelled levels share the labelled tasks' fraction of all tasks equally (with every task
    labelled: the plain macro-average over levels, so a set heavy in easy problems does not look
    easier than it is). An unlabelled group (``UNKNOWN``) is no level: it weighs its fraction of
    the tasks, i.e. each unlabelled task counts as one task of a plain mean (with no task
    labelled: the plain mean over tasks).
    """
    total = sum(n for n in group_tasks.values() if n)
    if not total:
        return {}
    labelled = [label for label, n in group_tasks.items() if n and label not in UNLABELLED_DIFFICULTIES]
    labelled_share = sum(group_tasks[label] for label in labelled) / total
    return {
        label: (labelled_share / len(labelled) if label in labelled else n / total)
        for label, n in group_tasks.items()
        if n
    }


def _verdict(sample: SampleResult, checker: str | None) -> str | None:
    """The sample's verdict under ``checker`` (None: its own verdict); None when it has none."""
    if checker is None or sample.checker == checker:
        return sample.verdict.value
    value = sample.alt_verdicts.get(checker)
    return None if value is None else str(value)


def _correctness_and_composite(
    levels: Mapping[str, Sequence[_TaskCounts]], weights: ScoreWeights, resamples: int, seed: int
) -> dict[str, Any]:
    """Point estimates and the stratified bootstrap of correctness and composite."""
    names = [v.value for v in RESOURCE_VERDICTS]
    if not levels:
        return {
            "correctness": None,
            "correctness_ci95": None,
            "composite": None,
            "composite_ci95": None,
            "penalty": None,
            "weights": weights.by_verdict(),
            "sample_rates": {name: None for name in names},
            "by_difficulty": {},
            "bootstrap": {"resamples": resamples, "seed": seed, "level": CI_LEVEL},
        }
    # Per group: rows of (AC, TLE, MLE, RE) shares per task; the weighted mean of the group means
    # (group_weights: labelled levels equal, unlabelled tasks one each) is the point estimate.
    weight_of = group_weights({label: len(members) for label, members in levels.items()})
    group_w = np.array([weight_of[label] for label in levels])
    tables = [np.array([t.shares() for t in members], dtype=float) for members in levels.values()]
    level_means = [table.mean(axis=0) for table in tables]
    macro = group_w @ np.array(level_means)
    correctness = 100.0 * float(macro[0])
    rates = {name: float(value) for name, value in zip(names, macro[1:])}
    penalty = penalty_from_rates(rates, weights)
    composite = composite_from_rates(correctness, rates, weights)

    rng = np.random.default_rng(seed)
    boot = np.zeros((resamples, 4))
    for weight, table in zip(group_w, tables):
        picks = rng.integers(0, len(table), size=(resamples, len(table)))
        boot += weight * table[picks].mean(axis=1)
    boot_correctness = 100.0 * boot[:, 0]
    w = np.array([weights.by_verdict()[name] for name in names])
    boot_composite = boot_correctness * (1.0 - np.minimum(1.0, boot[:, 1:] @ w))

    return {
        "correctness": correctness,
        "correctness_ci95": list(percentile_interval(boot_correctness, correctness, CI_LEVEL)),
        "composite": composite,
        "composite_ci95": list(percentile_interval(boot_composite, composite, CI_LEVEL)),
        "penalty": penalty,
        "weights": weights.by_verdict(),
        "sample_rates": rates,
        "by_difficulty": {
            label: {
                "tasks": len(members),
                "weight": float(weight_of[label]),
                "correctness": 100.0 * float(mean[0]),
                "sample_rates": {name: float(v) for name, v in zip(names, mean[1:])},
            }
            for (label, members), mean in zip(levels.items(), level_means)
        },
        "bootstrap": {"resamples": resamples, "seed": seed, "level": CI_LEVEL},
    }


def _resource(counted: Sequence[tuple[SampleResult, str]]) -> dict[str, Any]:
    """Resource failures among failed samples; usage of accepted samples relative to limits."""
    failures = [v for _, v in counted if v != Verdict.AC.value]
    accepted = [s for s, v in counted if v == Verdict.AC.value and s.tests]
    cpu = [max(t.cpu_s for t in s.tests) / s.limits.time_limit_s for s in accepted]
    peak = [max(t.peak_mb for t in s.tests) / s.limits.memory_mb for s in accepted]
    return {
        "failures": len(failures),
        "failure_rates": {
            v.value: (failures.count(v.value) / len(failures) if failures else None)
            for v in RESOURCE_VERDICTS
        },
        "accepted": len(accepted),
        "cpu_time_ratio": _median_p95(cpu),
        "peak_memory_ratio": _median_p95(peak),
    }


def _median_p95(values: Sequence[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None}
    return {"p50": percentile(values, 50), "p95": percentile(values, 95)}
