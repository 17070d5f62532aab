"""`taco-judge audit`: the classification rules on hand-made runs, then the real command on fixture
problems with planted defects (wrong expected output, several valid answers, a nondeterministic
reference, a too-tight time limit), a rerun of single submissions, and CPU-time TLE under load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from taco_judge.audit import (
    CLASSES,
    NEEDS_SPECIAL_JUDGE,
    NONDETERMINISTIC,
    OK,
    TIMING_FLAKY,
    UNVERIFIED,
    WRONG_EXPECTED,
    Rerun,
    SolutionRun,
    classify_test,
    summarize_reruns,
)
from taco_judge.audit_run import (
    CheckerOutputs,
    capture_expected,
    capture_return,
    capture_stdout,
)
from taco_judge.checkers import build_checker
from taco_judge.cli import main as audit_main
from taco_judge.problems import Problem, TestCase
from taco_judge.verdict import Observation, Verdict

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "audit"
EXPECTED = "expected"


# ----------------------------------------------------------------------------- rules, by hand


class Space:
    """Outputs are their own keys; with ``tol``, numbers within it are the same answer."""

    def __init__(self, tol: float | None = None) -> None:
        self.tol = tol

    def same(self, a: str, b: str) -> bool:
        if a == b:
            return True
        if self.tol is None:
            return False
        try:
            return abs(float(a) - float(b)) <= self.tol
        except ValueError:
            return False

    def difference(self, reference: str, got: str) -> str:
        return f"expected {reference!r}, got {got!r}"

    def preview(self, key: str) -> str:
        return key


def runs(solution: int, outputs: list[str], expected: str = EXPECTED, cpu: float = 0.01, wall: float = 0.02) -> list[SolutionRun]:
    """One SolutionRun per output; "TLE", "RE" and "SE" stand for runs without an answer."""
    result = []
    for run, out in enumerate(outputs):
        if out in ("TLE", "RE", "SE"):
            result.append(SolutionRun(solution, run, Verdict(out), None, 1.0 if out == "TLE" else cpu, wall))
        else:
            verdict = Verdict.AC if out == expected else Verdict.WA
            result.append(SolutionRun(solution, run, verdict, out, cpu, wall))
    return result


def classify(*solutions: list[SolutionRun], limit: float = 1.0, space: Space | None = None, **kw: Any):
    all_runs = [r for sol in solutions for r in sol]
    return classify_test(7, 3, all_runs, time_limit_s=limit, outputs=space or Space(), expected=EXPECTED, **kw)


def test_precedence_is_documented_order() -> None:
    assert CLASSES == (NONDETERMINISTIC, WRONG_EXPECTED, NEEDS_SPECIAL_JUDGE, TIMING_FLAKY, UNVERIFIED, OK)
    assert "nondeterministic > wrong-expected > needs-special-judge > timing-flaky > unverified > ok" in (
        REPO / "docs" / "audit.md"
    ).read_text()


def test_all_references_agree_with_expected_is_ok() -> None:
    audit = classify(runs(0, [EXPECTED] * 3), runs(1, [EXPECTED] * 3))
    assert (audit.task_id, audit.test, audit.cls) == (7, 3, OK)
    assert audit.evidence["answers"] == [
        {"output": EXPECTED, "solutions": [0, 1], "matches_expected": True, "preview": EXPECTED}
    ]
    assert audit.evidence["solutions"][0]["status"] == "stable"
    assert set(audit.evidence["cpu_s"]) == {"min", "median", "max", "spread"}


def test_majority_agreeing_on_another_answer_means_wrong_expected() -> None:
    audit = classify(runs(0, ["7"] * 3), runs(1, ["7"] * 3), runs(2, [EXPECTED] * 3))
    assert audit.cls == WRONG_EXPECTED
    assert audit.reason.startswith("2 of 3 references print the same answer")
    assert audit.evidence["diff"] == {"between": ["expected", "7"], "first_difference": "expected 'expected', got '7'"}
    assert [a["solutions"] for a in audit.evidence["answers"]] == [[0, 1], [2]]


def test_one_dissenting_reference_is_not_enough_to_call_expected_wrong() -> None:
    lone = classify(runs(0, ["7"] * 3))
    assert lone.cls == UNVERIFIED
    assert "2 agreeing references are needed" in lone.reason
    assert classify(runs(0, ["7"] * 3), min_agree=1).cls == WRONG_EXPECTED


def test_a_majority_matching_expected_outvotes_a_buggy_reference() -> None:
    audit = classify(runs(0, [EXPECTED] * 2), runs(1, [EXPECTED] * 2), runs(2, ["7"] * 2))
    assert audit.cls == OK
    assert "solution 2 prints something else" in audit.reason


def test_references_split_without_majority_need_a_special_judge() -> None:
    audit = classify(runs(0, [EXPECTED] * 2), runs(1, ["5"] * 2))
    assert audit.cls == NEEDS_SPECIAL_JUDGE  # an even split is no majority
    assert audit.evidence["spj_agrees"] is None  # no special-judge list given
    three_ways = classify(runs(0, ["1"] * 2), runs(1, ["2"] * 2), runs(2, ["3"] * 2))
    assert three_ways.cls == NEEDS_SPECIAL_JUDGE
    assert "3 different answers" in three_ways.reason


def test_special_judge_list_turns_a_majority_answer_into_several_valid_answers() -> None:
    refs = (runs(0, ["2"] * 2), runs(1, ["2"] * 2), runs(2, [EXPECTED] * 2))
    assert classify(*refs).cls == WRONG_EXPECTED
    listed = classify(*refs, spj_case=1)
    assert listed.cls == NEEDS_SPECIAL_JUDGE and listed.evidence["spj_agrees"] is True
    assert listed.evidence["spj_case"] == 1
    # Listed as an exact-answer problem, yet the references split: flagged, and the list contradicted.
    split = classify(runs(0, [EXPECTED] * 2), runs(1, ["5"] * 2), spj_case=0)
    assert split.cls == NEEDS_SPECIAL_JUDGE and split.evidence["spj_agrees"] is False


def test_output_changing_across_runs_is_nondeterministic_and_wins_precedence() -> None:
    audit = classify(runs(0, ["1", "4", "1"]), runs(1, ["7"] * 3), runs(2, ["7"] * 3))
    assert audit.cls == NONDETERMINISTIC
    assert audit.reason == "solution 0 printed 2 different answers in 3 runs"
    assert audit.evidence["diff"]["between"] == ["1", "4"]
    assert WRONG_EXPECTED in audit.evidence["also"]  # the stable references still out-vote the expected output
    assert audit.evidence["solutions"][0]["status"] == "changes-output"
    assert audit.evidence["solutions"][0]["outputs"] == {"1": 2, "4": 1}


def test_answer_in_some_runs_and_crash_in_others_is_nondeterministic() -> None:
    audit = classify(runs(0, [EXPECTED, "RE", EXPECTED]), runs(1, [EXPECTED] * 3))
    assert audit.cls == NONDETERMINISTIC
    assert "crashed in 1 of 3" in audit.reason


def test_checker_equal_outputs_are_one_answer() -> None:
    # Float noise within the checker's tolerance is neither nondeterminism nor disagreement.
    outputs = ["0.3333333", "0.33333333", "0.33333334", "0.3333333"]
    noisy = [SolutionRun(i // 2, i % 2, Verdict.AC, out, 0.01, 0.02) for i, out in enumerate(outputs)]
    audit = classify_test(7, 3, noisy, time_limit_s=1.0, outputs=Space(tol=1e-6), expected="0.3333333")
    assert audit.cls == OK
    assert [s["status"] for s in audit.evidence["solutions"]] == ["stable", "stable"]
    assert len(audit.evidence["answers"]) == 1
    strict = classify_test(7, 3, noisy, time_limit_s=1.0, outputs=Space(), expected="0.3333333")
    assert strict.cls == NONDETERMINISTIC


def test_ac_tle_flip_is_timing_flaky() -> None:
    audit = classify(runs(0, [EXPECTED, "TLE", EXPECTED]), runs(1, [EXPECTED] * 3))
    assert audit.cls == TIMING_FLAKY
    assert audit.reason == "solution 0: TLE in 1 of 3 runs, AC in 2 (CPU limit 1 s)"
    assert audit.evidence["tle_runs"] == 1


def test_cpu_time_within_margin_of_limit_is_timing_flaky() -> None:
    near = classify(runs(0, [EXPECTED] * 3, cpu=0.85), limit=1.0)
    assert near.cls == TIMING_FLAKY
    assert near.reason == "solution 0 used 0.85 s of CPU, within 20% of the 1 s limit"
    assert near.evidence["near_limit_runs"] == 3
    assert classify(runs(0, [EXPECTED] * 3, cpu=0.79), limit=1.0).cls == OK
    assert classify(runs(0, [EXPECTED] * 3, cpu=0.79), limit=1.0, margin=0.25).cls == TIMING_FLAKY


def test_wall_time_never_makes_a_test_timing_flaky() -> None:
    audit = classify(runs(0, [EXPECTED] * 3, cpu=0.5, wall=2.5), limit=1.0)
    assert audit.cls == OK
    assert audit.evidence["wall_s"]["max"] == 2.5


def test_no_reference_within_the_limit_is_timing_flaky() -> None:
    audit = classify(runs(0, ["TLE"] * 3), runs(1, ["TLE"] * 3))
    assert audit.cls == TIMING_FLAKY
    assert "every reference exceeded" in audit.reason
    # One slow reference beside fast ones is a slow reference, not a flaky test.
    assert classify(runs(0, ["TLE"] * 3), runs(1, [EXPECTED] * 3)).cls == OK


def test_output_classes_outrank_timing() -> None:
    audit = classify(runs(0, ["7"] * 2, cpu=0.9), runs(1, ["7"] * 2, cpu=0.1))
    assert audit.cls == WRONG_EXPECTED
    assert list(audit.evidence["also"]) == [TIMING_FLAKY]


def test_no_answer_at_all_is_unverified_not_ok() -> None:
    audit = classify(runs(0, ["RE"] * 2), runs(1, ["RE"] * 2))
    assert audit.cls == UNVERIFIED
    assert "crashed" in audit.reason


def test_jail_failures_take_no_part() -> None:
    audit = classify(runs(0, [EXPECTED, "SE", EXPECTED]), runs(1, ["SE"] * 3))
    assert audit.cls == OK
    assert audit.evidence["jail_failures"] == 4
    assert audit.evidence["solutions"][1]["status"] == "not-run"


def test_summarize_reruns_reports_distribution_and_spread() -> None:
    def rerun(i: int, verdict: Verdict, cpu: float) -> Rerun:
        return Rerun(i, verdict, {0: (Verdict.AC, 0.01, 0.02), 1: (verdict, cpu, cpu * 3)})

    flaky = summarize_reruns([rerun(0, Verdict.AC, 0.9), rerun(1, Verdict.TLE, 1.0), rerun(2, Verdict.AC, 0.95)], time_limit_s=1.0)
    assert flaky["verdicts"] == {"AC": 2, "TLE": 1}
    assert flaky["assessment"] == "flaky"
    assert flaky["slowest_test"] == 1
    assert flaky["tests"][1]["cpu_s"] == {"min": 0.9, "median": 0.95, "max": 1.0, "spread": 0.1}
    near = summarize_reruns([rerun(0, Verdict.AC, 0.85), rerun(1, Verdict.AC, 0.5)], time_limit_s=1.0)
    assert near["assessment"] == "near-limit"
    stable = summarize_reruns([rerun(0, Verdict.AC, 0.3), rerun(1, Verdict.AC, 0.31)], time_limit_s=1.0)
    assert stable["assessment"] == "stable" and stable["runs"] == 2


# ----------------------------------------------------------------------------- comparing real outputs


def test_outputs_compare_under_the_problems_checker() -> None:
    problem = Problem(task_id=1, mode="stdin", tests=(TestCase(0, "", "0.5\n"),))
    expected = capture_expected(problem, problem.tests[0])
    exact = CheckerOutputs(problem, build_checker("strict"), expected)
    floats = CheckerOutputs(problem, build_checker("strict", spj_case=3), expected)
    a, b = capture_stdout(b"0.3333333\n"), capture_stdout(b"0.33333334 \n\n")
    assert capture_stdout(b"1  2\n") .key == capture_stdout(b"1 2").key  # layout does not split answers
    for space in (exact, floats):
        space.add(a)
        space.add(b)
    assert not exact.same(a.key, b.key)
    assert exact.difference(a.key, b.key) == "line 1, token 1: expected '0.3333333', got '0.33333334'"
    assert floats.same(a.key, b.key)
    assert exact.preview(expected.key) == "0.5\n"


def test_returned_sets_in_any_order_are_one_answer() -> None:
    first = capture_return(Observation(returned=True, return_value={"$set": ["b", "a"]}))
    second = capture_return(Observation(returned=True, return_value={"$set": ["a", "b"]}))
    assert first.key == second.key
    problem = Problem(task_id=1, mode="call", fn_name="f", tests=(TestCase(0, [], [5]),))
    space = CheckerOutputs(problem, build_checker("strict"), capture_expected(problem, problem.tests[0]))
    five, listed = (capture_return(Observation(returned=True, return_value=v)) for v in (5, [5]))
    space.add(five)
    space.add(listed)
    assert space.same(five.key, space.expected_key)
    assert not space.same(five.key, listed.key)  # 5 and [5] are different answers


# ----------------------------------------------------------------------------- the command, end to end


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "taco_judge", "audit", *args],
        check=False, capture_output=True, text=True, timeout=timeout, cwd=REPO,
    )


@pytest.fixture(scope="module")
def fixture_audit(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("audit")
    done = run_cli("--problems", str(FIXTURES), "--task-ids", "0-3", "--sandbox", "local", "--jobs", "2", "--out", str(out))
    return done, out


def classes(out: Path) -> dict[tuple[int, int], str]:
    report = json.loads((out / "audit.json").read_text())
    return {(t["task_id"], t["test"]): t["class"] for t in report["tests"]}


@pytest.mark.slow
def test_audit_finds_each_planted_defect_and_leaves_good_tests_ok(fixture_audit) -> None:
    done, out = fixture_audit
    assert done.returncode == 1, done.stderr  # 1: some tests were quarantined
    assert classes(out) == {
        (0, 0): OK, (0, 1): WRONG_EXPECTED, (0, 2): OK,
        (1, 0): OK, (1, 1): NEEDS_SPECIAL_JUDGE, (1, 2): NEEDS_SPECIAL_JUDGE,
        (2, 0): OK, (2, 1): NONDETERMINISTIC,
        (3, 0): OK, (3, 1): TIMING_FLAKY, (3, 2): TIMING_FLAKY,
    }


@pytest.mark.slow
def test_audit_json_carries_the_evidence(fixture_audit) -> None:
    _, out = fixture_audit
    report = json.loads((out / "audit.json").read_text())
    assert report["run"]["runs"] == 5 and report["run"]["complete"] is True
    assert report["summary"] == {"nondeterministic": 1, "wrong-expected": 1, "needs-special-judge": 2, "timing-flaky": 2, "ok": 5}
    by_key = {(t["task_id"], t["test"]): t for t in report["tests"]}
    wrong = by_key[(0, 1)]["evidence"]
    assert wrong["expected"]["preview"] == "8\n"
    assert wrong["answers"][0]["solutions"] == [0, 1, 2, 3]  # solution 4 (Python 2) does not compile
    assert wrong["answers"][0]["preview"] == "7\n"
    assert wrong["diff"]["first_difference"] == "line 1, token 1: expected '8', got '7'"
    assert report["problems"][0]["compile_errors"]["4"].startswith("SyntaxError")
    dissent = by_key[(0, 2)]["evidence"]
    assert "solution 3 prints something else" in dissent["reason"]
    multi = by_key[(1, 1)]["evidence"]
    assert multi["spj_case"] == 1 and multi["spj_agrees"] is True
    assert sorted(a["preview"] for a in multi["answers"]) == ["1\n", "3\n", "5\n"]
    random_ref = by_key[(2, 1)]["evidence"]["solutions"][0]
    assert random_ref["status"] == "changes-output" and len(random_ref["outputs"]) > 1
    near = by_key[(3, 1)]["evidence"]
    assert near["time_limit_s"] == 0.5 and 0.4 <= near["cpu_s"]["max"] <= 0.5
    assert by_key[(3, 2)]["evidence"]["tle_runs"] == 5


@pytest.mark.slow
def test_quarantine_json_lists_what_judge_should_skip_or_rejudge(fixture_audit) -> None:
    from taco_judge import quarantine

    _, out = fixture_audit
    q = quarantine.load(out / "quarantine.json")
    assert {(e.task_id, e.test): e.action for e in q.entries} == {
        (0, 1): "skip", (1, 1): "skip", (1, 2): "skip", (2, 1): "skip", (3, 1): "rejudge", (3, 2): "rejudge",
    }
    assert all(e.tests_sha256 and e.reason for e in q.entries)


@pytest.mark.slow
def test_audit_prints_a_table_of_flagged_tests(fixture_audit) -> None:
    done, out = fixture_audit
    assert "tests the audit flagged" in done.stdout
    assert "wrong-expected" in done.stdout and "timing-flaky" in done.stdout
    assert "11 tests in 4 problems:" in done.stdout
    assert str(out / "quarantine.json") in done.stdout.replace("\n", "")


def test_without_the_special_judge_list_two_agreeing_references_outvote_expected(tmp_path: Path) -> None:
    # Same problem, without the folder's output_spj.jsonl (which is found beside the file too).
    code = audit_main(["audit", "--problems", str(FIXTURES / "problems.jsonl"), "--spj", "none", "--task-ids", "1", "--runs", "2",
                       "--sandbox", "local", "--jobs", "2", "--out", str(tmp_path), "--quiet"])
    assert code == 1
    found = classes(tmp_path)
    assert found[(1, 1)] == NEEDS_SPECIAL_JUDGE
    assert found[(1, 2)] == WRONG_EXPECTED
    report = json.loads((tmp_path / "audit.json").read_text())
    assert report["tests"][1]["evidence"]["spj_agrees"] is None


def test_problems_without_a_usable_reference_are_unverified(tmp_path: Path, make_taco_row) -> None:
    rows = [
        make_taco_row(["1\n", "2\n"], ["1\n", "2\n"], task_id=0, solutions=[]),
        make_taco_row(["1\n"], ["1\n"], task_id=1, solutions=["print 1\n"]),  # Python 2 only
    ]
    problems = tmp_path / "p.jsonl"
    problems.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code = audit_main(["audit", "--problems", str(problems), "--runs", "2", "--sandbox", "local", "--jobs", "1",
                       "--out", str(tmp_path / "out"), "--quiet"])
    assert code == 0  # nothing to quarantine: the audit makes no claim about these tests
    report = json.loads((tmp_path / "out" / "audit.json").read_text())
    assert [(t["task_id"], t["test"], t["class"], t["evidence"]["reason"]) for t in report["tests"]] == [
        (0, 0, UNVERIFIED, "the problem has no reference solutions"),
        (0, 1, UNVERIFIED, "the problem has no reference solutions"),
        (1, 0, UNVERIFIED, "no reference solution compiles"),
    ]
    assert json.loads((tmp_path / "out" / "quarantine.json").read_text())["tests"] == []


def write_generations(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


COIN = "import random\nprint('done' if random.random() < 0.5 else 'nope')\n"
CORRECT_BURN = "import time\nneed = float(input())\nwhile time.process_time() < need:\n    pass\nprint('done')\n"


@pytest.mark.slow
def test_submission_mode_shows_a_flaky_verdict(tmp_path: Path) -> None:
    gens = write_generations(tmp_path / "gen.jsonl", [{"task_id": 3, "output": [CORRECT_BURN, COIN]}])
    done = run_cli("--problems", str(FIXTURES), "--submission", str(gens), "--task-id", "3", "--sample", "1",
                   "--test", "0", "--runs", "16", "--sandbox", "local", "--jobs", "2", "--out", str(tmp_path / "r"))
    assert done.returncode == 1, done.stderr
    report = json.loads((tmp_path / "r" / "rerun.json").read_text())
    (sample,) = report["samples"]
    assert sample["sample"] == 1 and sample["runs"] == 16
    assert set(sample["verdicts"]) == {"AC", "WA"}  # a fair coin 16 times: both sides (p = 1 - 2^-15)
    assert sample["assessment"] == "flaky"
    assert [t["test"] for t in sample["tests"]] == [0]
    assert "flaky" in done.stdout and "task 3, test 0: 16 reruns" in done.stdout


def test_submission_mode_stable_verdict_exits_zero(tmp_path: Path) -> None:
    gens = write_generations(tmp_path / "gen.jsonl", [{"task_id": 3, "output": [CORRECT_BURN]}])
    code = audit_main(["audit", "--problems", str(FIXTURES), "--submission", str(gens), "--task-id", "3",
                       "--test", "0", "--runs", "3", "--sandbox", "local", "--jobs", "1", "--quiet",
                       "--out", str(tmp_path / "r")])
    assert code == 0
    (sample,) = json.loads((tmp_path / "r" / "rerun.json").read_text())["samples"]
    assert sample["verdicts"] == {"AC": 3} and sample["assessment"] == "stable"


def test_submission_mode_reads_only_the_tasks_entries(tmp_path: Path) -> None:
    # Other tasks' entries (one for a task not in the set, one malformed) do not stop a rerun of task 3,
    # and no error points at a flag audit does not take.
    gens = write_generations(tmp_path / "gen.jsonl", [
        {"task_id": 999, "output": [CORRECT_BURN]}, {"task_id": 2, "output": "not a list"},
        {"task_id": 3, "output": [CORRECT_BURN]},
    ])
    done = run_cli("--problems", str(FIXTURES), "--submission", str(gens), "--task-id", "3", "--test", "0",
                   "--runs", "1", "--sandbox", "local", "--jobs", "1", "--quiet", "--out", str(tmp_path / "r"))
    assert done.returncode == 0, done.stderr
    assert "--skip-invalid" not in done.stderr
    (sample,) = json.loads((tmp_path / "r" / "rerun.json").read_text())["samples"]
    assert sample["verdicts"] == {"AC": 1}
    # A bad entry of the task itself still stops it, with a fix audit can act on.
    bad = write_generations(tmp_path / "bad.jsonl", [{"task_id": 3, "output": [CORRECT_BURN, 7]}])
    stopped = run_cli("--problems", str(FIXTURES), "--submission", str(bad), "--task-id", "3", "--sandbox", "local",
                      "--quiet", "--out", str(tmp_path / "s"))
    assert stopped.returncode == 2
    assert "output[1] is int, not a code string; fix the file" in stopped.stderr
    assert "--skip-invalid" not in stopped.stderr and len(stopped.stderr.strip().splitlines()) == 1


WORDS = ["apple", "banana", "cherry", "grape", "kiwi", "lemon", "mango", "peach"]


def _first_word(seed: int) -> str:
    """The first of WORDS a set of them iterates over under PYTHONHASHSEED=seed (this Python's hash)."""
    code = f"print(next(iter(set({WORDS!r}))))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"PYTHONHASHSEED": str(seed)}).stdout.strip()


@pytest.mark.slow
def test_submission_mode_exposes_set_order_dependence_across_hash_seeds(tmp_path: Path) -> None:
    # One verdict every run under one seed (the judge fixes it), another under other seeds.
    seeds = list(range(6))
    firsts = {seed: _first_word(seed) for seed in seeds}
    assert len(set(firsts.values())) > 1, firsts  # these seeds do order the set differently
    order_bound = f"print('done' if next(iter(set({WORDS!r}))) == {firsts[0]!r} else 'nope')\n"
    gens = write_generations(tmp_path / "gen.jsonl", [{"task_id": 3, "output": [order_bound]}])
    stable = audit_main(["audit", "--problems", str(FIXTURES), "--submission", str(gens), "--task-id", "3",
                         "--test", "0", "--runs", "3", "--sandbox", "local", "--jobs", "1", "--quiet",
                         "--out", str(tmp_path / "one")])
    assert stable == 0  # the judge's own seed, every time: AC
    (sample,) = json.loads((tmp_path / "one" / "rerun.json").read_text())["samples"]
    assert sample["verdicts"] == {"AC": 3}
    code = audit_main(["audit", "--problems", str(FIXTURES), "--submission", str(gens), "--task-id", "3",
                       "--test", "0", "--runs", "2", "--sandbox", "local", "--jobs", "1", "--quiet",
                       "--hash-seeds", ",".join(map(str, seeds)), "--out", str(tmp_path / "seeds")])
    assert code == 1
    report = json.loads((tmp_path / "seeds" / "rerun.json").read_text())
    (sample,) = report["samples"]
    assert report["hash_seeds"] == seeds and sample["assessment"] == "order-dependent"
    want = {str(seed): {"AC" if firsts[seed] == firsts[0] else "WA": 2} for seed in seeds}
    assert sample["verdicts_by_hash_seed"] == want


@pytest.mark.parametrize(
    "args, message",
    [
        (["--submission", "GEN"], "--submission needs --task-id T"),
        (["--task-id", "3", "--out", "OUT"], "--task-id belongs to submission mode"),
        ([], "audit needs --out DIR"),
        (["--submission", "GEN", "--task-id", "99"], "--task-id 99: no such task"),
        (["--submission", "GEN", "--task-id", "3", "--test", "9"], "--test 9: task 3 has 3 tests (0 to 2)"),
        (["--submission", "GEN", "--task-id", "0"], "no task 0 in the generations file"),
        (["--out", "OUT", "--task-ids", "50"], "no problem matches the filters"),
    ],
)
def test_user_errors_are_one_line_exit_2(tmp_path: Path, capsys, args: list[str], message: str) -> None:
    gens = write_generations(tmp_path / "gen.jsonl", [{"task_id": 3, "output": [CORRECT_BURN]}])
    args = [str(gens) if a == "GEN" else str(tmp_path / "out") if a == "OUT" else a for a in args]
    code = audit_main(["audit", "--problems", str(FIXTURES), "--sandbox", "local", *args])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    errors = [line for line in err if line.startswith("taco-judge: error:")]
    assert len(errors) == 1 and message in errors[0], err


@pytest.mark.parametrize("flag, value", [("--runs", "0"), ("--margin", "1.5"), ("--solutions", "x")])
def test_bad_numbers_are_rejected_by_the_parser(flag: str, value: str, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        audit_main(["audit", "--problems", str(FIXTURES), "--out", "x", flag, value])
    assert exc.value.code == 2
    assert flag in capsys.readouterr().err


# ----------------------------------------------------------------------------- CPU time under load


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs os.sched_setaffinity (Linux)")
def test_cpu_time_tle_does_not_flip_under_load_where_wall_time_would(tmp_path: Path) -> None:
    """A reference needing 0.3 s of CPU against a 0.5 s limit, sharing one CPU with two busy loops.

    Everything is pinned to one CPU, so the program gets about a third of it whatever the
    machine's size: wall time about triples and passes the limit, CPU time stays put. A judge
    deciding TLE on wall time would fail this reference; the audit sees AC on every run, `ok`.
    The busy loops run in sessions of their own so the scheduler's per-session grouping
    (autogroup) cannot shield the runner from them.
    """
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    burners = []
    try:
        burners = [
            subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True) for _ in range(2)
        ]
        code = audit_main(["audit", "--problems", str(FIXTURES), "--task-ids", "4", "--runs", "3", "--jobs", "1",
                           "--sandbox", "local", "--out", str(tmp_path), "--quiet"])
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
        os.sched_setaffinity(0, before)
    assert code == 0
    (test,) = json.loads((tmp_path / "audit.json").read_text())["tests"]
    evidence = test["evidence"]
    assert test["class"] == OK, evidence["reason"]
    assert evidence["solutions"][0]["verdicts"] == {"AC": 3}
    limit = evidence["time_limit_s"]
    assert evidence["cpu_s"]["max"] < 0.8 * limit  # CPU time: far from the limit on every run
    assert evidence["wall_s"]["max"] > limit  # wall time: over it; a wall-clock judge would say TLE
    assert evidence["wall_s"]["min"] > 2 * evidence["cpu_s"]["max"] - 0.2
