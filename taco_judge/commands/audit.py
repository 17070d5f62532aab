"""`taco-judge audit`: find wrong, multi-answer, nondeterministic and timing-flaky tests, or ask
whether one submission's verdict is flaky.

``add_parser`` registers the subcommand on the main parser; ``run`` runs it and returns the exit
code (user errors are raised as UserError for the caller to print).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from taco_judge.api import Judge
from taco_judge.argtypes import add_problem_options, non_negative_int, output_folder, positive_int
from taco_judge.audit import (
    CLASSES,
    DEFAULT_MARGIN,
    DEFAULT_MIN_AGREE,
    DEFAULT_RUNS,
    DEFAULT_SOLUTIONS,
    OK,
    TestAudit,
    class_counts,
    summarize_reruns,
)
from taco_judge.audit_run import (
    AuditSettings,
    ProblemAudit,
    audit_problems,
    rerun_submissions,
)
from taco_judge.backends import CHOICES as SANDBOX_CHOICES
from taco_judge.commands.common import DEFAULT_JOBS, add_checking_options, find_spj, problem_filter_of
from taco_judge.errors import UserError
from taco_judge.executors.local import JailDown
from taco_judge.judge import DEFAULT_HASH_SEED, limits_for
from taco_judge.problems import Problem, normalize_task_id, open_problems
from taco_judge.quarantine import ACTION_BY_CLASS, from_audit
from taco_judge.quarantine import write as write_quarantine
from taco_judge.report import ProgressReporter
from taco_judge.spj import load_spj
from taco_judge.submissions import load_generations
from taco_judge.version import __version__

log = logging.getLogger("taco_judge")

EXIT_FLAGGED = 1
EXIT_JAIL_DOWN = 3
EXIT_INTERRUPTED = 130
AUDIT_FILE = "audit.json"
QUARANTINE_FILE = "quarantine.json"
RERUN_FILE = "rerun.json"
_STYLE = {
    "wrong-expected": "bold red",
    "needs-special-judge": "magenta",
    "nondeterministic": "yellow",
    "timing-flaky": "cyan",
    "unverified": "dim",
    "ok": "green",
}


# ------------------------------------------------------------------------------- arguments


def _margin(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100.0 if text.endswith("%") else 1.0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a fraction like 0.2 or 20%, got {text!r}") from None
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text!r}")
    return value


def _seeds(text: str) -> list[int]:
    try:
        seeds = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected hash seeds like 0,1,2, got {text!r}") from None
    if not seeds or any(not 0 <= seed <= 4294967295 for seed in seeds):
        raise argparse.ArgumentTypeError(f"hash seeds are integers from 0 to 4294967295, got {text!r}")
    return list(dict.fromkeys(seeds))


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``audit`` subcommand to the main parser's subparsers; returns its parser."""
    p = subparsers.add_parser(
        "audit",
        help="run reference solutions N times to find wrong, multi-answer, nondeterministic and timing-flaky tests",
        description=(
            "Problem mode (--out): run each problem's reference solutions N times on every test and classify "
            "each test (docs/audit.md); writes audit.json and quarantine.json. Submission mode (--submission): "
            "rerun one task's generated samples N times and show the verdict distribution and timing spread."
        ),
    )
    add_problem_options(p)
    p.add_argument("--runs", type=positive_int, default=DEFAULT_RUNS, metavar="N",
                   help=f"runs of each program on each test (default {DEFAULT_RUNS})")
    p.add_argument("--solutions", type=positive_int, default=DEFAULT_SOLUTIONS, metavar="K",
                   help=f"reference solutions per problem, the first K (default {DEFAULT_SOLUTIONS})")
    p.add_argument("--margin", type=_margin, default=DEFAULT_MARGIN, metavar="F",
                   help=f"a finished run using more than (1-F) of the CPU limit is timing-flaky (default {DEFAULT_MARGIN:g})")
    p.add_argument("--min-agree", type=positive_int, default=DEFAULT_MIN_AGREE, metavar="M",
                   help=f"references that must share an answer to call an expected output wrong (default {DEFAULT_MIN_AGREE})")
    p.add_argument("--out", metavar="DIR", help="output folder for audit.json and quarantine.json (problem mode)")
    p.add_argument("--submission", metavar="G", help="generations file: rerun the samples of --task-id (submission mode)")
    p.add_argument("--task-id", metavar="T", help="the task whose samples to rerun (submission mode)")
    p.add_argument("--sample", type=non_negative_int, metavar="S", help="only this sample of the task (default: all)")
    p.add_argument("--test", type=non_negative_int, metavar="I", help="only this test, 0-based (default: every test)")
    p.add_argument("--hash-seeds", type=_seeds, metavar="N,N,...",
                   help="submission mode: rerun under each of these PYTHONHASHSEED values (--runs times each), to "
                        "expose programs whose output depends on set or dict order (default: the judge's seed only)")
    p.add_argument("--sandbox", choices=SANDBOX_CHOICES, default="auto",
                   help="jail: docker when available (auto), local namespaces+rlimits, or docker")
    p.add_argument("--jobs", type=positive_int, default=DEFAULT_JOBS,
                   help="parallel runners (default: number of CPUs)")
    add_checking_options(p)
    p.add_argument("--preamble", choices=("taco", "none"), default="taco",
                   help="prepend TACO's import block (default) or run the code as written")
    p.add_argument("--quiet", action="store_true", help="no progress bar or table")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return p


# ------------------------------------------------------------------------------- shared set-up


def _spj(args: argparse.Namespace) -> dict[Any, int]:
    path = find_spj(args, args.problems)
    return load_spj(path) if path else {}


def _judge(args: argparse.Namespace, spj: dict[Any, int], hash_seed: int = DEFAULT_HASH_SEED) -> Judge:
    """The audit's Judge: strict, every test run (no early stop), nothing reused (each rerun runs)."""
    return Judge(sandbox=args.sandbox, checker="strict", spj=spj, float_tol=args.float_tol, preamble=args.preamble,
                 early_stop=False, time_limit_s=args.time_limit_s, memory_mb=args.memory_mb, hash_seed=hash_seed,
                 jobs=args.jobs)


def run(args: argparse.Namespace) -> int:
    """Run ``taco-judge audit`` with parsed arguments; returns the exit code (docs/audit.md)."""
    if args.submission:
        if args.task_id is None:
            raise UserError("--submission needs --task-id T: the task whose samples to rerun")
        return _run_submission(args)
    for flag, value in (("--task-id", args.task_id), ("--sample", args.sample), ("--test", args.test)):
        if value is not None:
            raise UserError(f"{flag} belongs to submission mode; add --submission G (a generations file)")
    if not args.out:
        raise UserError("audit needs --out DIR for audit.json and quarantine.json (or --submission G --task-id T)")
    return _run_problems(args)


# ------------------------------------------------------------------------------- problem mode


def _run_problems(args: argparse.Namespace) -> int:
    console = Console()
    started = time.monotonic()
    source = open_problems(args.problems, split=args.split)
    problem_filter = problem_filter_of(args)
    spj = _spj(args)
    settings = AuditSettings(runs=args.runs, solutions=args.solutions, margin=args.margin, min_agree=args.min_agree)
    # A cheap first pass for the progress total; audits cost N x K runs per problem, this is noise.
    selected = 0
    total = 0
    for problem in source.filtered(problem_filter):
        selected += 1
        total += min(len(problem.solutions), settings.solutions) * settings.runs
    if selected == 0:
        raise UserError(f"{args.problems}: no problem matches the filters; check --task-ids and the filters")
    out = output_folder(args.out, holds="audit.json and quarantine.json")
    audits: list[ProblemAudit] = []
    interrupted = False
    jail_down: JailDown | None = None
    progress = ProgressReporter(total, console, quiet=args.quiet)
    with _judge(args, spj) as judge:
        describe = judge.describe()
        with progress:
            try:
                audit_problems(source.filtered(problem_filter), judge, settings=settings, on_sample=progress.advance,
                               audits=audits)
            except KeyboardInterrupt:
                interrupted = True
            except JailDown as exc:
                jail_down = exc

    audits.sort(key=lambda a: (0, a.task_id, "") if isinstance(a.task_id, int) else (1, 0, str(a.task_id)))
    tests = [t for a in audits for t in a.tests]
    run = {
        "problems": args.problems,
        "runs": settings.runs,
        "solutions": settings.solutions,
        "margin": settings.margin,
        "min_agree": settings.min_agree,
        "spj": bool(spj),
        "sandbox": describe,
        "preamble": args.preamble,
        "wall_s": round(time.monotonic() - started, 3),
        "complete": not interrupted and jail_down is None and len(audits) == selected,
        "taco_judge_version": __version__,
    }
    report = {
        "run": run,
        "summary": class_counts(tests),
        "problems": [a.to_json() for a in audits],
        "tests": [t.to_json() for t in tests],
    }
    _write_json(out / AUDIT_FILE, report)
    quarantine = from_audit(tests, {a.task_id: a.tests_sha256 for a in audits})
    write_quarantine(
        out / QUARANTINE_FILE, quarantine,
        created_by=f"taco-judge {__version__} audit", problems=args.problems, runs=settings.runs, margin=settings.margin,
    )
    if not args.quiet:
        _print_audit(console, audits, tests)
        console.print(f"audit: {out / AUDIT_FILE}", highlight=False, soft_wrap=True)
        console.print(f"quarantine: {out / QUARANTINE_FILE} ({len(quarantine)} tests)", highlight=False, soft_wrap=True)
    if interrupted:
        print(f"taco-judge: interrupted; {len(audits)} of {selected} problems audited and saved in {out}", file=sys.stderr)
        return EXIT_INTERRUPTED
    if jail_down is not None:
        print(f"taco-judge: error: {jail_down}; {len(audits)} of {selected} problems audited and saved in {out}; "
              "check `taco-judge sandbox check` and run again", file=sys.stderr)
        return EXIT_JAIL_DOWN
    return EXIT_FLAGGED if len(quarantine) else 0


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _print_audit(console: Console, audits: list[ProblemAudit], tests: list[TestAudit], shown: int = 200) -> None:
    flagged = [t for t in tests if t.cls != OK]
    if flagged:
        table = Table(title="tests the audit flagged")
        table.add_column("task", justify="right")
        table.add_column("test", justify="right")
        table.add_column("class", no_wrap=True)
        table.add_column("action")
        table.add_column("CPU s (max/limit)", justify="right")
        table.add_column("evidence")
        for t in flagged[:shown]:
            cpu = t.evidence.get("cpu_s") or {}
            limit = t.evidence.get("time_limit_s")
            timing = f"{cpu['max']:.2f}/{limit:g}" if cpu and limit else "-"
            table.add_row(str(t.task_id), str(t.test), f"[{_STYLE[t.cls]}]{t.cls}[/]",
                          ACTION_BY_CLASS.get(t.cls, "-"), timing, t.reason[:160])
        console.print(table)
        if len(flagged) > shown:
            console.print(f"... and {len(flagged) - shown} more in audit.json")
    counts = class_counts(tests)
    mix = ", ".join(f"{c} {counts[c]}" for c in CLASSES if c in counts)
    broken = sum(len(a.compile_errors) for a in audits)
    extra = f"; {broken} reference solution{'s' if broken != 1 else ''} did not compile" if broken else ""
    console.print(f"{len(tests)} tests in {len(audits)} problems: {mix or 'none'}{extra}", highlight=False)


# ------------------------------------------------------------------------------- submission mode


def _find_problem(args: argparse.Namespace, task_id: int | str) -> tuple[Problem, set[Any]]:
    source = open_problems(args.problems, split=args.split)
    known: set[Any] = set()
    found: Problem | None = None
    for meta in source.index():
        known.add(meta.task_id)
    if task_id not in known:
        raise UserError(f"--task-id {task_id}: no such task in {args.problems}")
    for problem in source:
        if problem.task_id == task_id:
            found = problem
            break
    assert found is not None
    return found, known


def _run_submission(args: argparse.Namespace) -> int:
    console = Console()
    task_id = normalize_task_id(args.task_id)
    if args.out:  # before any rerun: a bad --out says so at once
        output_folder(args.out, holds="rerun.json")
    problem, known = _find_problem(args, task_id)
    # Only this task's entries are read: another task's bad entry does not stop its audit.
    submissions, warnings = load_generations(args.submission, only_task_ids={task_id})
    for warning in warnings[:5]:
        log.warning(warning)
    if len(warnings) > 5:
        log.warning("... and %d more entries not read", len(warnings) - 5)
    chosen = [s for s in submissions if s.task_id == task_id and (args.sample is None or s.sample == args.sample)]
    if not chosen:
        which = f"sample {args.sample} of task {task_id}" if args.sample is not None else f"task {task_id}"
        raise UserError(f"{args.submission}: no {which} in the generations file; check --task-id and --sample")
    if args.test is not None and args.test >= len(problem.tests):
        raise UserError(f"--test {args.test}: task {task_id} has {len(problem.tests)} tests (0 to {len(problem.tests) - 1})")
    spj = _spj(args)
    tests = None if args.test is None else [args.test]
    seeds = args.hash_seeds or [DEFAULT_HASH_SEED]
    progress = ProgressReporter(len(chosen) * args.runs * len(seeds), console, quiet=args.quiet)
    by_seed: dict[int, dict[int, list[Any]]] = {}
    with progress:
        for seed in seeds:  # the hash seed is the runner's, fixed when its jail starts: a jail per seed
            with _judge(args, spj, seed) as judge:
                limit = limits_for(problem, judge.config).time_limit_s
                describe = judge.describe()
                by_seed[seed] = rerun_submissions(problem, chosen, judge, runs=args.runs, tests=tests,
                                                  on_sample=progress.advance)
    samples = []
    for submission in chosen:
        reruns = [rerun for seed in seeds for rerun in by_seed[seed][submission.sample]]
        summary = summarize_reruns(reruns, time_limit_s=limit, margin=args.margin)
        per_seed = {str(seed): dict(Counter(r.verdict.value for r in by_seed[seed][submission.sample]))
                    for seed in seeds}
        if len(seeds) > 1:
            summary["verdicts_by_hash_seed"] = per_seed
            if len({tuple(sorted(v)) for v in per_seed.values()}) > 1:
                summary["assessment"] = "order-dependent"  # its verdict follows the hash seed
        samples.append({"sample": submission.sample, "code_sha256": submission.code_sha256, **summary})
    report = {
        "task_id": task_id,
        "generations": args.submission,
        "test": args.test,
        "runs": args.runs,
        "hash_seeds": seeds,
        "time_limit_s": limit,
        "sandbox": describe,
        "samples": samples,
    }
    if args.out:
        out = output_folder(args.out, holds="rerun.json")
        _write_json(out / RERUN_FILE, report)
    if not args.quiet:
        _print_reruns(console, report)
        if args.out:
            console.print(f"reruns: {Path(args.out) / RERUN_FILE}", highlight=False, soft_wrap=True)
    return 0 if all(s["assessment"] == "stable" for s in samples) else EXIT_FLAGGED


def _print_reruns(console: Console, report: dict[str, Any]) -> None:
    where = f"test {report['test']}" if report["test"] is not None else "all tests"
    table = Table(title=f"task {report['task_id']}, {where}: {report['runs']} reruns, CPU limit {report['time_limit_s']:g} s")
    for column in ("sample", "verdicts", "assessment", "slowest test", "CPU s min/med/max", "wall s min/med/max"):
        table.add_column(column, justify="right" if column != "verdicts" else "left")
    for s in report["samples"]:
        slowest = next((t for t in s["tests"] if t["test"] == s["slowest_test"]), None)
        cpu = _three(slowest["cpu_s"]) if slowest else "-"
        wall = _three(slowest["wall_s"]) if slowest else "-"
        verdicts = ", ".join(f"{v} x{n}" for v, n in s["verdicts"].items()) or "-"
        style = {"stable": "green", "flaky": "bold red", "near-limit": "yellow",
                 "order-dependent": "bold magenta"}[s["assessment"]]
        table.add_row(str(s["sample"]), verdicts, f"[{style}]{s['assessment']}[/]",
                      "-" if s["slowest_test"] is None else str(s["slowest_test"]), cpu, wall)
    console.print(table)


def _three(spread: dict[str, float] | None) -> str:
    if not spread:
        return "-"
    return f"{spread['min']:.3f}/{spread['median']:.3f}/{spread['max']:.3f}"
