#!/usr/bin/env python3
"""Per-test and per-sample judge overhead: docker jail vs local jail vs a naive fresh-interpreter baseline.

Run by hand, never from the test suite::

    python3 benchmarks/overhead.py [--samples 150] [--k 9] [--json OUT]

The runner takes one request per program (a "plan" with every test input) and streams one
observation per test; with early stop on (the judge's default) it waits for the host's
``next``/``stop`` after every test but the last. So a sample of n tests costs about
``per_sample + n * per_test`` on top of the program's own CPU. The benchmark times 1-test and
K-test samples of a trivial stdin program, interleaved, and derives (benchmarks/README.md):

- per test   = (median wall(K) - median wall(1)) / (K - 1) - the program's own CPU;
- per sample = median wall(1) - the program's own CPU - per test.

"cost" is host wall time minus the solution's own CPU (timed in this process: a few
microseconds), so it is everything the judge adds. The naive baseline (a fresh ``python`` per
test on a temp file with TACO's preamble, what TACO's reference evaluator does) runs in the same
process, interleaved in the same blocks (A B C A B C ...), so load drifts hit every variant alike;
the load average is printed at the start and the end.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import math
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

import psutil

from taco_judge.backends.local import LocalBackend, choose_interpreter
from taco_judge.errors import SandboxUnavailable
from taco_judge.plans import Plan
from taco_judge.preamble import TACO_PREAMBLE
from taco_judge.verdict import Limits

# The goals, per jail, in ms (median): the goal must be met, the target is what we aim at.
GOALS = {
    "per_sample": (5.0, 3.0),
    "per_test": (4.0, 3.0),
}

PROGRAMS = {
    # A stdin solution that does almost nothing: what remains is the judge's own cost.
    "trivial": "print(int(input()) + 1)\n",
    # The same, but the solution uses numpy itself (warm in the runner; imported afresh naively).
    "numpy": "import numpy as np\nprint(np.int64(int(input())) + 1)\n",
}
DAEMON_NAMES = ("dockerd", "containerd")  # plus every containerd-shim*: they relay the attach stream
BOOTSTRAP = 400  # resamples for the 90 % intervals of per test and per sample


def judge_plan(program: str) -> Plan:
    """The plan the judge's strict checker makes for a stdin problem."""
    return Plan(code=PROGRAMS[program], preamble=TACO_PREAMBLE, input_file="input.txt", output_file="output.txt")


# ---------------------------------------------------------------- records and statistics


@dataclass
class SampleRun:
    """One sample (one ``session.run`` call, or one naive interpreter) as the host saw it."""

    wall_s: float  # host wall time around the whole call
    host_cpu_s: float  # CPU this benchmark process spent on the call
    tests: int  # tests that ran
    ok: int  # tests that printed the expected answer
    obs_times: list[float] = field(default_factory=list)  # host clock when each observation arrived, from the call
    clock_s: list[float] = field(default_factory=list)  # Observation.wall_s: the runner's clock per test
    cpu_s: list[float] = field(default_factory=list)  # Observation.cpu_s (naive: RUSAGE_CHILDREN delta)


@dataclass
class Variant:
    """One measured thing: a jail x a program x a sample size, or a naive baseline."""

    name: str
    jail: str  # docker, local, naive, naive-bare
    program: str
    size: int  # tests per sample
    own_cpu_s: float
    run: Callable[[list[tuple[str, str]]], SampleRun]
    cpu_probe: Callable[[], tuple[Any, float]] | None = None  # (identity of the runner, cumulative CPU)
    samples: list[SampleRun] = field(default_factory=list)
    loop_wall_s: float = 0.0
    host_cpu_s: float = 0.0
    jail_cpu_s: float = 0.0
    jail_cpu_samples: int = 0  # samples in blocks whose runner did not change (a recycled container)
    daemon_cpu_s: float = 0.0


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def derive(wall1: list[float], wallk: list[float], k: int, own: float) -> tuple[float, float]:
    """(per test, per sample) in seconds from the walls of 1-test and k-test samples."""
    per_test = (med(wallk) - med(wall1)) / (k - 1) - own
    return per_test, med(wall1) - own - per_test


def bootstrap(wall1: list[float], wallk: list[float], k: int, own: float) -> dict[str, tuple[float, float]]:
    """90 % intervals of per test and per sample: both sample lists resampled independently."""
    rng = random.Random(12345)
    tests, samples = [], []
    for _ in range(BOOTSTRAP):
        a = rng.choices(wall1, k=len(wall1))
        b = rng.choices(wallk, k=len(wallk))
        per_test, per_sample = derive(a, b, k, own)
        tests.append(per_test)
        samples.append(per_sample)
    return {"per_test": (percentile(tests, 5), percentile(tests, 95)),
            "per_sample": (percentile(samples, 5), percentile(samples, 95))}


def cpu_means(v: Variant) -> dict[str, float]:
    """Mean CPU per sample, ms: host (this process), jail (runner + its test children, or the fresh
    interpreter), daemons (dockerd, containerd, shims)."""
    n = len(v.samples)
    if not n:
        return {"host": float("nan"), "jail": float("nan"), "daemons": float("nan")}
    if v.cpu_probe is not None:
        jail = v.jail_cpu_s / v.jail_cpu_samples if v.jail_cpu_samples else float("nan")
    else:
        jail = sum(sum(s.cpu_s) for s in v.samples) / n
    return {"host": v.host_cpu_s / n * 1000, "jail": jail * 1000, "daemons": v.daemon_cpu_s / n * 1000}


def summarize_jail(one: Variant, many: Variant) -> dict[str, Any]:
    """Everything about one jail x program, in ms: per test, per sample, and where the time goes."""
    k = many.size
    own = one.own_cpu_s
    wall1 = [s.wall_s for s in one.samples]
    wallk = [s.wall_s for s in many.samples]
    per_test, per_sample = derive(wall1, wallk, k, own)
    ci = bootstrap(wall1, wallk, k, own)
    ms = 1000.0
    gaps = [s.obs_times[i] - s.obs_times[i - 1] for s in many.samples for i in range(1, len(s.obs_times))]
    firsts = [s.obs_times[0] for s in one.samples if s.obs_times]
    first_clock = [s.clock_s[0] for s in one.samples if s.clock_s]
    dones = [s.wall_s - s.obs_times[-1] for s in one.samples if s.obs_times]
    clocks = [c for s in many.samples for c in s.clock_s[1:]]  # tests that were forked ahead
    cpus = [c for s in many.samples for c in s.cpu_s]
    cpu1, cpuk = cpu_means(one), cpu_means(many)
    cpu_test = {key: (cpuk[key] - cpu1[key]) / (k - 1) for key in cpu1}
    cpu_sample = {key: cpu1[key] - cpu_test[key] for key in cpu1}
    for split in (cpu_test, cpu_sample):
        split["total"] = sum(split.values())
    return {
        "name": f"{one.jail}/{one.program}",
        "jail": one.jail,
        "program": one.program,
        "k": k,
        "samples_1": len(wall1),
        "samples_k": len(wallk),
        "failures": sum(s.tests - s.ok for s in one.samples + many.samples),
        "short_samples": sum(s.tests != many.size for s in many.samples) + sum(s.tests != 1 for s in one.samples),
        "own_cpu_ms": own * ms,
        "wall_1_median_ms": med(wall1) * ms,
        "wall_1_p90_ms": percentile(wall1, 90) * ms,
        "wall_k_median_ms": med(wallk) * ms,
        "wall_k_p90_ms": percentile(wallk, 90) * ms,
        "per_test_ms": per_test * ms,
        "per_test_ci90_ms": [x * ms for x in ci["per_test"]],
        "per_sample_ms": per_sample * ms,
        "per_sample_ci90_ms": [x * ms for x in ci["per_sample"]],
        "one_test_sample_ms": (med(wall1) - own) * ms,  # a 1-test sample's cost: per sample + per test
        "per_test_direct_ms": med([w / k - own for w in wallk]) * ms,  # wall(K)/K: per sample spread over K
        "gap_median_ms": med(gaps) * ms,  # observation i-1 -> observation i, inside K-test samples
        "first_obs_median_ms": med(firsts) * ms,  # run() called -> first observation (1-test samples)
        "before_first_ms": (med(firsts) - med(first_clock)) * ms,  # first observation minus its test's runner clock
        "done_median_ms": med(dones) * ms,  # last observation -> run() returned (the done message)
        "clock_median_ms": med(clocks) * ms,  # Observation.wall_s of tests 2..K (forked ahead)
        "clock_first_median_ms": med(first_clock) * ms,  # Observation.wall_s of a sample's first test
        "outside_clock_ms": (per_test + own) * ms - med(clocks) * ms,  # per test minus the runner's clock
        "rusage_cpu_median_ms": med(cpus) * ms,  # Observation.cpu_s
        "cpu_per_test_ms": cpu_test,
        "cpu_per_sample_ms": cpu_sample,
        "cpu_1_test_sample_ms": dict(cpu1, total=sum(cpu1.values())),
        "samples_per_s_1": len(wall1) / one.loop_wall_s if one.loop_wall_s else float("nan"),
        "raw_wall_1_ms": [round(x * ms, 3) for x in wall1],
        "raw_wall_k_ms": [round(x * ms, 3) for x in wallk],
    }


def summarize_naive(v: Variant) -> dict[str, Any]:
    """A naive baseline: every test is a fresh interpreter, so one test is one sample."""
    ms = 1000.0
    walls = [s.wall_s for s in v.samples]
    cost = [(w - v.own_cpu_s) * ms for w in walls]
    cpu = cpu_means(v)
    cpu["total"] = sum(cpu.values())
    return {
        "name": v.name,
        "jail": v.jail,
        "program": v.program,
        "samples_1": len(walls),
        "failures": sum(s.tests - s.ok for s in v.samples),
        "own_cpu_ms": v.own_cpu_s * ms,
        "wall_1_median_ms": med(walls) * ms,
        "wall_1_p90_ms": percentile(walls, 90) * ms,
        "per_test_ms": med(cost),  # python per test
        "one_test_sample_ms": med(cost),  # python per sample of one test: the same interpreter start
        "cost_p90_ms": percentile(cost, 90),
        "rusage_cpu_median_ms": med([sum(s.cpu_s) for s in v.samples]) * ms,
        "cpu_per_test_ms": cpu,
        "raw_wall_1_ms": [round(x * ms, 3) for x in walls],
    }


# ---------------------------------------------------------------- CPU accounting


def tree_cpu_s(pid: int) -> float:
    """CPU of a live process tree, including children it has reaped (the runner reaps its jobs and tests)."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            t = proc.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.Error:
            continue
    return total


def daemon_cpu_s() -> float:
    """Own CPU of the docker daemons and the containerd shims (they relay every attach byte)."""
    total = 0.0
    for proc in psutil.process_iter(["name"]):
        name = proc.info.get("name") or ""
        if name in DAEMON_NAMES or name.startswith("containerd-shim"):
            try:
                t = proc.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                continue
    return total


def own_cpu_s(program: str, runs: int = 300) -> float:
    """Median CPU of the program's own work: executed here after the preamble, stdin/stdout in memory."""
    namespace: dict[str, Any] = {}
    exec(TACO_PREAMBLE, namespace)
    code = compile(PROGRAMS[program], "<solution>", "exec")
    times = []
    saved = sys.stdin, sys.stdout
    try:
        for i in range(runs):
            scope = dict(namespace, __name__="__main__")
            sys.stdin, sys.stdout = io.StringIO(f"{i}\n"), io.StringIO()
            t0 = time.thread_time()
            exec(code, scope)
            times.append(time.thread_time() - t0)
    finally:
        sys.stdin, sys.stdout = saved
    return statistics.median(times)


# ---------------------------------------------------------------- the variants


class Inputs:
    """Distinct test inputs with their expected outputs, never repeated within a run."""

    def __init__(self) -> None:
        self.next = 0

    def take(self, count: int) -> list[tuple[str, str]]:
        out = []
        for _ in range(count):
            v = self.next * 7919 % 1_000_003
            self.next += 1
            out.append((f"{v}\n", f"{v + 1}\n"))
        return out


class JailRunner:
    """Runs samples through one warm runner session (docker or local), the judge's way."""

    def __init__(self, session: Any, program: str, limits: Limits) -> None:
        self.session = session
        self.plan = judge_plan(program)
        self.limits = limits

    def run(self, tests: list[tuple[str, str]]) -> SampleRun:
        expected = [want for _, want in tests]
        arrived: list[float] = []
        ok = [0]
        cpu0 = time.process_time()
        t0 = time.perf_counter()

        def decide(index: int, obs: Any) -> bool:
            arrived.append(time.perf_counter() - t0)
            good = obs.exit_code == 0 and obs.stdout.decode() == expected[index]
            ok[0] += good
            return good  # as the judge: a failing test stops the sample

        outcome = self.session.run(self.plan, [stdin for stdin, _ in tests], self.limits, early_stop=True,
                                   decide=decide)
        wall = time.perf_counter() - t0
        if outcome.compile_error:
            raise RuntimeError(f"the benchmark program did not compile: {outcome.compile_error}")
        return SampleRun(
            wall_s=wall,
            host_cpu_s=time.process_time() - cpu0,
            tests=len(outcome.observations),
            ok=ok[0],
            obs_times=arrived,
            clock_s=[o.wall_s for o in outcome.observations],
            cpu_s=[o.cpu_s for o in outcome.observations],
        )


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class NaiveRunner:
    """TACO's reference evaluator, per stdin test: a fresh interpreter on a temp file with the preamble."""

    def __init__(self, program: str, python: str, preamble: str = TACO_PREAMBLE) -> None:
        self.python = python
        self.dir = tempfile.TemporaryDirectory(prefix="taco-naive-")
        self.path = os.path.join(self.dir.name, "solution.py")
        self.source = (preamble + "\n" if preamble else "") + PROGRAMS[program]

    def run(self, tests: list[tuple[str, str]]) -> SampleRun:
        cpu0 = time.process_time()
        child0 = _children_cpu_s()
        t0 = time.perf_counter()
        ok = 0
        for stdin, expected in tests:
            with open(self.path, "w") as f:  # the reference evaluator writes the file per test too
                f.write(self.source)
            done = subprocess.run([self.python, self.path], input=stdin, capture_output=True, text=True, timeout=4,
                                  check=False)
            ok += done.returncode == 0 and done.stdout == expected
        wall = time.perf_counter() - t0
        return SampleRun(wall_s=wall, host_cpu_s=time.process_time() - cpu0, tests=len(tests), ok=ok,
                         cpu_s=[_children_cpu_s() - child0])

    def close(self) -> None:
        self.dir.cleanup()


# ---------------------------------------------------------------- docker set-up


@dataclass
class DockerInfo:
    available: bool
    reason: str = ""
    describe: str = ""
    container_start_s: list[float] = field(default_factory=list)  # open_session: create+attach+start+hello
    container_stop_s: list[float] = field(default_factory=list)  # session.close: docker rm -f
    hello: dict[str, Any] = field(default_factory=dict)
    recycle_after: int = 0


def open_docker(limits: Limits, starts: int, recycle_after: int | None) -> tuple[Any, DockerInfo]:
    """The docker backend the judge opens, with container start times measured, or (None, why not)."""
    try:
        from taco_judge.backends.docker import DockerBackend
        from taco_judge.sandbox_image import check_image, docker_client

        client = docker_client(timeout_s=30)
        status = check_image(client)
        if not status.current:
            return None, DockerInfo(False, status.message)
        options: dict[str, Any] = {"client": client, "preambles": (TACO_PREAMBLE,)}
        if recycle_after is not None:
            options["recycle_after"] = recycle_after
        backend = DockerBackend(limits, **options)
    except SandboxUnavailable as exc:
        return None, DockerInfo(False, str(exc))
    except Exception as exc:  # any engine trouble: skip docker, keep local + naive
        return None, DockerInfo(False, f"{type(exc).__name__}: {exc}")
    info = DockerInfo(True, describe=backend.describe(), recycle_after=backend.recycle_after)
    for _ in range(starts):  # container start cost, kept apart from the per-test numbers
        t0 = time.perf_counter()
        session = backend.open_session()
        info.container_start_s.append(time.perf_counter() - t0)
        info.hello = dict(session.hello)
        t0 = time.perf_counter()
        session.close()
        info.container_stop_s.append(time.perf_counter() - t0)
    return backend, info


def open_local_baseline(local_backend: Any, checkout: Path) -> Any:
    """A local session that runs ``checkout``'s runner (its runners/ dir) instead of this one."""
    from taco_judge.backends import local

    runners = checkout.resolve() / "runners"
    saved = local.jail_init_path, local.runner_path, local_backend.binds
    local.jail_init_path, local.runner_path = (lambda: runners / "jail_init.py"), (lambda: runners / "python_runner.py")
    local_backend.binds = sorted({*local_backend.binds, str(runners)})  # the jail shows only what is bound
    try:
        return local_backend.open_session()
    finally:
        local.jail_init_path, local.runner_path, local_backend.binds = saved


def open_docker_baseline(limits: Limits, recycle_after: int | None, version: str) -> tuple[Any, str]:
    """A docker backend on the image of the baseline runner (``version``: its hello's runner_version)."""
    try:
        from taco_judge.backends.docker import DockerBackend
        from taco_judge.sandbox_image import IMAGE_REPOSITORY, docker_client

        options: dict[str, Any] = {"client": docker_client(timeout_s=30), "preambles": (TACO_PREAMBLE,),
                                   "image": f"{IMAGE_REPOSITORY}:{version[:12]}"}
        if recycle_after is not None:
            options["recycle_after"] = recycle_after
        if not options["client"].images.list(name=options["image"]):
            return None, (f"no image {options['image']} for the baseline's runner (build one from its runners/ "
                          "with sandbox/Dockerfile and --build-arg RUNNER_SHA256=<its hash>)")
        backend = DockerBackend(limits, **options)
        backend.runner_sha256 = version  # the image's runner, not this checkout's
        return backend, ""
    except Exception as exc:  # no image for that runner, no engine: skip docker-base
        return None, f"{type(exc).__name__}: {exc}"


def docker_cpu_probe(backend: Any, session: Any) -> Callable[[], tuple[Any, float]]:
    """Cumulative CPU of the session's current container: its runner (pid 1 seen from the host) and
    everything it reaped. The container changes when the session recycles it: the id says so."""
    pids: dict[str, int] = {}

    def probe() -> tuple[Any, float]:
        cid = session.container_id
        if cid is None:
            return None, 0.0
        if cid not in pids:
            pids[cid] = backend.client.api.inspect_container(cid)["State"]["Pid"]
        return cid, tree_cpu_s(pids[cid])

    return probe


def local_cpu_probe(session: Any) -> Callable[[], tuple[Any, float]]:
    """Cumulative CPU of the local runner (under unshare) and everything it reaped."""
    pid = session.proc.pid
    return lambda: (pid, tree_cpu_s(pid))


# ---------------------------------------------------------------- the run


def run_interleaved(variants: list[Variant], counts: dict[str, int], blocks: int, warmup: int,
                    inputs: Inputs, progress: Callable[[str], None]) -> None:
    """Runs every variant in ``blocks`` rounds (A B C A B C ...), so load drifts hit each alike."""
    for v in variants:  # warm-up: page cache, first fork, lazy imports; not counted
        for _ in range(warmup if not v.jail.startswith("naive") else 1):
            v.run(inputs.take(v.size))
    done = {v.name: 0 for v in variants}
    for block in range(blocks):
        for v in variants:
            end = counts[v.name] * (block + 1) // blocks
            n = end - done[v.name]
            batch = [inputs.take(v.size) for _ in range(n)]
            ident0, jail0 = v.cpu_probe() if v.cpu_probe else (None, 0.0)
            daemons0 = daemon_cpu_s()
            host0 = time.process_time()
            t0 = time.perf_counter()
            for tests in batch:
                v.samples.append(v.run(tests))
            v.loop_wall_s += time.perf_counter() - t0
            v.host_cpu_s += time.process_time() - host0
            v.daemon_cpu_s += daemon_cpu_s() - daemons0
            if v.cpu_probe:
                ident1, jail1 = v.cpu_probe()
                if ident1 == ident0 and ident0 is not None:  # a recycled container's CPU is not comparable
                    v.jail_cpu_s += jail1 - jail0
                    v.jail_cpu_samples += n
            done[v.name] = end
        progress(f"block {block + 1}/{blocks} done, load {os.getloadavg()[0]:.2f}")


# ---------------------------------------------------------------- the report


def fmt(value: float, digits: int = 2) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


def render(report: dict[str, Any]) -> str:
    """The plain text report."""
    env = report["environment"]
    k = env["k"]
    lines = [
        "taco-judge per-test / per-sample overhead benchmark",
        f"  command: {report['command']}",
        f"  host python {env['python']} | {env['cpus']} CPUs | {env['platform']}",
        f"  load average (1/5/15 min): start {env['load_start']}  end {env['load_end']}  (run {env['run_s']} s)",
        f"  limits: {env['limits']}; plan: stdin, TACO preamble (kept warm), input.txt/output.txt; early stop on",
        f"  local jail: {env['local']}; python {env['local_python']} (numpy {env['numpy']})",
    ]
    docker = report["docker"]
    if docker["available"]:
        starts = docker["container_start_ms"]
        lines.append(f"  docker: {docker['describe']}")
        lines.append(
            f"  docker container start (open_session = create+attach+start+hello): median {fmt(med(starts), 0)} ms"
            f" over {len(starts)} ({', '.join(fmt(x, 0) for x in starts)}); removal "
            f"{', '.join(fmt(x, 0) for x in docker['container_stop_ms'])} ms; recycled after "
            f"{docker['recycle_after']} runs: {docker['containers_started']} containers started during the measurement"
        )
        hello = docker["hello"]
        lines.append(f"  docker runner: python {hello.get('python')}, numpy {hello.get('numpy')}, "
                     f"cpu accounting {hello.get('cpu_accounting')}")
    else:
        lines.append(f"  docker: SKIPPED ({docker['reason']})")
    lines.append(f"  warm-up samples per variant (not counted): {env['warmup']}; interleaved blocks: {env['blocks']}")
    lines.append("")
    lines.append(f"cost per sample and per test, ms (cost = host wall - the program's own CPU; K = {k}; per test =")
    lines.append("(med wall(K) - med wall(1)) / (K-1) - own; per sample = med wall(1) - own - per test; [90% bootstrap])")
    header = (f"{'variant':<20}{'n1':>5}{'nK':>5}{'fail':>5}{'wall(1)':>9}{'wall(K)':>9}"
              f"{'per test':>10}{'[90%]':>16}{'per sample':>12}{'[90%]':>16}{'wall(K)/K':>10}")
    lines += [header, "-" * len(header)]
    for row in report["jails"]:
        lo, hi = row["per_test_ci90_ms"]
        slo, shi = row["per_sample_ci90_ms"]
        lines.append(
            f"{row['name']:<20}{row['samples_1']:>5}{row['samples_k']:>5}{row['failures']:>5}"
            f"{fmt(row['wall_1_median_ms']):>9}{fmt(row['wall_k_median_ms']):>9}{fmt(row['per_test_ms']):>10}"
            f"{'[' + fmt(lo) + ', ' + fmt(hi) + ']':>16}{fmt(row['per_sample_ms']):>12}"
            f"{'[' + fmt(slo) + ', ' + fmt(shi) + ']':>16}{fmt(row['per_test_direct_ms']):>10}"
        )
    for row in report["naive"]:
        lines.append(
            f"{row['name']:<20}{row['samples_1']:>5}{'-':>5}{row['failures']:>5}{fmt(row['wall_1_median_ms']):>9}"
            f"{'-':>9}{fmt(row['per_test_ms']):>10}{'python/test':>16}{fmt(row['one_test_sample_ms']):>12}"
            f"{'python/sample':>16}{'-':>10}"
        )
    lines.append("")
    lines.append("where the time goes, ms (medians): first = run() -> first observation of a 1-test sample; before =")
    lines.append("first - that test's runner clock; done = last observation -> run() returned; gap = observation i-1 -> i")
    lines.append("in K-test samples; clock = Observation.wall_s of tests 2..K (forked ahead); outside = per test - clock;")
    lines.append("ru cpu = Observation.cpu_s")
    header = (f"{'variant':<20}{'1-test smp':>11}{'first':>8}{'before':>8}{'done':>7}{'gap':>7}{'clock':>7}"
              f"{'clock#1':>8}{'outside':>8}{'ru cpu':>8}")
    lines += [header, "-" * len(header)]
    for row in report["jails"]:
        lines.append(
            f"{row['name']:<20}{fmt(row['one_test_sample_ms']):>11}{fmt(row['first_obs_median_ms']):>8}"
            f"{fmt(row['before_first_ms']):>8}{fmt(row['done_median_ms']):>7}{fmt(row['gap_median_ms']):>7}"
            f"{fmt(row['clock_median_ms']):>7}{fmt(row['clock_first_median_ms']):>8}"
            f"{fmt(row['outside_clock_ms']):>8}{fmt(row['rusage_cpu_median_ms']):>8}"
        )
    lines.append("")
    lines.append("CPU, ms (means; per test and per sample derived as the walls are): host = this process; jail = runner +")
    lines.append("its jobs and tests (naive: the fresh interpreter); daemons = dockerd + containerd + shims (all of them)")
    for row in report["jails"]:
        t, s = row["cpu_per_test_ms"], row["cpu_per_sample_ms"]
        lines.append(
            f"  {row['name']:<20} per test: host {fmt(t['host']):>5} jail {fmt(t['jail']):>5} daemons "
            f"{fmt(t['daemons']):>5} = {fmt(t['total']):>5} | per sample: host {fmt(s['host']):>5} jail "
            f"{fmt(s['jail']):>5} daemons {fmt(s['daemons']):>5} = {fmt(s['total']):>5}"
        )
    for row in report["naive"]:
        t = row["cpu_per_test_ms"]
        lines.append(
            f"  {row['name']:<20} per test: host {fmt(t['host']):>5} jail {fmt(t['jail']):>5} daemons "
            f"{fmt(t['daemons']):>5} = {fmt(t['total']):>5}"
        )
    if report["ratios"]:
        lines.append("")
        lines.append("ratios naive / jail (cost): per test; a 1-test sample")
        for r in report["ratios"]:
            lines.append(f"  {r['name']:<36} per test {fmt(r['per_test'], 1):>6}x   1-test sample "
                         f"{fmt(r['one_test_sample'], 1):>6}x")
    lines.append("")
    lines.append("goals (medians): per-sample overhead <= 5 ms (target 3), per test <= 4 ms (target 3), docker and local")
    for goal in report["goals"]:
        lines.append(f"  [{goal['status']}] {goal['goal']}: {goal['detail']}")
    for note in report["notes"]:
        lines.append(f"  note: {note}")
    return "\n".join(lines)


def _ratio(num: float, den: float) -> float:
    """num / den, or NaN when either is not positive."""
    return num / den if num > 0 and den > 0 else float("nan")


def evaluate_goals(jails: dict[str, dict[str, Any]], docker_info: DockerInfo) -> list[dict[str, str]]:
    goals = []
    programs = sorted({row["program"] for row in jails.values()}, key=list(PROGRAMS).index)
    for jail in ("docker", "local"):
        for program in programs or ["trivial"]:
            row = jails.get(f"{jail}/{program}")
            if row is None:
                goals.append({"goal": f"{jail}/{program}", "status": "SKIP", "detail": docker_info.reason})
                continue
            for key, what in (("per_sample", "per-sample overhead"), ("per_test", "per test")):
                goal, target = GOALS[key]
                value = row[f"{key}_ms"]
                lo, hi = row[f"{key}_ci90_ms"]
                goals.append({
                    "goal": f"{jail}/{program}: {what} <= {goal:g} ms",
                    "status": "MET" if value <= goal else "MISSED",
                    "detail": f"{value:.2f} ms [90% {lo:.2f}, {hi:.2f}]; target {target:g} ms "
                              f"{'met' if value <= target else 'missed'}",
                })
    return goals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=150,
                        help="samples of each size (1 test, K tests) per jail and program (default 150)")
    parser.add_argument("--k", type=int, default=9, help="tests in the long samples (default 9)")
    parser.add_argument("--naive-samples", type=int, default=40,
                        help="1-test samples per naive variant (default 40: each starts an interpreter, ~0.2 s)")
    parser.add_argument("--blocks", type=int, default=15, help="interleaving rounds (default 15)")
    parser.add_argument("--warmup", type=int, default=5, help="uncounted warm-up samples per jail variant (default 5)")
    parser.add_argument("--container-starts", type=int, default=3, help="container starts to time (default 3)")
    parser.add_argument("--recycle-after", type=int, default=None,
                        help="docker: replace a session's container after N runs (default: the judge's, 200)")
    parser.add_argument("--no-docker", action="store_true", help="skip the docker jail")
    parser.add_argument("--no-numpy", action="store_true", help="skip the numpy-using solution")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another checkout (e.g. `git archive REV | tar -x -C DIR`) whose runners/ run as the "
                             "extra jails local-base and docker-base, interleaved with this one (docker-base needs "
                             "the image of that runner)")
    parser.add_argument("--python", default=None,
                        help="interpreter for the local jail and the naive baseline (needs numpy; default: the "
                             "one the judge picks, $TACO_JUDGE_LOCAL_PYTHON, else /usr/bin/python3 with numpy, "
                             "else this one)")
    args = parser.parse_args(argv)
    if args.k < 2:
        parser.error("--k must be at least 2")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    def progress(message: str) -> None:
        print(f"[overhead] {message}", file=sys.stderr, flush=True)

    python = choose_interpreter(args.python)
    numpy_version = subprocess.run(
        [python, "-c", "import numpy; print(numpy.__version__)"], capture_output=True, text=True, check=False
    ).stdout.strip() or "MISSING"
    if numpy_version == "MISSING":
        progress(f"warning: {python} has no numpy; the naive baseline's preamble import fails")
    limits = Limits()
    load_start = os.getloadavg()
    progress(f"load average at start: {' '.join(f'{x:.2f}' for x in load_start)}")
    programs = ["trivial"] if args.no_numpy else ["trivial", "numpy"]
    own = {program: own_cpu_s(program) for program in programs}

    backend = base_backend = None
    if args.no_docker:
        docker_info = DockerInfo(False, "--no-docker")
    else:
        progress("timing docker container starts ...")
        backend, docker_info = open_docker(limits, max(1, args.container_starts), args.recycle_after)
        if not docker_info.available:
            progress(f"docker SKIPPED: {docker_info.reason}")
    local_backend = LocalBackend(python=python, preambles=(TACO_PREAMBLE,))

    variants: list[Variant] = []
    counts: dict[str, int] = {}
    closers: list[Callable[[], None]] = []
    sessions: list[Any] = []
    docker_sessions: list[Any] = []
    run_s = 0.0
    try:
        for program in programs:
            # One runner per jail and program, as one judge worker holds one session; both sample
            # sizes go through it.
            jails = []
            if backend is not None:
                session = backend.open_session()
                sessions.append(session)
                docker_sessions.append(session)
                jails.append(("docker", session, docker_cpu_probe(backend, session)))
            session = local_backend.open_session()
            sessions.append(session)
            jails.append(("local", session, local_cpu_probe(session)))
            if args.baseline is not None:
                session = open_local_baseline(local_backend, args.baseline)
                sessions.append(session)
                jails.append(("local-base", session, local_cpu_probe(session)))
                if backend is not None:
                    if base_backend is None:
                        base_backend, base_docker_reason = open_docker_baseline(limits, args.recycle_after,
                                                                                session.hello["runner_version"])
                        if base_backend is None:
                            progress(f"docker-base SKIPPED: {base_docker_reason}")
                    if base_backend is not None:
                        session = base_backend.open_session()
                        sessions.append(session)
                        docker_sessions.append(session)
                        jails.append(("docker-base", session, docker_cpu_probe(base_backend, session)))
            for jail, session, probe in jails:
                runner = JailRunner(session, program, limits)
                for size in (1, args.k):
                    v = Variant(f"{jail}/{program}/{size}", jail, program, size, own[program], runner.run,
                                cpu_probe=probe)
                    variants.append(v)
                    counts[v.name] = args.samples
            naive = NaiveRunner(program, python)
            v = Variant(f"naive/{program}", "naive", program, 1, own[program], naive.run)
            variants.append(v)
            counts[v.name] = args.naive_samples
            closers.append(naive.close)
        # Informational: the naive baseline without the preamble (no numpy import): what the ratio rests on.
        bare = NaiveRunner("trivial", python, preamble="")
        v = Variant("naive-bare/trivial", "naive-bare", "trivial", 1, own["trivial"], bare.run)
        variants.append(v)
        counts[v.name] = max(1, args.naive_samples // 2)
        closers.append(bare.close)
        started_before = sum(s.containers_started for s in docker_sessions)

        progress("running " + ", ".join(f"{v.name} x{counts[v.name]}" for v in variants)
                 + f" in {args.blocks} interleaved blocks ...")
        t_run = time.perf_counter()
        run_interleaved(variants, counts, args.blocks, args.warmup, Inputs(), progress)
        run_s = time.perf_counter() - t_run
        containers_started = sum(s.containers_started for s in docker_sessions) - started_before
    finally:
        for close in closers:
            try:
                close()
            except Exception as exc:  # a benchmark must still print what it measured
                progress(f"clean-up: {exc}")
        for session in sessions:
            session.close()
        for opened in (backend, base_backend):
            if opened is not None:
                opened.close()
    load_end = os.getloadavg()

    by_name = {v.name: v for v in variants}
    jails = {}
    for program in programs:
        for jail in ("docker", "local", "docker-base", "local-base"):
            one, many = by_name.get(f"{jail}/{program}/1"), by_name.get(f"{jail}/{program}/{args.k}")
            if one is not None and many is not None:
                jails[f"{jail}/{program}"] = summarize_jail(one, many)
    naive = {v.name: summarize_naive(v) for v in variants if v.jail.startswith("naive")}
    ratios = []
    for program in programs:
        for jail in ("docker", "local"):
            row, base = jails.get(f"{jail}/{program}"), naive.get(f"naive/{program}")
            if row and base:
                ratios.append({"name": f"naive/{program} vs {jail}/{program}",
                               "per_test": _ratio(base["per_test_ms"], row["per_test_ms"]),
                               "one_test_sample": _ratio(base["one_test_sample_ms"], row["one_test_sample_ms"])})
    notes = []
    failures = sum(r["failures"] for r in [*jails.values(), *naive.values()])
    if failures:
        notes.append(f"{failures} test(s) did not print the expected answer: the numbers above are suspect")
    short = sum(r["short_samples"] for r in jails.values())
    if short:
        notes.append(f"{short} sample(s) ran fewer tests than asked (early stop on a failure)")
    if load_start[0] > 1.0:
        notes.append(f"the machine was not idle at the start (1-min load {load_start[0]:.2f}); the benchmark "
                     "itself keeps it at about 1.5")
    if max(load_start[0], load_end[0]) > (os.cpu_count() or 1):
        notes.append("1-min load above the CPU count: other work inflates the absolute times (and the per-sample "
                     "part most, since it is a difference of medians); ratios and the interleaved comparison are fairer")
    if docker_info.available:
        notes.append("daemons CPU counts every dockerd/containerd/shim on the machine: other docker users show up in it")

    report = {
        "command": " ".join([os.path.basename(sys.executable), *sys.argv]),
        "environment": {
            "python": platform.python_version(),
            "local_python": python,
            "numpy": numpy_version,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_start": [round(x, 2) for x in load_start],
            "load_end": [round(x, 2) for x in load_end],
            "limits": limits.to_json(),
            "local": local_backend.describe(),
            "k": args.k,
            "samples": args.samples,
            "naive_samples": args.naive_samples,
            "warmup": args.warmup,
            "blocks": args.blocks,
            "run_s": round(run_s, 1),
        },
        "docker": {
            "available": docker_info.available,
            "reason": docker_info.reason,
            "describe": docker_info.describe,
            "container_start_ms": [x * 1000 for x in docker_info.container_start_s],
            "container_stop_ms": [x * 1000 for x in docker_info.container_stop_s],
            "hello": docker_info.hello,
            "recycle_after": docker_info.recycle_after,
            "containers_started": containers_started if docker_info.available else 0,
        },
        "jails": list(jails.values()),
        "naive": list(naive.values()),
        "ratios": ratios,
        "goals": evaluate_goals(jails, docker_info),
        "notes": notes,
    }
    print(render(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        progress(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
