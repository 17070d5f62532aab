"""argparse pieces shared by the commands: value types (a bad value is one clear line from
argparse) and the problem-set options."""

from __future__ import annotations

import argparse
from pathlib import Path

from taco_judge.errors import UserError


def output_folder(path: str | Path, flag: str = "--out", holds: str = "the run's files") -> Path:
    """Create the output folder ``path`` (parents too) or say in one line why it cannot be:
    an existing file there is named as such, not as "File exists"."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{flag} {folder}: is a file, not a folder; pass a folder for {holds}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        what = "a part of the path is a file" if isinstance(exc, (FileExistsError, NotADirectoryError)) else \
            (exc.strerror or str(exc))
        raise UserError(f"{flag} {folder}: cannot create the folder ({what}); choose a writable folder") from None
    return folder


def _number(text: str, kind: type, what: str) -> float | int:
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None


def positive_int(text: str) -> int:
    value = int(_number(text, int, "a whole number"))
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text!r}")
    return value


def non_negative_int(text: str) -> int:
    value = int(_number(text, int, "a whole number"))
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text!r}")
    return value


def positive_float(text: str) -> float:
    value = float(_number(text, float, "a number"))
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text!r}")
    return value


def add_problem_options(p: argparse.ArgumentParser) -> None:
    """``--problems`` and the options that pick problems from it (judge, audit)."""
    p.add_argument("--problems", required=True, metavar="P",
                   help="problem set: BAAI/TACO[:split], taco:test, a load_from_disk dir, parquet, JSONL, or a folder")
    add_problem_filters(p)


def add_problem_filters(p: argparse.ArgumentParser) -> None:
    """The split and the filters of a problem set (``problems validate`` takes the set as PATH)."""
    p.add_argument("--split", help="split of a hub dataset or DatasetDict (default: test)")
    p.add_argument("--difficulty", help="keep these difficulties, e.g. EASY,MEDIUM")
    p.add_argument("--skill", help='keep problems with any of these skills, e.g. "Sorting,Range queries"')
    p.add_argument("--source", help="keep problems from these sources, e.g. codeforces,atcoder")
    p.add_argument("--task-ids", help="keep these task ids, e.g. 0-99,120")
