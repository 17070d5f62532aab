"""Runs that survive: `judge` killed with SIGKILL and started again finishes with the same results
as an uninterrupted run and runs nothing twice; SE samples are retried; a shared cache runs
identical code once; `rejudge` changes the checker without running code; `report` re-exports;
bad store files give one line, exit 2."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import done_rows, kill_process_tree

from taco_judge import api
from taco_judge.cli import main
from taco_judge.store import STORE_FILE, Store

REPO = Path(__file__).resolve().parents[1]

BURN = "import time\n_t = time.process_time()\nwhile time.process_time() - _t < {s}: pass\n"


def row(inputs: list[str], outputs: list[str], **extra: Any) -> dict[str, Any]:
    base = {
        "question": "add two numbers", "solutions": json.dumps(["a, b = map(int, input().split())\nprint(a + b)\n"]),
        "starter_code": "", "input_output": json.dumps({"inputs": inputs, "outputs": outputs}),
        "difficulty": "EASY", "raw_tags": "[]", "name": "add", "source": "test", "tags": "[]", "skill_types": "[]",
        "url": "", "time_limit": "2 seconds", "memory_limit": "256 megabytes",
    }
    base.update(extra)
    return base


def write_set(tmp_path: Path, n_tasks: int = 3, n_tests: int = 4) -> Path:
    rows = []
    for task in range(n_tasks):
        inputs = [f"{task + i} {i * 3}\n" for i in range(n_tests)]
        outputs = [f"{task + i + i * 3}\n" for i in range(n_tests)]
        rows.append(row(inputs, outputs, difficulty=("EASY", "MEDIUM", "HARD")[task % 3]))
    path = tmp_path / "problems.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def program(kind: str, tag: str, burn_s: float = 0.0) -> str:
    """A distinct program (the tag is a comment) of a known verdict."""
    head = f"# {tag}\n" + (BURN.format(s=burn_s) if burn_s else "")
    body = {
        "AC": "a, b = map(int, input().split())\nprint(a + b)\n",
        "WA": "a, b = map(int, input().split())\nprint(a - b)\n",
        "WA_LATE": "a, b = map(int, input().split())\nprint(a + b if b < 6 else 0)\n",
        "RE": "a, b = map(int, input().split())\nprint(a // 0)\n",
        "CE": "print(\n",
    }[kind]
    return head + body


KINDS = ["AC", "WA", "WA_LATE", "RE", "AC", "CE", "AC", "WA_LATE"]


def write_generations(tmp_path: Path, per_task: int, n_tasks: int = 3, burn_s: float = 0.0, name: str = "gen.json",
                      first: int = 0) -> Path:
    entries = [
        {"task_id": task, "output": [program(KINDS[i % len(KINDS)], f"t{task} s{i}", burn_s)
                                     for i in range(first, first + per_task)]}
        for task in range(n_tasks)
    ]
    path = tmp_path / name
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def judge_args(problems: Path, generations: Path, out: Path, *extra: str) -> list[str]:
    return ["judge", "--problems", str(problems), "--generations", str(generations), "--out", str(out),
            "--sandbox", "local", "--quiet", *extra]


def results(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]


def comparable(out: Path) -> list[dict[str, Any]]:
    """results.jsonl without what varies between runs of the same program (times, memory)."""
    rows = []
    for record in results(out):
        record = dict(record)
        record["tests"] = [{k: v for k, v in t.items() if k not in ("cpu_s", "wall_s", "peak_mb")}
                           for t in record["tests"]]
        rows.append(record)
    return rows


def run_info(out: Path) -> dict[str, Any]:
    return json.loads((out / "metrics.json").read_text())["run"]


def stderr_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# ------------------------------------------------------------------ kill and resume


def _start(argv: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "taco_judge.cli", *argv], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, cwd=REPO, start_new_session=True)


def _kill_tree(proc: subprocess.Popen[str]) -> None:
    kill_process_tree(proc)


def _done_rows(out: Path) -> int:
    return done_rows(out / STORE_FILE)


def _check_intact(out: Path) -> int:
    with Store.open(out / STORE_FILE) as store:
        assert store.integrity_check() == "ok"
    return _done_rows(out)


def _wait_for(out: Path, rows: int, proc: subprocess.Popen[str], timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while _done_rows(out) < rows and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.mark.slow
def test_sigkill_at_random_moments_then_resume_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    problems = write_set(tmp_path)
    generations = write_generations(tmp_path, per_task=16, burn_s=0.03)
    total = 48
    reference = tmp_path / "reference"
    done = subprocess.run([sys.executable, "-m", "taco_judge.cli",
                           *judge_args(problems, generations, reference, "--jobs", "2")],
                          capture_output=True, text=True, cwd=REPO, timeout=600)
    assert done.returncode == 0, done.stderr
    assert {r["verdict"] for r in results(reference)} == {"AC", "WA", "RE", "CE"}

    out = tmp_path / "out"
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    progress = []
    # First a kill at a random early moment (often before or while the store is created), then
    # three kills each after a random number of further samples were stored, plus a random delay.
    proc = _start(judge_args(problems, generations, out, "--jobs", "2"))
    delay = rng.uniform(0.0, 2.5)
    time.sleep(delay)
    _kill_tree(proc)
    progress.append((f"after {delay:.2f} s", _done_rows(out)))
    for _ in range(3):
        done_before = _done_rows(out)
        target = done_before + rng.randint(1, max(1, (total - done_before) // 3))
        delay = rng.uniform(0.0, 0.3)
        proc = _start(judge_args(problems, generations, out, "--jobs", "2"))
        _wait_for(out, target, proc)
        time.sleep(delay)
        _kill_tree(proc)
        progress.append((f"at {target} samples + {delay:.2f} s", _check_intact(out)))
    assert any(0 < done < total for _, done in progress), (seed, progress)  # killed mid-run
    before_final = _check_intact(out)
    final = subprocess.run([sys.executable, "-m", "taco_judge.cli", *judge_args(problems, generations, out, "--jobs", "2")],
                           capture_output=True, text=True, cwd=REPO, timeout=600)
    assert final.returncode == 0, (seed, progress, final.stderr)

    assert comparable(out) == comparable(reference), (seed, progress)
    info = run_info(out)
    assert info["complete"] is True
    # the last run judged exactly what was missing; everything stored before was reused
    assert info["store"]["samples_reused"] == before_final, (seed, progress)
    assert info["store"]["samples_run"] == total - before_final, (seed, progress)
    with Store.open(out / STORE_FILE) as store:
        runs = store.execution_runs()
    # one execution per program (all 48 are distinct), each run exactly once across all 4 starts:
    # a sample whose result was stored was never run again
    assert len(runs) == total and set(runs.values()) == {1}, (seed, progress)
    assert not (out / "results.partial.jsonl").exists()


def test_a_finished_run_judged_again_runs_nothing(tmp_path: Path) -> None:
    problems = write_set(tmp_path, n_tasks=2, n_tests=3)
    generations = write_generations(tmp_path, per_task=4, n_tasks=2)
    out = tmp_path / "out"
    assert main(judge_args(problems, generations, out)) == 0
    first = (out / "results.jsonl").read_text()
    assert run_info(out)["store"]["samples_run"] == 8
    (out / "results.jsonl").unlink()
    assert main(judge_args(problems, generations, out)) == 0
    assert (out / "results.jsonl").read_text() == first
    assert run_info(out)["store"] | {"path": None} == {
        "path": None, "cache": None, "samples_reused": 8, "samples_replayed": 0, "samples_run": 0,
        "samples_jail_failed": 0,
    }


@pytest.mark.slow
def test_se_samples_are_retried_when_the_run_is_resumed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from taco_judge.executors import local as executors
    from taco_judge.backends.local import LocalBackend
    from taco_judge.errors import InfrastructureError

    class BrokenForTask1(LocalBackend):
        """A real local jail that cannot load anything for task 1 (the jail's fault, not the code's)."""

        def open_session(self):  # type: ignore[override]
            session = super().open_session()
            real_run = session.run

            def run(plan, *args, **kwargs):  # type: ignore[no-untyped-def]
                if "# t1 " in plan.code:  # before any program ran: the jail's fault, always SE
                    raise InfrastructureError("container vanished")
                return real_run(plan, *args, **kwargs)

            session.run = run  # type: ignore[method-assign]
            return session

    real_wait = executors.wait_exponential
    monkeypatch.setattr(executors, "wait_exponential", lambda **_: real_wait(multiplier=0.001, max=0.01))
    problems = write_set(tmp_path, n_tasks=2, n_tests=2)
    generations = write_generations(tmp_path, per_task=2, n_tasks=2)
    out = tmp_path / "out"
    monkeypatch.setattr(api, "make_backend", lambda name, **options: BrokenForTask1(**options))
    assert main(judge_args(problems, generations, out, "--jobs", "1")) == 0
    assert [r["verdict"] for r in results(out)] == ["AC", "WA", "SE", "SE"]
    assert run_info(out)["store"]["samples_jail_failed"] == 2

    monkeypatch.setattr(api, "make_backend", lambda name, **options: LocalBackend(**options))
    assert main(judge_args(problems, generations, out)) == 0
    assert [r["verdict"] for r in results(out)] == ["AC", "WA", "AC", "WA"]
    info = run_info(out)["store"]
    assert (info["samples_reused"], info["samples_run"]) == (2, 2)  # only the SE ones ran again


# ------------------------------------------------------------------ changed options between runs


@pytest.mark.slow
def test_resuming_with_other_options_is_correct_and_says_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problems = write_set(tmp_path, n_tasks=2, n_tests=3)
    generations = write_generations(tmp_path, per_task=4, n_tasks=2)
    out = tmp_path / "out"
    assert main(judge_args(problems, generations, out, "--compare", "both")) == 0
    capsys.readouterr()

    # another checker: judged again from stored observations, nothing run
    assert main(judge_args(problems, generations, out, "--compare", "taco")) == 0
    err = capsys.readouterr().err
    assert "other options" in err and "compare 'both' -> 'taco'" in err
    fresh = tmp_path / "fresh-taco"
    assert main(judge_args(problems, generations, fresh, "--compare", "taco")) == 0
    assert comparable(out) == comparable(fresh)
    assert run_info(out)["store"]["samples_run"] == 0 and run_info(out)["store"]["samples_replayed"] == 8

    # other limits: a different execution key, so everything runs again
    assert main(judge_args(problems, generations, out, "--compare", "taco", "--time-limit", "1.5")) == 0
    assert "time_limit_s None -> 1.5" in capsys.readouterr().err
    assert run_info(out)["store"]["samples_run"] == 8
    assert {r["limits"]["time_limit_s"] for r in results(out)} == {1.5}

    # fewer generations: the dropped samples are no longer reported
    fewer = write_generations(tmp_path, per_task=2, n_tasks=1, name="fewer.json")
    assert main(judge_args(problems, fewer, out, "--compare", "taco", "--time-limit", "1.5")) == 0
    assert [(r["task_id"], r["sample"]) for r in results(out)] == [(0, 0), (0, 1)]
    assert run_info(out)["store"]["samples_reused"] == 2
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["counts"]["samples"] == 2 and metrics["run"]["complete"] is True


def test_generations_whose_code_changed_are_judged_again(tmp_path: Path) -> None:
    problems = write_set(tmp_path, n_tasks=1, n_tests=2)
    out = tmp_path / "out"
    first = write_generations(tmp_path, per_task=2, n_tasks=1, name="a.json")
    assert main(judge_args(problems, first, out)) == 0
    entries = json.loads(first.read_text())
    entries[0]["output"][1] = program("AC", "replaced")  # sample 1 was WA, now a correct program
    changed = tmp_path / "b.json"
    changed.write_text(json.dumps(entries))
    assert main(judge_args(problems, changed, out)) == 0
    assert [r["verdict"] for r in results(out)] == ["AC", "AC"]
    assert (run_info(out)["store"]["samples_reused"], run_info(out)["store"]["samples_run"]) == (1, 1)


# ------------------------------------------------------------------ shared cache


def test_a_shared_cache_judges_identical_code_once(tmp_path: Path) -> None:
    problems = write_set(tmp_path, n_tasks=2, n_tests=3)
    cache = tmp_path / "cache" / "executions.sqlite"
    first = write_generations(tmp_path, per_task=4, n_tasks=2, name="model-a.json")  # samples s0..s3
    second = write_generations(tmp_path, per_task=4, n_tasks=2, name="model-b.json", first=2)  # s2..s5
    assert main(judge_args(problems, first, tmp_path / "a", "--cache", str(cache))) == 0
    assert main(judge_args(problems, second, tmp_path / "b", "--cache", str(cache))) == 0
    info = run_info(tmp_path / "b")["store"]
    assert info["samples_run"] == 4  # s4 and s5 of each task: the only code run A had not run
    assert info["samples_replayed"] == 4 and info["cache"] == str(cache)
    with Store.open(cache) as store:
        runs = store.execution_runs()
    assert len(runs) == 12 and set(runs.values()) == {1}  # 12 distinct programs, each run once
    assert main(judge_args(problems, second, tmp_path / "fresh")) == 0
    assert comparable(tmp_path / "b") == comparable(tmp_path / "fresh")


# ------------------------------------------------------------------ rejudge


def forbid_running(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_backend(name: str) -> None:
        raise AssertionError("rejudge must not open a jail")

    monkeypatch.setattr(api, "make_backend", no_backend)


CHARSET = ["print(11)", "print(1)", "print(1.0)", "print(' 1')"]


def charset_set(tmp_path: Path) -> Path:
    """One problem whose answer is 1 on three tests: the taco checker accepts 11 (character set)."""
    path = tmp_path / "charset.jsonl"
    path.write_text(json.dumps(row(["x\n", "y\n", "z\n"], ["1\n", "1\n", "1\n"])) + "\n")
    return path


@pytest.mark.slow
def test_rejudge_runs_no_code_and_matches_a_fresh_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    problems = charset_set(tmp_path)
    generations = tmp_path / "g.json"
    generations.write_text(json.dumps([{"task_id": 0, "output": CHARSET}]))
    # --all-tests keeps every observation, so any checker option can be replayed
    for compare in ("taco", "strict"):
        assert main(judge_args(problems, generations, tmp_path / f"fresh-{compare}", "--compare", compare,
                               "--all-tests")) == 0
    out = tmp_path / "out"
    assert main(judge_args(problems, generations, out, "--compare", "both", "--all-tests")) == 0

    forbid_running(monkeypatch)
    assert main(["rejudge", str(out), "--compare", "taco", "--quiet"]) == 0
    assert [r["verdict"] for r in results(out)] == ["AC", "AC", "WA", "AC"]
    assert comparable(out) == comparable(tmp_path / "fresh-taco")
    assert json.loads((out / "metrics.json").read_text())["run"]["checkers"] == ["taco"]
    assert main(["rejudge", str(out), "--compare", "strict", "--quiet"]) == 0
    assert comparable(out) == comparable(tmp_path / "fresh-strict")
    assert main(["rejudge", str(out), "--compare", "strict", "--float-tol", "1e-6", "--quiet"]) == 0
    assert [r["verdict"] for r in results(out)] == ["WA", "AC", "AC", "AC"]  # 1.0 == 1 within tolerance
    assert main(["rejudge", str(out), "--float-tol", "none", "--quiet"]) == 0
    assert comparable(out) == comparable(tmp_path / "fresh-strict")
    # report reads what the rejudge left
    assert main(["report", str(out), "--quiet"]) == 0
    assert comparable(out) == comparable(tmp_path / "fresh-strict")


@pytest.mark.slow
def test_rejudge_stops_when_a_verdict_needs_tests_that_never_ran(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    problems = charset_set(tmp_path)
    generations = tmp_path / "g.json"
    generations.write_text(json.dumps([{"task_id": 0, "output": CHARSET}]))
    out = tmp_path / "out"
    assert main(judge_args(problems, generations, out)) == 0  # strict, early stop: print(11) ran test 0 only
    before = {name: (out / name).read_bytes() for name in ("results.jsonl", "metrics.json")}
    capsys.readouterr()

    forbid_running(monkeypatch)
    assert main(["rejudge", str(out), "--compare", "strict", "--quiet"]) == 0  # same checker: nothing to run
    before = {name: (out / name).read_bytes() for name in ("results.jsonl", "metrics.json")}
    # print(1.0) failed test 0 and stopped there; within a tolerance it passes it and needs tests 1-2
    assert main(["rejudge", str(out), "--float-tol", "1e-6", "--quiet"]) == 2
    err = stderr_lines(capsys.readouterr().err)
    assert len(err) == 1 and "1 samples of 1 tasks need runs the store does not hold" in err[0]
    assert {name: (out / name).read_bytes() for name in before} == before
    # the taco checker runs the reference's rewrites of each program: the strict run never ran them
    assert main(["rejudge", str(out), "--compare", "taco", "--quiet"]) == 2
    err = stderr_lines(capsys.readouterr().err)
    assert len(err) == 1 and "4 samples of 1 tasks need runs the store does not hold" in err[0]
    assert "--run-missing" in err[0] and "nothing was changed" in err[0]
    assert {name: (out / name).read_bytes() for name in before} == before
    assert main(["report", str(out), "--quiet"]) == 0  # the store is as it was: still strict
    assert [r["verdict"] for r in results(out)] == ["WA", "AC", "WA", "AC"]

    monkeypatch.undo()
    assert main(["rejudge", str(out), "--compare", "taco", "--run-missing", "--sandbox", "local", "--quiet"]) == 0
    assert json.loads((out / "metrics.json").read_text())["run"]["rejudged"]["samples_run"] == 4
    assert main(judge_args(problems, generations, tmp_path / "fresh", "--compare", "taco")) == 0
    assert comparable(out) == comparable(tmp_path / "fresh")


def test_rejudge_refuses_a_problem_set_whose_tests_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problems = charset_set(tmp_path)
    generations = tmp_path / "g.json"
    generations.write_text(json.dumps([{"task_id": 0, "output": CHARSET}]))
    out = tmp_path / "out"
    assert main(judge_args(problems, generations, out, "--compare", "both")) == 0
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps(row(["x\n", "y\n", "z\n"], ["1\n", "1\n", "2\n"])) + "\n")
    capsys.readouterr()
    assert main(["rejudge", str(out), "--problems", str(other), "--quiet"]) == 2
    err = stderr_lines(capsys.readouterr().err)
    assert len(err) == 1 and "other tests" in err[0] and "task 0" in err[0]


# ------------------------------------------------------------------ report


def test_report_prints_the_summary_and_re_exports(tmp_path: Path) -> None:
    problems = write_set(tmp_path, n_tasks=2, n_tests=2)
    generations = write_generations(tmp_path, per_task=3, n_tasks=2)
    out = tmp_path / "out"
    assert main(judge_args(problems, generations, out)) == 0
    before_results = (out / "results.jsonl").read_text()
    before_metrics = json.loads((out / "metrics.json").read_text())
    (out / "results.jsonl").unlink()
    (out / "metrics.json").unlink()
    shown = subprocess.run([sys.executable, "-m", "taco_judge.cli", "report", str(out)], capture_output=True,
                           text=True, cwd=REPO, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert "taco-judge summary" in shown.stdout and "pass@k" in shown.stdout
    assert (out / "results.jsonl").read_text() == before_results
    assert json.loads((out / "metrics.json").read_text()) == before_metrics


def test_report_html_writes_the_page_or_says_it_is_not_available(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    problems = write_set(tmp_path, n_tasks=1, n_tests=2)
    generations = write_generations(tmp_path, per_task=3, n_tasks=1)
    first, second = tmp_path / "model-a", tmp_path / "model-b"
    assert main(judge_args(problems, generations, first)) == 0
    assert main(judge_args(problems, generations, second, "--compare", "taco")) == 0
    capsys.readouterr()
    page = tmp_path / "report.html"
    code = main(["report", str(first), str(second), "--html", str(page), "--quiet"])
    if importlib.util.find_spec("taco_judge.report.html") is None:
        assert code == 2
        err = stderr_lines(capsys.readouterr().err)
        assert len(err) == 1 and "not available" in err[0]
    else:
        assert code == 0
        text = page.read_text()
        assert text.lstrip().lower().startswith("<!doctype html")
        assert "model-a" in text and "model-b" in text  # one page comparing both runs


# ------------------------------------------------------------------ bad store files


def _bad_store(kind: str, path: Path) -> None:
    if kind == "random bytes":
        path.write_bytes(os.urandom(10_000))
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, data BLOB)")
        conn.commit()
        conn.close()


@pytest.mark.parametrize("kind", ["random bytes", "foreign sqlite"])
@pytest.mark.parametrize("command", ["judge", "report", "rejudge", "judge --cache"])
def test_a_corrupt_or_foreign_store_gives_one_line_and_exit_2(tmp_path: Path, kind: str, command: str) -> None:
    problems = write_set(tmp_path, n_tasks=1, n_tests=1)
    generations = write_generations(tmp_path, per_task=1, n_tasks=1)
    out = tmp_path / "out"
    out.mkdir()
    if command == "judge --cache":
        bad = tmp_path / "cache.sqlite"
        argv = judge_args(problems, generations, out, "--cache", str(bad))
    else:
        bad = out / STORE_FILE
        argv = judge_args(problems, generations, out) if command == "judge" else [command, str(out)]
    _bad_store(kind, bad)
    done = subprocess.run([sys.executable, "-m", "taco_judge.cli", *argv], capture_output=True, text=True,
                          cwd=REPO, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = stderr_lines(done.stderr)
    assert len(lines) == 1 and str(bad) in lines[0], done.stderr
    assert ("not a SQLite database" if kind == "random bytes" else "another program") in lines[0]


def test_report_and_rejudge_of_a_folder_without_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("report", "rejudge"):
        assert main([command, str(tmp_path / "nothing-here")]) == 2
        err = stderr_lines(capsys.readouterr().err)
        assert len(err) == 1 and "no such store" in err[0]
    assert not (tmp_path / "nothing-here").exists()


def test_a_second_judge_into_a_folder_in_use_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from taco_judge.run_folder import run_folder_lock

    problems = write_set(tmp_path, n_tasks=1, n_tests=1)
    generations = write_generations(tmp_path, per_task=1, n_tasks=1)
    out = tmp_path / "out"
    out.mkdir()
    with run_folder_lock(out):  # as if another judge were running into it
        assert main(judge_args(problems, generations, out)) == 2
        err = stderr_lines(capsys.readouterr().err)
        assert len(err) == 1 and "another taco-judge is judging into this folder" in err[0]
    assert main(judge_args(problems, generations, out)) == 0  # free again once released


def test_report_of_an_interrupted_run_counts_the_samples_it_never_reached(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problems = write_set(tmp_path, n_tasks=2, n_tests=2)
    generations = write_generations(tmp_path, per_task=2, n_tasks=2)
    out = tmp_path / "out"
    assert main(judge_args(problems, generations, out)) == 0
    with Store.open(out / STORE_FILE) as store:  # as a run stopped before its last problems: 6 never reached
        store.set_meta("run_state", {"samples_expected": 10, "complete": False})
        store.set_meta("run_info", {**store.get_meta("run_info"), "samples_expected": 10, "complete": False})
    capsys.readouterr()
    assert main(["report", str(out)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "6 samples of the last judge run are not judged yet" in printed
    assert "INCOMPLETE RUN: 4 of 10 samples judged" in printed
