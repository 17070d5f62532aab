"""The code-capability score (metrics.json ``score``): formula, CI, exclusions, the README example."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taco_judge.errors import UserError
from taco_judge.metrics import compute_metrics
from taco_judge.problems import TaskMeta
from taco_judge.score import (
    BOOTSTRAP_SEED,
    ScoreWeights,
    composite_from_rates,
    compute_score,
    penalty_from_rates,
)
from taco_judge.verdict import Limits, SampleResult, Verdict
from taco_judge.verdict import (
    TestResult as JudgedTest,  # aliased: pytest would collect Test*
)

REPO = Path(__file__).resolve().parents[1]
LIMITS = Limits(time_limit_s=2.0, memory_mb=256)
RESOURCE = ("TLE", "MLE", "RE")
OTHER_FAILURES = ("WA", "CE", "OLE")


def sample(
    task_id: int | str,
    index: int,
    verdict: str,
    *,
    cpu_s: float = 0.1,
    peak_mb: float = 10.0,
    unjudgeable: bool = False,
    checker: str = "strict",
    alt: dict[str, str] | None = None,
) -> SampleResult:
    tests = () if verdict == "CE" else (JudgedTest(0, Verdict(verdict), cpu_s=cpu_s, wall_s=cpu_s, peak_mb=peak_mb),)
    return SampleResult(
        task_id=task_id,
        sample=index,
        verdict=Verdict(verdict),
        tests=tests,
        code_sha256="0" * 64,
        raw_sha256="1" * 64,
        checker=checker,
        limits=LIMITS,
        num_tests=1,
        unjudgeable=unjudgeable,
        alt_verdicts=dict(alt or {}),
    )


def run(tasks: dict[int, tuple[str, list[str]]]) -> tuple[list[SampleResult], dict[int, TaskMeta]]:
    """{task_id: (difficulty, [verdict per sample])} -> samples and task metadata."""
    samples = [sample(tid, i, v) for tid, (_, verdicts) in tasks.items() for i, v in enumerate(verdicts)]
    metas = {tid: TaskMeta(task_id=tid, difficulty=level) for tid, (level, _) in tasks.items()}
    return samples, metas


# ----------------------------------------------------------------------------------------------
# Hand-computed


def test_hand_computed_example() -> None:
    samples = [
        sample(0, 0, "AC", cpu_s=0.2, peak_mb=25.6),
        sample(0, 1, "AC", cpu_s=0.4, peak_mb=51.2),
        sample(0, 2, "WA"),
        sample(0, 3, "TLE", cpu_s=2.1),
        sample(1, 0, "AC", cpu_s=1.0, peak_mb=128.0),
        sample(1, 1, "RE"),
        sample(2, 0, "MLE"),
        sample(2, 1, "WA"),
    ]
    metas = {0: TaskMeta(0, difficulty="EASY"), 1: TaskMeta(1, difficulty="EASY"), 2: TaskMeta(2, difficulty="HARD")}
    score = compute_score(samples, metas)
    # EASY: pass@1 (2/4 + 1/2) / 2 = 0.5; HARD: 0 -> correctness 100 x 0.25.
    assert score["correctness"] == pytest.approx(25.0)
    assert score["levels"] == ["EASY", "HARD"]
    assert score["by_difficulty"]["EASY"]["correctness"] == pytest.approx(50.0)
    assert score["by_difficulty"]["HARD"]["correctness"] == pytest.approx(0.0)
    # Shares of samples: EASY TLE (1/4 + 0)/2, RE (0 + 1/2)/2; HARD MLE 1/2; then mean of levels.
    assert score["sample_rates"] == pytest.approx({"TLE": 0.0625, "MLE": 0.25, "RE": 0.125})
    # penalty 0.5 x 0.0625 + 0.5 x 0.25 + 0.25 x 0.125 = 0.1875; composite 25 x 0.8125.
    assert score["penalty"] == pytest.approx(0.1875)
    assert score["composite"] == pytest.approx(20.3125)
    assert score["weights"] == {"TLE": 0.5, "MLE": 0.5, "RE": 0.25}
    resource = score["resource"]
    assert resource["failures"] == 5
    assert resource["failure_rates"] == pytest.approx({"TLE": 0.2, "MLE": 0.2, "RE": 0.2})
    assert resource["accepted"] == 3
    # CPU / limit 0.1, 0.2, 0.5; memory / limit 0.1, 0.2, 0.5: p50 0.2, p95 0.2 + 0.9 x 0.3.
    assert resource["cpu_time_ratio"] == pytest.approx({"p50": 0.2, "p95": 0.47})
    assert resource["peak_memory_ratio"] == pytest.approx({"p50": 0.2, "p95": 0.47})
    assert (score["tasks"], score["samples"], score["checker"]) == (3, 8, "strict")
    assert score["bootstrap"] == {"resamples": 1000, "seed": BOOTSTRAP_SEED, "level": 0.95}


def test_custom_weights_change_only_the_composite() -> None:
    samples, metas = run({0: ("EASY", ["AC", "TLE"]), 1: ("EASY", ["RE", "MLE"])})
    base = compute_score(samples, metas)
    heavy = compute_score(samples, metas, ScoreWeights(tle=1.0, mle=0.0, re=1.0))
    assert heavy["correctness"] == base["correctness"] == pytest.approx(25.0)
    # Shares: TLE 0.25, MLE 0.25, RE 0.25 -> penalty 0.5 with these weights.
    assert heavy["penalty"] == pytest.approx(0.5)
    assert heavy["composite"] == pytest.approx(12.5)
    assert heavy["weights"] == {"TLE": 1.0, "MLE": 0.0, "RE": 1.0}
    zero = compute_score(samples, metas, ScoreWeights(0, 0, 0))
    assert zero["composite"] == pytest.approx(zero["correctness"])


def test_compute_metrics_writes_the_score_with_its_weights() -> None:
    samples, metas = run({0: ("EASY", ["AC", "WA"]), 1: ("HARD", ["TLE", "AC", "AC"]), 2: ("HARD", ["RE"])})
    metrics = compute_metrics(samples, metas, [1])
    assert list(metrics)[-1] == "score"
    levels = [entry["pass@1"] for entry in metrics["by_difficulty"].values() if entry["pass@1"] is not None]
    assert metrics["score"]["correctness"] == pytest.approx(100 * sum(levels) / len(levels))
    custom = compute_metrics(samples, metas, [1], score_weights=ScoreWeights(tle=0.1, mle=0.2, re=0.3))
    assert custom["score"]["weights"] == {"TLE": 0.1, "MLE": 0.2, "RE": 0.3}
    json.dumps(metrics, allow_nan=False)  # metrics.json is written with allow_nan=False


# ----------------------------------------------------------------------------------------------
# Which samples count (metrics.py's rules)


def test_se_samples_are_left_out_and_all_se_tasks_dropped() -> None:
    samples = [sample(0, 0, "AC"), sample(0, 1, "SE"), sample(1, 0, "SE"), sample(2, 0, "TLE")]
    metas = {t: TaskMeta(t, difficulty="EASY") for t in range(3)}
    score = compute_score(samples, metas)
    assert score["tasks"] == 2  # task 1 has n = 0
    assert score["samples"] == 2
    assert score["correctness"] == pytest.approx(50.0)  # task 0: 1/1, task 2: 0/1
    assert score["resource"]["failures"] == 1  # the SE sample is no failure
    assert score["sample_rates"]["TLE"] == pytest.approx(0.5)


def test_unjudgeable_tasks_are_left_out() -> None:
    samples = [
        sample(0, 0, "AC"),
        sample(1, 0, "WA", unjudgeable=True),
        sample(1, 1, "TLE"),
        sample(1, 2, "AC"),
    ]
    metas = {0: TaskMeta(0, difficulty="EASY"), 1: TaskMeta(1, difficulty="HARD")}
    score = compute_score(samples, metas)
    assert score["levels"] == ["EASY"]
    assert score["correctness"] == pytest.approx(100.0)
    assert score["composite"] == pytest.approx(100.0)
    assert score["resource"]["failures"] == 0
    assert score["resource"]["failure_rates"] == {"TLE": None, "MLE": None, "RE": None}


def test_one_difficulty_level_is_the_plain_mean_over_tasks() -> None:
    samples, metas = run({0: ("MEDIUM", ["AC", "WA"]), 1: ("MEDIUM", ["AC"]), 2: ("MEDIUM", ["TLE", "WA", "WA"])})
    score = compute_score(samples, metas)
    assert score["levels"] == ["MEDIUM"]
    assert score["correctness"] == pytest.approx(100 * (0.5 + 1.0 + 0.0) / 3)
    low, high = score["correctness_ci95"]
    assert 0.0 <= low <= score["correctness"] <= high <= 100.0
    assert low < high


def test_tasks_without_metadata_are_a_plain_mean_over_tasks() -> None:
    samples = [sample(0, 0, "AC"), sample(1, 0, "WA"), sample(2, 0, "WA")]
    score = compute_score(samples, {})
    assert score["levels"] == []  # UNKNOWN is no difficulty level
    assert score["averaging"] == "tasks" and score["unlabelled_tasks"] == 3
    assert score["correctness"] == pytest.approx(100 / 3)
    assert score["by_difficulty"]["UNKNOWN"]["weight"] == pytest.approx(1.0)


def test_unlabelled_tasks_weigh_one_task_each_not_a_whole_level() -> None:
    # The real test split: 827 unlabelled tasks and a few labelled ones. Before, UNKNOWN was a
    # sixth "level" weighing as much as 5 EASY tasks; here 20 unlabelled tasks and 2 + 2 labelled.
    plan = {t: ("UNKNOWN", ["AC" if t < 18 else "WA"]) for t in range(20)}
    plan.update({20: ("EASY", ["AC"]), 21: ("EASY", ["WA"]), 22: ("HARD", ["WA"]), 23: ("HARD", ["WA"])})
    samples, metas = run(plan)
    score = compute_score(samples, metas)
    assert score["averaging"] == "levels_and_unlabelled_tasks"
    assert score["levels"] == ["EASY", "HARD"] and score["unlabelled_tasks"] == 20
    weights = {label: entry["weight"] for label, entry in score["by_difficulty"].items()}
    # The 4 labelled tasks keep their 4/24 of the weight, split equally between EASY and HARD.
    assert weights == pytest.approx({"EASY": 2 / 24, "HARD": 2 / 24, "UNKNOWN": 20 / 24})
    assert score["correctness"] == pytest.approx(100 * (2 / 24 * 0.5 + 2 / 24 * 0.0 + 20 / 24 * 0.9))
    assert score["correctness"] != pytest.approx(100 * (0.5 + 0.0 + 0.9) / 3)  # the old macro-average
    low, high = score["correctness_ci95"]
    assert low <= score["correctness"] <= high
    # UNKNOWN_DIFFICULTY (TACO's own spelling) is unlabelled too.
    renamed = {tid: TaskMeta(tid, difficulty="UNKNOWN_DIFFICULTY" if m.difficulty == "UNKNOWN" else m.difficulty)
               for tid, m in metas.items()}
    assert compute_score(samples, renamed)["correctness"] == pytest.approx(score["correctness"])


def test_every_task_labelled_is_the_macro_average_over_levels() -> None:
    samples, metas = run({0: ("EASY", ["AC"]), 1: ("EASY", ["AC"]), 2: ("EASY", ["WA"]), 3: ("HARD", ["WA"])})
    score = compute_score(samples, metas)
    assert score["averaging"] == "levels" and score["unlabelled_tasks"] == 0
    assert score["correctness"] == pytest.approx(100 * (2 / 3 + 0.0) / 2)


def test_empty_run_has_no_score_numbers() -> None:
    score = compute_score([], {})
    assert score["correctness"] is None and score["composite"] is None
    assert score["correctness_ci95"] is None and score["tasks"] == 0
    assert score["resource"]["cpu_time_ratio"] == {"p50": None, "p95": None}
    only_se = compute_score([sample(0, 0, "SE")], {})
    assert only_se["correctness"] is None


def test_strict_verdicts_are_used_when_another_checker_decided() -> None:
    # Run judged with --compare taco plus strict: the primary verdict is taco's.
    samples = [
        sample(0, 0, "AC", checker="taco", alt={"strict": "WA"}),
        sample(0, 1, "AC", checker="taco", alt={"strict": "AC"}),
    ]
    score = compute_score(samples, {})
    assert score["checker"] == "strict"
    assert score["correctness"] == pytest.approx(50.0)
    # A taco-only run has no strict verdicts: its own checker is used, and said so.
    taco_only = compute_score([sample(0, 0, "AC", checker="taco")], {})
    assert taco_only["checker"] == "taco"
    assert taco_only["correctness"] == pytest.approx(100.0)


def test_weights_are_validated() -> None:
    with pytest.raises(ValueError, match="tle"):
        ScoreWeights(tle=1.5)
    with pytest.raises(ValueError, match="re"):
        ScoreWeights(re=-0.1)
    with pytest.raises(ValueError, match="mle"):
        ScoreWeights(mle=float("nan"))
    with pytest.raises(TypeError, match="tle"):
        ScoreWeights(tle="0.5")  # type: ignore[arg-type]
    with pytest.raises(UserError, match="tle must be a number"):
        ScoreWeights.from_mapping({"tle": True}, origin="sweep.toml")
    assert ScoreWeights.from_mapping({"tle": 0.2}) == ScoreWeights(tle=0.2)
    with pytest.raises(UserError) as err:
        ScoreWeights.from_mapping({"tle": 0.2, "wa": 1.0}, origin="sweep.toml [score.weights]")
    assert str(err.value).startswith("sweep.toml [score.weights]: unknown score weight 'wa'")
    assert "\n" not in str(err.value)
    with pytest.raises(UserError, match=r"sweep.toml: score weight re must be in \[0, 1\]"):
        ScoreWeights.from_mapping({"re": 2}, origin="sweep.toml")


# ----------------------------------------------------------------------------------------------
# Properties


LEVELS = ("EASY", "MEDIUM", "HARD")
VERDICTS = ("AC", "WA", "TLE", "MLE", "RE", "CE", "OLE", "SE")
runs = st.dictionaries(
    st.integers(0, 30),
    st.tuples(st.sampled_from(LEVELS), st.lists(st.sampled_from(VERDICTS), min_size=1, max_size=6)),
    min_size=1,
    max_size=10,
)
unit = st.floats(0.0, 1.0, allow_nan=False)
weights_st = st.builds(ScoreWeights, tle=unit, mle=unit, re=unit)


def _score(tasks: dict[int, tuple[str, list[str]]], weights: ScoreWeights, resamples: int = 200) -> dict:
    samples, metas = run(tasks)
    return compute_score(samples, metas, weights, resamples=resamples)


@settings(max_examples=150, deadline=None)
@given(runs, weights_st, st.data())
def test_more_resource_failures_never_raise_the_composite(tasks, weights, data) -> None:
    before = _score(tasks, weights, resamples=1)
    candidates = [(tid, i) for tid, (_, vs) in tasks.items() for i, v in enumerate(vs) if v in OTHER_FAILURES + ("AC",)]
    if not candidates:
        return
    tid, i = data.draw(st.sampled_from(candidates))
    new = data.draw(st.sampled_from(RESOURCE))
    changed = {t: (level, list(vs)) for t, (level, vs) in tasks.items()}
    changed[tid][1][i] = new
    after = _score(changed, weights, resamples=1)
    assert after["correctness"] <= before["correctness"] + 1e-9
    assert after["composite"] <= before["composite"] + 1e-9
    for name in RESOURCE:
        if name != new:
            assert after["sample_rates"][name] == pytest.approx(before["sample_rates"][name])


@settings(max_examples=150, deadline=None)
@given(runs, weights_st, st.data())
def test_a_pass_turned_into_any_failure_never_raises_the_composite(tasks, weights, data) -> None:
    passes = [(tid, i) for tid, (_, vs) in tasks.items() for i, v in enumerate(vs) if v == "AC"]
    if not passes:
        return
    tid, i = data.draw(st.sampled_from(passes))
    changed = {t: (level, list(vs)) for t, (level, vs) in tasks.items()}
    changed[tid][1][i] = data.draw(st.sampled_from(OTHER_FAILURES + RESOURCE))
    before, after = _score(tasks, weights, resamples=1), _score(changed, weights, resamples=1)
    assert after["composite"] <= before["composite"] + 1e-9


@settings(max_examples=150, deadline=None)
@given(runs, weights_st)
def test_bounds_and_ci_contain_the_estimate(tasks, weights) -> None:
    score = _score(tasks, weights)
    if score["correctness"] is None:
        assert all(v == "SE" for _, vs in tasks.values() for v in vs)
        return
    assert 0.0 <= score["composite"] <= score["correctness"] + 1e-9 <= 100.0 + 1e-9
    low, high = score["correctness_ci95"]
    assert 0.0 - 1e-9 <= low <= score["correctness"] <= high <= 100.0 + 1e-9
    low, high = score["composite_ci95"]
    assert 0.0 - 1e-9 <= low <= score["composite"] <= high <= 100.0 + 1e-9
    assert 0.0 <= score["penalty"] <= 1.0
    assert score["correctness"] / 100 + sum(score["sample_rates"].values()) <= 1.0 + 1e-9


@settings(max_examples=100, deadline=None)
@given(runs, weights_st)
def test_equal_to_correctness_without_resource_failures(tasks, weights) -> None:
    cleaned = {t: (level, [v if v not in RESOURCE else "WA" for v in vs]) for t, (level, vs) in tasks.items()}
    score = _score(cleaned, weights, resamples=1)
    if score["correctness"] is not None:
        assert score["composite"] == pytest.approx(score["correctness"])
        assert score["penalty"] == 0.0


@settings(max_examples=100, deadline=None)
@given(st.floats(0, 100), st.fixed_dictionaries({n: unit for n in RESOURCE}), weights_st)
def test_formula_helpers_are_bounded(correctness, rates, weights) -> None:
    assert 0.0 <= penalty_from_rates(rates, weights) <= 1.0
    assert 0.0 <= composite_from_rates(correctness, rates, weights) <= correctness


def test_bootstrap_is_deterministic_and_order_free() -> None:
    rng = random.Random(7)
    tasks = {t: (rng.choice(LEVELS), [rng.choice(VERDICTS[:5]) for _ in range(rng.randint(1, 5))]) for t in range(40)}
    samples, metas = run(tasks)
    first = compute_score(samples, metas)
    shuffled = list(samples)
    rng.shuffle(shuffled)
    assert compute_score(shuffled, metas) == first
    assert compute_score(samples, metas) == first
    other_seed = compute_score(samples, metas, seed=BOOTSTRAP_SEED + 1)
    assert other_seed["correctness"] == first["correctness"]
    assert other_seed["correctness_ci95"] != first["correctness_ci95"]
    assert first["correctness_ci95"][0] < first["correctness"] < first["correctness_ci95"][1]


def test_bootstrap_resamples_within_levels() -> None:
    # One level with a single task cannot vary; the other level's spread is the whole CI.
    tasks = {0: ("EASY", ["AC"]), **{t: ("HARD", ["AC"] if t % 2 else ["WA"]) for t in range(1, 21)}}
    score = _score(tasks, ScoreWeights(), resamples=1000)
    low, high = score["correctness_ci95"]
    # Correctness = (100 + 50) / 2 = 75; the EASY level stays at 100 in every resample.
    assert score["correctness"] == pytest.approx(75.0)
    assert 50.0 <= low < 75.0 < high <= 100.0
    single = _score({0: ("EASY", ["AC", "WA"])}, ScoreWeights())
    assert single["correctness_ci95"] == [50.0, 50.0]


# ----------------------------------------------------------------------------------------------
# The README's worked example


def _readme_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## Code-capability score")
    return text[start : text.index("\n## ", start + 1)]


def _percent(cell: str) -> float:
    return float(cell.strip().rstrip("%")) / 100


def _shipped_score() -> dict:
    """The score of the shipped generations, from their recorded verdicts (no judging needed)."""
    from taco_judge.problems import open_problems

    expected = json.loads((REPO / "problems" / "expected_verdicts.json").read_text())
    metas = {m.task_id: TaskMeta(m.task_id, difficulty=m.difficulty) for m in open_problems(str(REPO / "problems")).index()}
    samples = [sample(int(tid), i, v) for tid, verdicts in expected.items() for i, v in enumerate(verdicts)]
    return compute_score(samples, metas)


def test_readme_worked_example_matches_the_code() -> None:
    section = _readme_section()
    rows = re.findall(r"^\| ([A-Z_]+) \| (\d+) \| ([\d.]+%) \| ([\d.]+%) \| ([\d.]+%) \| ([\d.]+%) \|$", section, re.MULTILINE)
    assert len(rows) == 5, rows
    mean_row = re.search(r"^\| mean of the (\d) levels \| +\| ([\d.]+%) \| ([\d.]+%) \| ([\d.]+%) \| ([\d.]+%) \|$", section, re.MULTILINE)
    assert mean_row is not None
    correctness = re.search(r"correctness = ([\d.]+), 95% CI \[([\d.]+), ([\d.]+)\]", section)
    penalty = re.search(
        r"penalty = ([\d.]+) x ([\d.]+)% \+ ([\d.]+) x ([\d.]+)% \+ ([\d.]+) x ([\d.]+)% = ([\d.]+)%", section
    )
    composite = re.search(
        r"composite = ([\d.]+) x \(1 - ([\d.]+)\) = ([\d.]+), 95% CI \[([\d.]+), ([\d.]+)\]", section
    )
    failures = re.search(r"of the (\d+) failed samples ([\d.]+)% are TLE, ([\d.]+)% MLE, ([\d.]+)% RE", section)
    assert correctness and penalty and composite and failures

    # 1. The README's arithmetic holds (within the rounding of the printed numbers).
    per_level = [[_percent(c) for c in row[2:]] for row in rows]
    means = [sum(col) / len(per_level) for col in zip(*per_level)]
    assert int(mean_row.group(1)) == len(rows)
    for printed, computed in zip(mean_row.groups()[1:], means):
        assert _percent(printed) == pytest.approx(computed, abs=0.0001)
    w_tle, r_tle, w_mle, r_mle, w_re, r_re, pen = (float(x) for x in penalty.groups())
    assert (w_tle, w_mle, w_re) == (ScoreWeights().tle, ScoreWeights().mle, ScoreWeights().re)
    assert pen / 100 == pytest.approx(penalty_from_rates({"TLE": r_tle / 100, "MLE": r_mle / 100, "RE": r_re / 100}, ScoreWeights()), abs=0.0001)
    c_value, factor_pen, comp = (float(x) for x in composite.groups()[:3])
    assert comp == pytest.approx(c_value * (1 - factor_pen), abs=0.006)

    # 2. Every printed number is what the code computes for the shipped generations.
    score = _shipped_score()
    assert [row[0] for row in rows] == score["levels"]
    for row in rows:
        level = score["by_difficulty"][row[0]]
        assert int(row[1]) == level["tasks"]
        assert round(level["correctness"], 2) == pytest.approx(float(row[2].rstrip("%")))
        for name, cell in zip(RESOURCE, row[3:]):
            assert round(100 * level["sample_rates"][name], 2) == pytest.approx(float(cell.rstrip("%")))
    assert float(correctness.group(1)) == round(score["correctness"], 2)
    assert [float(x) for x in correctness.groups()[1:]] == [round(x, 2) for x in score["correctness_ci95"]]
    for name, printed in zip(RESOURCE, (r_tle, r_mle, r_re)):
        assert printed == round(100 * score["sample_rates"][name], 2)
    assert pen == round(100 * score["penalty"], 2)
    assert factor_pen == round(score["penalty"], 4)
    assert comp == round(score["composite"], 2)
    assert [float(x) for x in composite.groups()[3:]] == [round(x, 2) for x in score["composite_ci95"]]
    resource = score["resource"]
    assert int(failures.group(1)) == resource["failures"]
    for name, printed in zip(RESOURCE, failures.groups()[1:]):
        assert float(printed) == round(100 * resource["failure_rates"][name], 1)
