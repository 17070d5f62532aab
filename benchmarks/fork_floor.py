#!/usr/bin/env python3
"""The fork floor: what a zygote -> job -> test-child design costs in CPU with no work at all.

Run by hand, never from the test suite::

    python3 benchmarks/fork_floor.py [--local] [--samples 200] [--rounds 5] [--workload-json W]

The judge runs every sample in a fresh job process forked from a warm zygote (numpy and TACO's
preamble loaded) and every test in a fresh child forked from the job (docs/runner-protocol.md):
that is what keeps one submission from seeing another's code, input or output, and what makes
strict mode a fresh ``python3 solution.py`` per test. This benchmark builds the same process tree
in the sandbox image's interpreter (``--local``: the local jail's) and does nothing in it: the
zygote forks a job, the job forks K children that exit at once, the job exits. Its CPU (every
process's, from ``getrusage``) is the least any runner of that design can spend, whatever its code:

- per sample: a job with no test (the zygote's fork and wait, the job's start and exit);
- per test, the job's side: its fork and wait of one child;
- per test, the child's side: the child's start after the fork and its exit (in the judge this
  is mostly inside the program's own measured CPU, which counts the child's exit).

With ``--workload-json`` (a ``workload.py --json`` output) it also prints the best ratio such a
runner could give on that run: the run's program CPU, host, daemon and other CPU as measured, the
runners' CPU replaced by the floor (samples x per sample + tests x the job's side), spread over
the cores the run kept busy, and over all of them. The container starts are left out (in favour of
the floor).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from taco_judge.preamble import TACO_PREAMBLE
from taco_judge.runner_files import runner_path

IN_IMAGE_RUNNER_DIR = "/opt/taco-judge"  # sandbox/Dockerfile copies the runner there

# Runs in the jail's interpreter: argv[1] = samples per round, argv[2] = rounds, argv[3] = the dir
# of the runner's files; stdin = the preamble. The zygote warms up as the runner's does: its module
# (the thread-count environment), numpy, and the preamble through Runner.namespace.
INNER = r'''
import gc, json, os, resource, statistics, sys
sys.path.insert(0, sys.argv[3])
import python_runner
try:
    import numpy, numpy.random
except ImportError:
    numpy = None
python_runner.Runner(0, 1).namespace(sys.stdin.read())
gc.freeze()
SAMPLES, ROUNDS, K = int(sys.argv[1]), int(sys.argv[2]), 5
report_r, report_w = os.pipe()

def cpu(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime

def sample(tests):
    """One job with `tests` children; the job reports its own CPU and its children's."""
    pid = os.fork()
    if pid == 0:
        own, kids, faults = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN), 0
        for _ in range(tests):
            child = os.fork()
            if child == 0:
                os._exit(0)
            _, _, usage = os.wait4(child, 0)
            faults += usage.ru_minflt
        os.write(report_w, json.dumps([cpu(resource.RUSAGE_SELF) - own,
                                       cpu(resource.RUSAGE_CHILDREN) - kids, faults]).encode() + b"\n")
        os._exit(0)
    os.waitpid(pid, 0)
    return json.loads(os.read(report_r, 4096))

for tests in (0, K):
    for _ in range(20):
        sample(tests)
rounds = []
for _ in range(ROUNDS):
    row = {}
    for tests in (0, K):
        before = cpu(resource.RUSAGE_SELF) + cpu(resource.RUSAGE_CHILDREN)
        parts = [sample(tests) for _ in range(SAMPLES)]
        total = cpu(resource.RUSAGE_SELF) + cpu(resource.RUSAGE_CHILDREN) - before
        row[tests] = {"total_ms": 1000 * total / SAMPLES,
                      "job_ms": 1000 * sum(p[0] for p in parts) / SAMPLES,
                      "children_ms": 1000 * sum(p[1] for p in parts) / SAMPLES,
                      "child_faults": sum(p[2] for p in parts) / max(1, SAMPLES * tests)}
    rounds.append(row)

def med(f):
    return statistics.median(f(r) for r in rounds)

print(json.dumps({
    "python": sys.version.split()[0], "numpy": getattr(numpy, "__version__", None),
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "per_sample_ms": med(lambda r: r[0]["total_ms"]),
    "per_test_job_ms": med(lambda r: (r[K]["job_ms"] - r[0]["job_ms"]) / K),
    "per_test_child_ms": med(lambda r: r[K]["children_ms"] / K),
    "per_test_ms": med(lambda r: (r[K]["total_ms"] - r[0]["total_ms"]) / K),
    "child_minor_faults": med(lambda r: r[K]["child_faults"]),
}))
'''


def measure(local: bool, samples: int, rounds: int) -> dict:
    """The floor in the sandbox image (or the local jail's interpreter)."""
    if local:
        from taco_judge.backends.local import choose_interpreter

        command = [choose_interpreter(), "-c", INNER, str(samples), str(rounds), str(runner_path().parent)]
        where = f"local interpreter {command[0]}"
    else:
        from taco_judge.sandbox_image import image_tag

        tag = image_tag()
        command = ["docker", "run", "--rm", "-i", "--network", "none", "--entrypoint", "python3", tag,
                   "-c", INNER, str(samples), str(rounds), IN_IMAGE_RUNNER_DIR]
        where = f"docker image {tag}"
    done = subprocess.run(command, input=TACO_PREAMBLE, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"fork_floor: the measurement in the {where} failed: {done.stderr.strip()[-400:]}")
    return {"where": where, **json.loads(done.stdout.strip().splitlines()[-1])}


def workload_floor(floor: dict, path: Path) -> list[str]:
    """The best ratio a runner at the floor could give on the run in ``path`` (workload.py --json)."""
    try:
        run = json.loads(path.read_text())["median"]
        jobs = json.loads(path.read_text())["environment"]["jobs"]
        cpus = json.loads(path.read_text())["environment"]["cpus"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        sys.exit(f"fork_floor: {path}: not a workload.py --json output ({type(exc).__name__}: {exc})")
    programs = run["program_cpu_s"]
    runners = run["samples"] * floor["per_sample_ms"] / 1000 + run["tests"] * floor["per_test_job_ms"] / 1000
    others = {"host (the judge process)": run["judge_cpu_s"], "daemons": run["daemons_cpu_s"],
              "other": run["other_cpu_s"]}
    busy = run["machine_busy_s"] / run["wall_s"]
    ideal = programs / jobs
    lines = [f"on {path} (median run: {run['samples']} samples, {run['tests']} tests, wall {run['wall_s']:.2f} s, "
             f"ratio {run['ratio']:.2f}x, {busy:.2f} of {cpus} cores busy):",
             f"  programs' CPU {programs:.2f} s; runners at the floor {runners:.2f} s (measured runners: "
             f"{run['containers_cpu_s'] - programs:.2f} s); " + ", ".join(f"{k} {v:.2f} s" for k, v in others.items())]
    for label, host in (("with the run's host CPU", run["judge_cpu_s"]), ("with no host CPU at all", 0.0)):
        total = programs + runners + host + run["daemons_cpu_s"] + run["other_cpu_s"]
        at_busy, at_all = total / busy / ideal, total / cpus / ideal
        lines.append(f"  floor ratio {label}: {at_busy:.2f}x at the run's {busy:.2f} busy cores, "
                     f"{at_all:.2f}x with all {cpus} busy")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--local", action="store_true", help="the local jail's interpreter instead of the docker image")
    parser.add_argument("--samples", type=int, default=200, help="samples per round and size (default 200)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; medians are printed (default 5)")
    parser.add_argument("--workload-json", type=Path, help="a workload.py --json output: its best ratio at the floor")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    load_start = os.getloadavg()
    floor = measure(args.local, args.samples, args.rounds)
    load_end = os.getloadavg()
    lines = [
        "taco-judge fork floor: a zygote -> job -> test-child tree that does nothing (CPU of every process)",
        f"  {floor['where']}: python {floor['python']}, numpy {floor['numpy']}, TACO preamble loaded, "
        f"zygote {floor['rss_mb']:.1f} MB | host {platform.platform()} | {os.cpu_count()} CPUs",
        f"  load average (1/5/15 min): start {[round(x, 2) for x in load_start]}  end {[round(x, 2) for x in load_end]}",
        f"  {args.rounds} rounds of {args.samples} samples with 0 and with 5 tests; medians, ms of CPU:",
        f"  per sample (a job with no test)     {floor['per_sample_ms']:6.2f}",
        f"  per test                            {floor['per_test_ms']:6.2f}  = the job's fork and wait "
        f"{floor['per_test_job_ms']:.2f} + the child {floor['per_test_child_ms']:.2f} "
        f"({floor['child_minor_faults']:.0f} minor faults: its start and exit)",
    ]
    if args.workload_json:
        lines += workload_floor(floor, args.workload_json)
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps({"floor": floor, "load_start": load_start, "load_end": load_end}, indent=2))


if __name__ == "__main__":
    main()
