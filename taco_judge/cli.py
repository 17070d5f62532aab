"""`taco-judge` command line: judge | rejudge | report | sweep | audit | problems validate | sandbox.

The only place that prints for the user and turns errors into exit codes: user errors are one
line on stderr and exit code 2; an interrupted run keeps every sample it finished (in the run's
store, from which a new `judge` resumes and `report` re-exports).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import logging
import os
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from rich.console import Console
from rich.logging import RichHandler

from taco_judge import __version__, quarantine
from taco_judge.argtypes import add_problem_filters, add_problem_options, positive_float, positive_int
from taco_judge.audit_cli import add_audit_parser, run_audit
from taco_judge.backends import CHOICES as SANDBOX_CHOICES
from taco_judge.backends import make_backend
from taco_judge.errors import UserError
from taco_judge.executions import Judged, Judging, MissingObservations
from taco_judge.executors import JailDown, iter_items, run_pool
from taco_judge.judge import (
    DEFAULT_HASH_SEED,
    DEFAULT_MEMORY_MB,
    DEFAULT_TIME_LIMIT_S,
    JudgeConfig,
    SampleJudge,
)
from taco_judge.metrics import compute_metrics
from taco_judge.checkers import CHECKER_SETS
from taco_judge.preamble import preamble_text
from taco_judge.problems import Problem, ProblemFilter, open_problems
from taco_judge.report import (
    ProgressReporter,
    print_output_paths,
    render_summary,
    write_metrics,
    write_results,
)
from taco_judge.runner_files import runner_sha256
from taco_judge.score import ScoreWeights
from taco_judge.spj import CASE_MULTI, load_spj
from taco_judge.resume import StoredJudging
from taco_judge.store import (
    Store,
    make_private,
    open_run_store,
    rebuild_submission,
    run_folder_lock,
)
from taco_judge.submissions import Submission, load_generations, submission_from_code
from taco_judge.verdict import SampleResult

log = logging.getLogger("taco_judge")

EXIT_USER_ERROR = 2
EXIT_JAIL_DOWN = 3
EXIT_INTERRUPTED = 130
SPJ_FILE_NAME = "output_spj.jsonl"
# Run options that do not change any result: a resume with other values says nothing about them.
_OPTIONS_NOT_COMPARED = frozenset({"k", "cache", "score_weights", "executor", "ray_address"})
# Where judging runs (--executor); a Ray run's jail identity comes from its workers, so the
# executor changes no result and is not compared on resume.
EXECUTOR_CHOICES = ("local", "ray")


# ---------------------------------------------------------------- argument parsing


def _ks(text: str) -> list[int]:
    try:
        ks = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected k values like 1,10,100, got {text!r}") from None
    if not ks or ks[0] < 1:
        raise argparse.ArgumentTypeError(f"k values must be >= 1, got {text!r}")
    return ks


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sandbox", choices=SANDBOX_CHOICES, default="auto",
                   help="jail: docker when available (auto), local namespaces+rlimits, or docker")
    p.add_argument("--jobs", type=positive_int, default=max(1, os.cpu_count() or 2),
                   help="parallel runners (default: number of CPUs); with --executor ray and no --ray-address, "
                        "the CPUs of the local Ray instance")
    p.add_argument("--executor", choices=EXECUTOR_CHOICES, default=None,
                   help="where judging runs: worker threads on this machine (local, the default), or Ray tasks "
                        "(ray: a local Ray instance, or the cluster at --ray-address); needs "
                        "pip install 'taco-judge[ray]'")
    p.add_argument("--ray-address", metavar="ADDR",
                   help="Ray cluster to judge on (implies --executor ray): auto, HOST:6379, or ray://HOST:10001; "
                        "every node needs taco-judge and the jail (see docs/ray.md)")
    p.add_argument("--timeout", type=positive_float, metavar="S",
                   help=f"CPU seconds per test, overriding the problems' limits (default when a problem has none: "
                        f"{DEFAULT_TIME_LIMIT_S:g})")
    p.add_argument("--memory", type=positive_int, metavar="MB",
                   help=f"memory limit per test in MB, overriding the problems' (default when none: {DEFAULT_MEMORY_MB})")
    p.add_argument("--spj", metavar="FILE",
                   help=f"TACO special-judge list (output_spj.jsonl); default: {SPJ_FILE_NAME} in the problems folder")
    p.add_argument("--float-tol", type=positive_float, metavar="EPS",
                   help="accept float tokens within EPS (absolute or relative) on every problem")
    p.add_argument("--checker", metavar="PATH",
                   help="checker program for problems with several valid answers (special-judge case 1)")
    p.add_argument("--preamble", choices=("taco", "none"), default="taco",
                   help="run TACO's import block before the code (default) or run the code as written "
                        "(--compare taco always runs the reference's own block, where the reference puts it)")
    p.add_argument("--hash-seed", type=int, default=DEFAULT_HASH_SEED, metavar="N",
                   help=f"PYTHONHASHSEED of every program (default {DEFAULT_HASH_SEED}): set iteration order, "
                        "and so verdicts, are the same from run to run")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary table")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def _score_weights(text: str) -> ScoreWeights:
    try:
        return ScoreWeights.from_text(text, origin="")
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc).strip()) from None


def _float_tol_or_none(text: str) -> float | None:
    return None if text.strip().lower() == "none" else positive_float(text)


def _add_judge_parser(sub: Any) -> argparse.ArgumentParser:
    judge = sub.add_parser("judge", help="judge generations against hidden tests; write results and pass@k")
    add_problem_options(judge)
    judge.add_argument("--generations", required=True, metavar="G",
                       help="TACO generation.json, or JSONL of {task_id, output:[...]} / {task_id, solution}")
    judge.add_argument("--out", required=True, metavar="DIR",
                       help="output folder for results.jsonl, metrics.json and the store results.sqlite; "
                            "judging into it again resumes, running only what is missing")
    _add_run_options(judge)
    judge.add_argument("--compare", choices=tuple(CHECKER_SETS), default="strict",
                       help="checker: strict (default), taco (the reference evaluator's verdicts), or both side by side")
    judge.add_argument("--k", type=_ks, default=[1, 10, 100], metavar="K,K,...", help="k values for pass@k")
    stop = judge.add_mutually_exclusive_group()
    stop.add_argument("--early-stop", dest="early_stop", action="store_true", default=True,
                      help="stop a sample at its first failing test (default)")
    stop.add_argument("--all-tests", dest="early_stop", action="store_false", help="run every test of every sample")
    judge.add_argument("--skip-invalid", action="store_true",
                       help="judge malformed samples as CE with a warning instead of stopping")
    judge.add_argument("--cache", metavar="PATH",
                       help="shared execution cache (a SQLite file): a program already run on the same tests, "
                            "limits and jail by any run using it is not run again")
    judge.add_argument("--score-weights", type=_score_weights, metavar="W",
                       help="weights of the composite score, e.g. tle=0.5,mle=0.5,re=0.25 (the defaults; see README)")
    judge.add_argument("--quarantine", metavar="FILE",
                       help="quarantine.json from `taco-judge audit`: failures on those tests do not count "
                            "(timing-flaky tests: only their TLE); metrics.json reports what each one affected")
    return judge


def _add_rejudge_parser(sub: Any) -> argparse.ArgumentParser:
    rejudge = sub.add_parser(
        "rejudge", help="judge a finished run again under other checker options from its stored observations (runs no code)"
    )
    rejudge.add_argument("dir", metavar="DIR", help="a run folder written by `taco-judge judge --out`")
    rejudge.add_argument("--compare", choices=tuple(CHECKER_SETS), help="checker (default: the run's)")
    rejudge.add_argument("--spj", metavar="FILE", help="special-judge list (default: the cases the run used)")
    rejudge.add_argument("--float-tol", type=_float_tol_or_none, metavar="EPS", default=argparse.SUPPRESS,
                         help="float tolerance, or 'none' to drop the run's (default: the run's)")
    rejudge.add_argument("--checker", metavar="PATH", help="checker program for several-answer problems (default: the run's)")
    rejudge.add_argument("--problems", metavar="P",
                         help="where the problems' expected outputs are read (default: the run's --problems)")
    rejudge.add_argument("--split", help="split of --problems (default: the run's)")
    rejudge.add_argument("--k", type=_ks, metavar="K,K,...", help="k values for pass@k (default: the run's)")
    rejudge.add_argument("--run-missing", action="store_true",
                         help="run, in the jail, the samples whose new verdict needs tests that never ran "
                              "(stopped early) and those the jail failed (SE); without it such samples stop the rejudge")
    rejudge.add_argument("--sandbox", choices=SANDBOX_CHOICES, help="jail for --run-missing (default: the run's)")
    rejudge.add_argument("--jobs", type=positive_int, default=max(1, os.cpu_count() or 2),
                         help="parallel runners for --run-missing")
    rejudge.add_argument("--quiet", action="store_true", help="no summary table")
    rejudge.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return rejudge


def _add_report_parser(sub: Any) -> argparse.ArgumentParser:
    report = sub.add_parser("report", help="print a run's summary again and re-export results.jsonl and metrics.json")
    report.add_argument("dirs", metavar="DIR", nargs="+",
                        help="run folders written by `taco-judge judge --out` (several: one HTML page comparing them)")
    report.add_argument("--k", type=_ks, metavar="K,K,...", help="k values for pass@k (default: the run's)")
    report.add_argument("--html", metavar="PATH", help="also write a self-contained HTML report with plots")
    report.add_argument("--quiet", action="store_true", help="no summary table")
    report.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return report


def _add_problems_parser(sub: Any) -> argparse.ArgumentParser:
    problems = sub.add_parser("problems", help="problem-set tools")
    psub = problems.add_subparsers(dest="problems_command", required=True, metavar="ACTION")
    validate = psub.add_parser("validate", help="run each problem's reference solutions against its tests")
    validate.add_argument("path", metavar="PATH", help="problem set (same forms as --problems)")
    add_problem_filters(validate)
    validate.add_argument("--solutions", type=positive_int, default=10, metavar="K",
                          help="check at most K reference solutions per problem (default 10)")
    validate.add_argument("--report", metavar="FILE", help="also write every failing test as JSON lines")
    _add_run_options(validate)
    return problems


def _add_sandbox_parser(sub: Any) -> argparse.ArgumentParser:
    sandbox = sub.add_parser("sandbox", help="the Docker jail: build its image, check the engine")
    ssub = sandbox.add_subparsers(dest="sandbox_command", required=True, metavar="ACTION")
    build = ssub.add_parser("build", help="build the sandbox image")
    build.add_argument("--offline", action="store_true",
                       help="no registry: build the base with debootstrap + docker import first")
    build.add_argument("--base", help="base image for the Dockerfile (default: python:3.11-slim, or the offline base)")
    ssub.add_parser("check", help="engine, image and a self-test, as a table")
    return sandbox


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="taco-judge", description="Sandboxed judge for TACO code generations.")
    parser.add_argument("--version", action="version", version=f"taco-judge {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add_parser, _ in COMMANDS.values():
        add_parser(sub)
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


def _spj_path(args: argparse.Namespace, problems_spec: str) -> str | None:
    path = args.spj
    if path is None:
        candidate = Path(problems_spec) / SPJ_FILE_NAME
        if candidate.is_file():
            log.info("using the special-judge list %s", candidate)
            path = str(candidate)
    return path


def _spj_map(args: argparse.Namespace, problems_spec: str) -> dict[Any, int]:
    path = _spj_path(args, problems_spec)
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
        hash_seed=getattr(args, "hash_seed", DEFAULT_HASH_SEED),
    )


def _warn_weaker(lacks: Sequence[str]) -> None:
    """Say once, at the start, what this jail does not isolate here (docs/security.md)."""
    for line in lacks:
        log.warning("isolation weaker than usual: %s", line)


class _Collector:
    """Keeps finished samples, records live ones through ``judging`` (the driver writes the store,
    never the executors) and appends each to a crash-safe partial file as it arrives."""

    def __init__(self, partial_path: Path | None, progress: ProgressReporter | None,
                 judging: StoredJudging | None = None) -> None:
        self.results: list[SampleResult] = []
        self.lock = threading.Lock()
        self.progress = progress
        self.judging = judging
        self.partial = open(partial_path, "w", encoding="utf-8") if partial_path else None

    def __call__(self, judge: SampleJudge, judged: Judged) -> None:
        """A sample the executor judged (called from its threads)."""
        if self.judging is not None:
            self.judging.record(judge, judged)
        self.done(judged.result)

    def done(self, result: SampleResult) -> None:
        """A sample with its result (already recorded)."""
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


def _abs_if_path(spec: str | None) -> str | None:
    """A local path made absolute (a run folder is read again later from anywhere); hub ids as given."""
    if spec is None:
        return None
    return os.path.abspath(spec) if Path(spec).exists() else spec


def _run_options(args: argparse.Namespace, spj_path: str | None, jail: str) -> dict[str, Any]:
    """The options a run folder remembers: resume compares them, rejudge and report start from them."""
    return {
        "problems": _abs_if_path(args.problems),
        "split": args.split,
        "difficulty": args.difficulty,
        "skill": args.skill,
        "source": args.source,
        "task_ids": args.task_ids,
        "generations": _abs_if_path(args.generations),
        "skip_invalid": args.skip_invalid,
        "compare": args.compare,
        "spj": _abs_if_path(spj_path),
        "float_tol": args.float_tol,
        "checker": os.path.abspath(args.checker) if args.checker else None,
        "preamble": args.preamble,
        "hash_seed": args.hash_seed,
        "early_stop": args.early_stop,
        "timeout": args.timeout,
        "memory": args.memory,
        "sandbox": args.sandbox,
        "executor": _executor_name(args),
        "ray_address": getattr(args, "ray_address", None),
        "jail": jail,
        "k": list(args.k),
        "cache": os.path.abspath(args.cache) if args.cache else None,
        "quarantine": os.path.abspath(args.quarantine) if getattr(args, "quarantine", None) else None,
        "score_weights": args.score_weights.to_text() if getattr(args, "score_weights", None) else None,
    }


def _changed_options(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    changed = []
    for key in current:
        if key in _OPTIONS_NOT_COMPARED or previous.get(key) == current[key]:
            continue
        changed.append(f"{key} {previous.get(key)!r} -> {current[key]!r}")
    return changed


def _executor_name(args: argparse.Namespace) -> str:
    """``--executor``, where ``--ray-address`` alone means ray."""
    chosen = getattr(args, "executor", None)
    address = getattr(args, "ray_address", None)
    if address and chosen == "local":
        raise UserError(f"--ray-address {address}: only used with --executor ray; drop --executor local")
    return chosen or ("ray" if address else "local")


def _open_ray(args: argparse.Namespace, config: JudgeConfig) -> tuple[Any, Any]:
    """Connect to Ray (or start a local instance of --jobs CPUs) and learn the workers' jail."""
    from taco_judge.ray_executor import RayExecutor

    executor = RayExecutor(getattr(args, "ray_address", None), args.jobs, verbose=getattr(args, "verbose", False))
    try:
        return executor, executor.probe(args.sandbox, config.backend_options())
    except BaseException:
        executor.close()
        raise


def _judge_pool(
    pairs: Iterator[tuple[SampleJudge, list[Submission]]],
    backend: Any,
    jobs: int,
    collector: "_Collector",
    progress: ProgressReporter | None,
    judging: Judging,
    *,
    ray: tuple[Any, Any] | None = None,
) -> tuple[bool, JailDown | None]:
    """Judge with a progress display, in the local pool on ``backend`` or, given ``ray``
    (RayExecutor, NodeJail), on Ray; (interrupted by Ctrl-C, the JailDown that stopped it)."""
    interrupted = False
    jail_down: JailDown | None = None
    try:
        if progress is not None:
            progress.__enter__()
        try:
            if ray is not None:
                ray[0].run(pairs, collector, node=ray[1])
            else:
                run_pool(iter_items(pairs, judging), backend, jobs, collector)
        except KeyboardInterrupt:
            interrupted = True
        except JailDown as exc:
            jail_down = exc
        finally:
            if progress is not None:
                progress.__exit__(None, None, None)
    finally:
        collector.close()
    return interrupted, jail_down


def export_run(store: Store, out: Path, ks: Sequence[int], checkers: Sequence[str],
               run_info: dict[str, Any]) -> tuple[dict[str, Any], list[SampleResult]]:
    """Regenerate results.jsonl and metrics.json of a run folder from its store.

    A run judged with --quarantine keeps its stored (unsettled) verdicts; the quarantine is
    applied here, so `report` and `rejudge` apply it the same way.
    """
    results = store.results()
    tasks = store.task_metas()
    quarantined = _load_quarantine(run_info.get("quarantine"))
    if quarantined is not None:
        checker_program = bool(run_info.get("checker_program"))
        results = [
            quarantine.settle(
                r, quarantined,
                needs_special_judge=getattr(tasks.get(r.task_id), "spj_case", 0) == CASE_MULTI and not checker_program,
            )
            for r in results
        ]
    weights = run_info.get("score_weights")
    metrics = compute_metrics(results, tasks, ks, checker_names=list(checkers),
                              score_weights=ScoreWeights.from_text(weights) if weights else None)
    if quarantined is not None:
        metrics["quarantine"] = quarantine.quarantine_report(results, quarantined)
    metrics["run"] = run_info
    write_results(out / "results.jsonl", results)
    write_metrics(out / "metrics.json", metrics)
    return metrics, results


def _load_quarantine(path: str | None) -> quarantine.Quarantine | None:
    return quarantine.load(path) if path else None


def cmd_judge(args: argparse.Namespace) -> int:
    console = _console()
    started = time.monotonic()
    quarantined = _load_quarantine(args.quarantine)  # read first: a bad file stops before any work
    source = open_problems(args.problems, split=args.split)
    problem_filter = _problem_filter(args)
    spj_path = _spj_path(args, args.problems)
    spj = load_spj(spj_path) if spj_path else {}
    checkers = CHECKER_SETS[args.compare]
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
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out {out}: cannot create the folder ({exc.strerror or exc}); choose a writable path") from None
    make_private(out)
    with run_folder_lock(out):
        store = open_run_store(out)
        try:
            return _judge_into_store(args, console, started, source, config, spj_path, by_task, total, out, store,
                                     quarantined)
        finally:
            store.close()


def _judge_into_store(args: argparse.Namespace, console: Console, started: float, source: Iterable[Problem],
                      config: JudgeConfig, spj_path: str | None, by_task: dict[Any, list[Submission]], total: int,
                      out: Path, store: Store, quarantined: quarantine.Quarantine | None = None) -> int:
    """The judge command once its inputs are read: resume from the store, run the rest, export."""
    checkers = config.checkers
    cache: Store | None = None
    backend = None
    ray: tuple[Any, Any] | None = None  # (RayExecutor, NodeJail) with --executor ray
    executor_info: dict[str, Any] = {"executor": _executor_name(args)}
    try:
        if args.cache and Path(args.cache).resolve() == store.path.resolve():
            raise UserError(f"--cache {args.cache}: this is the run's own store; give a separate file shared by runs")
        cache = Store.open(args.cache) if args.cache else None
        if executor_info["executor"] == "ray":
            ray = _open_ray(args, config)
            jail, runner = ray[1].jail, ray[1].runner_sha256  # the workers' jail: the driver needs none
            executor_info["ray"] = ray[0].describe()
            environment, weaker = dict(ray[1].environment), list(ray[1].weaker)
        else:
            backend = make_backend(args.sandbox, **config.backend_options())
            jail, runner = backend.identity(), runner_sha256()
            environment, weaker = backend.environment(), backend.weaker_than_usual()
        _warn_weaker(weaker)
        options = _run_options(args, spj_path, jail)
        selection = [(s.task_id, s.sample) for samples in by_task.values() for s in samples]
        previous = store.begin_run(selection, options)
        if previous is not None:
            changed = _changed_options(previous, options)
            if changed:
                log.warning(
                    "%s: resuming a run judged with other options (%s); stored results are reused only where "
                    "code, tests, limits, preamble, jail and checker options all match", out, "; ".join(changed)
                )
        judging = StoredJudging(store, cache=cache, jail=jail, runner_sha256=runner)
        progress = None if args.quiet else ProgressReporter(total, console)
        collector = _Collector(out / "results.partial.jsonl", progress, judging)

        def pairs() -> Iterator[tuple[SampleJudge, list[Submission]]]:
            for problem in source:
                samples = by_task.get(problem.task_id)
                if not samples:
                    continue
                if quarantined is not None:  # quarantined tests run last, so trusted ones decide first
                    problem, _ = quarantine.apply(problem, quarantined)
                judge = judging.judge_for(problem, config)
                done, to_run = judging.resolve(judge, samples)
                for result in done:
                    collector.done(result)
                if to_run:
                    yield judge, to_run

        interrupted, jail_down = _judge_pool(pairs(), backend, args.jobs, collector, progress, judging.judging, ray=ray)
        describe = ray[1].describe if ray is not None else backend.describe()
    finally:
        if backend is not None:
            backend.close()
        if ray is not None:
            ray[0].close()
        if cache is not None:
            cache.close()

    judged = store.judged()
    complete = not interrupted and jail_down is None and store.pending() == 0 and judged == total
    run_info = {
        "problems": args.problems,
        "generations": args.generations,
        "sandbox": describe,
        "programs_run_on": environment,
        "isolation_weaker_than_usual": weaker,
        "hash_seed": config.hash_seed,
        **executor_info,
        "checkers": list(checkers),
        "preamble": args.preamble,
        "early_stop": args.early_stop,
        "wall_s": round(time.monotonic() - started, 3),
        "complete": complete,
        "samples_expected": total,
        "taco_judge_version": __version__,
        "store": {"path": str(store.path), "cache": options["cache"], **judging.counts.to_json()},
        "quarantine": options["quarantine"],
        "checker_program": options["checker"],
        "score_weights": options["score_weights"],
    }
    store.set_meta("run_info", run_info)
    store.set_meta("run_state", {"samples_expected": total, "complete": complete})
    metrics, results = export_run(store, out, args.k, checkers, run_info)
    (out / "results.partial.jsonl").unlink(missing_ok=True)
    if not args.quiet and getattr(args, "summary", True):  # a sweep prints one comparison instead
        render_summary(metrics, console)
        counts = judging.counts
        if counts.reused or counts.replayed:
            console.print(
                f"store: {counts.run} samples run, {counts.replayed} judged from stored runs, "
                f"{counts.reused} results reused", highlight=False,
            )
        print_output_paths(console, results=out / "results.jsonl", metrics=out / "metrics.json")
    if interrupted:
        print(f"taco-judge: interrupted; {len(results)} of {total} samples judged and saved in {out} "
              "(judge into it again to finish)", file=sys.stderr)
        return EXIT_INTERRUPTED
    if jail_down is not None:
        print(
            f"taco-judge: error: {jail_down}; {len(results)} of {total} samples judged and saved in {out} "
            "(the last ones as SE); check `taco-judge sandbox check` and run again",
            file=sys.stderr,
        )
        return EXIT_JAIL_DOWN
    return 0


# ---------------------------------------------------------------- rejudge


def _stored_options(store: Store, folder: Path) -> dict[str, Any]:
    options = store.get_meta("run_config")
    if not isinstance(options, dict):
        raise UserError(f"{folder}: its store holds no judge run; run `taco-judge judge --out {folder}` first")
    return options


def cmd_rejudge(args: argparse.Namespace) -> int:
    """Judge a run's samples again from their stored observations under new checker options."""
    console = _console()
    started = time.monotonic()
    folder = Path(args.dir)
    store = open_run_store(folder, create=False)
    try:
        with run_folder_lock(folder):
            return _rejudge(args, store, folder, console, started)
    finally:
        store.close()


def _rejudge(args: argparse.Namespace, store: Store, folder: Path, console: Console, started: float) -> int:
    options = dict(_stored_options(store, folder))
    for name in ("compare", "problems", "split", "k"):
        value = getattr(args, name)
        if value is not None:
            options[name] = value
    if "float_tol" in vars(args):  # given: a tolerance, or 'none' to drop the run's
        options["float_tol"] = args.float_tol
    if args.checker is not None:
        if not os.access(args.checker, os.X_OK):
            raise UserError(f"--checker {args.checker}: not an executable file; chmod +x it or give the right path")
        options["checker"] = os.path.abspath(args.checker)
    if args.spj is not None:
        options["spj"] = os.path.abspath(args.spj)
    checkers = CHECKER_SETS[options["compare"]]
    stored_tasks = store.task_records()
    spj = load_spj(args.spj) if args.spj else {task: case for task, (_, _, case) in stored_tasks.items() if case}
    config = JudgeConfig(
        checkers=checkers,
        spj=spj,
        float_tol=options.get("float_tol"),
        checker_program=options.get("checker"),
        preamble=preamble_text(options.get("preamble", "taco")),
        early_stop=options.get("early_stop", True),
        time_limit_s=options.get("timeout"),
        memory_mb=options.get("memory"),
        hash_seed=int(options.get("hash_seed", DEFAULT_HASH_SEED)),
    )
    rows = store.sample_rows()
    by_task: dict[Any, list[Any]] = defaultdict(list)
    unfinished = 0
    for row in rows.values():
        if row.checked and row.status != "todo":
            by_task[row.task_id].append(row)
        else:
            unfinished += 1
    if not by_task:
        raise UserError(f"{folder}: no judged sample to rejudge; finish the run with `taco-judge judge` first")
    judging = StoredJudging(store, jail=options.get("jail", ""), runner_sha256=runner_sha256())
    to_run: list[tuple[SampleJudge, list[Submission]]] = []
    missing = 0
    missing_tasks: set[Any] = set()
    jail_failed = 0
    seen: set[Any] = set()
    source = open_problems(options["problems"], split=options.get("split"))
    with store.transaction():
        for problem in source:
            task_rows = by_task.get(problem.task_id)
            if not task_rows or problem.task_id in seen:
                continue
            seen.add(problem.task_id)
            stored_hash = stored_tasks.get(problem.task_id, (None,))[0]
            if stored_hash != problem.tests_sha256:
                raise UserError(
                    f"{options['problems']}: task {problem.task_id!r} has other tests than the run in {folder} "
                    "was judged on; give the original problem set with --problems, or judge again"
                )
            judge = judging.judge_for(problem, config)
            runs: list[Submission] = []
            for row in sorted(task_rows, key=lambda r: r.sample):
                submission = rebuild_submission(store, row)
                if row.sample_key is not None and row.sample_key != judging.sample_key(judge, submission):
                    raise UserError(
                        f"{folder}: task {problem.task_id!r} sample {row.sample} was run with other tests, limits, "
                        "preamble or jail than the run's options give now; judge again instead"
                    )
                try:
                    judging.record(judge, judging.judging.judge(judge, submission))
                except MissingObservations:
                    previous = store.stored_result(row.task_id, row.sample)
                    if previous is not None and previous.verdict.value == "SE" and not previous.tests:
                        jail_failed += 1  # the jail failed on it: nothing was observed
                    else:
                        missing += 1
                        missing_tasks.add(problem.task_id)
                    store.save_sample(submission, None, sample_key=judging.sample_key(judge, submission),
                                      judge_fp=judging.fingerprint(judge))
                    runs.append(submission)
            if runs:
                to_run.append((judge, runs))
        absent = [task for task in by_task if task not in seen]
        if absent:
            raise UserError(
                f"{options['problems']}: task {absent[0]!r} of the run in {folder} is not in this problem set "
                f"({len(absent)} tasks missing); give the original problem set with --problems"
            )
        if missing and not args.run_missing:
            raise UserError(
                f"rejudge {folder}: {missing} samples of {len(missing_tasks)} tasks need runs the store does not hold "
                "(tests the run stopped at a first failure, or programs only this checker runs); nothing was changed; "
                "add --run-missing to run just those samples, or judge with --all-tests to keep every test's observation"
            )
        store.set_meta("run_config", options)
    if unfinished:
        log.warning("%s: %d samples were never finished by `taco-judge judge`; judge into it again to finish them",
                    folder, unfinished)

    interrupted = False
    jail_down: JailDown | None = None
    describe = (store.get_meta("run_info") or {}).get("sandbox", "")
    if args.run_missing and to_run:
        backend = make_backend(args.sandbox or options.get("sandbox", "auto"), **config.backend_options())
        try:
            if backend.identity() != judging.jail:
                log.warning("%s: the jail differs from the run's; samples run now are keyed by this jail", folder)
                judging = StoredJudging(store, jail=backend.identity(), runner_sha256=runner_sha256())
            describe = backend.describe()
            total_runs = sum(len(subs) for _, subs in to_run)
            progress = None if args.quiet else ProgressReporter(total_runs, console)
            collector = _Collector(None, progress, judging)
            interrupted, jail_down = _judge_pool(iter(to_run), backend, args.jobs, collector, progress,
                                                 judging.judging)
        finally:
            backend.close()
    elif jail_failed:
        log.warning("%s: %d samples stay SE (the jail failed on them and nothing was observed); "
                    "add --run-missing to run them", folder, jail_failed)

    complete = not interrupted and jail_down is None and store.pending() == 0
    run_info = dict(store.get_meta("run_info") or {})
    run_info.update({
        "checkers": list(checkers),
        "checker_program": options.get("checker"),
        "sandbox": describe,
        "complete": complete,
        "rejudged": {"wall_s": round(time.monotonic() - started, 3), "samples_run": judging.counts.run,
                     "samples_needing_tests_never_run": missing, "samples_jail_failed": jail_failed},
    })
    store.set_meta("run_info", run_info)
    metrics, results = export_run(store, folder, options["k"], checkers, run_info)
    if not args.quiet:
        render_summary(metrics, console)
        print_output_paths(console, results=folder / "results.jsonl", metrics=folder / "metrics.json")
    if interrupted:
        print(f"taco-judge: interrupted; {len(results)} samples judged and saved in {folder}", file=sys.stderr)
        return EXIT_INTERRUPTED
    if jail_down is not None:
        print(f"taco-judge: error: {jail_down}; results saved in {folder}; run the rejudge again", file=sys.stderr)
        return EXIT_JAIL_DOWN
    return 0


# ---------------------------------------------------------------- report


def _require_html(path: str) -> None:
    if importlib.util.find_spec("taco_judge.report_html") is None:
        raise UserError(f"--html {path}: the HTML report is not available in this version of taco-judge")


def _write_html(path: str | Path, runs: list[Any], options: Mapping[str, Any], **page: Any) -> None:
    """The HTML report (``taco_judge.report_html``) of the runs, as one page (``page``: its
    ``title`` and a sweep's ``comparison``)."""
    _require_html(str(path))
    from taco_judge import report_html

    spec = options.get("problems")
    # Inputs and expected outputs of failing tests come from the problem set when it is still on disk.
    source = open_problems(spec, split=options.get("split")) if spec and Path(spec).exists() else None
    report_html.write_html(path, runs, problems=source, **page)


def cmd_report(args: argparse.Namespace) -> int:
    """Print each run's summary again and re-export its results.jsonl and metrics.json from its store."""
    console = _console()
    if args.html:
        _require_html(args.html)  # before any work: say so at once
        from taco_judge.report_html import check_html_path

        check_html_path(args.html)  # an unwritable path fails before the summaries print
    html_runs: list[Any] = []
    first_options: dict[str, Any] = {}
    for folder in (Path(d) for d in args.dirs):
        store = open_run_store(folder, create=False)
        try:
            options = _stored_options(store, folder)
            first_options = first_options or options
            checkers = CHECKER_SETS.get(options.get("compare", "strict"), ("strict",))
            ks = args.k or options.get("k") or [1, 10, 100]
            state = store.get_meta("run_state") or {}
            run_info = dict(store.get_meta("run_info") or {})
            pending = store.pending()
            run_info["complete"] = bool(state.get("complete")) and pending == 0
            metrics, results = export_run(store, folder, ks, checkers, run_info)
            if args.html:
                from taco_judge.report_html import RunData

                html_runs.append(RunData.from_results(folder.resolve().name, results, metrics, store.task_metas(),
                                                      store.failing_outputs()))
        finally:
            store.close()
        if not args.quiet:
            if len(args.dirs) > 1:
                console.rule(str(folder))
            render_summary(metrics, console)
            if pending:
                console.print(f"{pending} samples of the last judge run are not judged yet: judge into {folder} "
                              "again to finish", highlight=False)
            print_output_paths(console, results=folder / "results.jsonl", metrics=folder / "metrics.json")
    if args.html:
        _write_html(args.html, html_runs, first_options)
        if not args.quiet:
            console.print(f"html: {args.html}")
    return 0


# ---------------------------------------------------------------- sweep


def _add_sweep_parser(sub: Any) -> argparse.ArgumentParser:
    sweep = sub.add_parser(
        "sweep", help="judge many generation files (models x temperatures x ...) on one problem set and compare them"
    )
    sweep.add_argument("file", metavar="SWEEP.toml", help="sweep file: shared options and [[runs]] (see README)")
    sweep.add_argument("--out", metavar="DIR",
                       help="sweep folder (default: the file's 'out', else runs/<file name>); running the sweep "
                            "again resumes it")
    sweep.add_argument("--runs", metavar="NAME,...",
                       help="judge only these runs (the comparison shows every run that has results)")
    sweep.add_argument("--sandbox", choices=SANDBOX_CHOICES, help="jail, overriding the file's")
    sweep.add_argument("--jobs", type=positive_int, help="parallel runners, overriding the file's")
    sweep.add_argument("--quiet", action="store_true", help="no progress bars or comparison table")
    sweep.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return sweep


def _sweep_run_args(parser: argparse.ArgumentParser, config: Any, run: Any, overrides: dict[str, Any]) -> argparse.Namespace:
    """The judge arguments of one sweep run, parsed now so a bad option stops the sweep before any work."""
    argv = config.judge_argv(run, overrides)
    errors = io.StringIO()
    try:
        with contextlib.redirect_stderr(errors):
            return parser.parse_args(argv)
    except SystemExit:
        lines = errors.getvalue().strip().splitlines()
        reason = lines[-1].split("error: ", 1)[-1] if lines else "invalid judge options"
        raise UserError(f"{config.path}: run {run.name!r}: {reason}; fix the sweep file") from None


def cmd_sweep(args: argparse.Namespace) -> int:
    """Judge every run of a sweep file into OUT/runs/NAME through one shared cache, then compare them."""
    from taco_judge import sweep

    console = _console()
    config = sweep.load_sweep(args.file, out=args.out)
    selected = sweep.select_runs(config, args.runs)
    parser = build_parser()
    overrides = {"sandbox": args.sandbox, "jobs": args.jobs}
    planned = [(run, _sweep_run_args(parser, config, run, overrides)) for run in selected]
    for run, run_args in planned:  # a broken generation file stops the sweep before any run, not midway
        try:
            load_generations(run.generations, skip_invalid=run_args.skip_invalid)
        except UserError as exc:
            raise UserError(f"{config.path}: run {run.name!r}: {exc}") from None
    try:
        config.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"sweep folder {config.out}: cannot create it ({exc.strerror or exc}); use --out") from None

    status = 0
    stopped_at: str | None = None
    failure: UserError | None = None
    with contextlib.ExitStack() as stack:
        on_ray = next((a for _, a in planned if _executor_name(a) == "ray"), None)
        if on_ray is not None:  # one Ray connection (or local instance) for every run, not one each
            from taco_judge.ray_executor import RayExecutor

            stack.callback(RayExecutor(on_ray.ray_address, on_ray.jobs, verbose=args.verbose).close)
        for number, (run, run_args) in enumerate(planned, start=1):
            if not args.quiet:
                console.rule(f"run {number}/{len(planned)}: {run.name}")
            run_args.quiet = args.quiet
            run_args.verbose = args.verbose
            run_args.summary = False
            try:
                status = cmd_judge(run_args)
            except UserError as exc:
                failure = UserError(f"sweep run {run.name!r}: {exc}")
                failure.exit_code = exc.exit_code
            if failure is not None or status != 0:
                stopped_at = run.name
                break

    # The comparison covers every run with results, finished ones included when the sweep stopped.
    outcomes = [o for o in (sweep.load_outcome(config, run) for run in config.runs) if o is not None]
    document = sweep.summarize(config, outcomes)
    sweep.write_sweep_json(config.out / sweep.SWEEP_JSON, document)
    sweep.write_sweep_csv(config.out / sweep.SWEEP_CSV, document)
    if outcomes:
        _write_sweep_html(config, outcomes, document)
    if not args.quiet:
        sweep.render_comparison(document, console)
        console.print(f"sweep: {config.out / sweep.SWEEP_JSON}   {config.out / sweep.SWEEP_CSV}   "
                      f"{config.out / sweep.SWEEP_HTML}", highlight=False)
    if failure is not None:
        raise failure
    if stopped_at is not None:
        print(f"taco-judge: sweep stopped at run {stopped_at!r}; every finished sample is saved in {config.out} "
              "(run the sweep again to resume)", file=sys.stderr)
    return status


def _write_sweep_html(config: Any, outcomes: Sequence[Any], document: dict[str, Any]) -> None:
    from taco_judge import report_html, sweep

    runs = [report_html.RunData.from_results(o.run.name, o.results, o.metrics, o.tasks, o.outputs) for o in outcomes]
    _write_html(config.out / sweep.SWEEP_HTML, runs, config.options,
                title=f"taco-judge sweep: {config.path.name}", comparison=document)


# ---------------------------------------------------------------- problems validate


def cmd_validate(args: argparse.Namespace) -> int:
    """Run reference solutions through the judge; report every test a reference fails."""
    console = _console()
    source = open_problems(args.path, split=args.split)
    problem_filter = _problem_filter(args)
    spj = _spj_map(args, args.path)
    config = _config(args, ("strict",), spj, early_stop=False)
    ray = _open_ray(args, config) if _executor_name(args) == "ray" else None
    backend = make_backend(args.sandbox, **config.backend_options()) if ray is None else None
    judging = Judging(ray[1].jail if ray is not None else backend.identity(), runner_sha256())
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
            if ray is not None:
                ray[0].run(judges(), collector, node=ray[1])
            else:
                run_pool(iter_items(judges(), judging), backend, args.jobs, collector)
        finally:
            if progress is not None:
                progress.__exit__(None, None, None)
    finally:
        if backend is not None:
            backend.close()
        if ray is not None:
            ray[0].close()

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

# command -> (adds its parser to the subparsers, runs it). A new command is one line here.
COMMANDS: dict[str, tuple[Callable[[Any], argparse.ArgumentParser], Callable[[argparse.Namespace], int]]] = {
    "judge": (_add_judge_parser, cmd_judge),
    "rejudge": (_add_rejudge_parser, cmd_rejudge),
    "report": (_add_report_parser, cmd_report),
    "problems": (_add_problems_parser, cmd_validate),
    "sandbox": (_add_sandbox_parser, cmd_sandbox),
    "audit": (add_audit_parser, run_audit),
    "sweep": (_add_sweep_parser, cmd_sweep),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(getattr(args, "verbose", False))
    try:
        return COMMANDS[args.command][1](args)
    except UserError as exc:
        print(f"taco-judge: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("taco-judge: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
