"""`taco-judge` command line: judge | rejudge | report | sweep | audit | problems validate | sandbox | serve.

Dispatch only: each subcommand is a module of ``taco_judge.commands`` (its ``add_parser`` and
``run``). This is the one place that turns errors into exit codes: user errors are one line on
stderr and exit code 2; an interrupted run keeps every sample it finished (in the run's store,
from which a new `judge` resumes and `report` re-exports).
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, Callable, Sequence

from taco_judge.commands import audit as audit_command
from taco_judge.commands import judge as judge_command
from taco_judge.commands import problems as problems_command
from taco_judge.commands import rejudge as rejudge_command
from taco_judge.commands import report as report_command
from taco_judge.commands import sandbox as sandbox_command
from taco_judge.commands import serve as serve_command
from taco_judge.commands import sweep as sweep_command
from taco_judge.commands.common import EXIT_INTERRUPTED, setup_logging
from taco_judge.errors import UserError
from taco_judge.version import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="taco-judge", description="Sandboxed judge for TACO code generations.")
    parser.add_argument("--version", action="version", version=f"taco-judge {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add_parser, _ in COMMANDS.values():
        add_parser(sub)
    return parser


# command -> (adds its parser to the subparsers, runs it). A new command is one line here.
COMMANDS: dict[str, tuple[Callable[[Any], argparse.ArgumentParser], Callable[[argparse.Namespace], int]]] = {
    "judge": (judge_command.add_parser, judge_command.run),
    "rejudge": (rejudge_command.add_parser, rejudge_command.run),
    "report": (report_command.add_parser, report_command.run),
    "problems": (problems_command.add_parser, problems_command.run),
    "sandbox": (sandbox_command.add_parser, sandbox_command.run),
    "audit": (audit_command.add_parser, audit_command.run),
    "sweep": (sweep_command.add_parser, sweep_command.run),
    "serve": (serve_command.add_parser, serve_command.run),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(getattr(args, "verbose", False))
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
