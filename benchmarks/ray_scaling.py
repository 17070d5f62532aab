#!/usr/bin/env python3
"""Tests per second: the local executor against the Ray executor at 1 and 2 workers, in one run.

Run by hand, never from the test suite::

    python3 benchmarks/ray_scaling.py [--workload no-tle|all] [--copies N] [--rounds N] [--sandbox local|docker]

Every variant judges the same generations (problems/generations.json, filtered and repeated as
asked) with ``taco-judge judge`` called in this process, into a fresh run folder, so nothing is
reused from a store. Variants run interleaved in rounds (A B C D A B C D ...) so load changes on
a shared machine hit them alike. The Ray variants use a Ray instance started beforehand with
``num_cpus`` = the worker count; what a CLI run without --ray-address pays on top (start that
instance, probe, stop it) is timed apart as the "fixed cost". A run's wall time still includes
its probe task and the release of the workers' jails at its end.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

import psutil

from taco_judge import cli

PROBLEMS = ROOT / "problems"


@dataclass(frozen=True)
class Variant:
    name: str
    executor: str  # local | ray
    workers: int  # --jobs for local; the Ray instance's CPUs for ray


VARIANTS = (
    Variant("local --jobs 1", "local", 1),
    Variant("local --jobs 2", "local", 2),
    Variant("ray 1 worker", "ray", 1),
    Variant("ray 2 workers", "ray", 2),
)


@dataclass
class Measured:
    walls_s: list[float] = field(default_factory=list)
    tests: list[int] = field(default_factory=list)
    samples: list[int] = field(default_factory=list)
    busy_cpu_s: list[float] = field(default_factory=list)  # whole machine, user+system
    driver_cpu_s: list[float] = field(default_factory=list)  # this process (for Ray: the driver alone)

    def row(self, name: str, base_tps: float | None, driver: bool) -> str:
        wall = statistics.median(self.walls_s)
        tests = self.tests[0]
        tps = tests / wall
        speedup = f"{tps / base_tps:5.2f}x" if base_tps else "    -"
        cpu_ms = 1000 * statistics.median(self.busy_cpu_s) / tests
        driver_ms = 1000 * statistics.median(self.driver_cpu_s) / self.samples[0] if driver else None
        driver_text = f"{driver_ms:>12.2f}" if driver_ms is not None else f"{'-':>12}"
        return (f"{name:<16} {self.samples[0]:>7} {tests:>6} {wall:>8.2f} {min(self.walls_s):>8.2f} "
                f"{tps:>8.1f} {speedup:>7} {cpu_ms:>9.2f} {driver_text}")


def generations_file(workload: str, copies: int, folder: Path) -> Path:
    """problems/generations.json, without the samples meant to be TLE for ``no-tle``, each kept
    sample repeated ``copies`` times (as further samples of its task)."""
    expected = json.loads((PROBLEMS / "expected_verdicts.json").read_text())
    entries = []
    for entry in json.loads((PROBLEMS / "generations.json").read_text()):
        verdicts = expected[str(entry["task_id"])]
        kept = [code for code, verdict in zip(entry["output"], verdicts)
                if workload == "all" or verdict != "TLE"]
        if kept:
            entries.append({"task_id": entry["task_id"], "output": kept * copies})
    path = folder / f"generations-{workload}-x{copies}.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def busy_cpu_s() -> float:
    t = psutil.cpu_times()
    return t.user + t.system + getattr(t, "nice", 0.0)


def judge_once(variant: Variant, generations: Path, out: Path, sandbox: str) -> tuple[float, int, int, float, float]:
    argv = ["judge", "--problems", str(PROBLEMS), "--generations", str(generations), "--out", str(out),
            "--sandbox", sandbox, "--quiet", "--executor", variant.executor, "--jobs", str(variant.workers)]
    cpu0, own0, started = busy_cpu_s(), time.process_time(), time.perf_counter()
    rc = cli.main(argv)
    wall, cpu, own = time.perf_counter() - started, busy_cpu_s() - cpu0, time.process_time() - own0
    if rc != 0:
        raise SystemExit(f"{variant.name}: taco-judge judge exited {rc}")
    results = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    if any(r["verdict"] == "SE" for r in results):
        raise SystemExit(f"{variant.name}: SE results; the jail is not healthy")
    return wall, sum(len(r.get("tests", [])) for r in results), len(results), cpu, own


def ray_fixed_cost(num_cpus: int, sandbox: str) -> float:
    """Seconds a CLI run without --ray-address pays on top of judging: start a local instance,
    probe the workers' jail, release it, stop the instance."""
    import ray

    from taco_judge.executors.ray import RayExecutor

    if ray.is_initialized():
        ray.shutdown()
    started = time.perf_counter()
    executor = RayExecutor(None, num_cpus)
    executor.probe(sandbox)
    executor.close()
    return time.perf_counter() - started


def start_ray(num_cpus: int) -> None:
    """A local Ray instance of ``num_cpus`` CPUs that the runs below reuse."""
    import ray

    if ray.is_initialized():
        ray.shutdown()
    ray.init(address="local", num_cpus=num_cpus, include_dashboard=False, logging_level=logging.ERROR,
             log_to_driver=False, object_store_memory=256 * 1024 * 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=("no-tle", "all"), default="no-tle",
                        help="no-tle: every shipped sample but those meant to exceed the time limit (their cost "
                             "is the limit, not the judge); all: the shipped set as it is")
    parser.add_argument("--copies", type=int, default=2, help="repeat each sample this many times (default 2)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds of all variants (default 2)")
    parser.add_argument("--sandbox", choices=("local", "docker"), default="local")
    parser.add_argument("--json", metavar="OUT", help="also write every number to OUT")
    args = parser.parse_args()
    try:
        import ray  # noqa: F401
    except ImportError:
        raise SystemExit("this benchmark needs Ray: pip install 'taco-judge[ray]'") from None

    with tempfile.TemporaryDirectory(prefix="ray-scaling-") as tmp:
        folder = Path(tmp)
        generations = generations_file(args.workload, args.copies, folder)
        print(f"machine: {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f} at the start; sandbox {args.sandbox}; "
              f"workload {args.workload} x{args.copies}; {args.rounds} rounds", flush=True)
        measured = {v.name: Measured() for v in VARIANTS}
        startups: dict[int, list[float]] = {}
        ray_cpus = None
        for round_ in range(args.rounds):
            for variant in VARIANTS:
                if variant.executor == "ray" and ray_cpus != variant.workers:
                    startups.setdefault(variant.workers, []).append(ray_fixed_cost(variant.workers, args.sandbox))
                    start_ray(variant.workers)
                    ray_cpus = variant.workers
                out = folder / f"{variant.executor}-{variant.workers}-{round_}"
                wall, tests, samples, cpu, own = judge_once(variant, generations, out, args.sandbox)
                m = measured[variant.name]
                m.walls_s.append(wall)
                m.tests.append(tests)
                m.samples.append(samples)
                m.busy_cpu_s.append(cpu)
                m.driver_cpu_s.append(own)
                print(f"  round {round_ + 1} {variant.name:<16} {wall:7.2f} s  {tests / wall:7.1f} tests/s  "
                      f"load {os.getloadavg()[0]:.2f}", file=sys.stderr, flush=True)
        import ray

        ray.shutdown()

    base = measured[VARIANTS[0].name]
    base_tps = base.tests[0] / statistics.median(base.walls_s)
    print()
    print(f"{'variant':<16} {'samples':>7} {'tests':>6} {'wall med':>8} {'wall min':>8} {'tests/s':>8} "
          f"{'speedup':>7} {'cpu ms/t':>9} {'driver ms/s':>12}")
    for variant in VARIANTS:
        print(measured[variant.name].row(variant.name, None if variant is VARIANTS[0] else base_tps,
                                         driver=variant.executor == "ray"))
    for cpus, times in sorted(startups.items()):
        print(f"ray fixed cost, {cpus} CPU{'s' if cpus > 1 else ''} (start a local instance, probe, release, stop): "
              + ", ".join(f"{t:.2f}" for t in times) + " s, not in the walls above")
    print(f"load {os.getloadavg()[0]:.2f} at the end")
    print("speedup: tests/s over `local --jobs 1`; cpu ms/t: the whole machine's busy CPU per test while the "
          "variant ran (judge, jails, Ray, and anything else running); driver ms/s: CPU of the Ray driver "
          "(this process: loading, scheduling, storing) per sample, which bounds a cluster's throughput at "
          "1000 / it samples per second")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "workload": args.workload, "copies": args.copies, "sandbox": args.sandbox,
            "variants": {name: vars(m) for name, m in measured.items()},
            "ray_start_probe_s": startups,
        }, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
