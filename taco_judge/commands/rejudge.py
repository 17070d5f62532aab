"""`taco-judge rejudge`: judge a finished run again under other checker options from its stored observations."""


from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from rich.console import Console

from taco_judge.api import Judge
from taco_judge.argtypes import positive_int
from taco_judge.backends import CHOICES as SANDBOX_CHOICES
from taco_judge.checkers import CHECKER_SETS
from taco_judge.commands.common import (
    DEFAULT_JOBS,
    EXIT_INTERRUPTED,
    EXIT_JAIL_DOWN,
    Collector,
    collect,
    export_run,
    float_tol_or_none,
    ks,
    log,
    make_console,
    stored_options,
)
from taco_judge.errors import UserError
from taco_judge.executions import MissingObservations
from taco_judge.executors.local import JailDown
from taco_judge.judge import (
    DEFAULT_HASH_SEED,
    JudgeConfig,
    SampleJudge,
)
from taco_judge.preamble import preamble_text
from taco_judge.problems import open_problems
from taco_judge.report import (
    ProgressReporter,
    print_files,
    render_summary,
)
from taco_judge.resume import StoredJudging
from taco_judge.run_folder import open_run_store, run_folder_lock
from taco_judge.runner_files import runner_sha256
from taco_judge.spj import choose_spj, load_spj
from taco_judge.store import Store, rebuild_submission
from taco_judge.submissions import Submission


def add_parser(sub: Any) -> argparse.ArgumentParser:
    rejudge = sub.add_parser(
        "rejudge", help="judge a finished run again under other checker options from its stored observations (runs no code)"
    )
    rejudge.add_argument("dir", metavar="DIR", help="a run folder written by `taco-judge judge --out`")
    rejudge.add_argument("--compare", choices=tuple(CHECKER_SETS), help="checker (default: the run's)")
    rejudge.add_argument("--spj", metavar="FILE", help="special-judge list, or 'none' (default: the cases the run used)")
    rejudge.add_argument("--float-tol", type=float_tol_or_none, metavar="EPS", default=argparse.SUPPRESS,
                         help="float tolerance, or 'none' to drop the run's (default: the run's)")
    rejudge.add_argument("--checker", metavar="PATH", help="checker program for several-answer problems (default: the run's)")
    rejudge.add_argument("--problems", metavar="P",
                         help="where the problems' expected outputs are read (default: the run's --problems)")
    rejudge.add_argument("--split", help="split of --problems (default: the run's)")
    rejudge.add_argument("--k", type=ks, metavar="K,K,...", help="k values for pass@k (default: the run's)")
    rejudge.add_argument("--run-missing", action="store_true",
                         help="run, in the jail, the samples whose new verdict needs tests that never ran "
                              "(stopped early) and those the jail failed (SE); without it such samples stop the rejudge")
    rejudge.add_argument("--sandbox", choices=SANDBOX_CHOICES, help="jail for --run-missing (default: the run's)")
    rejudge.add_argument("--jobs", type=positive_int, default=DEFAULT_JOBS,
                         help="parallel runners for --run-missing")
    rejudge.add_argument("--quiet", action="store_true", help="no summary table")
    rejudge.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return rejudge


def run(args: argparse.Namespace) -> int:
    """Judge a run's samples again from their stored observations under new checker options."""
    console = make_console()
    started = time.monotonic()
    folder = Path(args.dir)
    store = open_run_store(folder, create=False)
    try:
        with run_folder_lock(folder):
            return _rejudge(args, store, folder, console, started)
    finally:
        store.close()


def _rejudge(args: argparse.Namespace, store: Store, folder: Path, console: Console, started: float) -> int:
    options = dict(stored_options(store, folder))
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
        options["spj"] = None if choose_spj(args.spj, "") is None else os.path.abspath(args.spj)
    checkers = CHECKER_SETS[options["compare"]]
    stored_tasks = store.task_records()
    if args.spj is not None:
        spj = load_spj(options["spj"]) if options["spj"] else {}
    else:
        spj = {task: case for task, (_, _, case) in stored_tasks.items() if case}
    config = JudgeConfig(
        checkers=checkers,
        spj=spj,
        float_tol=options.get("float_tol"),
        checker_program=options.get("checker"),
        preamble=preamble_text(options.get("preamble", "taco")),
        early_stop=options.get("early_stop", True),
        time_limit_s=options.get("time_limit_s"),
        memory_mb=options.get("memory_mb"),
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
    samples_run = 0
    if args.run_missing and to_run:
        judge = Judge(
            sandbox=args.sandbox or options.get("sandbox", "auto"), checker=options["compare"], spj=spj,
            float_tol=options.get("float_tol"), checker_program=options.get("checker"),
            preamble=options.get("preamble", "taco"), early_stop=options.get("early_stop", True),
            time_limit_s=options.get("time_limit_s"), memory_mb=options.get("memory_mb"),
            hash_seed=int(options.get("hash_seed", DEFAULT_HASH_SEED)), jobs=args.jobs, store=store,
        )
        with judge:
            if judge.jail != judging.jail:
                log.warning("%s: the jail differs from the run's; samples run now are keyed by this jail", folder)
            describe = judge.describe()
            progress = None if args.quiet else ProgressReporter(sum(len(subs) for _, subs in to_run), console)
            collector = Collector(None, progress)
            interrupted, jail_down = collect(
                judge.run_samples((judge.sample_judge(old.problem), subs) for old, subs in to_run), collector)
            samples_run = judge.counts.run if judge.counts is not None else 0
    elif jail_failed:
        log.warning("%s: %d samples stay SE (the jail failed on them and nothing was observed); "
                    "add --run-missing to run them", folder, jail_failed)

    complete = not interrupted and jail_down is None and store.pending() == 0
    run_info = dict(store.get_meta("run_info") or {})
    run_info.update({
        "checkers": list(checkers),
        "checker_program": options.get("checker"),
        "sandbox": describe,
        "spj": options.get("spj"),
        "complete": complete,
        "rejudged": {"wall_s": round(time.monotonic() - started, 3), "samples_run": samples_run,
                     "samples_needing_tests_never_run": missing, "samples_jail_failed": jail_failed},
    })
    store.set_meta("run_info", run_info)
    metrics, results = export_run(store, folder, options["k"], checkers, run_info)
    if not args.quiet:
        render_summary(metrics, console)
        print_files(console, [("results", folder / "results.jsonl"), ("metrics", folder / "metrics.json")])
    if interrupted:
        print(f"taco-judge: interrupted; {len(results)} samples judged and saved in {folder}", file=sys.stderr)
        return EXIT_INTERRUPTED
    if jail_down is not None:
        print(f"taco-judge: error: {jail_down}; results saved in {folder}; run the rejudge again", file=sys.stderr)
        return EXIT_JAIL_DOWN
    return 0
