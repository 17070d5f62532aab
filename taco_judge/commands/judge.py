"""`taco-judge judge`: judge generations against hidden tests into a run folder (resumable)."""


from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from rich.console import Console

from taco_judge import quarantine
from taco_judge.api import Judge
from taco_judge.argtypes import add_problem_options, output_folder
from taco_judge.backends import CHOICES as SANDBOX_CHOICES
from taco_judge.checkers import CHECKER_SETS
from taco_judge.commands.common import (
    DEFAULT_JOBS,
    EXECUTOR_CHOICES,
    EXIT_INTERRUPTED,
    EXIT_JAIL_DOWN,
    Collector,
    abs_if_path,
    add_run_options,
    collect,
    executor_name,
    export_run,
    find_spj,
    ks,
    load_quarantine,
    log,
    log_warnings,
    make_console,
    problem_filter_of,
    score_weights_arg,
    warn_weaker,
    with_current_names,
)
from taco_judge.errors import UserError
from taco_judge.executors.local import JailDown
from taco_judge.judge import DEFAULT_HASH_SEED
from taco_judge.metrics import DEFAULT_KS
from taco_judge.problems import Problem, open_problems
from taco_judge.report import (
    ProgressReporter,
    print_files,
    render_summary,
)
from taco_judge.run_folder import make_private, open_run_store, run_folder_lock
from taco_judge.score import ScoreWeights
from taco_judge.spj import describe_spj
from taco_judge.store import Store
from taco_judge.submissions import Submission, load_generations
from taco_judge.verdict import SampleResult
from taco_judge.version import __version__

# Run options that do not change any result: a resume with other values says nothing about them.
_OPTIONS_NOT_COMPARED = frozenset({"k", "cache", "score_weights", "executor", "ray_address"})


def add_parser(sub: Any) -> argparse.ArgumentParser:
    judge = sub.add_parser("judge", help="judge generations against hidden tests; write results and pass@k")
    add_problem_options(judge)
    judge.add_argument("--generations", required=True, metavar="G",
                       help="TACO generation.json, or JSONL of {task_id, output:[...]} / {task_id, solution}")
    judge.add_argument("--out", required=True, metavar="DIR",
                       help="output folder for results.jsonl, metrics.json and the store results.sqlite; "
                            "judging into it again resumes, running only what is missing")
    add_run_options(judge)
    judge.add_argument("--compare", choices=tuple(CHECKER_SETS), default="strict",
                       help="checker: strict (default), taco (the reference evaluator's verdicts), or both side by side")
    judge.add_argument("--k", type=ks, default=list(DEFAULT_KS), metavar="K,K,...", help="k values for pass@k")
    stop = judge.add_mutually_exclusive_group()
    stop.add_argument("--early-stop", dest="early_stop", action="store_true", default=True,
                      help="stop a sample at its first failing test (default)")
    stop.add_argument("--all-tests", dest="early_stop", action="store_false", help="run every test of every sample")
    judge.add_argument("--skip-invalid", action="store_true",
                       help="instead of stopping: judge samples with no code or non-string code as CE, skip "
                            "unreadable entries and samples of tasks not in the problem set (warnings summarise)")
    judge.add_argument("--cache", metavar="PATH",
                       help="shared execution cache (a SQLite file): a program already run on the same tests, "
                            "limits and jail by any run using it is not run again")
    judge.add_argument("--score-weights", type=score_weights_arg, metavar="W",
                       help="weights of the composite score, e.g. tle=0.5,mle=0.5,re=0.25 (the defaults; see README)")
    judge.add_argument("--quarantine", metavar="FILE",
                       help="quarantine.json from `taco-judge audit`: failures on those tests do not count "
                            "(timing-flaky tests: only their TLE); metrics.json reports what each one affected")
    return judge


@dataclass(frozen=True)
class JudgeRequest:
    """One `judge` run: what the command line's flags give, or a sweep file's options for one of its
    runs (the sweep builds these directly). Field names are the flags' (``--task-ids`` is
    ``task_ids``); a value out of range is a UserError naming it."""

    problems: str
    generations: str
    out: str
    split: str | None = None
    difficulty: str | None = None
    skill: str | None = None
    source: str | None = None
    task_ids: str | None = None
    skip_invalid: bool = False
    compare: str = "strict"
    spj: str | None = None
    float_tol: float | None = None
    checker: str | None = None
    preamble: str = "taco"
    hash_seed: int = DEFAULT_HASH_SEED
    early_stop: bool = True
    time_limit_s: float | None = None
    memory_mb: int | None = None
    sandbox: str = "auto"
    executor: str | None = None
    ray_address: str | None = None
    jobs: int = DEFAULT_JOBS
    k: tuple[int, ...] = DEFAULT_KS
    cache: str | None = None
    quarantine: str | None = None
    score_weights: ScoreWeights | None = None
    quiet: bool = False
    verbose: bool = False
    summary: bool = True  # the closing summary table (a sweep prints one comparison instead)

    def __post_init__(self) -> None:
        for name in ("time_limit_s", "float_tol"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise UserError(f"{name} {value!r}: give a number > 0")
        for name in ("memory_mb", "jobs"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise UserError(f"{name} {value!r}: give a whole number >= 1")
        choices = {"compare": tuple(CHECKER_SETS), "preamble": ("taco", "none"), "sandbox": SANDBOX_CHOICES,
                   "executor": (None, *EXECUTOR_CHOICES)}
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise UserError(f"{name} {getattr(self, name)!r}: choose one of "
                                f"{', '.join(str(a) for a in allowed if a is not None)}")
        if not self.k or min(self.k) < 1:
            raise UserError(f"k {list(self.k)}: give k values >= 1")
        object.__setattr__(self, "k", tuple(sorted(set(self.k))))

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> JudgeRequest:
        """The request the parsed ``judge`` flags make."""
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{name: value for name, value in vars(args).items() if name in known})


def _run_options(request: JudgeRequest, spj_path: str | None, jail: str) -> dict[str, Any]:
    """The options a run folder remembers: resume compares them, rejudge and report start from them."""
    return {
        "problems": abs_if_path(request.problems),
        "split": request.split,
        "difficulty": request.difficulty,
        "skill": request.skill,
        "source": request.source,
        "task_ids": request.task_ids,
        "generations": abs_if_path(request.generations),
        "skip_invalid": request.skip_invalid,
        "compare": request.compare,
        "spj": abs_if_path(spj_path),
        "float_tol": request.float_tol,
        "checker": os.path.abspath(request.checker) if request.checker else None,
        "preamble": request.preamble,
        "hash_seed": request.hash_seed,
        "early_stop": request.early_stop,
        "time_limit_s": request.time_limit_s,
        "memory_mb": request.memory_mb,
        "sandbox": request.sandbox,
        "executor": executor_name(request),
        "ray_address": request.ray_address,
        "jail": jail,
        "k": list(request.k),
        "cache": os.path.abspath(request.cache) if request.cache else None,
        "quarantine": os.path.abspath(request.quarantine) if request.quarantine else None,
        "score_weights": request.score_weights.to_text() if request.score_weights else None,
    }


def _changed_options(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    changed = []
    for key in current:
        if key in _OPTIONS_NOT_COMPARED or previous.get(key) == current[key]:
            continue
        changed.append(f"{key} {previous.get(key)!r} -> {current[key]!r}")
    return changed


def run(args: argparse.Namespace) -> int:
    return judge_run(JudgeRequest.from_args(args))


def judge_run(request: JudgeRequest, console: Console | None = None) -> int:
    """Judge a request's generations into its run folder (resuming what the folder holds), export
    results.jsonl and metrics.json, print the summary; the exit code."""
    console = console or make_console()
    started = time.monotonic()
    quarantined = load_quarantine(request.quarantine)  # read first: a bad file stops before any work
    source = open_problems(request.problems, split=request.split)
    problem_filter = problem_filter_of(request)
    spj_path = find_spj(request, request.problems)
    if request.checker and not os.access(request.checker, os.X_OK):
        raise UserError(f"--checker {request.checker}: not an executable file; chmod +x it or give the right path")

    # Cheap pass: every task id of the split (to validate generations) and the kept ones' metadata.
    all_ids: set[Any] = set()
    kept_meta: dict[Any, Any] = {}
    for meta in source.index():
        all_ids.add(meta.task_id)
        if problem_filter.matches(meta):
            kept_meta[meta.task_id] = meta
    submissions, warnings = load_generations(request.generations, known_task_ids=all_ids,
                                             skip_invalid=request.skip_invalid)
    log_warnings(warnings)
    kept = [submission for submission in submissions if submission.task_id in kept_meta]
    if not kept:
        raise UserError(f"{request.generations}: no sample belongs to a selected problem of {request.problems}; "
                        "check --task-ids and the filters")

    out = output_folder(request.out, holds="results.jsonl, metrics.json and the store")
    make_private(out)
    with run_folder_lock(out):
        store = open_run_store(out)
        try:
            return _judge_into_store(request, console, started, source, spj_path, kept, out, store, quarantined)
        finally:
            store.close()


def _judge_into_store(request: JudgeRequest, console: Console, started: float, source: Iterable[Problem],
                      spj_path: str | None, submissions: list[Submission], out: Path, store: Store,
                      quarantined: quarantine.Quarantine | None) -> int:
    """The judge command once its inputs are read: resume from the store, run the rest, export."""
    total = len(submissions)
    checkers = CHECKER_SETS[request.compare]
    interrupted = False
    jail_down: JailDown | None = None
    judge = Judge(
        sandbox=request.sandbox, checker=request.compare, spj=spj_path, float_tol=request.float_tol,
        checker_program=request.checker, preamble=request.preamble, early_stop=request.early_stop,
        time_limit_s=request.time_limit_s, memory_mb=request.memory_mb, hash_seed=request.hash_seed, jobs=request.jobs,
        executor=executor_name(request), ray_address=request.ray_address, store=store, cache=request.cache,
        quarantine=quarantined,
    )
    with judge:
        jail = judge.jail
        environment, weaker, describe = judge.environment(), judge.weaker_than_usual(), judge.describe()
        warn_weaker(weaker)
        options = _run_options(request, spj_path, jail)
        previous = store.begin_run([(s.task_id, s.sample) for s in submissions], options)
        changed: list[str] = []
        if previous is not None:
            changed = _changed_options(with_current_names(previous), options)
            if changed:
                log.warning(
                    "%s: resuming a run judged with other options (%s); stored results are reused only where "
                    "code, tests, limits, preamble, jail and checker options all match", out, "; ".join(changed)
                )
        # A resume under the same options reuses every stored result: the progress counts the rest.
        done_before = set() if previous is None or changed else \
            {(row.task_id, row.sample) for row in store.sample_rows().values() if row.status == "done"}
        if done_before and not request.quiet:
            console.print(f"resuming {out}: {len(done_before)} of {total} samples already judged, "
                          f"{total - len(done_before)} to run", highlight=False, soft_wrap=True)
        progress = None if request.quiet or total == len(done_before) else \
            ProgressReporter(total - len(done_before), console)
        collector = Collector(out / "results.partial.jsonl", progress)

        def counted(result: SampleResult) -> bool:  # a resume's stored results do not move the progress
            key = (result.task_id, result.sample)
            if key in done_before:
                done_before.discard(key)
                return False
            return True

        interrupted, jail_down = collect(judge.run(source, submissions), collector, counted)
        counts = judge.counts
        executor_info = judge.executor_info()
    assert counts is not None  # a Judge with a store counts

    judged = store.judged()
    complete = not interrupted and jail_down is None and store.pending() == 0 and judged == total
    run_info = {
        "problems": request.problems,
        "generations": request.generations,
        "sandbox": describe,
        "spj": options["spj"],
        "programs_run_on": environment,
        "isolation_weaker_than_usual": weaker,
        "hash_seed": request.hash_seed,
        **executor_info,
        "checkers": list(checkers),
        "preamble": request.preamble,
        "early_stop": request.early_stop,
        "wall_s": round(time.monotonic() - started, 3),
        "complete": complete,
        "samples_expected": total,
        "taco_judge_version": __version__,
        "store": {"path": str(store.path), "cache": options["cache"], **counts.to_json()},
        "quarantine": options["quarantine"],
        "checker_program": options["checker"],
        "score_weights": options["score_weights"],
    }
    store.set_meta("run_info", run_info)
    store.set_meta("run_state", {"samples_expected": total, "complete": complete})
    metrics, results = export_run(store, out, request.k, checkers, run_info)
    (out / "results.partial.jsonl").unlink(missing_ok=True)
    if not request.quiet and request.summary:
        render_summary(metrics, console)
        console.print(describe_spj(spj_path, judge.config.spj), highlight=False, soft_wrap=True)
        if counts.reused or counts.replayed:
            console.print(
                f"store: {counts.run} samples run, {counts.replayed} judged from stored runs, "
                f"{counts.reused} results reused", highlight=False,
            )
        print_files(console, [("results", out / "results.jsonl"), ("metrics", out / "metrics.json")])
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
