"""pass@k exactness and the metrics.json contract (docs/metrics.md)."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from taco_judge.metrics import DISAGREEMENTS_CAP, compute_metrics
from taco_judge.problems import TaskMeta
from taco_judge.stats import pass_at_k, percentile
from taco_judge.verdict import Limits, SampleResult, Verdict
from taco_judge.verdict import TestResult as JudgedTest  # aliased: pytest would try to collect Test*

LIMITS = Limits(time_limit_s=2.0, memory_mb=256)


def make_sample(
    task_id: int | str,
    sample: int,
    verdict: Verdict | str,
    *,
    tests: list[tuple[Verdict | str, float, float]] | None = None,
    unjudgeable: bool = False,
    alt: dict[str, str] | None = None,
    checker: str = "strict",
    limits: Limits = LIMITS,
) -> SampleResult:
    """A judged sample; ``tests`` holds (verdict, cpu_s, peak_mb) per test (default: one test)."""
    verdict = Verdict(verdict)
    if tests is None:
        tests = [(verdict, 0.1, 10.0)] if verdict is not Verdict.CE else []
    results = tuple(
        JudgedTest(index=i, verdict=Verdict(v), cpu_s=cpu, wall_s=cpu * 1.5, peak_mb=mb)
        for i, (v, cpu, mb) in enumerate(tests)
    )
    return SampleResult(
        task_id=task_id,
        sample=sample,
        verdict=verdict,
        tests=results,
        code_sha256="0" * 64,
        raw_sha256="1" * 64,
        checker=checker,
        limits=limits,
        num_tests=len(results),
        unjudgeable=unjudgeable,
        alt_verdicts=dict(alt or {}),
    )


def task_samples(task_id: int | str, verdicts: str) -> list[SampleResult]:
    """Samples of one task from a space-separated verdict list, e.g. 'AC WA WA'."""
    return [make_sample(task_id, i, v) for i, v in enumerate(verdicts.split())]


def exact_pass_at_k(n: int, c: int, k: int) -> Fraction:
    return 1 - Fraction(math.comb(n - c, k), math.comb(n, k))


def taco_reference(n: int, c: int, k: int) -> float:
    """TACO compute_metric.py's estimator, restated with numpy as it does."""
    if n - c < k:
        return 1.0
    return float(1.0 - np.prod(1.0 - k / np.arange(n - c + 1, n + 1)))


# ---------------------------------------------------------------------------------------------
# pass_at_k


def test_pass_at_k_matches_exact_combinatorics_for_all_small_cases() -> None:
    checked = 0
    for n in range(1, 31):
        for c in range(n + 1):
            for k in range(1, n + 1):
                exact = exact_pass_at_k(n, c, k)
                got = pass_at_k(n, c, k)
                assert got == pytest.approx(float(exact), abs=1e-12), (n, c, k)
                checked += 1
    assert checked == sum(n * (n + 1) for n in range(1, 31))


@pytest.mark.parametrize(
    ("n", "c", "k", "expected"),
    [
        (1, 1, 1, 1.0),
        (1, 0, 1, 0.0),
        (10, 0, 10, 0.0),
        (10, 1, 1, 0.1),
        (10, 1, 10, 1.0),
        (10, 5, 6, 1.0),  # n - c < k: every draw of 6 holds a correct one
        (5, 2, 2, 0.7),  # 1 - C(3,2)/C(5,2) = 1 - 3/10
    ],
)
def test_pass_at_k_known_values(n: int, c: int, k: int, expected: float) -> None:
    assert pass_at_k(n, c, k) == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize(
    ("n", "c", "k"),
    [(5, 1, 6), (0, 0, 1), (5, 6, 1), (5, -1, 1), (5, 1, 0), (5, 1, -1), (5.0, 1, 1), (5, True, 1)],
)
def test_pass_at_k_rejects_bad_inputs(n: object, c: object, k: object) -> None:
    with pytest.raises(ValueError):
        pass_at_k(n, c, k)  # type: ignore[arg-type]


@given(st.integers(1, 60).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n), st.integers(1, n))))
def test_pass_at_k_property_exact_and_taco_equal(nck: tuple[int, int, int]) -> None:
    n, c, k = nck
    got = pass_at_k(n, c, k)
    assert 0.0 <= got <= 1.0
    assert got == pytest.approx(float(exact_pass_at_k(n, c, k)), abs=1e-12)
    assert got == pytest.approx(taco_reference(n, c, k), abs=1e-12)
    if c == 0:
        assert got == 0.0
    if c > 0:
        assert got >= c / n - 1e-12  # pass@k >= pass@1 = c/n


@given(st.integers(2, 60).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n), st.integers(1, n - 1))))
def test_pass_at_k_monotone_in_k_and_c(nck: tuple[int, int, int]) -> None:
    n, c, k = nck
    assert pass_at_k(n, c, k + 1) >= pass_at_k(n, c, k) - 1e-12
    if c < n:
        assert pass_at_k(n, c + 1, k) >= pass_at_k(n, c, k) - 1e-12


def test_pass_at_k_large_n_is_stable() -> None:
    # C(10000, 5000) overflows floats; the product form does not.
    value = pass_at_k(10_000, 1, 1)
    assert value == pytest.approx(1e-4, rel=1e-9)
    assert pass_at_k(10_000, 50, 100) == pytest.approx(float(exact_pass_at_k(10_000, 50, 100)), rel=1e-9)


def test_percentile_matches_numpy_linear() -> None:
    values = [0.3, 0.1, 0.9, 0.5, 0.7, 0.2]
    for p in (0, 50, 90, 95, 99, 100):
        assert percentile(values, p) == pytest.approx(float(np.percentile(values, p)))
    with pytest.raises(ValueError):
        percentile([], 50)


# ---------------------------------------------------------------------------------------------
# TACO-compatible shape


def test_taco_keys_and_detail_shape_match_reference() -> None:
    samples = task_samples(0, "AC WA WA WA") + task_samples(1, "WA WA WA WA") + task_samples(2, "AC AC AC AC")
    metrics = compute_metrics(samples, {}, ks=[1, 2, 4])
    assert list(metrics)[:4] == ["pass@1", "pass@2", "pass@4", "detail"]
    assert metrics["pass@1"] == pytest.approx((0.25 + 0.0 + 1.0) / 3)
    assert metrics["pass@2"] == pytest.approx((0.5 + 0.0 + 1.0) / 3)
    assert metrics["pass@4"] == pytest.approx(2 / 3)
    assert metrics["detail"]["pass@1"] == {"0": 0.25, "1": 0.0, "2": 1.0}
    assert set(metrics["detail"]) == {"pass@1", "pass@2", "pass@4"}
    # Same numbers as TACO's estimator on the same (n, c) arrays.
    for k in (1, 2, 4):
        reference = np.mean([taco_reference(4, c, k) for c in (1, 0, 4)])
        assert metrics[f"pass@{k}"] == pytest.approx(float(reference), abs=1e-12)
    json.dumps(metrics, allow_nan=False)  # serialisable as is


def test_all_or_nothing_rule_drops_top_level_k_but_pass_at_k_keeps_it() -> None:
    samples = task_samples(0, "AC WA WA WA WA") + task_samples(1, "WA AC")
    metrics = compute_metrics(samples, {}, ks=[1, 5, 10])
    assert "pass@1" in metrics
    assert "pass@5" not in metrics  # task 1 has only 2 samples
    assert "pass@10" not in metrics
    assert set(metrics["detail"]) == {"pass@1"}
    coverage = {item["k"]: item for item in metrics["pass_at_k"]}
    assert sorted(coverage) == [1, 2, 3, 4, 5, 10]  # every k up to max n, plus requested ks
    assert coverage[1] == {"k": 1, "value": pytest.approx(0.35), "tasks": 2, "tasks_left_out": 0}
    assert coverage[2]["value"] == pytest.approx((0.4 + 1.0) / 2)
    assert coverage[5] == {"k": 5, "value": 1.0, "tasks": 1, "tasks_left_out": 1}
    assert coverage[10] == {"k": 10, "value": None, "tasks": 0, "tasks_left_out": 2}


def test_task_ids_sorted_numerically_and_string_ids_kept() -> None:
    samples = task_samples(10, "AC") + task_samples(2, "WA") + task_samples("abc", "AC")
    metrics = compute_metrics(samples, {}, ks=[1])
    assert list(metrics["detail"]["pass@1"]) == ["2", "10", "abc"]


def test_bad_ks_and_duplicate_samples_are_rejected() -> None:
    with pytest.raises(ValueError, match="positive"):
        compute_metrics(task_samples(0, "AC"), {}, ks=[0])
    with pytest.raises(ValueError, match="at least one k"):
        compute_metrics(task_samples(0, "AC"), {}, ks=[])
    with pytest.raises(ValueError, match="task 0 sample 0"):
        compute_metrics(task_samples(0, "AC") + task_samples(0, "WA"), {}, ks=[1])


def test_empty_run_has_no_pass_keys_and_zero_rates() -> None:
    metrics = compute_metrics([], {}, ks=[1])
    assert "pass@1" not in metrics
    assert metrics["detail"] == {}
    assert metrics["counts"]["samples"] == 0
    assert metrics["tle_rate"] == 0.0
    assert metrics["resources"]["cpu_s"]["p50"] is None
    json.dumps(metrics, allow_nan=False)


# ---------------------------------------------------------------------------------------------
# Counts, rates, breakdowns


def test_verdict_counts_rates_and_test_counts() -> None:
    samples = [
        make_sample(0, 0, "AC", tests=[("AC", 0.1, 5), ("AC", 0.2, 6)]),
        make_sample(0, 1, "TLE", tests=[("AC", 0.1, 5), ("TLE", 2.1, 6)]),
        make_sample(1, 0, "MLE", tests=[("MLE", 0.3, 260)]),
        make_sample(1, 1, "CE", tests=[]),
    ]
    metrics = compute_metrics(samples, {}, ks=[1])
    assert metrics["verdicts"] == {"AC": 1, "WA": 0, "TLE": 1, "MLE": 1, "RE": 0, "CE": 1, "OLE": 0, "SE": 0}
    assert metrics["tests_verdicts"] == {"AC": 3, "WA": 0, "TLE": 1, "MLE": 1, "RE": 0, "CE": 0, "OLE": 0, "SE": 0}
    assert metrics["tle_rate"] == 0.25
    assert metrics["mle_rate"] == 0.25
    assert metrics["ce_rate"] == 0.25
    for name in ("re", "wa", "ole", "se"):
        assert metrics[f"{name}_rate"] == 0.0
    assert metrics["counts"] == {
        "tasks": 2,
        "samples": 4,
        "tests": 5,
        "scored_tasks": 2,
        "scored_samples": 4,
        "tasks_without_meta": 2,
    }


def test_breakdowns_by_difficulty_skill_source_mode() -> None:
    tasks = {
        0: TaskMeta(0, difficulty="HARD", skills=("Sorting", "Greedy algorithms"), source="codeforces", mode="stdin"),
        1: TaskMeta(1, difficulty="EASY", skills=("Sorting",), source="atcoder", mode="stdin"),
        2: TaskMeta(2, difficulty="EASY", skills=(), source="codewars", mode="call"),
        3: TaskMeta(3, difficulty="WEIRD", skills=("Sorting",), source="codeforces", mode="stdin"),
    }
    samples = (
        task_samples(0, "AC WA")
        + task_samples(1, "WA WA")
        + task_samples(2, "AC AC TLE")
        + task_samples(3, "RE")
    )
    metrics = compute_metrics(samples, tasks, ks=[1, 2])
    assert list(metrics["by_difficulty"]) == ["EASY", "HARD", "WEIRD"]
    easy = metrics["by_difficulty"]["EASY"]
    assert easy["tasks"] == 2 and easy["samples"] == 5
    assert easy["pass@1"] == pytest.approx((0.0 + 2 / 3) / 2)
    assert easy["pass@2"] == pytest.approx((0.0 + 1.0) / 2)
    assert easy["verdicts"]["AC"] == 2 and easy["verdicts"]["WA"] == 2 and easy["verdicts"]["TLE"] == 1
    weird = metrics["by_difficulty"]["WEIRD"]
    assert weird["pass@1"] == 0.0
    assert weird["pass@2"] is None  # its only task has one sample
    assert weird["pass_at_k"][1] == {"k": 2, "value": None, "tasks": 0, "tasks_left_out": 1}

    skills = metrics["by_skill"]
    assert list(skills) == ["(none)", "Greedy algorithms", "Sorting"]
    assert skills["Sorting"]["tasks"] == 3  # a task counts in every skill it has
    assert skills["Sorting"]["pass@1"] == pytest.approx((0.5 + 0.0 + 0.0) / 3)
    assert skills["(none)"]["tasks"] == 1
    assert metrics["by_source"]["codeforces"]["tasks"] == 2
    assert metrics["by_mode"]["call"]["pass@1"] == pytest.approx(2 / 3)
    assert metrics["by_mode"]["stdin"]["samples"] == 5
    assert metrics["counts"]["tasks_without_meta"] == 0


def test_task_meta_from_problem() -> None:
    from taco_judge.problems import Problem

    problem = Problem(task_id=7, mode="call", tests=(), difficulty="", skills=("Sorting",), time_limit_s=1.0)
    meta = TaskMeta.from_problem(problem, spj_case=3)
    assert meta == TaskMeta(7, "UNKNOWN", ("Sorting",), "unknown", "call", 1.0, None, 3)


# ---------------------------------------------------------------------------------------------
# SE and unjudgeable rules


def test_se_samples_are_excluded_from_n_not_counted_as_failures() -> None:
    samples = task_samples(0, "AC SE SE WA") + task_samples(1, "AC AC AC")
    metrics = compute_metrics(samples, {}, ks=[1, 2, 3])
    # Task 0 counts as n=2, c=1 (not n=4, c=1).
    assert metrics["detail"]["pass@1"] == {"0": 0.5, "1": 1.0}
    assert metrics["pass@2"] == pytest.approx((1.0 + 1.0) / 2)
    assert "pass@3" not in metrics  # task 0 has only 2 judged samples
    assert metrics["se_samples_excluded"] == 2
    assert metrics["se"] == {"samples": 2, "tasks": 1, "task_ids": [0], "tasks_without_judged_samples": []}
    assert metrics["verdicts"]["SE"] == 2
    assert metrics["se_rate"] == pytest.approx(2 / 7)
    assert metrics["counts"]["scored_samples"] == 5


def test_task_with_only_se_samples_blocks_taco_key_and_is_listed() -> None:
    samples = task_samples(0, "SE SE") + task_samples(1, "AC WA")
    metrics = compute_metrics(samples, {}, ks=[1])
    assert "pass@1" not in metrics
    assert metrics["pass_at_k"][0] == {"k": 1, "value": 0.5, "tasks": 1, "tasks_left_out": 1}
    assert metrics["se"]["tasks_without_judged_samples"] == [0]


def test_unjudgeable_tasks_are_excluded_and_reported() -> None:
    tasks = {
        0: TaskMeta(0, difficulty="EASY", spj_case=1),
        1: TaskMeta(1, difficulty="EASY"),
    }
    samples = [
        make_sample(0, 0, "AC"),
        make_sample(0, 1, "WA", unjudgeable=True),
        make_sample(1, 0, "WA"),
        make_sample(1, 1, "WA"),
    ]
    metrics = compute_metrics(samples, tasks, ks=[1, 2])
    assert metrics["detail"]["pass@1"] == {"1": 0.0}  # task 0 left out entirely
    assert metrics["pass@1"] == 0.0
    assert metrics["verdicts"]["AC"] == 1  # its AC still counts in the verdict mix
    unjudgeable = metrics["unjudgeable"]
    assert unjudgeable["tasks"] == 1
    assert unjudgeable["samples"] == 1
    assert unjudgeable["task_samples"] == 2
    assert unjudgeable["task_ids"] == [0]
    assert unjudgeable["spj_cases"] == {"1": 1}
    # Bounds over both tasks: flagged sample failed (0.5 + 0) / 2, or passed (1 + 0) / 2.
    assert unjudgeable["pass@k_bounds"]["pass@1"] == {"low": 0.25, "high": 0.5, "tasks": 2}
    assert metrics["counts"]["scored_tasks"] == 1
    easy = metrics["by_difficulty"]["EASY"]
    assert easy["tasks"] == 2 and easy["scored_tasks"] == 1 and easy["unjudgeable_tasks"] == 1
    assert easy["pass@1"] == 0.0


def test_no_unjudgeable_tasks_gives_empty_report() -> None:
    metrics = compute_metrics(task_samples(0, "AC"), {}, ks=[1])
    assert metrics["unjudgeable"] == {
        "tasks": 0,
        "samples": 0,
        "task_samples": 0,
        "task_ids": [],
        "spj_cases": {},
        "pass@k_bounds": {},
    }


# ---------------------------------------------------------------------------------------------
# Resources


def test_resource_percentiles_against_hand_computation() -> None:
    small = Limits(time_limit_s=1.0, memory_mb=100)
    samples = [
        # worst test per sample (cpu and memory may come from different tests): 0.5 / 1 s, 40 / 100 MB
        make_sample(0, 0, "AC", tests=[("AC", 0.2, 40.0), ("AC", 0.5, 30.0)], limits=small),
        # 1.0 / 2 s, 64 / 256 MB
        make_sample(0, 1, "AC", tests=[("AC", 1.0, 64.0)]),
        # 0.3 / 1 s, 50 / 100 MB
        make_sample(1, 0, "AC", tests=[("AC", 0.3, 50.0)], limits=small),
        # 0.9 / 2 s, 128 / 256 MB
        make_sample(1, 1, "AC", tests=[("AC", 0.9, 128.0), ("AC", 0.1, 10.0)]),
        # not accepted: ignored
        make_sample(2, 0, "TLE", tests=[("TLE", 2.5, 200.0)]),
    ]
    metrics = compute_metrics(samples, {}, ks=[1])
    res = metrics["resources"]
    assert res["accepted_samples"] == 4
    # cpu ratios: 0.5, 0.5, 0.3, 0.45 -> sorted 0.3 0.45 0.5 0.5
    cpu_ratio = res["cpu_time_ratio"]
    assert cpu_ratio["p50"] == pytest.approx((0.45 + 0.5) / 2)  # position 1.5
    assert cpu_ratio["p90"] == pytest.approx(0.5)  # position 2.7 between 0.5 and 0.5
    assert cpu_ratio["max"] == pytest.approx(0.5)
    # memory ratios: 0.4, 0.25, 0.5, 0.5 -> sorted 0.25 0.4 0.5 0.5
    mem_ratio = res["peak_memory_ratio"]
    assert mem_ratio["p50"] == pytest.approx(0.45)
    assert mem_ratio["max"] == pytest.approx(0.5)
    # absolute cpu: 0.5 1.0 0.3 0.9 -> sorted 0.3 0.5 0.9 1.0; p90 at position 2.7
    assert res["cpu_s"]["p50"] == pytest.approx(0.7)
    assert res["cpu_s"]["p90"] == pytest.approx(0.9 + 0.7 * 0.1)
    assert res["cpu_s"]["p99"] == pytest.approx(0.9 + 0.97 * 0.1)
    assert res["cpu_s"]["max"] == pytest.approx(1.0)
    assert res["wall_s"]["max"] == pytest.approx(1.5)
    # peak MB: 40 64 50 128 -> sorted 40 50 64 128; p95 at 2.85
    assert res["peak_mb"]["p95"] == pytest.approx(64 + 0.85 * 64)
    assert res["accepted_over_half_time_limit"] == 0  # 0.5 is not over half
    assert res["accepted_over_half_memory_limit"] == 0


# ---------------------------------------------------------------------------------------------
# Checker comparison


def test_by_checker_and_disagreements() -> None:
    samples = [
        make_sample(0, 0, "AC", alt={"taco": "AC"}),
        make_sample(0, 1, "WA", alt={"taco": "AC"}),  # disagreement
        make_sample(1, 0, "WA", alt={"taco": "WA"}),
        make_sample(1, 1, "TLE", alt={"taco": "RE"}),  # both fail: not a disagreement
        make_sample(2, 0, "AC", alt={"taco": "WA"}),  # disagreement
        make_sample(2, 1, "AC", alt={"taco": "AC"}),
    ]
    metrics = compute_metrics(samples, {}, ks=[1, 2])
    assert list(metrics["by_checker"]) == ["strict", "taco"]
    strict = metrics["by_checker"]["strict"]
    taco = metrics["by_checker"]["taco"]
    assert strict["pass@1"] == pytest.approx(metrics["pass@1"])
    assert strict["pass@1"] == pytest.approx((0.5 + 0.0 + 1.0) / 3)
    assert taco["pass@1"] == pytest.approx((1.0 + 0.0 + 0.5) / 3)
    assert taco["pass@2"] == pytest.approx((1.0 + 0.0 + 1.0) / 3)
    assert taco["verdicts"]["AC"] == 3 and taco["verdicts"]["RE"] == 1
    assert taco["samples"] == 6
    assert metrics["disagreements_count"] == 2
    assert metrics["disagreements"] == [
        {"task_id": 0, "sample": 1, "taco": "AC", "strict": "WA"},
        {"task_id": 2, "sample": 0, "taco": "WA", "strict": "AC"},
    ]


def test_by_checker_without_alternatives_has_only_the_run_checker() -> None:
    metrics = compute_metrics(task_samples(0, "AC WA"), {}, ks=[1])
    assert list(metrics["by_checker"]) == ["strict"]
    assert metrics["disagreements"] == [] and metrics["disagreements_count"] == 0


def test_checker_names_choose_and_order_checkers() -> None:
    samples = [make_sample(0, 0, "AC", alt={"taco": "AC", "float": "AC"})]
    metrics = compute_metrics(samples, {}, ks=[1], checker_names=["taco", "strict", "absent"])
    assert list(metrics["by_checker"]) == ["taco", "strict", "absent"]
    assert "pass@1" not in metrics["by_checker"]["absent"]
    assert metrics["by_checker"]["absent"]["samples"] == 0


def test_disagreements_are_capped_but_counted() -> None:
    samples = [make_sample(t, 0, "WA", alt={"taco": "AC"}) for t in range(DISAGREEMENTS_CAP + 5)]
    metrics = compute_metrics(samples, {}, ks=[1])
    assert metrics["disagreements_count"] == DISAGREEMENTS_CAP + 5
    assert len(metrics["disagreements"]) == DISAGREEMENTS_CAP
    assert metrics["disagreements"][0]["task_id"] == 0


def test_unknown_alt_verdict_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown verdict"):
        compute_metrics([make_sample(0, 0, "AC", alt={"taco": "PASS"})], {}, ks=[1])


@given(
    st.lists(
        st.lists(st.sampled_from(["AC", "WA", "TLE", "SE"]), min_size=1, max_size=12),
        min_size=1,
        max_size=8,
    )
)
def test_compute_metrics_property_matches_per_task_estimator(per_task: list[list[str]]) -> None:
    samples = [make_sample(t, i, v) for t, verdicts in enumerate(per_task) for i, v in enumerate(verdicts)]
    metrics = compute_metrics(samples, {}, ks=[1, 3])
    nc = [(sum(v != "SE" for v in vs), sum(v == "AC" for v in vs)) for vs in per_task]
    for item in metrics["pass_at_k"]:
        k = item["k"]
        used = [pass_at_k(n, c, k) for n, c in nc if n >= k]
        assert item["tasks"] == len(used)
        assert item["tasks_left_out"] == len(nc) - len(used)
        if used:
            assert item["value"] == pytest.approx(sum(used) / len(used))
        else:
            assert item["value"] is None
    for k in (1, 3):
        assert (f"pass@{k}" in metrics) == all(n >= k for n, _ in nc)
    assert sum(metrics["verdicts"].values()) == len(samples)
    json.dumps(metrics, allow_nan=False)
