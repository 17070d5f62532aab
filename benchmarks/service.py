#!/usr/bin/env python3
"""The judge service under load, next to the `judge` CLI on the same programs in the same run.

Run by hand, never from the test suite::

    python3 benchmarks/service.py [--samples 240] [--clients 1,8,32] [--batch 8] [--jobs 2] [--json OUT] [--ray]
                                  [--sandboxfusion URL [--sf-preamble taco|none]]

Takes the first ``--samples`` of TACO's published programs (``taco_generation_example.json``) on
the development problems (``test_examples_dev.jsonl``, ../shared/data/taco), then, in one run:

- ``cli``: ``taco-judge judge --sandbox local --jobs J --skip-invalid --quiet`` on them (a fresh
  run folder: nothing reused), timed from start to exit; and again less the fixed cost of a run
  (start-up, loading, opening the jail, export: the wall of a 1-sample run), which the warm
  service pays once at start;
- ``service, C clients``: a fresh ``taco-judge serve --sandbox local --jobs J`` (so its cache is
  empty), warmed with one request per worker, then C concurrent clients (asyncio, AsyncJudgeClient)
  sending the programs in batches of ``--batch`` until all are judged: samples/s, tests/s (tests
  run), p50/p99 latency per request;
- ``service (ray)``, C clients (only with ``--ray``): the same, the service judging through a
  local Ray instance of J CPUs (``serve --executor ray``): what Ray's task dispatch costs;
- ``overload``: the largest C against a service whose queue holds only ``--overload-queue``
  samples: the clients get 429 and wait out its Retry-After; latency includes those waits.

- ``sandboxfusion, C clients`` (only with ``--sandboxfusion URL``): the same programs and tests
  sent to a SandboxFusion server the way verl's reward code uses it, one ``POST /run_code`` per test
  (``{"code", "stdin", "language": "python", "run_timeout": 4}``), the output compared with the
  expected one line by line after stripping, a sample stopping at its first failing test (as the
  judge's early stop does). C clients take the same batches of ``--batch`` samples and judge a
  batch's samples one after another, so C programs run at once; latency is per batch, like the
  service's per request. The code sent is the judge's: the extracted program after TACO's import
  block (``--sf-preamble taco``, the judge's default ``--preamble``) or as written (``none``). The
  time limit is 4 s on both sides (the judge's taco mode; these rows have no ``time_limit`` of
  their own), but SandboxFusion's is wall time and the judge's CPU time. Call-based problems
  (``fn_name``) are left out of the SandboxFusion rows and of the comparison (the published
  programs here have none); if the subset has any, the service is measured again without them.
  Start a server with ``benchmarks/sandboxfusion.sh --port 8080`` (a SandboxFusion checkout outside
  the project, no isolation) and pass ``--sandboxfusion http://127.0.0.1:8080``; only loopback
  addresses are accepted.

Throughput is also given per core (os.cpu_count()). The load average is printed at the start and
the end (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "taco"

from taco_judge.client import AsyncJudgeClient  # noqa: E402
from taco_judge.preamble import preamble_text  # noqa: E402
from taco_judge.submissions import extract_code  # noqa: E402

# The judge's taco-mode time limit per test, used for SandboxFusion's run_timeout too.
SF_RUN_TIMEOUT_S = 4.0


def exe() -> list[str]:
    path = ROOT / ".venv" / "bin" / "taco-judge"
    return [str(path)] if path.exists() else [sys.executable, "-m", "taco_judge.cli"]


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def subset(samples: int, folder: Path) -> tuple[Path, Path, list[dict[str, Any]]]:
    """The first tasks' rows and programs (one program per task), written for the CLI; the same
    programs as service submissions."""
    generations = json.loads((DATA / "taco_generation_example.json").read_text())
    outputs = {int(entry["task_id"]): entry["output"] for entry in generations}
    rows = {}
    with open(DATA / "test_examples_dev.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if int(row["task_id"]) in outputs:
                rows[int(row["task_id"])] = line
            if len(rows) >= samples:
                break
    problems = folder / "problems.jsonl"
    problems.write_text("".join(rows.values()), encoding="utf-8")
    chosen = [{"task_id": task, "output": outputs[task]} for task in rows]
    gens = folder / "generations.json"
    gens.write_text(json.dumps(chosen), encoding="utf-8")
    submissions = [{"task_id": task, "output": out} for task in rows for out in outputs[task]]
    return problems, gens, submissions


def run_cli(problems: Path, gens: Path, jobs: int, folder: Path, task_ids: str | None = None) -> dict[str, Any]:
    out = folder / f"cli-run-{time.monotonic_ns()}"
    started = time.monotonic()
    subprocess.run([*exe(), "judge", "--problems", str(problems), "--generations", str(gens), "--out", str(out),
                    "--spj", str(DATA / "output_spj.jsonl"), "--sandbox", "local", "--jobs", str(jobs),
                    "--skip-invalid", "--quiet", *(["--task-ids", task_ids] if task_ids else [])], check=True)
    wall = time.monotonic() - started
    results = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    return {"mode": "cli", "clients": "-", "wall_s": wall, "samples": len(results),
            "tests": sum(len(r["tests"]) for r in results), "verdicts": _verdicts(results), "p50_s": None,
            "p99_s": None, "requests": None, "refused_429": 0}


def _verdicts(results: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in results:
        key = r.get("verdict") or r.get("status")
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


class Service:
    def __init__(self, problems: Path, jobs: int, folder: Path, queue_size: int, executor: str = "local") -> None:
        self.log = folder / f"serve-{time.monotonic_ns()}.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen([*exe(), "serve", "--sandbox", "local", "--jobs", str(jobs), "--port", "0",
                                          "--executor", executor,
                                          "--problems", str(problems), "--spj", str(DATA / "output_spj.jsonl"),
                                          "--queue-size", str(queue_size), "--max-samples", str(min(queue_size, 256))],
                                         stderr=log, stdout=subprocess.DEVNULL, start_new_session=True)
        port = 0
        deadline = time.monotonic() + 120
        while not port:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"serve did not start: {self.log.read_text()[-2000:]}")
            for line in self.log.read_text().splitlines():
                if '"listening"' in line:
                    port = json.loads(line)["port"]
            time.sleep(0.1)
        self.url = f"http://127.0.0.1:{port}"

    def refused(self) -> int:
        import httpx

        text = httpx.get(f"{self.url}/metrics").text
        return int(sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                       if line.startswith("taco_judge_requests_total") and 'code="429"' in line))

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


async def drive(url: str, submissions: list[dict[str, Any]], clients: int, batch: int,
                warm: int) -> tuple[float, list[float], list[dict[str, Any]]]:
    batches = [submissions[i:i + batch] for i in range(0, len(submissions), batch)]
    todo: asyncio.Queue[list[dict[str, Any]]] = asyncio.Queue()
    for b in batches:
        todo.put_nowait(b)
    latencies: list[float] = []
    results: list[dict[str, Any]] = []
    async with AsyncJudgeClient(url, retries=1000, max_wait_s=5) as client:
        probe = {"problem": {"input_output": {"inputs": ["1\n"], "outputs": ["1\n"]}}}
        await asyncio.gather(*(client.judge([{**probe, "code": f"print(input())  # warm {i}"}]) for i in range(warm)))

        async def worker() -> None:
            while not todo.empty():
                b = todo.get_nowait()
                started = time.monotonic()
                answer = await client.judge(b, include_tests=True)
                latencies.append(time.monotonic() - started)
                results.extend(answer)

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return time.monotonic() - started, latencies, results


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run_service(problems: Path, submissions: list[dict[str, Any]], jobs: int, clients: int, batch: int,
                folder: Path, queue_size: int, mode: str, executor: str = "local") -> dict[str, Any]:
    service = Service(problems, jobs, folder, queue_size, executor)
    try:
        wall, latencies, results = asyncio.run(drive(service.url, submissions, clients, batch, warm=jobs))
        refused = service.refused()
    finally:
        service.stop()
    return {"mode": mode, "clients": clients, "wall_s": wall, "samples": len(results),
            "tests": sum(len(r.get("tests") or ()) for r in results), "verdicts": _verdicts(results),
            "p50_s": statistics.median(latencies), "p99_s": percentile(latencies, 0.99), "requests": len(latencies),
            "refused_429": refused,
            "by_task": {str(r.get("task_id")): r.get("verdict") or r.get("status") for r in results}}


def stdin_tests(problems: Path) -> dict[int, tuple[list[str], list[str]]]:
    """Each stdin problem's tests (inputs, expected outputs, in the row's order) by task id, for the
    SandboxFusion rows; call-based rows (``fn_name``) are left out: /run_code has no harness of its
    own for them, and verl's wrapper is not the judge's calling convention."""
    tests = {}
    for line in problems.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        io = row["input_output"]
        io = json.loads(io) if isinstance(io, str) else io
        if io.get("fn_name"):
            continue
        text = [["\n".join(map(str, x)) if isinstance(x, list) else str(x) for x in io[key]]
                for key in ("inputs", "outputs")]
        tests[int(row["task_id"])] = (text[0], text[1])
    return tests


def check_sandboxfusion(url: str) -> str:
    """The URL without a trailing slash, after checking it is a loopback address that answers
    SandboxFusion's /v1/ping; a one-line SystemExit otherwise."""
    import httpx

    url = url.rstrip("/")
    host = urlsplit(url).hostname or ""
    if host != "localhost" and not host.startswith("127.") and host != "::1":
        raise SystemExit(f"--sandboxfusion {url}: only a loopback address (127.0.0.1, localhost) is measured")
    try:
        answer = httpx.get(f"{url}/v1/ping", timeout=10)
        answer.raise_for_status()
    except (httpx.HTTPError, ValueError) as e:
        raise SystemExit(f"--sandboxfusion {url}: no SandboxFusion answers there ({type(e).__name__}: {e}); start "
                         "one with benchmarks/sandboxfusion.sh --port 8080 and pass --sandboxfusion "
                         "http://127.0.0.1:8080") from None
    return url


def same_lines(stdout: str, expected: str) -> bool:
    """verl's and SandboxFusion's stdio rule, less its case folding and float tolerance: the
    outputs' lines equal after stripping each (and the whole output)."""
    return [x.strip() for x in stdout.strip().split("\n")] == [x.strip() for x in expected.strip().split("\n")]


def sf_verdict(answer: dict[str, Any], expected: str) -> str | None:
    """A /run_code answer as a verdict: None when the test passed; SE for SandboxFusion's own
    error, TLE, CE for a syntax error, RE for another non-zero exit, WA for other output."""
    run = answer.get("run_result") or {}
    if answer.get("status") == "SandboxError":
        return "SE"
    if run.get("status") == "TimeLimitExceeded":
        return "TLE"
    if run.get("return_code") != 0:
        last = (run.get("stderr") or "").strip().rsplit("\n", 1)[-1]
        return "CE" if last.startswith(("SyntaxError", "IndentationError", "TabError")) else "RE"
    return None if same_lines(run.get("stdout") or "", expected) else "WA"


async def drive_sandboxfusion(url: str, programs: list[dict[str, Any]], clients: int,
                              batch: int) -> tuple[float, list[float], list[dict[str, Any]]]:
    """C clients taking batches of programs ({task_id, code, inputs, outputs}) from one list; a
    batch's samples one after another, each sample's tests one after another (one /run_code
    each) up to its first failure. Returns the wall, the per-batch latencies and one result
    ({task_id, verdict, tests run}) per sample."""
    import httpx

    batches = [programs[i:i + batch] for i in range(0, len(programs), batch)]
    todo: asyncio.Queue[list[dict[str, Any]]] = asyncio.Queue()
    for b in batches:
        todo.put_nowait(b)
    latencies: list[float] = []
    results: list[dict[str, Any]] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=SF_RUN_TIMEOUT_S * 30, limits=limits) as http:
        async def sample(program: dict[str, Any]) -> dict[str, Any]:
            run = 0
            for stdin, expected in zip(program["inputs"], program["outputs"]):
                run += 1
                answer = await http.post(f"{url}/run_code", json={
                    "code": program["code"], "stdin": stdin, "language": "python", "run_timeout": SF_RUN_TIMEOUT_S})
                answer.raise_for_status()
                verdict = sf_verdict(answer.json(), expected)
                if verdict:
                    return {"task_id": program["task_id"], "verdict": verdict, "tests": run}
            return {"task_id": program["task_id"], "verdict": "AC", "tests": run}

        async def worker() -> None:
            while not todo.empty():
                b = todo.get_nowait()
                started = time.monotonic()
                for program in b:
                    results.append(await sample(program))
                latencies.append(time.monotonic() - started)

        await http.post(f"{url}/run_code", json={"code": "print(1)", "language": "python", "run_timeout": 10})
        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return time.monotonic() - started, latencies, results


def run_sandboxfusion(url: str, programs: list[dict[str, Any]], clients: int, batch: int) -> dict[str, Any]:
    """One SandboxFusion round as a table row (the service's fields; tests are /run_code calls)."""
    wall, latencies, results = asyncio.run(drive_sandboxfusion(url, programs, clients, batch))
    return {"mode": "sandboxfusion", "clients": clients, "wall_s": wall, "samples": len(results),
            "tests": sum(r["tests"] for r in results), "verdicts": _verdicts(results),
            "p50_s": statistics.median(latencies), "p99_s": percentile(latencies, 0.99), "requests": len(latencies),
            "refused_429": 0, "by_task": {str(r["task_id"]): r["verdict"] for r in results}}


def sf_programs(submissions: list[dict[str, Any]], tests: dict[int, tuple[list[str], list[str]]],
                preamble: str) -> list[dict[str, Any]]:
    """The programs SandboxFusion runs: the code the judge extracts from each output, after the
    preamble the judge runs before it, with its problem's tests."""
    head = preamble_text(preamble)
    return [{"task_id": s["task_id"], "code": with_preamble(head, extract_code(s["output"])),
             "inputs": tests[s["task_id"]][0], "outputs": tests[s["task_id"]][1]}
            for s in submissions if s["task_id"] in tests]


def with_preamble(head: str, code: str) -> str:
    """One file with the preamble before the code, as the judge runs them (it compiles the code on
    its own); the code's ``from __future__`` lines go first, where Python requires them."""
    if not head:
        return code
    lines = code.splitlines(keepends=True)
    future = [line for line in lines if line.startswith("from __future__")]
    rest = [line for line in lines if not line.startswith("from __future__")]
    return "".join(future) + head + "\n" + "".join(rest)


def compare(rows: list[dict[str, Any]], preamble: str) -> None:
    """The service beside SandboxFusion at each client level, on the compared programs: samples/s
    and its ratio, samples passed on each side, and the samples whose pass/fail differ."""
    ours = {row["clients"]: row for row in rows if row["mode"] == "service (stdin only)"} or \
        {row["clients"]: row for row in rows if row["mode"] == "service"}
    theirs = {row["clients"]: row for row in rows if row["mode"] == "sandboxfusion"}
    print(f"service vs SandboxFusion (same programs and tests; SandboxFusion gets --sf-preamble {preamble}):")
    header = ("clients", "service samples/s", "SandboxFusion samples/s", "ratio", "service passed",
              "SandboxFusion passed", "pass/fail differ")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for clients, sf in theirs.items():
        row = ours[clients]
        differ = sorted(t for t in sf["by_task"] if (sf["by_task"][t] == "AC") != (row["by_task"].get(t) == "AC"))
        cells = [clients, f"{row['samples_per_s']:.1f}", f"{sf['samples_per_s']:.1f}",
                 f"{row['samples_per_s'] / sf['samples_per_s']:.2f}", row["verdicts"].get("AC", 0),
                 sf["verdicts"].get("AC", 0), len(differ)]
        print("| " + " | ".join(map(str, cells)) + " |")
        for task in differ:
            print(f"    task {task}: service {row['by_task'].get(task)}, SandboxFusion {sf['by_task'][task]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=240, help="programs (one per task; default 240)")
    parser.add_argument("--clients", default="1,8,32", help="concurrent clients per round (default 1,8,32)")
    parser.add_argument("--batch", type=int, default=8, help="samples per request (default 8)")
    parser.add_argument("--jobs", type=int, default=2, help="workers of the CLI and of the service (default 2)")
    parser.add_argument("--overload-queue", type=int, default=16,
                        help="queue size of the overload round (default 16; 0 skips it)")
    parser.add_argument("--json", metavar="OUT", help="also write the rows as JSON")
    parser.add_argument("--ray", action="store_true",
                        help="also measure the service judging through a local Ray instance of --jobs CPUs "
                             "(serve --executor ray) at each client level")
    parser.add_argument("--sandboxfusion", metavar="URL",
                        help="also measure a SandboxFusion server there (loopback only; start one with "
                             "benchmarks/sandboxfusion.sh) on the same programs, one /run_code per test")
    parser.add_argument("--sf-preamble", choices=("taco", "none"), default="taco",
                        help="code sent to SandboxFusion: after TACO's import block, as the judge runs it "
                             "(default), or as written")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",") if c.strip()]
    sf_url = check_sandboxfusion(args.sandboxfusion) if args.sandboxfusion else None
    cores = os.cpu_count() or 1
    print(f"load average at start: {load_average()}  ({cores} cores, jobs {args.jobs})", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="taco-judge-bench-") as tmp:
        folder = Path(tmp)
        problems, gens, submissions = subset(args.samples, folder)
        rows.append(run_cli(problems, gens, args.jobs, folder))
        # The fixed cost of a run (start, load the problems, open the jail, export): a 1-sample run.
        one = run_cli(problems, gens, args.jobs, folder, task_ids=str(submissions[0]["task_id"]))
        fixed = max(0.0, one["wall_s"])
        rows.append({**rows[0], "mode": f"cli minus its fixed {fixed:.1f} s", "wall_s": rows[0]["wall_s"] - fixed})
        for clients in levels:
            rows.append(run_service(problems, submissions, args.jobs, clients, args.batch, folder, 1024, "service"))
        if args.ray:
            for clients in levels:
                rows.append(run_service(problems, submissions, args.jobs, clients, args.batch, folder, 1024,
                                        "service (ray)", executor="ray"))
        if args.overload_queue:
            rows.append(run_service(problems, submissions, args.jobs, max(levels), args.batch, folder,
                                    args.overload_queue, f"overload (queue {args.overload_queue})"))
        if sf_url:
            tests = stdin_tests(problems)
            compared = [s for s in submissions if s["task_id"] in tests]
            if len(compared) < len(submissions):
                for clients in levels:
                    rows.append(run_service(problems, compared, args.jobs, clients, args.batch, folder, 1024,
                                            "service (stdin only)"))
            programs = sf_programs(compared, tests, args.sf_preamble)
            for clients in levels:
                print(f"sandboxfusion round, {clients} clients, load average {load_average()}", flush=True)
                rows.append(run_sandboxfusion(sf_url, programs, clients, args.batch))
    print(f"load average at end: {load_average()}")
    cli = rows[0]
    header = ("mode", "clients", "samples", "tests", "wall s", "samples/s", "per core", "tests/s", "vs cli",
              "p50 s", "p99 s", "429s")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        rate = row["samples"] / row["wall_s"]
        row.update(samples_per_s=rate, samples_per_s_per_core=rate / cores, tests_per_s=row["tests"] / row["wall_s"])
        cells = [row["mode"], row["clients"], row["samples"], row["tests"], f"{row['wall_s']:.1f}", f"{rate:.1f}",
                 f"{rate / cores:.1f}", f"{row['tests_per_s']:.1f}",
                 f"{rate / (cli['samples'] / cli['wall_s']):.2f}",
                 "-" if row["p50_s"] is None else f"{row['p50_s']:.2f}",
                 "-" if row["p99_s"] is None else f"{row['p99_s']:.2f}", row["refused_429"]]
        print("| " + " | ".join(map(str, cells)) + " |")
    judged = [row for row in rows if row["mode"] not in ("sandboxfusion", "service (stdin only)")]
    same = all(row["verdicts"] == cli["verdicts"] for row in judged)
    print(f"verdict counts equal in every judge row: {same}  (cli: {cli['verdicts']})")
    for row in judged:
        if row["verdicts"] != cli["verdicts"]:
            print(f"  {row['mode']} {row['clients']}: {row['verdicts']}")
    if sf_url:
        compare(rows, args.sf_preamble)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
