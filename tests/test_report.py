"""What the user sees: summary tables, progress lines, and the files results.jsonl / metrics.json."""

from __future__ import annotations

import io
import json
import re
import threading
from pathlib import Path

import pytest
from rich.console import Console

from taco_judge.errors import UserError
from taco_judge.metrics import compute_metrics
from taco_judge.problems import TaskMeta
from taco_judge.report import (
    ProgressReporter,
    format_duration,
    render_summary,
    write_metrics,
    write_results,
)
from taco_judge.verdict import Limits, SampleResult, Verdict
from taco_judge.verdict import (
    TestResult as JudgedTest,  # aliased: pytest would try to collect Test*
)


def make_sample(
    task_id: object,
    sample: int,
    verdict: str,
    *,
    unjudgeable: bool = False,
    alt: dict[str, str] | None = None,
    cpu_s: float = 0.2,
    peak_mb: float = 20.0,
) -> SampleResult:
    return SampleResult(
        task_id=task_id,  # type: ignore[arg-type]
        sample=sample,
        verdict=Verdict(verdict),
        tests=(JudgedTest(0, Verdict(verdict), cpu_s=cpu_s, wall_s=cpu_s, peak_mb=peak_mb),),
        code_sha256="c" * 64,
        raw_sha256="r" * 64,
        checker="strict",
        limits=Limits(time_limit_s=1.0, memory_mb=256),
        num_tests=1,
        unjudgeable=unjudgeable,
        alt_verdicts=dict(alt or {}),
    )


def text_console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=120), buffer


@pytest.fixture()
def rich_metrics() -> dict:
    tasks = {
        0: TaskMeta(0, difficulty="EASY"),
        1: TaskMeta(1, difficulty="HARD"),
        2: TaskMeta(2, difficulty="HARD", spj_case=1),
        3: TaskMeta(3, difficulty="MEDIUM"),
    }
    samples = [
        make_sample(0, 0, "AC", alt={"taco": "AC"}, cpu_s=0.25, peak_mb=30.0),
        make_sample(0, 1, "WA", alt={"taco": "AC"}),
        make_sample(1, 0, "TLE", alt={"taco": "RE"}),
        make_sample(1, 1, "MLE", alt={"taco": "RE"}),
        make_sample(2, 0, "WA", unjudgeable=True, alt={"taco": "WA"}),
        make_sample(2, 1, "AC", alt={"taco": "AC"}),
        make_sample(3, 0, "AC", alt={"taco": "AC"}),
        make_sample(3, 1, "SE"),
    ]
    return compute_metrics(samples, tasks, ks=[1, 2])


# ---------------------------------------------------------------------------------------------
# Summary


def test_summary_renders_all_sections_to_a_non_terminal(rich_metrics: dict) -> None:
    console, buffer = text_console()
    assert not console.is_terminal
    render_summary(rich_metrics, console)
    out = buffer.getvalue()
    assert "\x1b[" not in out  # no colour codes in a file
    flat = " ".join(out.split())  # notes wrap at the console width
    for expected in (
        "taco-judge summary",
        "8 samples",
        "pass@k",
        "pass@k (taco)",
        "Verdicts",
        "By difficulty",
        "EASY",
        "MEDIUM",
        "HARD",
        "TLE rate 12.5%",
        "MLE rate 12.5%",
        "Resources of accepted samples",
        "CPU time / limit",
        "Unjudgeable: 1 task with several valid answers and no checker program (1 sample differing",
        "pass@1 lies between 50.0% and 62.5%",
        "SE: 1 sample in 1 task",
        "Left out of n for pass@k (never counted as failures)",
        "Checkers strict vs taco: 1 sample passed by one and failed by another",
    ):
        assert expected in flat, expected
    # pass@1 over scored tasks 0, 1, 3: (0.5 + 0 + 1) / 3 = 50.0%
    assert re.search(r"│\s*1\s*│\s*50\.0%\s*│\s*3\s*│\s*0\s*│", out)
    # pass@2 has no TACO key (task 3 has one judged sample): starred, with an explanation
    assert re.search(r"│\s*2\s*│\s*\d+\.\d% \*", out)
    assert "pass@2: some scored tasks have fewer than k" in flat
    # verdict row: AC 3 of 8 samples
    assert re.search(r"│\s*AC\s*│\s*3\s*│\s*37\.5%", out)


def test_summary_of_a_clean_run_has_no_caveats() -> None:
    metrics = compute_metrics([make_sample(0, 0, "AC"), make_sample(1, 0, "WA")], {}, ks=[1])
    console, buffer = text_console()
    render_summary(metrics, console)
    out = buffer.getvalue()
    assert "50.0%" in out
    assert "Unjudgeable" not in out and "SE:" not in out and "Checkers" not in out
    assert "UNKNOWN" in out  # tasks without metadata


def test_summary_tolerates_a_sparse_metrics_file() -> None:
    console, buffer = text_console()
    render_summary({"pass@1": 0.25, "detail": {"pass@1": {"0": 0.25}}}, console)
    assert "25.0%" in buffer.getvalue()


def test_summary_on_a_terminal_uses_colour(rich_metrics: dict) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=120, force_terminal=True, color_system="standard")
    render_summary(rich_metrics, console)
    assert "\x1b[" in buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Files


def test_write_results_is_jsonl_in_task_then_sample_order(tmp_path: Path) -> None:
    samples = [
        make_sample(10, 1, "WA"),
        make_sample("abc", 0, "AC"),
        make_sample(2, 0, "AC", unjudgeable=True),
        make_sample(10, 0, "AC", alt={"taco": "AC"}),
    ]
    path = tmp_path / "results.jsonl"
    write_results(path, samples)
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["task_id"], r["sample"]) for r in records] == [(2, 0), (10, 0), (10, 1), ("abc", 0)]
    assert records[0]["unjudgeable"] is True
    assert records[1]["verdict_by_checker"] == {"taco": "AC"}
    assert set(records[2]) == {
        "task_id", "sample", "verdict", "passed", "num_tests", "tests", "code_sha256",
        "raw_sha256", "checker", "limits",
    }
    assert records[2]["tests"][0] == {"test": 0, "verdict": "WA", "cpu_s": 0.2, "wall_s": 0.2, "peak_mb": 20.0}
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_write_metrics_round_trips_and_replaces(tmp_path: Path, rich_metrics: dict) -> None:
    path = tmp_path / "out" / "metrics.json"  # missing directory is created
    write_metrics(path, {"pass@1": 0.0})
    write_metrics(path, rich_metrics)
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert loaded["pass@1"] == pytest.approx(rich_metrics["pass@1"])
    assert loaded["detail"]["pass@1"] == rich_metrics["detail"]["pass@1"]
    assert list(loaded)[:2] == ["pass@1", "detail"]
    assert [p.name for p in path.parent.iterdir()] == ["metrics.json"]


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    path.write_text("old\n", encoding="utf-8")
    broken = make_sample(object(), 0, "AC")  # task id that JSON cannot encode
    with pytest.raises(TypeError):
        write_results(path, [make_sample(0, 0, "AC"), broken])
    assert path.read_text(encoding="utf-8") == "old\n"
    assert list(tmp_path.iterdir()) == [path]


def test_unwritable_destination_is_a_one_line_user_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(UserError) as info:
        write_metrics(blocker / "metrics.json", {})
    message = str(info.value)
    assert "\n" not in message
    assert str(blocker / "metrics.json") in message


def test_write_metrics_rejects_nan(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_metrics(tmp_path / "m.json", {"pass@1": float("nan")})
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# Progress


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_format_duration() -> None:
    assert format_duration(0) == "0s"
    assert format_duration(42.4) == "42s"
    assert format_duration(80) == "1m20s"
    assert format_duration(7500) == "2h05m"


def test_progress_prints_plain_lines_every_5_percent_when_not_a_terminal() -> None:
    console, buffer = text_console()
    clock = FakeClock()
    verdicts = ["AC", "WA", "AC", "TLE"] * 10
    with ProgressReporter(40, console, clock=clock) as progress:
        for i, verdict in enumerate(verdicts):
            clock.now = float(i + 1)  # 1 s per sample
            progress.advance(make_sample(i, 0, verdict))
    lines = buffer.getvalue().splitlines()
    assert lines[0] == "judging 40 samples"
    progress_lines = lines[1:]
    assert len(progress_lines) == 20  # every 2 samples (5% of 40)
    assert progress_lines[0] == "judged 2/40 samples (AC 1, WA 1) elapsed 2s ETA 38s"
    assert progress_lines[4] == "judged 10/40 samples (AC 5, WA 3, TLE 2) elapsed 10s ETA 30s"
    assert progress_lines[-1] == "judged 40/40 samples (AC 20, WA 10, TLE 10) elapsed 40s ETA 0s"
    assert progress.counts == {"AC": 20, "WA": 10, "TLE": 10}
    assert "\x1b[" not in buffer.getvalue()


def test_progress_prints_a_line_every_10_seconds_between_steps() -> None:
    console, buffer = text_console()
    clock = FakeClock()
    with ProgressReporter(1000, console, clock=clock) as progress:
        progress.advance(make_sample(0, 0, "AC"))  # t=0: not due
        clock.now = 11.0
        progress.advance(make_sample(1, 0, "WA"))  # 10 s passed: due
        clock.now = 12.0
        progress.advance(make_sample(2, 0, "WA"))  # not due
    lines = buffer.getvalue().splitlines()
    assert lines[1] == "judged 2/1000 samples (AC 1, WA 1) elapsed 11s ETA 1h31m"
    assert lines[2].startswith("judged 3/1000 samples")  # closing line on exit
    assert len(lines) == 3


def test_progress_quiet_prints_nothing_but_counts() -> None:
    console, buffer = text_console()
    with ProgressReporter(3, console, quiet=True) as progress:
        for i in range(3):
            progress.advance(make_sample(i, 0, "RE"))
    assert buffer.getvalue() == ""
    assert progress.counts == {"RE": 3}


def test_progress_is_thread_safe() -> None:
    console, buffer = text_console()
    total = 8 * 250
    with ProgressReporter(total, console) as progress:

        def work(offset: int) -> None:
            for i in range(250):
                progress.advance(make_sample(offset * 1000 + i, 0, "AC" if i % 2 else "WA"))

        threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert progress.done == total
    assert progress.counts == {"AC": total // 2, "WA": total // 2}
    lines = buffer.getvalue().splitlines()
    assert lines[-1].startswith(f"judged {total}/{total} samples (AC 1000, WA 1000)")
    done_numbers = [int(re.match(r"judged (\d+)/", line).group(1)) for line in lines[1:]]  # type: ignore[union-attr]
    assert done_numbers == sorted(done_numbers)


def test_progress_on_a_terminal_draws_a_bar() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=120, force_terminal=True)
    with ProgressReporter(4, console) as progress:
        assert progress.live
        for i in range(4):
            progress.advance(make_sample(i, 0, "AC" if i else "MLE"))
    out = buffer.getvalue()
    assert "judging" in out
    assert "4/4" in out
    assert "MLE 1" in out
    assert "judged 4/4" not in out  # no plain lines on a terminal


def test_summary_shows_the_score_and_how_it_treats_unlabelled_tasks() -> None:
    tasks = {t: TaskMeta(t, difficulty="UNKNOWN") for t in range(8)}
    tasks.update({8: TaskMeta(8, difficulty="EASY"), 9: TaskMeta(9, difficulty="HARD")})
    samples = [make_sample(t, 0, "AC" if t < 6 or t == 8 else "WA") for t in range(10)]
    console, buffer = text_console()
    render_summary(compute_metrics(samples, tasks, ks=[1]), console)
    lines = buffer.getvalue().splitlines()
    # 8 unlabelled tasks (6 AC) weigh 80%, EASY (AC) and HARD (WA) 10% each: 70.0, not (0.75 + 1 + 0) / 3.
    assert any(line.startswith("Score: correctness 70.0 [") for line in lines), lines
    assert "  over 10 tasks (strict verdicts); 2 difficulty levels weigh 10.0% each," in lines
    assert "  8 unlabelled tasks 80.0% together (one task each; docs/metrics.md)" in lines


def test_difficulty_table_leaves_unjudgeable_tasks_out_of_pass_and_verdicts_alike() -> None:
    # The real set with --spj: EASY showed "pass@1 100.0% | AC 60% WA 40%" because the two WA
    # samples of unjudgeable tasks counted in the mix but not in pass@1.
    tasks = {t: TaskMeta(t, difficulty="EASY", spj_case=1 if t >= 3 else 0) for t in range(5)}
    samples = [make_sample(t, 0, "AC") for t in range(3)]
    samples += [make_sample(t, 0, "WA", unjudgeable=True) for t in (3, 4)]
    metrics = compute_metrics(samples, tasks, ks=[1])
    entry = metrics["by_difficulty"]["EASY"]
    assert entry["scored_verdicts"]["AC"] == 3 and entry["scored_verdicts"]["WA"] == 0
    assert entry["verdicts"]["WA"] == 2 and entry["scored_samples"] == 3
    console, buffer = text_console()
    render_summary(metrics, console)
    out = buffer.getvalue()
    header = next(line for line in out.splitlines() if "difficulty" in line and "pass@1" in line)
    assert re.search(r"tasks\s*┃\s*unjudged\s*┃\s*pass@1\s*┃\s*AC\s*┃$", header), header  # no WA column
    assert re.search(r"│ EASY\s*│\s*5 │\s*2 │ 100\.0% │ 100 │$", out, re.MULTILINE), out
    assert "unjudged: tasks with several valid answers and no checker program, left out of" in out


def recording_console(width: int = 80) -> Console:
    return Console(file=io.StringIO(), record=True, force_terminal=True, color_system="truecolor", width=width)


def _loud(html: str, text: str) -> bool:
    """Whether ``text`` is printed bold on red in a recording console's HTML export."""
    pattern = r'<span style="[^"]*background-color: #800000[^"]*font-weight: bold[^"]*">' + re.escape(text)
    return re.search(pattern, html) is not None


def test_an_incomplete_run_says_so_first_and_last_loudly() -> None:
    # After Ctrl-C, and in `taco-judge report`: 129 of 883 samples judged.
    samples = [make_sample(t, 0, "AC" if t % 7 else "WA") for t in range(129)]
    metrics = compute_metrics(samples, {}, ks=[1])
    metrics["run"] = {"complete": False, "samples_expected": 883}
    console = recording_console()
    render_summary(metrics, console)
    lines = console.export_text(clear=False).splitlines()
    assert lines[1] == "INCOMPLETE RUN: 129 of 883 samples judged; the numbers cover only those."
    assert lines[2] == "Judge into the same --out folder again to finish the run."
    assert lines[3].startswith("129 tasks, 129 of 883 samples, ")
    assert lines[-1] == lines[1]  # a long summary scrolls the first lines away
    assert _loud(console.export_html(inline_styles=True), "INCOMPLETE RUN: 129 of 883")
    # A complete run says nothing of the kind.
    metrics["run"] = {"complete": True, "samples_expected": 129}
    console = recording_console()
    render_summary(metrics, console)
    assert "INCOMPLETE" not in console.export_text()


def test_se_samples_are_said_loudly_at_the_top() -> None:
    samples = [make_sample(0, 0, "AC"), make_sample(1, 0, "SE"), make_sample(1, 1, "SE"), make_sample(2, 0, "WA")]
    console = recording_console()
    render_summary(compute_metrics(samples, {}, ks=[1]), console)
    lines = console.export_text(clear=False).splitlines()
    assert lines[1] == "SE: 2 samples in 1 task: judge or jail failures, not the programs' fault."
    assert lines[2].startswith("Left out of n for pass@k (never counted as failures)")
    assert _loud(console.export_html(inline_styles=True), "SE: 2 samples in 1 task")
    console = recording_console()
    render_summary(compute_metrics([make_sample(0, 0, "AC")], {}, ks=[1]), console)
    assert "SE:" not in console.export_text()


def test_compared_checkers_show_their_own_task_counts() -> None:
    # --compare both with one unjudgeable task: strict scores 2 tasks, taco (no special judges) all 3.
    samples = [
        make_sample(0, 0, "AC", alt={"taco": "AC"}),
        make_sample(1, 0, "AC", alt={"taco": "WA"}),
        make_sample(2, 0, "WA", unjudgeable=True, alt={"taco": "WA"}),
    ]
    metrics = compute_metrics(samples, {2: TaskMeta(2, spj_case=1)}, ks=[1, 10])
    console = recording_console()
    render_summary(metrics, console)
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    assert "pass@k (unbiased estimator, strict checker)" in lines
    header = next(line for line in lines if line.startswith("┃ k"))
    assert "pass@k (strict)" not in header  # the head is strict's: not repeated
    assert "pass@k (taco)" in header and "tasks (taco)" in header
    assert "│ 1 │ 100.0% │     2 │              0 │         33.3% │            3 │" in lines
