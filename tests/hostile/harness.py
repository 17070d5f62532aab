"""How the red-team suite judges a hostile program and collects the evidence of what it did.

A program is judged exactly as in production: through a judge worker (``executors.SessionWorker``:
retries on a fresh jail, then SE only when the jail fails for a known-good probe too), keeping the
raw observations it used; then an ordinary program is judged in the same session, and the host is
inspected. ``check_damage`` turns the evidence into a list of
violations, one line each.
"""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import pytest

from taco_judge.backends import local
from taco_judge.backends.base import Backend, RunnerSession
from taco_judge.backends.local import LocalBackend, probe_isolation
from taco_judge.executors.local import SessionWorker, WorkItem
from taco_judge.judge import JudgeConfig, SampleJudge
from taco_judge.judging import Judging
from taco_judge.plans import Plan
from taco_judge.problems import Problem, TestCase
from taco_judge.runner_files import runner_path, runner_sha256
from taco_judge.submissions import submission_from_code
from taco_judge.verdict import Limits, Observation, SampleResult, Verdict

from . import catalogue

ISOLATION = probe_isolation()
# The local jail's guarantees (README, docs/security.md) assume the judge runs as root with
# namespaces: the program then has a uid, pids, network and /tmp of its own. Weaker set-ups share
# the judge's uid or processes, as the README says; the hostile suite skips the local jail there.
LOCAL_FULLY_CONFINED = bool(ISOLATION.namespaces and ISOLATION.root and ISOLATION.cgroup)
CANARY_ENV = "TACO_HOSTILE_CANARY"
HOSTILE_LIMITS = Limits(time_limit_s=0.5, memory_mb=128)
SE = "SE"  # the worker's verdict when the jail failed every attempt and the probe too
# Host temp dirs the suite's local sessions created: every one must be gone at the end.
CREATED_WORK_ROOTS: list[str] = []


# ---------------------------------------------------------------------------------------------
# Host state


def temp_entries() -> dict[str, tuple[int, int]]:
    """taco-judge-* entries under the host's temp dir: name -> (files, bytes)."""
    root = Path(tempfile.gettempdir())
    found: dict[str, tuple[int, int]] = {}
    for entry in root.glob("taco-judge-*"):
        files = size = 0
        try:
            if entry.is_dir() and not entry.is_symlink():
                for dirpath, _, filenames in os.walk(entry):
                    for name in filenames:
                        files += 1
                        try:
                            size += os.lstat(os.path.join(dirpath, name)).st_size
                        except OSError:
                            pass
            else:
                files, size = 1, entry.lstat().st_size
        except OSError:
            continue
        found[entry.name] = (files, size)
    return found


def judge_rss_mb() -> float:
    """This (judge) process's resident memory after a garbage collection."""
    gc.collect()
    return psutil.Process().memory_info().rss / 2**20


class RssSampler:
    """Samples this process's RSS every few ms in a thread: the peak while something runs."""

    def __init__(self, interval_s: float = 0.003) -> None:
        self.interval_s = interval_s
        self.baseline_mb = judge_rss_mb()
        self.peak_mb = self.baseline_mb
        self._stop = threading.Event()
        self._me = psutil.Process()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, self._me.memory_info().rss / 2**20)
            self._stop.wait(self.interval_s)

    def stop(self) -> float:
        """Peak growth over the baseline, in MB."""
        self._stop.set()
        self._thread.join()
        return self.peak_mb - self.baseline_mb


def host_addresses() -> list[str]:
    addresses = set()
    for infos in psutil.net_if_addrs().values():
        for info in infos:
            if info.family in (socket.AF_INET, socket.AF_INET6) and "%" not in info.address:
                addresses.add(info.address)
    return sorted(addresses)


# ---------------------------------------------------------------------------------------------
# The run's secrets and the bait on the host


@dataclass
class HostileRun:
    """The secrets of one test run, the problems built on them, and the bait on the host."""

    token: str  # the secret problem's expected output: "tacosecret" + 32 hex
    salt: str
    seed: str
    echo: tuple[str, str]
    code_mark: str
    mark: str  # in the names of files the programs try to create outside their working dir
    canary_dir: Path
    tcp: socket.socket
    udp: socket.socket
    unix: socket.socket
    unix_path: str
    runner_sha256: str
    values: dict[str, str] = field(default_factory=dict)

    def problem(self, attack: catalogue.Attack) -> Problem:
        limits: dict[str, Any] = {"time_limit_s": attack.time_limit_s, "memory_limit_mb": attack.memory_mb}
        task_id = f"hostile-{attack.name}"
        if attack.problem == catalogue.SECRET:
            tests = (TestCase(0, "Print the secret.\n", self.token + "\n"),)
            return Problem(task_id=task_id, mode="stdin", tests=tests, **limits)
        if attack.problem == catalogue.ECHO:
            return self.echo_problem(task_id, **limits)
        if attack.problem == catalogue.CALL_SUM:
            tests = (TestCase(0, [2, 3], [5]), TestCase(1, [40, 2], [42]))
            return Problem(task_id=task_id, mode="call", fn_name="f", tests=tests, **limits)
        if attack.problem == catalogue.CALL:
            tests = tuple(TestCase(i, [word[::-1]], [word]) for i, word in enumerate(self.echo))
            return Problem(task_id=task_id, mode="call", fn_name="f", tests=tests, **limits)
        raise ValueError(attack.problem)

    def echo_problem(self, task_id: str = "hostile-echo", **limits: Any) -> Problem:
        """Two tests; stdin is a token reversed, the expected output the token: an ordinary problem."""
        limits.setdefault("time_limit_s", 2.0)
        limits.setdefault("memory_limit_mb", 256)
        tests = tuple(TestCase(i, word[::-1] + "\n", word + "\n") for i, word in enumerate(self.echo))
        return Problem(task_id=task_id, mode="stdin", tests=tests, **limits)

    def victim_problem(self) -> Problem:
        tests = (TestCase(0, self.seed + "\n", (self.token + "\n") * 2000),)
        return Problem(task_id="hostile-victim", mode="stdin", tests=tests, time_limit_s=2.0, memory_limit_mb=256)

    def marked_host_files(self) -> list[str]:
        """Files on the host whose name holds the run's marker (programs try to create them everywhere)."""
        runner_dir = runner_path().parent
        places = {"/", "/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/run", "/srv", "/mnt", "/opt", "/home", "/root",
                  "/etc", "/usr", "/usr/local/bin", "/var", "/var/lib", "/var/cache", tempfile.gettempdir(),
                  str(runner_dir), str(runner_dir.parent)}
        places.update(p for p in sys.path if p)
        found = []
        for place in sorted(places):
            try:
                names = os.listdir(place)
            except OSError:
                continue
            found.extend(os.path.join(place, n) for n in names if self.mark in n and not n.endswith(".sock"))
        return found

    def remove_marked_host_files(self) -> None:
        for path in self.marked_host_files():
            try:
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.unlink(path)
            except OSError:
                pass

    def drain_listeners(self) -> list[str]:
        """What reached the host's listeners since the last call."""
        reached = []
        for listener, kind in ((self.tcp, "tcp"), (self.unix, "unix")):
            while True:
                try:
                    conn, peer = listener.accept()
                except (BlockingIOError, socket.timeout):
                    break
                reached.append(f"{kind} connection from {peer!r}")
                conn.close()
        while True:
            try:
                data, peer = self.udp.recvfrom(65536)
            except (BlockingIOError, socket.timeout):
                break
            reached.append(f"udp datagram {data[:20]!r} from {peer!r}")
        return reached


# ---------------------------------------------------------------------------------------------
# The jails


class Jail:
    """A backend and a judge worker on it: a broken session is replaced, as in production."""

    def __init__(self, name: str, backend: Backend) -> None:
        self.name = name
        self.backend = backend
        self.worker = SessionWorker(backend)
        self.judging = Judging(backend.identity(), runner_sha256())

    @property
    def session(self) -> RunnerSession:
        if self.worker.session is None:
            self.worker._fresh_session()
            work = getattr(self.worker.session, "work", None)
            if work:
                CREATED_WORK_ROOTS.append(str(work))
        assert self.worker.session is not None
        return self.worker.session

    @property
    def healthy(self) -> bool:
        return self.worker.session is not None and self.worker.session.healthy

    def replace(self) -> None:
        self.worker.drop_session()

    def identity(self) -> tuple:
        """Which runner this is: a changed identity means the runner was killed or replaced."""
        session = self.session
        container = getattr(session, "container_id", None)
        if container is not None:
            return ("container", container)
        proc = getattr(session, "proc", None)
        return ("process", getattr(proc, "pid", None), proc.poll() if proc is not None else None)

    def writable_mb(self) -> int:
        """The most a program may write in this jail (its tmpfs)."""
        spec = getattr(self.backend, "spec", None)
        return int(spec.tmpfs_mb) if spec is not None else local.WORK_ROOT_MB

    def runner_file_sha256(self) -> str | None:
        """The runner source as the jail sees it (the container's copy for docker)."""
        if self.name != "docker":
            return hashlib.sha256(runner_path().read_bytes()).hexdigest()
        code = "import hashlib\nprint(hashlib.sha256(open('/opt/taco-judge/python_runner.py', 'rb').read()).hexdigest())\n"
        outcome = self.session.run(Plan(code=code), [""], Limits(time_limit_s=2.0, memory_mb=256), early_stop=False)
        return outcome.observations[0].stdout.decode().strip() if outcome.observations else None

    def close(self) -> None:
        self.replace()
        self.backend.close()


def open_jail(request: pytest.FixtureRequest, jails: dict[str, Jail], name: str) -> Jail:
    """The suite's jail called ``name``, opened on first use; skips where it cannot run."""
    if name in jails:
        return jails[name]
    if name == "local":
        if not LOCAL_FULLY_CONFINED:
            pytest.skip(f"the local jail here lacks: {'; '.join(ISOLATION.lacks())} (README's security section)")
        jails[name] = Jail(name, LocalBackend())
    elif name == "docker":
        request.getfixturevalue("docker_image")  # skips, or fails when TACO_JUDGE_REQUIRE_DOCKER=1
        from taco_judge.backends.docker import DockerBackend

        jails[name] = Jail(name, DockerBackend(HOSTILE_LIMITS))
    else:
        raise ValueError(name)
    return jails[name]


# ---------------------------------------------------------------------------------------------
# Judging, with a record of what the runner saw (the executions the result came from)


@dataclass
class Judged:
    verdict: Verdict | str  # SE when the jail failed (and the probe did too)
    result: SampleResult | None
    error: str
    observations: list[Observation]
    wall_s: float
    judge_growth_mb: float


def judge_program(jail: Jail, problem: Problem, code: str, config: JudgeConfig | None = None) -> Judged:
    """Judge ``code`` through the real judge path, recording observations and the judge's memory."""
    submission = submission_from_code(problem.task_id, 0, code, origin="hostile")
    sampler = RssSampler()
    started = time.monotonic()
    judged = jail.worker.judge(WorkItem(SampleJudge(problem, config or JudgeConfig()), submission, jail.judging))
    wall = time.monotonic() - started
    growth = sampler.stop()
    verdict: Verdict | str = SE if judged.jail_failed else judged.result.verdict
    observations = list(judged.executions[-1][0].observations) if judged.executions else []
    return Judged(verdict, judged.result, judged.result.detail, observations, wall, growth)


@dataclass
class Outcome:
    """Everything known after one hostile program ran, for the damage checks."""

    attack: catalogue.Attack
    jail: Jail
    run: HostileRun
    judged: Judged
    healthy_after: bool
    identity_before: tuple
    identity_after: tuple
    follow_up: Judged | None
    marked_host_files: list[str]
    listener_hits: list[str]
    reports: dict[str, str]
    stderr: str
    runner_sha256_after: str | None = None

    def summary(self) -> str:
        obs = self.judged.observations[-1] if self.judged.observations else None
        facts = ""
        if obs is not None:
            facts = (f"cpu {obs.cpu_s:.2f} s, wall {obs.wall_s:.2f} s, peak {obs.peak_mb:.0f} MB, exit {obs.exit_code}, "
                     f"signal {obs.signal}, stdout {len(obs.stdout)} B {obs.stdout[:80]!r}")
        return (f"verdict {self.judged.verdict} ({self.judged.error[:300]}); {facts}; judge wall {self.judged.wall_s:.2f} s, "
                f"judge memory +{self.judged.judge_growth_mb:.0f} MB; reports {self.reports}; "
                f"stderr tail {self.stderr[-400:]!r}")


def parse_reports(stderr: str) -> dict[str, str]:
    reports: dict[str, str] = {}
    for line in stderr.splitlines():
        if line.startswith("REPORT "):
            for item in line[len("REPORT "):].split(" "):
                key, _, value = item.partition("=")
                if key:
                    reports[key] = value
    return reports


def run_attack(jail: Jail, attack: catalogue.Attack, run: HostileRun) -> Outcome:
    """Judge one hostile program, then an ordinary one in the same session, and inspect the host."""
    run.drain_listeners()
    limits = Limits(time_limit_s=attack.time_limit_s, memory_mb=attack.memory_mb)
    values = {**run.values, "TIME_LIMIT": repr(limits.time_limit_s), "WALL_LIMIT": repr(limits.wall_backstop_s)}
    code = catalogue.render(attack.code, values, attack.raw)
    if attack.prelude is not None:
        victim = catalogue.render(catalogue.PRELUDES[attack.prelude], run.values)
        before = judge_program(jail, run.victim_problem(), victim)
        assert before.verdict is Verdict.AC, f"the prelude {attack.prelude} was not accepted: {before.error}"
    identity_before = jail.identity()
    config = JudgeConfig(output_bytes=attack.output_bytes)
    judged = judge_program(jail, run.problem(attack), code, config)
    healthy = jail.healthy
    identity_after = jail.identity() if healthy else ("replaced",)
    marked = run.marked_host_files()
    hits = run.drain_listeners()
    stderr = "".join(obs.stderr_tail for obs in judged.observations)
    outcome = Outcome(
        attack=attack,
        jail=jail,
        run=run,
        judged=judged,
        healthy_after=healthy,
        identity_before=identity_before,
        identity_after=identity_after,
        follow_up=None,
        marked_host_files=marked,
        listener_hits=hits,
        reports=parse_reports(stderr),
        stderr=stderr,
    )
    if not healthy:
        jail.replace()  # what a judge worker does with a session that saw an anomaly
    if "runner_intact" in attack.checks:
        outcome.runner_sha256_after = jail.runner_file_sha256()
    clean_room = catalogue.render(catalogue.CLEAN_ROOM, run.values)
    outcome.follow_up = judge_program(jail, run.echo_problem(), clean_room)
    return outcome


# ---------------------------------------------------------------------------------------------
# Damage checks


def check_damage(outcome: Outcome) -> list[str]:
    """Violations of the entry's damage checks and of the checks every entry gets."""
    attack, judged = outcome.attack, outcome.judged
    limits = Limits(time_limit_s=attack.time_limit_s, memory_mb=attack.memory_mb, output_bytes=attack.output_bytes)
    last = judged.observations[-1] if judged.observations else None
    bad: list[str] = []

    # -- every entry
    if judged.verdict == SE:
        bad.append(f"the jail failed (SE, left out of pass@k): {judged.error}")
    if not outcome.healthy_after:
        bad.append("the session was unhealthy after the submission (processes or IPC survived its reset, or the runner broke)")
    tests_run = max(1, len(judged.observations))
    if judged.wall_s > tests_run * (limits.wall_backstop_s + 5.0) + 10.0:
        bad.append(f"judging took {judged.wall_s:.1f} s")
    follow = outcome.follow_up
    if follow is None or follow.verdict is not Verdict.AC:
        detail = follow.error if follow else "not run"
        stdout = follow.observations[-1].stdout[:300] if follow and follow.observations else b""
        bad.append(f"the next submission in the same session was not judged right: {follow and follow.verdict} "
                   f"({detail}; it printed {stdout!r})")

    # -- the entry's own
    for check in attack.checks:
        name, _, arg = check.partition(":")
        reports = outcome.reports
        if name == "report_none":
            if reports.get(arg) != "none":
                bad.append(f"{arg}: {reports.get(arg, '(no report)')}")
        elif name == "report_no_ok":
            lines = [line for line in outcome.stderr.splitlines() if line.startswith("REPORT")]
            if not lines or any(":OK" in line for line in lines):
                bad.append(f"allowed: {lines}")
        elif name == "procs_bounded":
            procs = int(reports.get("procs", "0"))
            bound = limits.max_processes + 8
            if not procs or procs > bound:
                bad.append(f"saw {procs} processes in the jail (bound {bound})")
        elif name == "cpu_bounded":
            if last is None or last.cpu_s > 1.5 * limits.time_limit_s + 0.3:
                bad.append(f"used {last and last.cpu_s:.2f} s of CPU for a {limits.time_limit_s} s limit")
        elif name == "wall_bounded":
            if last is None or last.wall_s > limits.wall_backstop_s + 1.5:
                bad.append(f"held the jail {last and last.wall_s:.2f} s (backstop {limits.wall_backstop_s} s)")
        elif name == "judge_memory":
            bound = judge_memory_bound_mb(attack.output_bytes)
            if judged.judge_growth_mb > bound:
                bad.append(f"the judge's memory grew by {judged.judge_growth_mb:.0f} MB (bound {bound:.0f} MB)")
        elif name == "killed_at_cap":
            if last is None or not last.stdout_truncated or len(last.stdout) != limits.output_bytes \
                    or last.wall_timeout or last.cpu_timeout:
                bad.append("the flood was not cut exactly at the cap")
        elif name == "disk_bounded":
            written = int(reports.get("written", "-1"))
            bound = outcome.jail.writable_mb() * 2**20
            if written < 0 or written > bound:
                bad.append(f"wrote {written / 2**20:.0f} MiB (the jail's writable space is {bound / 2**20:.0f} MiB)")
        elif name == "no_marked_host_files":
            if outcome.marked_host_files:
                bad.append(f"files created on the host: {outcome.marked_host_files[:5]}")
        elif name == "runner_intact":
            if outcome.runner_sha256_after != outcome.run.runner_sha256:
                bad.append(f"the runner's source changed (sha256 {outcome.runner_sha256_after})")
        elif name == "same_runner":
            if outcome.identity_after != outcome.identity_before:
                bad.append(f"the runner changed: {outcome.identity_before} -> {outcome.identity_after}")
        elif name == "no_found":
            found = [line for line in outcome.stderr.splitlines() if line.startswith("FOUND")]
            if found:
                bad.append("; ".join(found[:5]))
        elif name == "scanned":
            if int(reports.get("scanned", "0")) < int(arg):
                bad.append(f"the scanner read almost nothing ({reports.get('scanned')}): the test proves nothing")
        elif name == "only_std_fds":
            fds = set(reports.get("open_fds", "").split(","))
            if not fds or not fds <= {"0", "1", "2", "3"}:
                bad.append(f"open fds in the program: {sorted(fds)}")
        elif name == "only_loopback_interface":
            if reports.get("interfaces") not in ("lo", ""):
                bad.append(f"network interfaces: {reports.get('interfaces')}")
        elif name in ("listener_silent", "unix_listener_silent"):
            kinds = ("tcp", "udp") if name == "listener_silent" else ("unix",)
            hits = [hit for hit in outcome.listener_hits if hit.split()[0] in kinds]
            if hits:
                bad.append(f"reached the host: {hits}")
        else:
            raise ValueError(f"unknown check {check!r}")
    return bad


def judge_memory_bound_mb(output_bytes: int) -> float:
    """How much the judge may grow while judging one sample: a few copies of the output it keeps."""
    return 64.0 + 8.0 * output_bytes / 2**20
