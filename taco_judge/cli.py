"""`taco-judge` command line: judge | problems validate | sandbox build/check.

The only place that prints for the user and turns errors into exit codes: user errors are one
line on stderr and exit code 2; an interrupted run keeps every sample it finished.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator, Sequence

from rich.console import Console
from rich.logging import RichHandler

from taco_judge import __version__
from taco_judge.backends import CHOICES as SANDBOX_CHOICES
from taco_judge.backends import make_backend
from taco_judge.errors import UserError
from taco_judge.executors import JailDown, iter_items, run_pool
from taco_judge.judge import DEFAULT_MEMORY_MB, DEFAULT_TIME_LIMIT_S, JudgeConfig, SampleJudge
from taco_judge.metrics import TaskMeta, compute_metrics
from taco_judge.preamble import preamble_text
from taco_judge.problems import Problem, ProblemFilter, open_problems
from taco_judge.report import ProgressReporter, render_summary, write_metrics, write_results
from taco_judge.spj import load_spj
from taco_judge.submissions import Submission, load_generations, submission_from_code
from taco_judge.verdict import SampleResult

log = logging.getLogger("taco_judge")

EXIT_USER_ERROR = 2
EXIT_JAIL_DOWN = 3
EXIT_INTERRUPTED = 130
SPJ_FILE_NAME = "output_spj.jsonl"


# ---------------------------------------------------------------- argument parsing


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text!r}")
    return value


def _ks(text: str) -> list[int]:
    try:
        ks = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected k values like 1,10,100, got {text!r}") from None
    if not ks or ks[0] < 1:
        raise argparse.ArgumentTypeError(f"k values must be >= 1, got {text!r}")
    return ks


def _add_problem_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--problems", required=True, metavar="P",
                   help="problem set: BAAI/TACO[:split], taco:test, a load_from_disk dir, parquet, JSONL, or a folder")
    p.add_argument("--split", help="split of a hub dataset or DatasetDict (default: test)")
    p.add_argument("--difficulty", help="keep these difficulties, e.g. EASY,MEDIUM")
    p.add_argument("--skill", help='keep problems with any of these skills, e.g. "Sorting,Range queries"')
    p.add_argument("--source", help="keep problems from these sources, e.g. codeforces,atcoder")
    p.add_argument("--task-ids", help="keep these task ids, e.g. 0-99,120")


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sandbox", choices=SANDBOX_CHOICES, default="auto",
                   help="jail: docker when available (auto), local namespaces+rlimits, or docker")
    p.add_argument("--jobs", type=_positive_int, default=max(1, (os.cpu_count() or 2) - 0),
                   help="parallel runners (default: number of CPUs)")
    p.add_argument("--timeout", type=_positive_float, metavar="S",
                   help=f"CPU seconds per test, overriding the problems' limits (default when a problem has none: "
                        f"{DEFAULT_TIME_LIMIT_S:g})")
    p.add_argument("--memory", type=_positive_int, metavar="MB",
                   help=f"memory limit per test in MB, overriding the problems' (default when none: {DEFAULT_MEMORY_MB})")
    p.add_argument("--spj", metavar="FILE",
                   help=f"TACO special-judge list (output_spj.jsonl); default: {SPJ_FILE_NAME} in the problems folder")
    p.add_argument("--float-tol", type=_positive_float, metavar="EPS",
                   help="accept float tokens within EPS (absolute or relative) on every problem")
    p.add_argument("--checker", metavar="PATH",
                   help="checker program for problems with several valid answers (special-judge case 1)")
    p.add_argument("--preamble", choices=("taco", "none"), default="taco",
                   help="prepend TACO's import block (default) or run the code as written")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary table")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="taco-judge", description="Sandboxed judge for TACO code generations.")
    parser.add_argument("--version", action="version", version=f"taco-judge {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    judge = sub.add_parser("judge", help="judge generations against hidden tests; write results and pass@k")
    _add_problem_options(judge)
    judge.add_argument("--generations", required=True, metavar="G",
                       help="TACO generation.json, or JSONL of {task_id, output:[...]} / {task_id, solution}")
    judge.add_argument("--out", required=True, metavar="DIR", help="output folder for results.jsonl and metrics.json")
    _add_run_options(judge)
    judge.add_argument("--compare", choices=("strict", "taco", "both"), default="strict",
                       help="checker: strict (default), taco (the reference evaluator's verdicts), or both side by side")
    judge.add_argument("--k", type=_ks, default=[1, 10, 100], metavar="K,K,...", help="k values for pass@k")
    stop = judge.add_mutually_exclusive_group()
    stop.add_argument("--early-stop", dest="early_stop", action="store_true", default=True,
                      help="stop a sample at its first failing test (default)")
    stop.add_argument("--all-tests", dest="early_stop", action="store_false", help="run every test of every sample")
    judge.add_argument("--skip-invalid", action="store_true",
                       help="judge malformed samples as CE with a warning instead of stopping")

    problems = sub.add_parser("problems", help="problem-set tools")
    psub = problems.add_subparsers(dest="problems_command", required=True, metavar="ACTION")
    validate = psub.add_parser("validate", help="run each problem's reference solutions against its tests")
    validate.add_argument("path", metavar="PATH", help="problem set (same forms as --problems)")
    validate.add_argument("--split")
    validate.add_argument("--difficulty")
    validate.add_argument("--skill")
    validate.add_argument("--source")
    validate.add_argument("--task-ids")
    validate.add_argument("--solutions", type=_positive_int, default=10, metavar="K",
                          help="check at most K reference solutions per problem (default 10)")
    validate.add_argument("--report", metavar="FILE", help="also write every failing test as JSON lines")
    _add_run_options(validate)

    sandbox = sub.add_parser("sandbox", help="the Docker jail: build its image, check the engine")
    ssub = sandbox.add_subparsers(dest="sandbox_command", required=True, metavar="ACTION")
    build = ssub.add_parser("build", help="build the sandbox image")
    build.add_argument("--offline", action="store_true",
                       help="no registry: build the base with debootstrap + docker import first")
    build.add_argument("--base", help="base image for the Dockerfile (default: python:3.11-slim, or the offline base)")
    ssub.add_parser("check", help="engine, image and a self-test, as a table")
    return parser


# ---------------------------------------------------------------- shared set-up


def _console() -> Console:
    return Console(stderr=False)


def _setup_logging(verbose: bool) -> None:
    handler: logging.Handler
    if sys.stderr.isatty():
        handler = RichHandler(console=Console(stderr=True), show_path=False, show_time=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("taco-judge: %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logging.getLogger("taco_judge").setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("urllib3", "docker", "datasets", "filelock", "fsspec", "huggingface_hub"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _log_warnings(warnings: list[str], shown: int = 5) -> None:
    for warning in warnings[:shown]:
        log.warning(warning)
    if len(warnings) > shown:
        log.warning("... and %d more warnings like these", len(warnings) - shown)


def _problem_filter(args: argparse.Namespace) -> ProblemFilter:
    return ProblemFilter.from_options(
        difficulty=args.difficulty, skill=args.skill, source=args.source, task_ids=args.task_ids
    )


def _spj_map(args: argparse.Namespace, problems_spec: str) -> dict[Any, int]:
    path = args.spj
    if path is None:
        candidate = Path(problems_spec) / SPJ_FILE_NAME
        if candidate.is_file():
            log.info("using the special-judge list %s", candidate)
            path = str(candidate)
    return load_spj(path) if path else {}


def _config(args: argparse.Namespace, checkers: tuple[str, ...], spj: dict[Any, int], early_stop: bool) -> JudgeConfig:
    if args.checker and not os.access(args.checker, os.X_OK):
        raise UserError(f"--checker {args.checker}: not an executable file; chmod +x it or give the right path")
    return JudgeConfig(
        checkers=checkers,
        spj=spj,
        float_tol=args.float_tol,
        checker_program=os.path.abspath(args.checker) if args.checker else None,
        preamble=preamble_text(args.preamble),
        early_stop=early_stop,
        time_limit_s=args.timeout,
        memory_mb=args.memory,
    )


class _Collector:
    """Keeps finished samples and appends each to a crash-safe partial file as it arrives."""

    def __init__(self, partial_path: Path | None, progress: ProgressReporter | None) -> None:
        self.results: list[SampleResult] = []
        self.lock = threading.Lock()
        self.progress = progress
        self.partial = open(partial_path, "w", encoding="utf-8") if partial_path else None

    def __call__(self, result: SampleResult) -> None:
        with self.lock:
            self.results.append(result)
            if self.partial is not None:
                self.partial.write(json.dumps(result.to_json()) + "\n")
                self.partial.flush()
        if self.progress is not None:
            self.progress.advance(result)

    def close(self) -> None:
        if self.partial is not None:
            self.partial.close()


# ---------------------------------------------------------------- judge


def cmd_judge(args: argparse.Namespace) -> int:
    console = _console()
    started = time.monotonic()
    source = open_problems(args.problems, split=args.split)
    problem_filter = _problem_filter(args)
    spj = _spj_map(args, args.problems)
    checkers = {"strict": ("strict",), "taco": ("taco",), "both": ("strict", "taco")}[args.compare]
    config = _config(args, checkers, spj, args.early_stop)

    # Cheap pass: every task id of the split (to validate generations) and the kept ones' metadata.
    all_ids: set[Any] = set()
    kept_meta: dict[Any, Any] = {}
    for meta in source.index():
        all_ids.add(meta.task_id)
        if problem_filter.matches(meta):
            kept_meta[meta.task_id] = meta
    submissions, warnings = load_generations(args.generations, known_task_ids=all_ids, skip_invalid=args.skip_invalid)
    _log_warnings(warnings)
    by_task: dict[Any, list[Submission]] = defaultdict(list)
    for submission in submissions:
        if submission.task_id in kept_meta:
            by_task[submission.task_id].append(submission)
        elif submission.invalid and submission.task_id not in all_ids:
            log.warning("%s: task %r is not in the problem set; sample skipped", submission.origin, submission.task_id)
    total = sum(len(v) for v in by_task.values())
    if total == 0:
        raise UserError(
            f"{args.generations}: no sample belongs to a selected problem of {args.problems}; check --task-ids and the filters"
        )

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    backend = make_backend(args.sandbox)
    task_meta: dict[Any, TaskMeta] = {}

    def judges() -> Iterator[tuple[SampleJudge, list[Submission]]]:
        for problem in source:
            samples = by_task.get(problem.task_id)
            if not samples:
                continue
            judge = SampleJudge(problem, config)
            task_meta[problem.task_id] = TaskMeta.from_problem(problem, judge.spj_case)
            yield judge, samples

    quiet = args.quiet
    progress = None if quiet else ProgressReporter(total, console)
    collector = _Collector(out / "results.partial.jsonl", progress)
    interrupted = False
    jail_down: JailDown | None = None
    try:
        if progress is not None:
            progress.__enter__()
        try:
            run_pool(iter_items(judges()), backend, args.jobs, collector)
        except KeyboardInterrupt:
            interrupted = True
        except JailDown as exc:
            jail_down = exc
        finally:
            if progress is not None:
                progress.__exit__(None, None, None)
    finally:
        collector.close()
        backend.close()

    results = collector.results
    metrics = compute_metrics(results, task_meta, args.k, checker_names=list(checkers))
    metrics["run"] = {
        "problems": args.problems,
        "generations": args.generations,
        "sandbox": backend.describe(),
        "checkers": list(checkers),
        "preamble": args.preamble,
        "early_stop": args.early_stop,
        "wall_s": round(time.monotonic() - started, 3),
        "complete": not interrupted and jail_down is None and len(results) == total,
        "samples_expected": total,
        "taco_judge_version": __version__,
    }
    write_results(out / "results.jsonl", results)
    write_metrics(out / "metrics.json", metrics)
    (out / "results.partial.jsonl").unlink(missing_ok=True)
    if not quiet:
        render_summary(metrics, console)
        console.print(f"results: {out / 'results.jsonl'}   metrics: {out / 'metrics.json'}")
    if interrupted:
        print(f"taco-judge: interrupted; {len(results)} of {total} samples judged and saved in {out}", file=sys.stderr)
        return EXIT_INTERRUPTED
    if jail_down is not None:
        print(
            f"taco-judge: error: {jail_down}; {len(results)} of {total} samples judged and saved in {out} "
            "(the last ones as SE); check `taco-judge sandbox check` and run again",
            file=sys.stderr,
        )
        return EXIT_JAIL_DOWN
    return 0


# ---------------------------------------------------------------- problems validate


def cmd_validate(args: argparse.Namespace) -> int:
    """Run reference solutions through the judge; report every test a reference fails."""
    console = _console()
    source = open_problems(args.path, split=args.split)
    problem_filter = _problem_filter(args)
    spj = _spj_map(args, args.path)
    config = _config(args, ("strict",), spj, early_stop=False)
    backend = make_backend(args.sandbox)
    problems: dict[Any, Problem] = {}
    checked = {"problems": 0, "solutions": 0, "no_solutions": 0}

    def judges() -> Iterator[tuple[SampleJudge, list[Submission]]]:
        for problem in source:
            if not problem_filter.matches(problem):
                continue
            checked["problems"] += 1
            solutions = problem.solutions[: args.solutions]
            if not solutions:
                checked["no_solutions"] += 1
                continue
            problems[problem.task_id] = problem
            subs = [submission_from_code(problem.task_id, i, code, origin=f"{args.path} solution {i}")
                    for i, code in enumerate(solutions)]
            checked["solutions"] += len(subs)
            yield SampleJudge(problem, config), subs

    progress = None if args.quiet else ProgressReporter(0, console)
    collector = _Collector(None, progress)
    try:
        if progress is not None:
            progress.__enter__()
        try:
            run_pool(iter_items(judges()), backend, args.jobs, collector)
        finally:
            if progress is not None:
                progress.__exit__(None, None, None)
    finally:
        backend.close()

    failures = []
    for result in sorted(collector.results, key=lambda r: (str(type(r.task_id)), r.task_id, r.sample)):
        for test in result.tests:
            if test.verdict.value != "AC":
                failures.append({
                    "task_id": result.task_id, "solution": result.sample, "test": test.index,
                    "verdict": test.verdict.value, "detail": test.detail, "cpu_s": round(test.cpu_s, 3),
                })
        if not result.tests and result.verdict.value != "AC":
            failures.append({"task_id": result.task_id, "solution": result.sample, "test": None,
                             "verdict": result.verdict.value, "detail": result.detail})
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            for failure in failures:
                f.write(json.dumps(failure) + "\n")
    _print_validation(console, failures, checked, args.quiet)
    return 1 if failures else 0


def _print_validation(console: Console, failures: list[dict], checked: dict[str, int], quiet: bool) -> None:
    from rich.table import Table

    bad_tests = {(f["task_id"], f["test"]) for f in failures}
    without = f", {checked['no_solutions']} problems without solutions" if checked["no_solutions"] else ""
    if failures:
        outcome = f"{len(failures)} failing (solution, test) pairs on {len(bad_tests)} tests"
    else:
        outcome = "0 failing: every reference solution passes every test"
    summary = f"{checked['problems']} problems, {checked['solutions']} reference solutions checked{without}: {outcome}"
    if failures and not quiet:
        table = Table(title="reference solutions that fail")
        for column in ("task", "solution", "test", "verdict", "detail"):
            table.add_column(column)
        for f in failures[:200]:
            table.add_row(str(f["task_id"]), str(f["solution"]), str(f["test"]), f["verdict"], (f["detail"] or "")[:90])
        console.print(table)
        if len(failures) > 200:
            console.print(f"... and {len(failures) - 200} more (use --report FILE for all)")
    console.print(summary)


# ---------------------------------------------------------------- sandbox


def cmd_sandbox(args: argparse.Namespace) -> int:
    from taco_judge import sandbox_cli

    if args.sandbox_command == "build":
        return sandbox_cli.build(args.offline, args.base, _console())
    return sandbox_cli.check(_console())


# ---------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(getattr(args, "verbose", False))
    try:
        if args.command == "judge":
            return cmd_judge(args)
        if args.command == "problems":
            return cmd_validate(args)
        return cmd_sandbox(args)
    except UserError as exc:
        print(f"taco-judge: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("taco-judge: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
