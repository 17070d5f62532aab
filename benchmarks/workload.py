#!/usr/bin/env python3
"""The real workload: judge TACO's published programs on the development problems, by the CLI.

Run by hand, never from the test suite::

    python3 benchmarks/workload.py [--repeat 1] [--overhead-json OVH.json] [--json OUT]

It runs ``taco-judge judge --problems ... --generations ... --out TMP --sandbox docker --jobs 2
--skip-invalid --quiet`` as a subprocess (``--repeat`` times; the table shows the median) and
compares the judge's wall time with the programs' own CPU time, summed from the run's
``results.jsonl`` (every test's ``cpu_s``) and divided by the jobs: the issue's goal is a judge
wall within 1.3x of that. The rest is broken down into per test, per sample (from
benchmarks/overhead.py's JSON when given, else charged wholly to one or the other) and the fixed
cost of a run (a 1-sample run of the same command, timed in the same rounds). The load average
is printed at the start and the end (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "taco"
DEFAULT_PROBLEMS = DATA / "test_examples_dev.jsonl"
DEFAULT_GENERATIONS = DATA / "taco_generation_example.json"
GOAL_RATIO = 1.3  # the issue's goal: judge wall <= 1.3 x (programs' CPU / jobs)
DAEMON_NAMES = ("dockerd", "containerd")


def judge_command(args: argparse.Namespace, out: Path, task_ids: str | None = None) -> list[str]:
    exe = ROOT / ".venv" / "bin" / "taco-judge"
    base = [str(exe)] if exe.exists() else [sys.executable, "-m", "taco_judge.cli"]
    cmd = [*base, "judge", "--problems", str(args.problems), "--generations", str(args.generations),
           "--out", str(out), "--sandbox", args.sandbox, "--jobs", str(args.jobs), "--skip-invalid", "--quiet"]
    if task_ids is not None:
        cmd += ["--task-ids", task_ids]
    return cmd + list(args.judge_arg or [])


def daemon_cpu_s() -> float:
    """Own CPU of the docker daemons and the containerd shims (psutil; 0 without it)."""
    try:
        import psutil
    except ImportError:
        return 0.0
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


def containers_cpu_s() -> float:
    """CPU seconds of every docker container, removed ones included: the docker parent cgroup's
    counter (cgroup v1 cpuacct, or v2 with the cgroupfs driver); NaN when there is none."""
    for path, scale in (("/sys/fs/cgroup/cpuacct/docker/cpuacct.usage", 1e-9),
                        ("/sys/fs/cgroup/cpu,cpuacct/docker/cpuacct.usage", 1e-9)):
        try:
            return int(Path(path).read_text()) * scale
        except (OSError, ValueError):
            continue
    for path in ("/sys/fs/cgroup/docker/cpu.stat", "/sys/fs/cgroup/system.slice/cpu.stat"):
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith("usage_usec "):
                    return int(line.split()[1]) * 1e-6
        except (OSError, ValueError):
            continue
    return float("nan")


def machine_busy_s() -> float:
    """CPU seconds the whole machine has been busy (every process, all cores)."""
    try:
        import psutil
    except ImportError:
        return float("nan")
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0) + getattr(t, "steal", 0.0)


class LoadSampler:
    """The 1-minute load average every few seconds while a run goes on."""

    def __init__(self, every_s: float = 5.0) -> None:
        self.every_s = every_s
        self.values: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.wait(self.every_s):
            self.values.append(os.getloadavg()[0])

    def __enter__(self) -> "LoadSampler":
        self.values.append(os.getloadavg()[0])
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.values.append(os.getloadavg()[0])


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_judge(cmd: list[str]) -> dict[str, Any]:
    """One CLI run: its wall time, its own CPU (with the processes it reaped: the local jail's
    runners, not docker's containers), the daemons' and the machine's CPU meanwhile, the load."""
    out = Path(cmd[cmd.index("--out") + 1])
    cpu0, daemons0, busy0, boxes0 = children_cpu_s(), daemon_cpu_s(), machine_busy_s(), containers_cpu_s()
    with LoadSampler() as load:
        t0 = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"workload: the judge failed (exit {done.returncode}): {' '.join(cmd)}\n{done.stderr[-3000:]}")
    run = {
        "wall_s": wall,
        "judge_cpu_s": children_cpu_s() - cpu0,
        "daemons_cpu_s": daemon_cpu_s() - daemons0,
        "machine_busy_s": machine_busy_s() - busy0,
        "containers_cpu_s": containers_cpu_s() - boxes0,
        "load_mean": statistics.fmean(load.values),
        "load_max": max(load.values),
    }
    metrics = json.loads((out / "metrics.json").read_text())
    run["run_clock_s"] = float(metrics.get("run", {}).get("wall_s", float("nan")))  # the CLI's own clock
    run.update(read_results(out / "results.jsonl"))
    known = run["judge_cpu_s"] + run["daemons_cpu_s"] + (0.0 if math.isnan(run["containers_cpu_s"]) else
                                                         run["containers_cpu_s"])
    run["other_cpu_s"] = run["machine_busy_s"] - known  # other users' work, the kernel, processes we cannot see
    return run


def read_results(path: Path) -> dict[str, Any]:
    """Counts and the programs' own time from a run's results.jsonl."""
    samples = tests = 0
    cpu = clock = 0.0
    longest = 0.0
    verdicts: Counter[str] = Counter()
    sizes: Counter[int] = Counter()
    for line in path.read_text().splitlines():
        row = json.loads(line)
        samples += 1
        verdicts[row["verdict"]] += 1
        sizes[len(row["tests"])] += 1
        tests += len(row["tests"])
        cpu += sum(t.get("cpu_s", 0.0) for t in row["tests"])
        sample_clock = sum(t.get("wall_s", 0.0) for t in row["tests"])
        clock += sample_clock
        longest = max(longest, sample_clock)
    return {"samples": samples, "tests": tests, "program_cpu_s": cpu, "program_clock_s": clock,
            "longest_sample_clock_s": longest, "verdicts": dict(verdicts.most_common()),
            "tests_per_sample": {str(k): v for k, v in sorted(sizes.items())}}


def first_task_id(problems: Path, generations: Path) -> str | None:
    """The smallest task id that has both a problem and a program (for the 1-sample fixed-cost run)."""
    try:
        problem_ids = {str(json.loads(line)["task_id"]) for line in problems.read_text().splitlines() if line.strip()}
        generation_ids = {str(entry["task_id"]) for entry in json.loads(generations.read_text())}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    common = problem_ids & generation_ids
    return min(common, key=lambda x: (len(x), x)) if common else None


def overhead_costs(path: Path | None, sandbox: str) -> dict[str, Any] | None:
    """Per test and per sample (ms) for this jail's trivial program, from overhead.py --json."""
    if path is None:
        return None
    try:
        report = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise SystemExit(f"workload: --overhead-json {path}: {exc.strerror if isinstance(exc, OSError) else exc} "
                         "(give the file overhead.py --json wrote)")
    if not isinstance(report, dict):
        raise SystemExit(f"workload: --overhead-json {path}: not an overhead.py --json output")
    for row in report.get("jails", []):
        if row.get("name") == f"{sandbox}/trivial":
            return {"per_test_ms": row["per_test_ms"], "per_sample_ms": row["per_sample_ms"], "source": str(path),
                    "load": [report["environment"]["load_start"][0], report["environment"]["load_end"][0]]}
    raise SystemExit(f"workload: {path} has no {sandbox}/trivial row (was overhead.py run with --no-docker?)")


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def fmt(value: float, digits: int = 2) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


def breakdown(run: dict[str, Any], jobs: int, fixed_s: float, costs: dict[str, Any] | None) -> list[tuple[str, float, str]]:
    """Rows (what, seconds of judge wall, how) that add up to the median run's wall."""
    wall = run["wall_s"]
    programs = run["program_cpu_s"] / jobs
    rows = [("programs' own CPU / jobs", programs, f"sum of cpu_s over {run['tests']} tests / {jobs}")]
    explained = programs
    if not math.isnan(fixed_s):
        rows.append(("fixed cost of a run", fixed_s, "wall of a 1-sample run of the same command"))
        explained += fixed_s
    if costs is not None:
        per_test = run["tests"] * costs["per_test_ms"] / 1000 / jobs
        per_sample = run["samples"] * costs["per_sample_ms"] / 1000 / jobs
        rows.append(("per test", per_test, f"{run['tests']} tests x {costs['per_test_ms']:.2f} ms / {jobs}"))
        rows.append(("per sample", per_sample, f"{run['samples']} samples x {costs['per_sample_ms']:.2f} ms / {jobs}"))
        explained += per_test + per_sample
        rows.append(("rest", wall - explained, "contention, programs' wall beyond their CPU, the last samples' tail"))
    else:
        rows.append(("judge overhead (all but programs and fixed)", wall - explained, "see the per-test/per-sample "
                     "estimates below"))
    return rows


def render(report: dict[str, Any]) -> str:
    env = report["environment"]
    runs = report["runs"]
    jobs = env["jobs"]
    m = report["median"]
    lines = [
        "taco-judge real workload: judge wall vs the programs' own CPU",
        f"  command: {' '.join(report['judge_command'])}",
        f"  host python {env['python']} | {env['cpus']} CPUs | {env['platform']}",
        f"  load average (1/5/15 min): start {env['load_start']}  end {env['load_end']}",
        f"  {m['samples']} samples, {m['tests']} tests run (early stop), verdicts {m['verdicts']}",
        f"  tests per sample: {m['tests_per_sample']}",
        "",
        f"{'round':<8}{'wall s':>8}{'run clk':>9}{'prog cpu':>10}{'cpu/jobs':>10}{'ratio':>8}{'prog clk':>10}"
        f"{'judge cpu':>10}{'boxes':>8}{'daemons':>9}{'other':>8}{'busy':>8}{'load':>11}{'fixed s':>9}",
    ]
    lines.append("-" * len(lines[-1]))
    for i, run in enumerate(runs, 1):
        lines.append(
            f"{i:<8}{fmt(run['wall_s']):>8}{fmt(run['run_clock_s']):>9}{fmt(run['program_cpu_s']):>10}"
            f"{fmt(run['program_cpu_s'] / jobs):>10}{fmt(run['ratio']):>7}x{fmt(run['program_clock_s']):>10}"
            f"{fmt(run['judge_cpu_s']):>10}{fmt(run['containers_cpu_s'], 1):>8}{fmt(run['daemons_cpu_s']):>9}"
            f"{fmt(run['other_cpu_s'], 1):>8}{fmt(run['machine_busy_s'], 1):>8}"
            f"{fmt(run['load_mean']) + '/' + fmt(run['load_max'], 1):>11}{fmt(run.get('fixed_wall_s', float('nan'))):>9}"
        )
    if len(runs) > 1:
        lines.append(f"{'median':<8}{fmt(m['wall_s']):>8}{'':>9}{fmt(m['program_cpu_s']):>10}"
                     f"{fmt(m['program_cpu_s'] / jobs):>10}{fmt(m['ratio']):>7}x")
    lines.append("")
    status = "MET" if m["ratio"] <= GOAL_RATIO else "MISSED"
    lines.append(f"goal: judge wall <= {GOAL_RATIO:g} x (programs' CPU / jobs): [{status}] {m['ratio']:.2f}x "
                 f"({m['wall_s']:.2f} s vs {m['program_cpu_s'] / jobs:.2f} s)")
    lines.append("")
    lines.append("breakdown of the median run's wall, s (per job: the jobs run side by side):")
    for what, seconds, how in report["breakdown"]:
        lines.append(f"  {what:<44}{seconds:>8.2f}  {100 * seconds / m['wall_s']:5.1f} %   {how}")
    costs = report["overhead_costs"]
    if costs is not None:
        lines.append(f"  (per test and per sample from {costs['source']}, measured at load {costs['load'][0]:.2f} to "
                     f"{costs['load'][1]:.2f})")
        ideal = m["program_cpu_s"] / jobs
        predicted = ideal + (m["tests"] * costs["per_test_ms"] + m["samples"] * costs["per_sample_ms"]) / 1000 / jobs
        lines.append(f"  programs + per test + per sample alone would give {predicted / ideal:.2f}x")
    est = report["estimates"]
    lines.append(f"  from this run alone: the judge's overhead (wall - programs/jobs - fixed) is "
                 f"{est['overhead_s']:.2f} s = {est['per_test_ms']:.2f} ms per test if charged wholly to tests, or "
                 f"{est['per_sample_ms']:.2f} ms per sample if charged wholly to samples")
    lines.append(f"  programs' runner clock (sum of wall_s) / jobs: {m['program_clock_s'] / jobs:.2f} s; its excess "
                 f"over their CPU: {(m['program_clock_s'] - m['program_cpu_s']) / jobs:.2f} s; longest sample "
                 f"{m['longest_sample_clock_s']:.2f} s")
    boxes = m["containers_cpu_s"]
    lines.append("")
    lines.append(f"machine CPU during the median run, s (all cores; {m['machine_busy_s'] / m['wall_s']:.2f} cores busy "
                 f"on average of {env['cpus']}):")
    parts = [("programs (sum of cpu_s)", m["program_cpu_s"])]
    if env["sandbox"] == "local":  # the runners are the judge's children: their CPU is in judge_cpu_s
        parts.append(("the judge and its runners, beyond the programs", m["judge_cpu_s"] - m["program_cpu_s"]))
        if not math.isnan(boxes):
            parts.append(("docker containers (other users')", boxes))
    else:
        if not math.isnan(boxes):
            parts.append(("containers beyond the programs (runners, container starts)", boxes - m["program_cpu_s"]))
        parts.append(("the judge process (and the processes it reaped)", m["judge_cpu_s"]))
    parts += [("dockerd, containerd, shims", m["daemons_cpu_s"]),
              ("everything else (other users, kernel)", m["other_cpu_s"])]
    for what, seconds in parts:
        lines.append(f"  {what:<60}{seconds:>8.2f}  {100 * seconds / m['machine_busy_s']:5.1f} %")
    for note in report["notes"]:
        lines.append(f"  note: {note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--problems", type=Path, default=DEFAULT_PROBLEMS, help=f"default: {DEFAULT_PROBLEMS}")
    parser.add_argument("--generations", type=Path, default=DEFAULT_GENERATIONS, help=f"default: {DEFAULT_GENERATIONS}")
    parser.add_argument("--sandbox", default="docker", choices=("docker", "local"), help="jail (default docker)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the judge (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the table shows the median (default 3)")
    parser.add_argument("--overhead-json", type=Path, help="overhead.py --json output: per test and per sample from it")
    parser.add_argument("--no-fixed", action="store_true", help="do not time the 1-sample run (the fixed cost)")
    parser.add_argument("--keep", type=Path, help="keep each round's run folder under this dir (default: deleted)")
    parser.add_argument("--judge-arg", action="append", help="one more argument for taco-judge judge (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    args.problems = args.problems if args.problems.is_absolute() else (Path.cwd() / args.problems)
    args.generations = args.generations if args.generations.is_absolute() else (Path.cwd() / args.generations)

    def progress(message: str) -> None:
        print(f"[workload] {message}", file=sys.stderr, flush=True)

    missing = [str(p) for p in (args.problems, args.generations) if not p.exists()]
    if missing:
        print(f"workload: SKIPPED (not found: {', '.join(missing)}; the TACO development data lives in "
              f"{DATA})")
        return 0
    costs = overhead_costs(args.overhead_json, args.sandbox)
    load_start = os.getloadavg()
    progress(f"load average at start: {' '.join(f'{x:.2f}' for x in load_start)}")
    fixed_task = None if args.no_fixed else first_task_id(args.problems, args.generations)
    if not args.no_fixed and fixed_task is None:
        progress("no task id common to problems and generations: fixed cost not timed")

    work = Path(tempfile.mkdtemp(prefix="taco-workload-"))
    runs = []
    try:
        for i in range(args.repeat):
            fixed = float("nan")
            if fixed_task is not None:  # the fixed cost first, in the same round: the same load
                out = work / f"fixed-{i}"
                fixed = run_judge(judge_command(args, out, fixed_task))["wall_s"]
                progress(f"round {i + 1}: 1-sample run (task {fixed_task}) {fixed:.2f} s")
            out = work / f"run-{i}"
            cmd = judge_command(args, out)
            progress(f"round {i + 1}/{args.repeat}: {' '.join(cmd)}")
            run = run_judge(cmd)
            run["fixed_wall_s"] = fixed
            run["ratio"] = run["wall_s"] / (run["program_cpu_s"] / args.jobs)
            runs.append(run)
            progress(f"round {i + 1}: wall {run['wall_s']:.2f} s, programs' CPU {run['program_cpu_s']:.2f} s, "
                     f"ratio {run['ratio']:.2f}x, load {run['load_mean']:.2f} (max {run['load_max']:.1f})")
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copytree(out, args.keep / out.name, dirs_exist_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load_end = os.getloadavg()

    ordered = sorted(runs, key=lambda r: r["wall_s"])
    median_run = dict(ordered[(len(ordered) - 1) // 2])  # a real run (the lower median for an even count)
    median_run["wall_s"] = med([r["wall_s"] for r in runs])
    median_run["program_cpu_s"] = med([r["program_cpu_s"] for r in runs])
    median_run["ratio"] = med([r["ratio"] for r in runs])
    fixed_s = med([r["fixed_wall_s"] for r in runs if not math.isnan(r["fixed_wall_s"])])
    overhead_s = median_run["wall_s"] - median_run["program_cpu_s"] / args.jobs - (0.0 if math.isnan(fixed_s) else fixed_s)
    estimates = {
        "overhead_s": overhead_s,
        "per_test_ms": overhead_s * args.jobs / median_run["tests"] * 1000 if median_run["tests"] else float("nan"),
        "per_sample_ms": overhead_s * args.jobs / median_run["samples"] * 1000 if median_run["samples"] else float("nan"),
    }
    notes = []
    if load_start[0] > 1.0:
        notes.append(f"the machine was not idle at the start (1-min load {load_start[0]:.2f}; the judge itself "
                     f"brings it to about {args.jobs})")
    others = max(r["other_cpu_s"] / r["machine_busy_s"] for r in runs if r["machine_busy_s"] > 0)
    if others > 0.10:
        notes.append(f"other processes used up to {100 * others:.0f} % of the machine's busy CPU during a round: "
                     "they competed with the judge, so its wall (and the programs' runner clock) are inflated; the "
                     "programs' CPU sum is not")
    if len({r["tests"] for r in runs}) > 1:
        notes.append("the rounds ran different numbers of tests (early stop depends on timing-sensitive verdicts)")
    report = {
        "command": " ".join([os.path.basename(sys.executable), *sys.argv]),
        "judge_command": judge_command(args, Path("TMP")),
        "environment": {
            "python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "load_start": [round(x, 2) for x in load_start], "load_end": [round(x, 2) for x in load_end],
            "jobs": args.jobs, "sandbox": args.sandbox, "repeat": args.repeat, "fixed_task": fixed_task,
        },
        "runs": runs,
        "median": median_run,
        "fixed_wall_s": fixed_s,
        "overhead_costs": costs,
        "breakdown": breakdown(median_run, args.jobs, fixed_s, costs),
        "estimates": estimates,
        "goal_ratio": GOAL_RATIO,
        "notes": notes,
    }
    print(render(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        progress(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
