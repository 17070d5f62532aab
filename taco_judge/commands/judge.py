"""`taco-judge judge`: judge generations against hidden tests into a run folder (resumable)."""


from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Iterator

from rich.console import Console

from taco_judge import __version__, quarantine
from taco_judge.argtypes import add_problem_options
from taco_judge.backends import make_backend
from taco_judge.checkers import CHECKER_SETS
from taco_judge.commands.common import (
    EXIT_INTERRUPTED,
    EXIT_JAIL_DOWN,
    Collector,
    abs_if_path,
    add_run_options,
    executor_name,
    export_run,
    find_spj,
    judge_config,
    judge_pool,
    ks,
    load_quarantine,
    log,
    log_warnings,
    make_console,
    open_ray,
    problem_filter_of,
    score_weights_arg,
    warn_weaker,
)
from taco_judge.errors import UserError
from taco_judge.judge import (
    JudgeConfig,
    SampleJudge,
)
from taco_judge.problems import Problem, open_problems
from taco_judge.report import (
    ProgressReporter,
    render_summary,
)
from taco_judge.resume import StoredJudging
from taco_judge.runner_files import runner_sha256
from taco_judge.spj import load_spj
from taco_judge.store import (
    Store,
    make_private,
    open_run_store,
    run_folder_lock,
)
from taco_judge.submissions import Submission, load_generations

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
    judge.add_argument("--k", type=ks, default=[1, 10, 100], metavar="K,K,...", help="k values for pass@k")
    stop = judge.add_mutually_exclusive_group()
    stop.add_argument("--early-stop", dest="early_stop", action="store_true", default=True,
                      help="stop a sample at its first failing test (default)")
    stop.add_argument("--all-tests", dest="early_stop", action="store_false", help="run every test of every sample")
    judge.add_argument("--skip-invalid", action="store_true",
                       help="judge malformed samples as CE with a warning instead of stopping")
    judge.add_argument("--cache", metavar="PATH",
                       help="shared execution cache (a SQLite file): a program already run on the same tests, "
                            "limits and jail by any run using it is not run again")
    judge.add_argument("--score-weights", type=score_weights_arg, metavar="W",
                       help="weights of the composite score, e.g. tle=0.5,mle=0.5,re=0.25 (the defaults; see README)")
    judge.add_argument("--quarantine", metavar="FILE",
                       help="quarantine.json from `taco-judge audit`: failures on those tests do not count "
                            "(timing-flaky tests: only their TLE); metrics.json reports what each one affected")
    return judge


def _run_options(args: argparse.Namespace, spj_path: str | None, jail: str) -> dict[str, Any]:
    """The options a run folder remembers: resume compares them, rejudge and report start from them."""
    return {
        "problems": abs_if_path(args.problems),
        "split": args.split,
        "difficulty": args.difficulty,
        "skill": args.skill,
        "source": args.source,
        "task_ids": args.task_ids,
        "generations": abs_if_path(args.generations),
        "skip_invalid": args.skip_invalid,
        "compare": args.compare,
        "spj": abs_if_path(spj_path),
        "float_tol": args.float_tol,
        "checker": os.path.abspath(args.checker) if args.checker else None,
        "preamble": args.preamble,
        "hash_seed": args.hash_seed,
        "early_stop": args.early_stop,
        "timeout": args.timeout,
        "memory": args.memory,
        "sandbox": args.sandbox,
        "executor": executor_name(args),
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


def run(args: argparse.Namespace) -> int:
    console = make_console()
    started = time.monotonic()
    quarantined = load_quarantine(args.quarantine)  # read first: a bad file stops before any work
    source = open_problems(args.problems, split=args.split)
    problem_filter = problem_filter_of(args)
    spj_path = find_spj(args, args.problems)
    spj = load_spj(spj_path) if spj_path else {}
    checkers = CHECKER_SETS[args.compare]
    config = judge_config(args, checkers, spj, args.early_stop)

    # Cheap pass: every task id of the split (to validate generations) and the kept ones' metadata.
    all_ids: set[Any] = set()
    kept_meta: dict[Any, Any] = {}
    for meta in source.index():
        all_ids.add(meta.task_id)
        if problem_filter.matches(meta):
            kept_meta[meta.task_id] = meta
    submissions, warnings = load_generations(args.generations, known_task_ids=all_ids, skip_invalid=args.skip_invalid)
    log_warnings(warnings)
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
            return judge_into_store(args, console, started, source, config, spj_path, by_task, total, out, store,
                                     quarantined)
        finally:
            store.close()


def judge_into_store(args: argparse.Namespace, console: Console, started: float, source: Iterable[Problem],
                      config: JudgeConfig, spj_path: str | None, by_task: dict[Any, list[Submission]], total: int,
                      out: Path, store: Store, quarantined: quarantine.Quarantine | None = None) -> int:
    """The judge command once its inputs are read: resume from the store, run the rest, export."""
    checkers = config.checkers
    cache: Store | None = None
    backend = None
    ray: tuple[Any, Any] | None = None  # (RayExecutor, NodeJail) with --executor ray
    executor_info: dict[str, Any] = {"executor": executor_name(args)}
    try:
        if args.cache and Path(args.cache).resolve() == store.path.resolve():
            raise UserError(f"--cache {args.cache}: this is the run's own store; give a separate file shared by runs")
        cache = Store.open(args.cache) if args.cache else None
        if executor_info["executor"] == "ray":
            ray = open_ray(args, config)
            jail, runner = ray[1].jail, ray[1].runner_sha256  # the workers' jail: the driver needs none
            executor_info["ray"] = ray[0].describe()
            environment, weaker = dict(ray[1].environment), list(ray[1].weaker)
        else:
            backend = make_backend(args.sandbox, **config.backend_options())
            jail, runner = backend.identity(), runner_sha256()
            environment, weaker = backend.environment(), backend.weaker_than_usual()
        warn_weaker(weaker)
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
        collector = Collector(out / "results.partial.jsonl", progress, judging)

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

        interrupted, jail_down = judge_pool(pairs(), backend, args.jobs, collector, progress, judging.judging, ray=ray)
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
        console.print(f"results: {out / 'results.jsonl'}   metrics: {out / 'metrics.json'}")
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
