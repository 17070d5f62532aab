"""`taco-judge sweep`: judge many generation files on one problem set and compare them."""


from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Any, Sequence

from taco_judge.argtypes import output_folder, positive_int
from taco_judge.backends import CHOICES as SANDBOX_CHOICES
from taco_judge.commands.common import executor_name, make_console
from taco_judge.commands.judge import JudgeRequest, judge_run
from taco_judge.commands.report import write_html
from taco_judge.errors import UserError
from taco_judge.report import print_files
from taco_judge.submissions import load_generations


def add_parser(sub: Any) -> argparse.ArgumentParser:
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


def _sweep_request(config: Any, run: Any, overrides: dict[str, Any], args: argparse.Namespace) -> JudgeRequest:
    """The judge request of one sweep run, built now so a bad option stops the sweep before any work."""
    try:
        return JudgeRequest(**config.judge_options(run, overrides), quiet=args.quiet, verbose=args.verbose,
                            summary=False)
    except UserError as exc:
        raise UserError(f"{config.path}: run {run.name!r}: {exc}; fix the sweep file") from None


def run(args: argparse.Namespace) -> int:
    """Judge every run of a sweep file into OUT/runs/NAME through one shared cache, then compare them."""
    from taco_judge import sweep

    console = make_console()
    config = sweep.load_sweep(args.file, out=args.out)
    selected = sweep.select_runs(config, args.runs)
    overrides = {"sandbox": args.sandbox, "jobs": args.jobs}
    planned = [(run, _sweep_request(config, run, overrides, args)) for run in selected]
    for run, request in planned:  # a broken generation file stops the sweep before any run, not midway
        try:
            load_generations(run.generations, skip_invalid=request.skip_invalid)
        except UserError as exc:
            raise UserError(f"{config.path}: run {run.name!r}: {exc}") from None
    output_folder(config.out, "sweep folder", holds="the sweep's runs (or give --out)")

    status = 0
    stopped_at: str | None = None
    failure: UserError | None = None
    with contextlib.ExitStack() as stack:
        on_ray = next((a for _, a in planned if executor_name(a) == "ray"), None)
        if on_ray is not None:  # one Ray connection (or local instance) for every run, not one each
            from taco_judge.executors.ray import RayExecutor

            stack.callback(RayExecutor(on_ray.ray_address, on_ray.jobs, verbose=args.verbose).close)
        for number, (run, request) in enumerate(planned, start=1):
            if not args.quiet:
                console.rule(f"run {number}/{len(planned)}: {run.name}")
            try:
                status = judge_run(request, console)
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
        print_files(console, [("sweep", config.out / sweep.SWEEP_JSON), ("sweep", config.out / sweep.SWEEP_CSV),
                              ("sweep", config.out / sweep.SWEEP_HTML)])
    if failure is not None:
        raise failure
    if stopped_at is not None:
        print(f"taco-judge: sweep stopped at run {stopped_at!r}; every finished sample is saved in {config.out} "
              "(run the sweep again to resume)", file=sys.stderr)
    return status


def _write_sweep_html(config: Any, outcomes: Sequence[Any], document: dict[str, Any]) -> None:
    from taco_judge import sweep
    from taco_judge.report import html as report_html

    runs = [report_html.RunData.from_results(o.run.name, o.results, o.metrics, o.tasks, o.outputs) for o in outcomes]
    write_html(config.out / sweep.SWEEP_HTML, runs, config.options,
                title=f"taco-judge sweep: {config.path.name}", comparison=document)
