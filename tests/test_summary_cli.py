"""The closing summary as a new user reads it from the command line, in an 80-column terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from taco_judge.cli import main

REPO = Path(__file__).resolve().parents[1]
ADD = "a, b = map(int, input().split())\nprint(a + b)\n"
SUB = "a, b = map(int, input().split())\nprint(a - b)\n"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point with stdout not a terminal, 80 columns wide (rich reads COLUMNS)."""
    env = {**os.environ, "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-m", "taco_judge.cli", *args], capture_output=True, text=True,
                          timeout=600, cwd=REPO, env=env)


@pytest.fixture(scope="module")
def one_sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A judged run with one sample per task, the default --k 1,10,100, and a long --out path."""
    from conftest import taco_row

    tmp_path = tmp_path_factory.mktemp("summary")
    rows = [taco_row(["1 2\n"], ["3\n"], difficulty=level) for level in ("EASY", "MEDIUM_HARD", "VERY_HARD")]
    problems = tmp_path / "problems.jsonl"
    problems.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    generations = tmp_path / "generations.json"
    generations.write_text(json.dumps([{"task_id": t, "output": [ADD if t else SUB]} for t in range(3)]))
    out = tmp_path / "a-run-folder-with-a-rather-long-name-as-real-ones-have" / "model-1"
    done = run_cli("judge", "--problems", str(problems), "--generations", str(generations), "--out", str(out),
                   "--sandbox", "local")
    assert done.returncode == 0, done.stderr
    return out, done


def test_one_sample_run_shows_only_the_k_it_can_estimate(one_sample_run: tuple[Path, Any]) -> None:
    _, done = one_sample_run
    lines = done.stdout.splitlines()
    rows = [line for line in lines if line.startswith("│") and "%" in line]
    k_rows = [line for line in rows if line.split("│")[1].strip().isdigit()]
    assert [row.split("│")[1].strip() for row in k_rows] == ["1"], k_rows  # no rows of "-" for k 10, 100
    assert "│ 1 │  66.7% │     3 │              0 │" in lines
    notes = [line for line in lines if "pass@10" in line]
    assert notes == ["pass@10, pass@100 not shown: no task has 10 or more judged samples (at most 1)."]
    assert not any(line.startswith("* pass@") for line in lines)  # the old footnote on every run


def test_summary_lines_and_tables_fit_80_columns(one_sample_run: tuple[Path, Any]) -> None:
    out, done = one_sample_run
    lines = done.stdout.splitlines()
    # Each output file on a line of its own, whole (the shared line broke mid-path at 80 columns).
    assert f"results: {out / 'results.jsonl'}" in lines
    assert f"metrics: {out / 'metrics.json'}" in lines
    # Table rows are never wrapped: every row of the difficulty table is one line with all its cells.
    for level, shown in (("EASY", "0.0%"), ("MEDIUM_HARD", "100.0%"), ("VERY_HARD", "100.0%")):
        row = next(line for line in lines if line.startswith(f"│ {level} "))
        assert shown in row and row.endswith("│") and len(row) <= 80, row
    table_lines = [line for line in lines if line[:1] in "┏┃┡│└"]
    assert table_lines and all(len(line) <= 80 for line in table_lines)
    # A wrapped table row would leave a row whose first cell is blank.
    assert not [line for line in table_lines if line.startswith("│ ") and line.split("│")[1].strip() == ""]


def test_report_to_an_unwritable_html_path_fails_first_in_one_line(
    one_sample_run: tuple[Path, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = one_sample_run
    code = main(["report", str(out), "--html", "/proc/no-such-folder/report.html"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""  # not the whole summary before the error
    assert captured.err.splitlines() == [
        "taco-judge: error: --html /proc/no-such-folder/report.html: cannot write there (No such file or "
        "directory); choose a writable path"
    ]
    code = main(["report", str(out), "--html", str(out)])  # a directory
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.strip().endswith(f"is a directory; give a file name, e.g. {out / 'report.html'}")
