"""`taco-judge problems validate`: run each problem's reference solutions against its tests."""


from __future__ import annotations

import argparse
import json
from typing import Any, Iterator

from rich.console import Console

from taco_judge.api import Judge
from taco_judge.argtypes import add_problem_filters, positive_int
from taco_judge.commands.common import (
    Collector,
    add_run_options,
    collect,
    executor_name,
    find_spj,
    make_console,
    problem_filter_of,
)
from taco_judge.judge import (
    SampleJudge,
)
from taco_judge.problems import open_problems
from taco_judge.report import (
    ProgressReporter,
)
from taco_judge.submissions import Submission, submission_from_code


def add_parser(sub: Any) -> argparse.ArgumentParser:
    problems = sub.add_parser("problems", help="problem-set tools")
    psub = problems.add_subparsers(dest="problems_command", required=True, metavar="ACTION")
    validate = psub.add_parser("validate", help="run each problem's reference solutions against its tests")
    validate.add_argument("path", metavar="PATH", help="problem set (same forms as --problems)")
    add_problem_filters(validate)
    validate.add_argument("--solutions", type=positive_int, default=10, metavar="K",
                          help="check at most K reference solutions per problem (default 10)")
    validate.add_argument("--report", metavar="FILE", help="also write every failing test as JSON lines")
    add_run_options(validate)
    return problems


def run(args: argparse.Namespace) -> int:
    """Run reference solutions through the judge; report every test a reference fails."""
    console = make_console()
    source = open_problems(args.path, split=args.split)
    problem_filter = problem_filter_of(args)
    judge = Judge(
        sandbox=args.sandbox, checker="strict", spj=find_spj(args, args.path), float_tol=args.float_tol,
        checker_program=args.checker, preamble=args.preamble, early_stop=False, time_limit_s=args.time_limit_s,
        memory_mb=args.memory_mb, hash_seed=args.hash_seed, jobs=args.jobs, executor=executor_name(args),
        ray_address=args.ray_address,
    )
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
            subs = [submission_from_code(problem.task_id, i, code, origin=f"{args.path} solution {i}")
                    for i, code in enumerate(solutions)]
            checked["solutions"] += len(subs)
            yield judge.sample_judge(problem), subs

    progress = None
    if not args.quiet:  # the total first (a pass without tests), so the progress says n of N
        total = sum(min(count, args.solutions) for meta, count in source.solution_counts()
                    if problem_filter.matches(meta))
        progress = ProgressReporter(total, console)
    collector = Collector(None, progress)
    with judge:
        interrupted, jail_down = collect(judge.run_samples(judges()), collector)
    if interrupted:
        raise KeyboardInterrupt
    if jail_down is not None:
        raise jail_down

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
