"""What the commands share: run options, logging, the result collector, exporting a run folder."""


from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from rich.console import Console
from rich.logging import RichHandler

from taco_judge import quarantine
from taco_judge.argtypes import positive_float, positive_int
from taco_judge.backends import CHOICES as SANDBOX_CHOICES
from taco_judge.errors import UserError
from taco_judge.executors.local import JailDown
from taco_judge.judge import (
    DEFAULT_HASH_SEED,
    DEFAULT_MEMORY_MB,
    DEFAULT_TIME_LIMIT_S,
)
from taco_judge.metrics import compute_metrics
from taco_judge.problems import ProblemFilter
from taco_judge.report import (
    ProgressReporter,
    write_metrics,
    write_results,
)
from taco_judge.score import ScoreWeights
from taco_judge.spj import CASE_MULTI, SPJ_FILE_NAME, choose_spj
from taco_judge.store import (
    Store,
)
from taco_judge.verdict import SampleResult

log = logging.getLogger("taco_judge")


EXIT_USER_ERROR = 2


EXIT_JAIL_DOWN = 3


EXIT_INTERRUPTED = 130




# Where judging runs (--executor); a Ray run's jail identity comes from its workers, so the
# executor changes no result and is not compared on resume.
EXECUTOR_CHOICES = ("local", "ray")
DEFAULT_JOBS = max(1, os.cpu_count() or 2)  # parallel runners: one per CPU


def ks(text: str) -> list[int]:
    try:
        ks = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected k values like 1,10,100, got {text!r}") from None
    if not ks or ks[0] < 1:
        raise argparse.ArgumentTypeError(f"k values must be >= 1, got {text!r}")
    return ks


def add_limit_options(p: argparse.ArgumentParser) -> None:
    """``--time-limit`` and ``--memory-limit``: the per-test limits, overriding the problems' own
    (``time_limit_s`` and ``memory_mb`` in the API, the run record and the runner's wire).
    ``--timeout`` and ``--memory``, their names before 0.1, still work."""
    p.add_argument("--time-limit", dest="time_limit_s", type=positive_float, metavar="S",
                   help=f"CPU seconds per test, overriding the problems' limits (default when a problem has none: "
                        f"{DEFAULT_TIME_LIMIT_S:g})")
    p.add_argument("--timeout", dest="time_limit_s", type=positive_float, help=argparse.SUPPRESS)
    p.add_argument("--memory-limit", dest="memory_mb", type=positive_int, metavar="MB",
                   help=f"memory per test in MB, overriding the problems' limits (default when a problem has none: "
                        f"{DEFAULT_MEMORY_MB})")
    p.add_argument("--memory", dest="memory_mb", type=positive_int, help=argparse.SUPPRESS)


def add_checking_options(p: argparse.ArgumentParser) -> None:
    """The limits and how outputs are compared: what ``judge``, ``audit``, ``serve`` and
    ``problems validate`` share."""
    add_limit_options(p)
    p.add_argument("--spj", metavar="FILE",
                   help=f"TACO special-judge list (output_spj.jsonl), or 'none'; default: {SPJ_FILE_NAME} in the "
                        "problems folder, or beside the problems file")
    p.add_argument("--float-tol", type=positive_float, metavar="EPS",
                   help="accept float tokens within EPS (absolute or relative) on every problem")


def collect(results: Iterator[SampleResult], collector: Collector,
            counted: Callable[[SampleResult], bool] | None = None) -> tuple[bool, JailDown | None]:
    """Take a Judge's results into ``collector`` with its progress display on; (interrupted by
    Ctrl-C, the JailDown that stopped the run). Samples already running finish and are kept."""
    progress = collector.progress
    try:
        if progress is not None:
            progress.__enter__()
        for result in results:
            collector.done(result, counted=counted(result) if counted is not None else True)
    except KeyboardInterrupt:
        return True, None
    except JailDown as exc:
        return False, exc
    finally:
        if progress is not None:
            progress.__exit__(None, None, None)
        collector.close()
    return False, None


def add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sandbox", choices=SANDBOX_CHOICES, default="auto",
                   help="jail: docker when available (auto), local namespaces+rlimits, or docker")
    p.add_argument("--jobs", type=positive_int, default=DEFAULT_JOBS,
                   help="parallel runners (default: number of CPUs); with --executor ray and no --ray-address, "
                        "the CPUs of the local Ray instance")
    p.add_argument("--executor", choices=EXECUTOR_CHOICES, default=None,
                   help="where judging runs: worker threads on this machine (local, the default), or Ray tasks "
                        "(ray: a local Ray instance, or the cluster at --ray-address); needs "
                        "pip install 'taco-judge[ray]'")
    p.add_argument("--ray-address", metavar="ADDR",
                   help="Ray cluster to judge on (implies --executor ray): auto, HOST:6379, or ray://HOST:10001; "
                        "every node needs taco-judge and the jail (see docs/ray.md)")
    add_checking_options(p)
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


def score_weights_arg(text: str) -> ScoreWeights:
    try:
        return ScoreWeights.from_text(text, origin="")
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc).strip()) from None


def float_tol_or_none(text: str) -> float | None:
    return None if text.strip().lower() == "none" else positive_float(text)


def make_console() -> Console:
    return Console(stderr=False)


def setup_logging(verbose: bool) -> None:
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


def log_warnings(warnings: list[str], shown: int = 5) -> None:
    for warning in warnings[:shown]:
        log.warning(warning)
    if len(warnings) > shown:
        log.warning("... and %d more warnings like these", len(warnings) - shown)


def problem_filter_of(args: argparse.Namespace) -> ProblemFilter:
    return ProblemFilter.from_options(
        difficulty=args.difficulty, skill=args.skill, source=args.source, task_ids=args.task_ids
    )


def find_spj(args: Any, problems_spec: str) -> str | None:
    """The special-judge list a run uses (``choose_spj``), saying so when it was found, not given."""
    path = choose_spj(args.spj, problems_spec)
    if path is not None and args.spj is None:
        log.info("using the special-judge list %s (found with the problems; --spj none for none)", path)
    return path






def warn_weaker(lacks: Sequence[str]) -> None:
    """Say once, on one line at the start, what this jail does not isolate here (docs/security.md)."""
    if lacks:
        log.warning("isolation weaker than usual (see metrics.json run.isolation_weaker_than_usual): %s",
                    "; ".join(lacks))


class Collector:
    """Keeps finished samples (already recorded in the store by the Judge), advances the progress
    display, and appends each to a crash-safe partial file as it arrives."""

    def __init__(self, partial_path: Path | None, progress: ProgressReporter | None) -> None:
        self.results: list[SampleResult] = []
        self.progress = progress
        self.partial = open(partial_path, "w", encoding="utf-8") if partial_path else None

    def done(self, result: SampleResult, *, counted: bool = True) -> None:
        """A sample with its result; ``counted``: it moves the progress (not a resume's stored one)."""
        self.results.append(result)
        if self.partial is not None:
            self.partial.write(json.dumps(result.to_json()) + "\n")
            self.partial.flush()
        if self.progress is not None and counted:
            self.progress.advance(result)

    def close(self) -> None:
        if self.partial is not None:
            self.partial.close()


def abs_if_path(spec: str | None) -> str | None:
    """A local path made absolute (a run folder is read again later from anywhere); hub ids as given."""
    if spec is None:
        return None
    return os.path.abspath(spec) if Path(spec).exists() else spec


def executor_name(args: argparse.Namespace) -> str:
    """``--executor``, where ``--ray-address`` alone means ray."""
    chosen = getattr(args, "executor", None)
    address = getattr(args, "ray_address", None)
    if address and chosen == "local":
        raise UserError(f"--ray-address {address}: only used with --executor ray; drop --executor local")
    return chosen or ("ray" if address else "local")






def export_run(store: Store, out: Path, ks: Sequence[int], checkers: Sequence[str],
               run_info: dict[str, Any]) -> tuple[dict[str, Any], list[SampleResult]]:
    """Regenerate results.jsonl and metrics.json of a run folder from its store.

    A run judged with --quarantine keeps its stored (unsettled) verdicts; the quarantine is
    applied here, so `report` and `rejudge` apply it the same way.
    """
    results = store.results()
    tasks = store.task_metas()
    quarantined = load_quarantine(run_info.get("quarantine"))
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


def load_quarantine(path: str | None) -> quarantine.Quarantine | None:
    return quarantine.load(path) if path else None


# Run-record keys renamed since the first stores were written (old name -> name now).
_RENAMED_OPTIONS = {"timeout": "time_limit_s", "memory": "memory_mb"}


def stored_options(store: Store, folder: Path) -> dict[str, Any]:
    """The options a run folder was judged with (keys of older stores under today's names)."""
    options = store.get_meta("run_config")
    if not isinstance(options, dict):
        raise UserError(f"{folder}: its store holds no judge run; run `taco-judge judge --out {folder}` first")
    return with_current_names(options)


def with_current_names(options: dict[str, Any]) -> dict[str, Any]:
    """A stored run record under today's option names."""
    return {_RENAMED_OPTIONS.get(key, key): value for key, value in options.items()}
