"""TACO's special-judge list (``output_spj.jsonl``): which problems need more than exact comparison.

Each line is ``{"idx": task id, "special_judge": bool, "case": 0..3}``; the case says what kind of
checking the problem needs (see the ``CASE_*`` constants and docs/checkers.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from taco_judge.errors import UserError, json_problem
from taco_judge.problems import normalize_task_id

CASE_NONE = 0  # exact comparison is right
CASE_MULTI = 1  # several answers are correct: needs a checker program
CASE_NOCASE = 2  # compare strings case-insensitively
CASE_FLOAT = 3  # floating-point answers: compare with a tolerance

_CASES = (CASE_NONE, CASE_MULTI, CASE_NOCASE, CASE_FLOAT)
SPJ_FILE_NAME = "output_spj.jsonl"
SPJ_NONE = "none"  # --spj none: no list, even where one lies beside the problems


_OTHER_SPLIT = re.compile(r"train|valid", re.IGNORECASE)


def default_spj_path(problems: str) -> Path | None:
    """TACO's list where it ships with the problems: ``output_spj.jsonl`` inside a problems
    folder, or beside a problems file (in the file's folder); None when there is none.

    TACO's list is keyed by test-split task id, so it is not taken beside a file whose name
    says it holds another split ("train", "valid"): its ids would pick other problems' cases.
    """
    path = Path(problems).expanduser()
    if path.is_dir():
        candidate = path / SPJ_FILE_NAME
    elif path.is_file() and not _OTHER_SPLIT.search(path.name):
        candidate = path.parent / SPJ_FILE_NAME
    else:
        return None
    return candidate if candidate.is_file() else None


def choose_spj(option: str | None, problems: str) -> str | None:
    """The special-judge list a run uses: ``--spj FILE``, none with ``--spj none``, else the
    default beside the problems (``default_spj_path``)."""
    if option is not None:
        return None if option.strip().lower() == SPJ_NONE else option
    found = default_spj_path(problems)
    return str(found) if found is not None else None


def describe_spj(path: str | None, cases: dict[int | str, int]) -> str:
    """One line for the terminal: which list the run used, or that it used none."""
    if path is None:
        return (f"special-judge list: none (every answer compared exactly; --spj FILE gives TACO's "
                f"{SPJ_FILE_NAME})")
    special = sum(1 for case in cases.values() if case != CASE_NONE)
    return f"special-judge list: {path} ({special} of its {len(cases)} tasks need more than exact comparison)"


class SpjError(UserError):
    """The special-judge file cannot be read or a line is malformed."""


def load_spj(path: str | Path) -> dict[int | str, int]:
    """Read an ``output_spj.jsonl`` file into {task id: case}.

    Blank lines are skipped; a task listed twice must have the same case both times.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpjError(f"{path}: special-judge file not found; pass an output_spj.jsonl path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpjError(f"{path}: cannot read special-judge file ({exc})") from None
    cases: dict[int | str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SpjError(f"{where}: not valid JSON ({json_problem(exc, number)}); expected {{\"idx\": ..., \"case\": 0-3}}") from None
        if not isinstance(row, dict):
            example = '{"idx": 0, "special_judge": false, "case": 0}'
            raise SpjError(f"{where}: expected a JSON object like {example}")
        if "idx" not in row:
            raise SpjError(f"{where}: missing field \"idx\" (the task id)")
        raw_id = row["idx"]
        if isinstance(raw_id, bool) or not isinstance(raw_id, (int, float, str)) or not str(raw_id).strip():
            raise SpjError(f"{where}: field \"idx\" must be a task id (an integer), not {raw_id!r}")
        task_id = normalize_task_id(raw_id)
        case = row.get("case")
        if isinstance(case, bool) or case not in _CASES:
            raise SpjError(f"{where}: field \"case\" must be 0, 1, 2 or 3, not {case!r}")
        flag = row.get("special_judge", False)
        if not isinstance(flag, bool):
            raise SpjError(f"{where}: field \"special_judge\" must be true or false, not {flag!r}")
        previous = cases.get(task_id)
        if previous is not None and previous != case:
            raise SpjError(f"{where}: task {task_id!r} listed again with case {case} (was {previous})")
        cases[task_id] = case
    return cases
