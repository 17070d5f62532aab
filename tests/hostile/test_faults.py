"""Fault injection: the container engine misbehaving under a real judge run (``executors.run_pool``).

- A container removed from outside while a sample runs: the worker retries that sample in a new
  container; every sample is still judged, and right (the one in flight may be SE, never WA/RE).
- dockerd killed and restarted during a run (intrusive: only with TACO_JUDGE_DESTRUCTIVE=1, as CI
  sets it): the run either recovers or stops with one clear message, and keeps what it finished.

(The judge killed with SIGKILL and restarted needs the results store; it is tested with it.)
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import psutil
import pytest

from taco_judge.executors.local import WorkItem, run_pool
from taco_judge.judge import JudgeConfig, SampleJudge
from taco_judge.judging import Judging
from taco_judge.runner_files import runner_sha256
from taco_judge.submissions import submission_from_code
from taco_judge.verdict import SampleResult, Verdict

from .harness import HOSTILE_LIMITS, HostileRun

log = logging.getLogger(__name__)
DESTRUCTIVE = os.environ.get("TACO_JUDGE_DESTRUCTIVE") == "1"
SLOW_ECHO = "import time\ntime.sleep(0.25)\nprint(input()[::-1])\n"


def _items(run: HostileRun, count: int) -> list[WorkItem]:
    problem = run.echo_problem("hostile-fault")
    judge = SampleJudge(problem, JudgeConfig())
    judging = Judging("fault jail", runner_sha256())
    return [WorkItem(judge, submission_from_code(problem.task_id, i, SLOW_ECHO, origin="fault"), judging)
            for i in range(count)]


def _labelled(backend, run_id: str) -> list[dict]:
    from taco_judge.backends.docker import LABEL_RUN

    return backend.client.api.containers(all=True, filters={"label": f"{LABEL_RUN}={run_id}"})


def _wait_gone(backend, run_id: str, timeout_s: float = 30.0) -> list[dict]:
    deadline = time.monotonic() + timeout_s
    left = _labelled(backend, run_id)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = _labelled(backend, run_id)
    return left


@pytest.mark.docker
def test_a_container_removed_mid_run_is_judged_again(docker_image: str, hostile_run: HostileRun) -> None:
    from taco_judge.backends.docker import DockerBackend

    backend = DockerBackend(HOSTILE_LIMITS)
    results: dict[int, SampleResult] = {}
    removed: list[str] = []

    def remove_while_sample_2_runs() -> None:
        deadline = time.monotonic() + 60
        while len(results) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.15)  # inside sample 2's first test (each test sleeps 0.25 s)
        for container_id in backend.containers():
            backend.client.api.remove_container(container_id, force=True)
            removed.append(container_id)

    remover = threading.Thread(target=remove_while_sample_2_runs)
    remover.start()
    try:
        run_pool(_items(hostile_run, 6), backend, jobs=1, on_result=lambda judge, j: results.__setitem__(j.result.sample, j.result))
    finally:
        remover.join()
        backend.close()
    assert removed, "no container was running to remove"
    assert sorted(results) == list(range(6))
    verdicts = {i: r.verdict for i, r in results.items()}
    failed = [i for i, v in verdicts.items() if v is not Verdict.AC]
    assert all(verdicts[i] is Verdict.SE for i in failed) and len(failed) <= 1, verdicts
    assert verdicts[5] is Verdict.AC  # the samples after it are judged right
    assert _wait_gone(backend, backend.run_id) == []


# ---------------------------------------------------------------------------------------------
# dockerd killed and restarted


def _dockerd() -> psutil.Process:
    for proc in psutil.process_iter(["name", "cmdline"]):
        if proc.info["name"] == "dockerd":
            return proc
    pytest.fail("no dockerd process found (is the engine run by dockerd on this machine?)")


def _systemd() -> bool:
    return Path("/run/systemd/system").is_dir()


def _log_path(proc: psutil.Process) -> str:
    try:
        target = os.readlink(f"/proc/{proc.pid}/fd/1")
    except OSError:
        return "/tmp/dockerd.log"
    return target if target.startswith("/") and not target.startswith("/dev/") else "/tmp/dockerd.log"


def _start_dockerd(cmdline: list[str], log_path: str) -> None:
    """Start dockerd the way it was started: by systemd, or detached in the background with its log."""
    if _systemd():
        subprocess.run(["systemctl", "start", "docker"], check=True, timeout=120)
        return
    # `dockerd >>log 2>&1 &`, in a session of its own and reparented to init: it outlives the test run
    detach = "setsid -f " if shutil.which("setsid") else ""
    command = f"{detach}{shlex.join(cmdline)} >>{shlex.quote(log_path)} 2>&1 </dev/null &"
    subprocess.run(["sh", "-c", command], check=True, timeout=30)


def _wait_engine(timeout_s: float = 90.0) -> None:
    from taco_judge.sandbox_image import docker_client

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            docker_client().ping()
            return
        except Exception:
            time.sleep(0.5)
    pytest.fail(f"docker did not come back within {timeout_s:.0f} s of restarting dockerd")


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.skipif(not DESTRUCTIVE, reason="kills and restarts dockerd: runs only with TACO_JUDGE_DESTRUCTIVE=1 (CI)")
def test_dockerd_killed_and_restarted_mid_run(docker_image: str, hostile_run: HostileRun) -> None:
    from taco_judge.backends.docker import DockerBackend
    from taco_judge.executors.local import JailDown

    daemon = _dockerd()
    cmdline, log_path = daemon.cmdline(), _log_path(daemon)
    backend = DockerBackend(HOSTILE_LIMITS)
    count = 16
    results: list[SampleResult] = []
    stopped: list[BaseException] = []

    def judge_all() -> None:
        try:
            run_pool(_items(hostile_run, count), backend, jobs=1, on_result=lambda judge, j: results.append(j.result))
        except BaseException as exc:  # JailDown (the run stopped) is a legitimate outcome
            stopped.append(exc)

    worker = threading.Thread(target=judge_all)
    worker.start()
    restarted = False
    try:
        deadline = time.monotonic() + 120
        while len(results) < 3 and worker.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        finished_before = list(results)
        assert len(finished_before) >= 3, "the run did not get going"
        if _systemd():
            subprocess.run(["systemctl", "kill", "-s", "KILL", "docker"], check=True, timeout=60)
        else:
            os.kill(daemon.pid, signal.SIGKILL)
        daemon.wait(timeout=30)
        time.sleep(2.0)  # the run meets a dead engine for a while
        _start_dockerd(cmdline, log_path)
        _wait_engine()
        restarted = True
        worker.join(timeout=600)
        assert not worker.is_alive(), "the run neither finished nor stopped within 10 minutes of the restart"
    finally:
        if not restarted:
            try:
                _dockerd()
            except BaseException:
                _start_dockerd(cmdline, log_path)
                _wait_engine()
        worker.join(timeout=600)
        backend.close()

    log.info(
        "dockerd killed after %d samples: %s; verdicts %s",
        len(finished_before),
        f"the run stopped: {stopped[0]}" if stopped else "the run recovered",
        "".join("." if r.verdict is Verdict.AC else "S" for r in results),
    )
    # Finished results are kept, and nothing is ever judged WA/RE because the engine went away.
    assert results[: len(finished_before)] == finished_before
    assert all(r.verdict is Verdict.AC for r in finished_before)
    assert all(r.verdict in (Verdict.AC, Verdict.SE) for r in results), [r.verdict for r in results]
    assert len({r.sample for r in results}) == len(results)  # nothing judged twice
    if stopped:  # it stopped: with one clear message, after delivering every result it finished
        assert isinstance(stopped[0], JailDown), repr(stopped[0])
        message = str(stopped[0])
        assert "\n" not in message and "jail failed" in message, message
    else:  # it recovered: every sample judged, and judged right once the engine was back
        assert len(results) == count
        assert results[-1].verdict is Verdict.AC
    assert _wait_gone(backend, backend.run_id, timeout_s=60) == []
