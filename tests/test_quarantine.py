"""The quarantine file: its format and checks, how a problem is reordered for judging, how verdicts
are settled without quarantined failures, what metrics report, and judging with it end to end."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from taco_judge import quarantine
from taco_judge.audit import TIMING_FLAKY, WRONG_EXPECTED, TestAudit
from taco_judge.backends import make_backend
from taco_judge.executors.local import WorkItem, run_pool
from taco_judge.judge import JudgeConfig, SampleJudge
from taco_judge.judging import Judged, Judging
from taco_judge.problems import Problem, TestCase, open_problems
from taco_judge.quarantine import Quarantine, QuarantineEntry, QuarantineError
from taco_judge.submissions import submission_from_code
from taco_judge.verdict import Limits, SampleResult, TestResult, Verdict

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "audit"


def problem(task_id: int = 5, n: int = 4) -> Problem:
    return Problem(task_id=task_id, mode="stdin", tests=tuple(TestCase(i, f"{i}\n", f"{i}\n") for i in range(n)))


def sample(task_id: int, verdicts: list[tuple[int, Verdict]], *, sample_no: int = 0, **kw) -> SampleResult:
    tests = tuple(TestResult(i, v, detail="" if v is Verdict.AC else f"{v.value} here") for i, v in verdicts)
    first = next((t for t in sorted(tests, key=lambda t: t.index) if t.verdict is not Verdict.AC), None)
    return SampleResult(
        task_id=task_id, sample=sample_no, verdict=first.verdict if first else Verdict.AC, tests=tests,
        code_sha256="c", raw_sha256="r", checker="strict", limits=Limits(), num_tests=4,
        detail=f"test {first.index}: {first.detail}" if first else "", **kw,
    )


Q = Quarantine((
    QuarantineEntry(5, 1, "skip", WRONG_EXPECTED, "expected 8, references print 7"),
    QuarantineEntry(5, 2, "rejudge", TIMING_FLAKY, "0.46 s of 0.5 s"),
))


# ----------------------------------------------------------------------------- the file


def test_audit_results_round_trip_through_the_file(tmp_path: Path) -> None:
    tests = [
        TestAudit(5, 0, "ok", {"reason": "fine"}),
        TestAudit(5, 1, WRONG_EXPECTED, {"reason": "4 of 4 print 7"}),
        TestAudit(5, 2, TIMING_FLAKY, {"reason": "near"}),
        TestAudit(6, 0, "unverified", {"reason": "no refs"}),
        TestAudit(6, 1, "nondeterministic", {"reason": "random"}),
        TestAudit(6, 2, "needs-special-judge", {"reason": "several"}),
    ]
    made = quarantine.from_audit(tests, {5: "aa", 6: "bb"})
    assert [(e.task_id, e.test, e.action) for e in made.entries] == [
        (5, 1, "skip"), (5, 2, "rejudge"), (6, 1, "skip"), (6, 2, "skip"),
    ]
    path = tmp_path / "quarantine.json"
    quarantine.write(path, made, created_by="test")
    data = json.loads(path.read_text())
    assert data["format"] == "taco-judge-quarantine" and data["version"] == 1 and data["created_by"] == "test"
    assert data["tests"][0] == {"task_id": 5, "test": 1, "class": WRONG_EXPECTED, "action": "skip",
                                "tests_sha256": "aa", "reason": "4 of 4 print 7"}
    loaded = quarantine.load(path)
    assert loaded.entries == made.entries
    assert loaded.source == str(path)
    assert set(loaded.for_task(6)) == {1, 2} and loaded.for_task(99) == {}


def test_hand_written_entries_need_only_task_test_and_class_or_action(tmp_path: Path) -> None:
    path = tmp_path / "q.json"
    path.write_text(json.dumps({"tests": [{"task_id": "7", "test": 0, "class": "timing-flaky"},
                                          {"task_id": 8, "test": 2, "action": "skip"}]}))
    loaded = quarantine.load(path)
    assert [(e.task_id, e.test, e.action) for e in loaded.entries] == [(7, 0, "rejudge"), (8, 2, "skip")]


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "quarantine file not found"),
        ("{not json", "not valid JSON (line 1"),
        ("[]", 'expected a JSON object with a "tests" list'),
        ('{"format": "other", "tests": []}', "\"format\" is 'other'"),
        ('{"version": 2, "tests": []}', "version 2 is not supported"),
        ('{"tests": [{"test": 0, "action": "skip"}]}', 'tests[0]: missing or invalid "task_id"'),
        ('{"tests": [{"task_id": 1, "test": -1, "action": "skip"}]}', '"test" must be a 0-based test index'),
        ('{"tests": [{"task_id": 1, "test": 0, "action": "ignore"}]}', '"action" must be one of skip, rejudge'),
        ('{"tests": [{"task_id": 1, "test": 0, "class": "ok"}]}', '"action" must be one of skip, rejudge'),
        ('{"tests": [{"task_id": 1, "test": 0, "action": "skip"}, {"task_id": "1", "test": 0, "action": "skip"}]}',
         "task 1 test 0 is listed twice"),
    ],
)
def test_bad_files_give_one_line_naming_the_file(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "q.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(QuarantineError) as exc:
        quarantine.load(path)
    text = str(exc.value)
    assert "\n" not in text and str(path) in text and message in text, text
    assert exc.value.exit_code == 2


# ----------------------------------------------------------------------------- apply


def test_apply_runs_quarantined_tests_last_and_names_the_skipped_ones() -> None:
    p = problem()
    applied, skipped = quarantine.apply(p, Q)
    assert [t.index for t in applied.tests] == [0, 3, 2, 1]  # trusted, then rejudge, then skip
    assert skipped == (1,)
    assert applied.tests[3] == p.tests[1]  # tests keep their index and content
    untouched, none = quarantine.apply(problem(task_id=6), Q)
    assert none == () and untouched == problem(task_id=6)


def test_apply_refuses_a_file_made_for_other_tests() -> None:
    p = problem()
    stale = Quarantine((QuarantineEntry(5, 1, "skip", tests_sha256="0" * 64),), "q.json")
    with pytest.raises(QuarantineError, match="task 5 was audited with other tests"):
        quarantine.apply(p, stale)
    fresh = Quarantine((QuarantineEntry(5, 1, "skip", tests_sha256=p.tests_sha256),))
    assert quarantine.apply(p, fresh)[1] == (1,)
    with pytest.raises(QuarantineError, match="task 5 has no test 9 \\(it has 4\\)"):
        quarantine.apply(p, Quarantine((QuarantineEntry(5, 9, "skip"),), "q.json"))


# ----------------------------------------------------------------------------- settle and report


def test_settle_leaves_out_skipped_failures_and_rejudged_tles() -> None:
    wrong_expected = sample(5, [(0, Verdict.AC), (3, Verdict.AC), (2, Verdict.AC), (1, Verdict.WA)])
    assert wrong_expected.verdict is Verdict.WA
    settled = quarantine.settle(wrong_expected, Q)
    assert settled.verdict is Verdict.AC and settled.detail == ""
    assert settled.tests == wrong_expected.tests  # per-test results are kept as recorded

    slow_on_flaky = sample(5, [(0, Verdict.AC), (3, Verdict.AC), (2, Verdict.TLE)])
    assert quarantine.settle(slow_on_flaky, Q).verdict is Verdict.AC

    wrong_on_flaky = sample(5, [(0, Verdict.AC), (3, Verdict.AC), (2, Verdict.WA)])
    assert quarantine.settle(wrong_on_flaky, Q) == wrong_on_flaky  # a timing-flaky test's WA still counts

    trusted_failure = sample(5, [(0, Verdict.AC), (3, Verdict.RE)])
    assert quarantine.settle(trusted_failure, Q) is trusted_failure

    both = sample(5, [(0, Verdict.AC), (1, Verdict.WA), (3, Verdict.TLE)])  # judged with --all-tests
    settled = quarantine.settle(both, Q)
    assert settled.verdict is Verdict.TLE and settled.detail == "test 3: TLE here"


def test_settle_keeps_unjudgeable_wa_and_checker_verdicts_consistent() -> None:
    multi = sample(5, [(0, Verdict.AC), (3, Verdict.WA), (1, Verdict.WA)], unjudgeable=True,
                   alt_verdicts={"strict": "WA", "taco": "WA"})
    settled = quarantine.settle(multi, Q)
    assert settled.verdict is Verdict.WA and settled.unjudgeable
    rescued = quarantine.settle(sample(5, [(0, Verdict.AC), (1, Verdict.WA)], unjudgeable=True,
                                       alt_verdicts={"strict": "WA", "taco": "WA"}), Q)
    assert rescued.verdict is Verdict.AC and not rescued.unjudgeable
    assert rescued.alt_verdicts == {"strict": "AC", "taco": "WA"}
    new_wa = quarantine.settle(sample(5, [(0, Verdict.AC), (1, Verdict.TLE), (3, Verdict.WA)]), Q, needs_special_judge=True)
    assert new_wa.verdict is Verdict.WA and new_wa.unjudgeable


def test_report_counts_failures_and_rescued_samples_per_quarantined_test() -> None:
    results = [
        sample(5, [(0, Verdict.AC), (3, Verdict.AC), (2, Verdict.AC), (1, Verdict.WA)], sample_no=0),  # rescued by 1
        sample(5, [(0, Verdict.AC), (3, Verdict.AC), (2, Verdict.TLE)], sample_no=1),  # rescued by 2
        sample(5, [(0, Verdict.AC), (3, Verdict.AC), (2, Verdict.AC), (1, Verdict.AC)], sample_no=2),
        sample(5, [(0, Verdict.WA)], sample_no=3),  # failed a trusted test: never reached them
        sample(6, [(0, Verdict.AC)], sample_no=0),  # another task
    ]
    settled = [quarantine.settle(r, Q) for r in results]
    for given in (results, settled):
        report = quarantine.quarantine_report(given, Q)
        assert report["tests_quarantined"] == 2 and report["samples_rescued"] == 2
        assert report["by_action"] == {"skip": 1, "rejudge": 1}
        assert report["tests"] == [
            {"task_id": 5, "test": 1, "class": WRONG_EXPECTED, "action": "skip", "samples": 4, "ran": 2,
             "failed": 1, "verdicts": {"WA": 1, "AC": 1}, "rescued": 1},
            {"task_id": 5, "test": 2, "class": TIMING_FLAKY, "action": "rejudge", "samples": 4, "ran": 3,
             "failed": 1, "verdicts": {"AC": 2, "TLE": 1}, "rescued": 1},
        ]
    assert quarantine.quarantine_report(results[4:], Q)["tests"] == []  # no judged task is quarantined


# ----------------------------------------------------------------------------- judging with it


@pytest.mark.slow
def test_judging_with_the_quarantine_end_to_end() -> None:
    """What `taco-judge judge --quarantine` does: apply, judge with early stop, settle, report."""
    q = Quarantine((
        QuarantineEntry(0, 1, "skip", WRONG_EXPECTED),  # expected 8 for "3 4"
        QuarantineEntry(3, 2, "rejudge", TIMING_FLAKY),  # needs 0.6 s of CPU, limit 0.5 s
    ))
    problems = {p.task_id: p for p in open_problems(str(FIXTURES / "problems.jsonl")) if p.task_id in (0, 3)}
    codes = {
        0: ["a, b = map(int, input().split())\nprint(a + b)\n",  # correct: fails only the wrong test
            "a, b = map(int, input().split())\nprint(a + b + 1)\n"],  # wrong from test 0 on
        3: [problems[3].solutions[0]],  # correct, but too slow for the too-tight test
    }
    config = JudgeConfig(early_stop=True)
    items = []
    for task_id, p in problems.items():
        applied, _skipped = quarantine.apply(p, q)
        judge = SampleJudge(applied, config)
        items += [WorkItem(judge, submission_from_code(task_id, i, code, origin="test"), Judging("local", "r"))
                  for i, code in enumerate(codes[task_id])]
    results: list[SampleResult] = []
    lock = threading.Lock()

    def collect(judge: SampleJudge, judged: Judged) -> None:
        with lock:
            results.append(judged.result)

    backend = make_backend("local")
    try:
        run_pool(items, backend, 2, collect)
    finally:
        backend.close()
    before = {(r.task_id, r.sample): r.verdict.value for r in results}
    assert before == {(0, 0): "WA", (0, 1): "WA", (3, 0): "TLE"}
    after = {(r.task_id, r.sample): quarantine.settle(r, q).verdict.value for r in results}
    assert after == {(0, 0): "AC", (0, 1): "WA", (3, 0): "AC"}
    report = quarantine.quarantine_report(results, q)
    assert report["samples_rescued"] == 2
    rows = {(row["task_id"], row["test"]): row for row in report["tests"]}
    assert rows[(0, 1)]["ran"] == 1 and rows[(0, 1)]["failed"] == 1  # the wrong sample stopped at test 0
    assert rows[(3, 2)]["verdicts"] == {"TLE": 1}
