"""After every other test of this folder (conftest.py runs this file last): the host is as it was.

The warm sessions that ran every hostile program still judge an ordinary submission right, and
so do fresh ones; once they are closed no container and no process is left, the host's temp space
holds nothing new, and the judge's own memory is about what it was before the suite.
"""

from __future__ import annotations

import os
import time
import warnings

import psutil
import pytest

from taco_judge.verdict import Verdict

from . import catalogue
from .harness import CREATED_WORK_ROOTS, HostileRun, Jail, judge_program, judge_rss_mb, open_jail, temp_entries

JUDGE_MEMORY_GROWTH_MB = 150  # what the suite may leave behind in the judge (imports, caches, allocator slack)
DOCKER_SANDBOX_UID = 10001


def _ordinary(run: HostileRun, jail: Jail) -> None:
    code = catalogue.render(catalogue.CLEAN_ROOM, run.values)
    judged = judge_program(jail, run.echo_problem(), code)
    stdout = judged.observations[-1].stdout[:300] if judged.observations else b""
    assert judged.verdict is Verdict.AC, f"{jail.name}: {judged.verdict} ({judged.error}); printed {stdout!r}"


@pytest.mark.parametrize("backend", ["local", pytest.param("docker", marks=pytest.mark.docker)])
def test_the_warm_session_that_saw_every_attack_still_judges_right(
    backend: str, hostile_run: HostileRun, jails: dict[str, Jail], request: pytest.FixtureRequest
) -> None:
    _ordinary(hostile_run, open_jail(request, jails, backend))


@pytest.mark.parametrize("backend", ["local", pytest.param("docker", marks=pytest.mark.docker)])
def test_a_fresh_session_judges_right(backend: str, hostile_run: HostileRun, request: pytest.FixtureRequest) -> None:
    fresh: dict[str, Jail] = {}
    try:
        _ordinary(hostile_run, open_jail(request, fresh, backend))
    finally:
        for jail in fresh.values():
            jail.close()


def _sandbox_processes(since: float) -> list[str]:
    """Processes on the host that run as a sandbox uid (docker's, or a local jail's), started since ``since``."""
    from taco_judge.backends.local import SANDBOX_UID_RANGE

    low, high = SANDBOX_UID_RANGE
    found = []
    for proc in psutil.process_iter(["pid", "uids", "create_time", "cmdline", "status"]):
        info = proc.info
        if info["uids"] is None or info["create_time"] is None or info["create_time"] < since - 1:
            continue
        uid = info["uids"].real
        if (uid == DOCKER_SANDBOX_UID or low <= uid < high) and info["status"] != psutil.STATUS_ZOMBIE:
            found.append(f"{info['pid']} uid {uid}: {' '.join(info['cmdline'] or [])[:80]}")
    return found


def _my_leftover_children(baseline_children: set[int]) -> list[str]:
    left = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if proc.pid not in baseline_children and proc.status() != psutil.STATUS_ZOMBIE:
                left.append(f"{proc.pid}: {' '.join(proc.cmdline())[:80]}")
        except psutil.NoSuchProcess:
            continue
    return left


def _my_containers() -> list[str]:
    try:
        from taco_judge.backends.docker import LABEL, LABEL_PID
        from taco_judge.sandbox_image import docker_client, engine_available

        if not engine_available()[0]:
            return []
        client = docker_client()
        filters = {"label": [f"{LABEL}=1", f"{LABEL_PID}={psutil.Process().pid}"]}
        return [c["Id"][:12] + " " + c["State"] for c in client.api.containers(all=True, filters=filters)]
    except ImportError:
        return []


def test_no_container_or_process_is_left_behind(suite_baseline, jails: dict[str, Jail]) -> None:
    for jail in list(jails.values()):
        jail.close()
    jails.clear()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        containers = _my_containers()
        children = _my_leftover_children(suite_baseline.children)
        sandboxed = _sandbox_processes(suite_baseline.started)
        if not (containers or children or sandboxed):
            break
        time.sleep(0.25)
    assert containers == [], f"containers left: {containers}"
    assert children == [], f"processes of the judge left: {children}"
    assert sandboxed == [], f"sandboxed processes left: {sandboxed}"


def _other_judges() -> list[str]:
    """Other processes on this host that may create taco-judge-* temp dirs (a shared dev machine)."""
    me = psutil.Process()
    mine = {me.pid, *(p.pid for p in me.children(recursive=True))}
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if proc.info["pid"] not in mine and ("pytest" in cmdline or "taco_judge" in cmdline or "taco-judge" in cmdline):
            found.append(f"{proc.info['pid']}: {cmdline[:80]}")
    return found


def test_host_temp_space_is_unchanged(suite_baseline) -> None:
    left = [path for path in CREATED_WORK_ROOTS if os.path.exists(path)]
    assert left == [], f"temp dirs of the suite's local sessions left behind: {left}"
    now = temp_entries()
    new = {name: stats for name, stats in now.items() if name not in suite_baseline.temp}
    others = _other_judges() if new else []
    if new and others:  # not ours to judge: another test run shares this host's temp dir
        warnings.warn(f"new taco-judge-* entries in the temp dir while other judges ran ({others[:3]}): {new}")
    else:
        assert new == {}, f"new taco-judge-* entries in the temp dir: {new}"
    before = sum(size for _, size in suite_baseline.temp.values())
    after = sum(size for name, (_, size) in now.items() if name in suite_baseline.temp)
    assert after <= before + (1 << 20), f"taco-judge-* entries grew from {before} to {after} bytes"


def test_the_judges_memory_stayed_bounded(suite_baseline) -> None:
    growth = judge_rss_mb() - suite_baseline.rss_mb
    assert growth <= JUDGE_MEMORY_GROWTH_MB, f"the judge's memory grew by {growth:.0f} MB over the suite"
