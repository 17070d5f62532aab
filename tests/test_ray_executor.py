"""`--executor ray`: the same results as the local executor on problems/ (local jail and docker),
also when a Ray worker process is killed mid-run (each sample recorded exactly once); a worker
whose jail differs from the run's judges nothing (SE, heterogeneous cluster); stored results
carry over between executors; without Ray, or with a bad address, one line and exit 2.

Ray tests skip without Ray installed, and fail instead when TACO_JUDGE_REQUIRE_RAY=1 (CI).
They share one local Ray instance (``ray.init(num_cpus=2)``), which the CLI reuses in-process.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psutil
import pytest

from taco_judge import cli
from taco_judge.commands import common as command_common
from taco_judge.store import STORE_FILE, Store

pytestmark = pytest.mark.slow  # every test starts a Ray instance (15 s or more); .ci/run runs them

REPO = Path(__file__).resolve().parents[1]
PROBLEMS = REPO / "problems"
GENERATIONS = PROBLEMS / "generations.json"
EXPECTED = json.loads((PROBLEMS / "expected_verdicts.json").read_text())
# Every verdict, both call conventions, in a handful of problems: the docker comparison's subset.
DOCKER_SUBSET = "0-2,10,25,30"


def ray_unavailable(reason: str) -> None:
    """Skip a Ray test, or fail it when CI demands Ray (TACO_JUDGE_REQUIRE_RAY=1)."""
    if os.environ.get("TACO_JUDGE_REQUIRE_RAY") == "1":
        pytest.fail(f"TACO_JUDGE_REQUIRE_RAY=1 but Ray is unusable: {reason}")
    pytest.skip(reason)


def require_ray() -> Any:
    try:
        import ray
    except ImportError:
        ray_unavailable("Ray is not installed (pip install 'taco-judge[ray]')")
    return ray


def count_records(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[Any, int]]:
    """How many times the driver records each (task_id, sample): a live Counter."""
    from taco_judge.resume import StoredJudging

    recorded: Counter[tuple[Any, int]] = Counter()
    real_record = StoredJudging.record

    def counting_record(self: StoredJudging, judge: Any, judged: Any, *, counted: str | None = None) -> None:
        if counted is None:  # what an executor delivered (not a result replayed before dispatch)
            recorded[(judged.submission.task_id, judged.submission.sample)] += 1
        real_record(self, judge, judged, counted=counted)

    monkeypatch.setattr(StoredJudging, "record", counting_record)
    return recorded


@pytest.fixture(scope="module")
def ray_instance() -> Any:
    """One local Ray instance with 2 CPUs for this module, shut down after it."""
    ray = require_ray()
    if ray.is_initialized():
        ray.shutdown()
    ray.init(address="local", num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False,
             object_store_memory=256 * 1024 * 1024)
    try:
        yield ray
    finally:
        ray.shutdown()


def judge(out: Path, *extra: str) -> int:
    return cli.main(["judge", "--problems", str(PROBLEMS), "--generations", str(GENERATIONS), "--out", str(out),
                     "--quiet", *extra])


# Details of these verdicts quote measured times or memory, which differ between any two runs.
_MEASURED = {"TLE", "MLE"}


def results(out: Path) -> dict[tuple[Any, int], dict[str, Any]]:
    """Per sample: its verdict, every test's verdict and the detail (unless it quotes a
    measurement), as results.jsonl has them."""
    got = {}
    for line in (out / "results.jsonl").read_text().splitlines():
        r = json.loads(line)
        detail = "(measured)" if r["verdict"] in _MEASURED else r.get("detail", "")
        got[(r["task_id"], r["sample"])] = {"verdict": r["verdict"], "detail": detail,
                                            "tests": [t["verdict"] for t in r.get("tests", [])]}
    return got


def runs_in_store(out: Path) -> int:
    """Live runs recorded in the run's store (each recording of a run counts once)."""
    with Store.open(out / STORE_FILE, create=False) as store:
        return sum(store.execution_runs().values())


def run_info(out: Path) -> dict[str, Any]:
    return json.loads((out / "metrics.json").read_text())["run"]


@pytest.fixture(scope="module")
def local_baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """problems/ judged by the local executor in the local jail: what Ray must reproduce."""
    out = tmp_path_factory.mktemp("baseline") / "local"
    assert judge(out, "--sandbox", "local", "--jobs", "2") == 0
    return out


def assert_same_results(got: Path, want: Path) -> None:
    mine, theirs = results(got), results(want)
    assert mine.keys() == theirs.keys()
    differing = [f"{key}: {mine[key]} != {theirs[key]}" for key in mine if mine[key] != theirs[key]]
    assert not differing, "\n".join(differing[:10])


# ---------------------------------------------------------------- same results as the local executor


@pytest.mark.slow
def test_ray_judges_the_shipped_problems_like_the_local_executor(
    ray_instance: Any, local_baseline: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ray"
    assert judge(out, "--sandbox", "local", "--executor", "ray") == 0
    assert_same_results(out, local_baseline)
    got = results(out)
    assert Counter(v["verdict"] for v in got.values()) == Counter(v for vs in EXPECTED.values() for v in vs)
    info = run_info(out)
    assert info["executor"] == "ray" and info["complete"] is True
    assert info["ray"]["cpus"] == 2 and info["ray"]["address"] == "local instance"
    assert info["store"]["samples_run"] == len(got) and info["store"]["samples_jail_failed"] == 0
    assert info["sandbox"] == run_info(local_baseline)["sandbox"]
    assert runs_in_store(out) == runs_in_store(local_baseline)

    # The executor is not part of any key: judging the same folder locally reuses every result.
    assert judge(out, "--sandbox", "local", "--executor", "local") == 0
    assert run_info(out)["store"]["samples_reused"] == len(got)
    assert run_info(out)["store"]["samples_run"] == 0


@pytest.mark.slow
@pytest.mark.docker
def test_ray_with_the_docker_jail_judges_like_the_local_executor(
    ray_instance: Any, docker_image: str, tmp_path: Path
) -> None:
    local, ray_out = tmp_path / "local", tmp_path / "ray"
    assert judge(local, "--sandbox", "docker", "--task-ids", DOCKER_SUBSET, "--jobs", "2") == 0
    assert judge(ray_out, "--sandbox", "docker", "--task-ids", DOCKER_SUBSET, "--executor", "ray") == 0
    assert_same_results(ray_out, local)
    assert {r["verdict"] for r in results(ray_out).values()} == {"AC", "WA", "TLE", "MLE", "RE", "CE", "OLE"}
    assert run_info(ray_out)["sandbox"].startswith("docker: " + docker_image)
    # the workers' jail is the driver's: same execution keys, so the local run's store serves Ray's
    with Store.open(local / STORE_FILE, create=False) as a, Store.open(ray_out / STORE_FILE, create=False) as b:
        assert a.execution_runs().keys() == b.execution_runs().keys()


# ---------------------------------------------------------------- a worker killed mid-run


def _judge_batch_workers() -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if cmdline and cmdline[0].startswith("ray::judge_batch"):
            found.append(proc)
    return found


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing_and_records_each_sample_once(
    ray_instance: Any, local_baseline: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded = count_records(monkeypatch)
    out = tmp_path / "ray"
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["rc"] = judge(out, "--sandbox", "local", "--executor", "ray")
        except BaseException as exc:  # reported by the assertions below
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="ray-judge")
    thread.start()
    killed: list[str] = []
    deadline = time.monotonic() + 120
    while not killed and thread.is_alive() and time.monotonic() < deadline:
        if sum(recorded.values()) >= 10:  # well into the run, with work in flight
            for proc in _judge_batch_workers():
                try:
                    title = " ".join(proc.cmdline())
                    if title.startswith("ray::judge_batch"):  # still judging, right now
                        proc.send_signal(signal.SIGKILL)
                        killed.append(title)
                        break
                except psutil.NoSuchProcess:
                    continue
        time.sleep(0.05)
    thread.join(timeout=300)
    assert not thread.is_alive(), "the run did not finish after a worker was killed"
    assert killed, "no Ray worker was seen judging: nothing was killed"
    assert "error" not in outcome, outcome.get("error")
    assert outcome["rc"] == 0

    assert_same_results(out, local_baseline)
    info = run_info(out)
    assert info["complete"] is True and info["store"]["samples_jail_failed"] == 0
    assert set(recorded.values()) == {1}, [k for k, n in recorded.items() if n != 1]
    assert len(recorded) == info["store"]["samples_run"] == len(results(out))
    assert runs_in_store(out) == runs_in_store(local_baseline)


@pytest.mark.slow
def test_ctrl_c_keeps_what_was_judged_and_a_resume_finishes_the_rest(
    ray_instance: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 24 samples of 4 tests sleeping 0.25 s each: about 12 s on 2 CPUs, cheap on a busy machine
    problems, generations = _tiny_set(tmp_path, n_tasks=3, per_task=8, sleep_s=0.25)
    out = tmp_path / "out"
    argv = ["judge", "--problems", str(problems), "--generations", str(generations), "--out", str(out),
            "--sandbox", "local", "--executor", "ray", "--jobs", "2", "--quiet"]
    # Its own Ray instance in its own process group, as a terminal's Ctrl-C reaches every process of it.
    proc = subprocess.Popen([sys.executable, "-m", "taco_judge.cli", *argv], cwd=REPO, stderr=subprocess.PIPE,
                            text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    partial = out / "results.partial.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if partial.exists() and len(partial.read_text().splitlines()) >= 4:
            break
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == command_common.EXIT_INTERRUPTED, err
    assert "interrupted;" in err and "judge into it again to finish" in err
    first = results(out)
    assert 4 <= len(first) < 24
    assert "SE" not in {r["verdict"] for r in first.values()}

    recorded = count_records(monkeypatch)
    assert cli.main(argv) == 0
    final = results(out)
    assert len(final) == 24 and all(final[key] == first[key] for key in first)
    assert set(recorded) == final.keys() - first.keys() and set(recorded.values()) == {1}
    info = run_info(out)
    assert info["complete"] is True and info["store"]["samples_reused"] == len(first)


# ---------------------------------------------------------------- a worker whose jail is not the run's


def _tiny_set(tmp_path: Path, n_tasks: int = 2, per_task: int = 3, sleep_s: float = 0.0) -> tuple[Path, Path]:
    """A few add-two-numbers problems and AC / WA / RE / CE samples for them (each test of a
    sample sleeping ``sleep_s`` first)."""
    rows = []
    for task in range(n_tasks):
        tests = [(f"{task} {i}\n", f"{task + i}\n") for i in range(4)]
        rows.append({
            "question": "add", "solutions": json.dumps(["a, b = map(int, input().split())\nprint(a + b)\n"]),
            "starter_code": "", "difficulty": "EASY", "raw_tags": "[]", "name": "add", "source": "test",
            "tags": "[]", "skill_types": "[]", "url": "", "time_limit": "2 seconds", "memory_limit": "256 megabytes",
            "input_output": json.dumps({"inputs": [i for i, _ in tests], "outputs": [o for _, o in tests]}),
        })
    bodies = ["a, b = map(int, input().split())\nprint(a + b)\n", "a, b = map(int, input().split())\nprint(a - b)\n",
              "print(1 // 0)\n", "print(\n"]
    head = f"import time\ntime.sleep({sleep_s})\n" if sleep_s else ""
    generations = [{"task_id": task,
                    "output": [f"# {task} {i}\n{head}" + bodies[i % len(bodies)] for i in range(per_task)]}
                   for task in range(n_tasks)]
    problems = tmp_path / "problems.jsonl"
    problems.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    gen = tmp_path / "generations.json"
    gen.write_text(json.dumps(generations), encoding="utf-8")
    return problems, gen


@pytest.mark.slow
def test_a_worker_whose_jail_differs_from_the_runs_judges_nothing(
    ray_instance: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from taco_judge.executors.ray import RayExecutor

    real_probe = RayExecutor.probe

    def probe_elsewhere(self: RayExecutor, sandbox: str, options: Any = None) -> Any:  # as if on another image
        return dataclasses.replace(real_probe(self, sandbox, options), jail="docker: some other image")

    monkeypatch.setattr(RayExecutor, "probe", probe_elsewhere)
    problems, generations = _tiny_set(tmp_path)
    out = tmp_path / "out"
    rc = cli.main(["judge", "--problems", str(problems), "--generations", str(generations), "--out", str(out),
                   "--sandbox", "local", "--executor", "ray", "--quiet"])
    assert rc == command_common.EXIT_JAIL_DOWN
    err = capsys.readouterr().err
    assert "heterogeneous cluster" in err and "samples in a row" in err
    got = results(out)
    assert got and {r["verdict"] for r in got.values()} == {"SE"}
    assert all("heterogeneous cluster" in r["detail"] for r in got.values())
    assert runs_in_store(out) == 0  # nothing stored under the run's (wrong) jail

    # The same folder judged with the real jail runs everything and ends complete.
    monkeypatch.setattr(RayExecutor, "probe", real_probe)
    rc = cli.main(["judge", "--problems", str(problems), "--generations", str(generations), "--out", str(out),
                   "--sandbox", "local", "--executor", "ray", "--quiet"])
    assert rc == 0
    assert "SE" not in {r["verdict"] for r in results(out).values()}
    assert run_info(out)["complete"] is True


def test_problems_validate_runs_on_ray(ray_instance: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    problems, _ = _tiny_set(tmp_path)
    rc = cli.main(["problems", "validate", str(problems), "--sandbox", "local", "--executor", "ray", "--quiet"])
    assert rc == 0
    assert "0 failing" in capsys.readouterr().out


# ---------------------------------------------------------------- set-up errors: one line, exit 2


def test_without_ray_the_executor_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    problems, generations = _tiny_set(tmp_path, n_tasks=1, per_task=1)
    rc = cli.main(["judge", "--problems", str(problems), "--generations", str(generations),
                   "--out", str(tmp_path / "out"), "--executor", "ray", "--quiet"])
    assert rc == 2
    err = capsys.readouterr().err.strip()
    assert err == "taco-judge: error: --executor ray needs Ray: pip install 'taco-judge[ray]'"


def test_ray_address_with_the_local_executor_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    problems, generations = _tiny_set(tmp_path, n_tasks=1, per_task=1)
    rc = cli.main(["judge", "--problems", str(problems), "--generations", str(generations),
                   "--out", str(tmp_path / "out"), "--executor", "local", "--ray-address", "auto", "--quiet"])
    assert rc == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["taco-judge: error: --ray-address auto: only used with --executor ray; drop --executor local"]


def test_an_unreachable_ray_address_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    require_ray()
    problems, generations = _tiny_set(tmp_path, n_tasks=1, per_task=1)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "taco_judge.cli", "judge", "--problems", str(problems), "--generations",
         str(generations), "--out", str(tmp_path / "out"), "--ray-address", "127.0.0.1:1", "--quiet"],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("taco-judge: error: --ray-address 127.0.0.1:1: nothing answers")
    assert time.monotonic() - started < 60
