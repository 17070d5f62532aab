"""`taco-judge report`: print runs' summaries again, re-export their files, write the HTML report."""


from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any, Mapping

from taco_judge.checkers import CHECKER_SETS
from taco_judge.commands.common import export_run, ks, make_console, stored_options
from taco_judge.errors import UserError
from taco_judge.problems import open_problems
from taco_judge.report import (
    print_files,
    render_summary,
)
from taco_judge.run_folder import open_run_store


def add_parser(sub: Any) -> argparse.ArgumentParser:
    report = sub.add_parser("report", help="print a run's summary again and re-export results.jsonl and metrics.json")
    report.add_argument("dirs", metavar="DIR", nargs="+",
                        help="run folders written by `taco-judge judge --out` (several: one HTML page comparing them)")
    report.add_argument("--k", type=ks, metavar="K,K,...", help="k values for pass@k (default: the run's)")
    report.add_argument("--html", metavar="PATH", help="also write a self-contained HTML report with plots")
    report.add_argument("--quiet", action="store_true", help="no summary table")
    report.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return report


def require_html(path: str) -> None:
    if importlib.util.find_spec("taco_judge.report.html") is None:
        raise UserError(f"--html {path}: the HTML report is not available in this version of taco-judge")


def write_html(path: str | Path, runs: list[Any], options: Mapping[str, Any], **page: Any) -> None:
    """The HTML report (``taco_judge.report.html``) of the runs, as one page (``page``: its
    ``title`` and a sweep's ``comparison``)."""
    require_html(str(path))
    from taco_judge.report import html as report_html

    spec = options.get("problems")
    # Inputs and expected outputs of failing tests come from the problem set when it is still on disk.
    source = open_problems(spec, split=options.get("split")) if spec and Path(spec).exists() else None
    report_html.write_html(path, runs, problems=source, **page)


def run(args: argparse.Namespace) -> int:
    """Print each run's summary again and re-export its results.jsonl and metrics.json from its store."""
    console = make_console()
    if args.html:
        require_html(args.html)  # before any work: say so at once
        from taco_judge.report.html import check_html_path

        check_html_path(args.html)  # an unwritable path fails before the summaries print
    html_runs: list[Any] = []
    first_options: dict[str, Any] = {}
    for folder in (Path(d) for d in args.dirs):
        store = open_run_store(folder, create=False)
        try:
            options = stored_options(store, folder)
            first_options = first_options or options
            checkers = CHECKER_SETS.get(options.get("compare", "strict"), ("strict",))
            ks = args.k or options.get("k") or [1, 10, 100]
            state = store.get_meta("run_state") or {}
            run_info = dict(store.get_meta("run_info") or {})
            # Samples the last judge run selected that have no result: rows it never reached are not
            # in the store yet, so the count comes from what the run expected as well.
            expected = int(state.get("samples_expected") or 0)
            pending = max(store.pending(), expected - store.judged())
            run_info["complete"] = bool(state.get("complete")) and pending == 0
            metrics, results = export_run(store, folder, ks, checkers, run_info)
            if args.html:
                from taco_judge.report.html import RunData

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
            print_files(console, [("results", folder / "results.jsonl"), ("metrics", folder / "metrics.json")])
    if args.html:
        write_html(args.html, html_runs, first_options)
        if not args.quiet:
            print_files(console, [("html", args.html)])
    return 0
