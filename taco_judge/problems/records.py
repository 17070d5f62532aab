"""Problems and their tests as records: Problem, TestCase, the metadata metrics need (TaskMeta), task ids and their order, and TACO's limit texts ("2 seconds", "256 megabytes") as numbers."""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Literal

Mode = Literal["stdin", "call"]


@dataclass(frozen=True)
class TestCase:
    """One hidden test.

    ``input`` is the stdin text (stdin mode) or the decoded argument list (call mode);
    ``expected`` is the raw entry of TACO's ``input_output["outputs"]`` (a string, or for call
    mode any JSON value, usually wrapped in a one-element list). Checkers interpret it.
    """

    __test__ = False  # not a pytest test class

    index: int
    input: Any
    expected: Any


@dataclass(frozen=True)
class Problem:
    """One TACO problem row, decoded."""

    task_id: int | str
    mode: Mode
    tests: tuple[TestCase, ...]
    fn_name: str | None = None
    question: str = ""
    solutions: tuple[str, ...] = ()
    starter_code: str = ""
    difficulty: str = "UNKNOWN"
    skills: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str = ""
    name: str = ""
    url: str = ""
    time_limit_s: float | None = None  # parsed from the row; None when missing/unparseable
    memory_limit_mb: int | None = None
    raw_time_limit: str | None = None
    raw_memory_limit: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @functools.cached_property
    def tests_sha256(self) -> str:
        """Content hash of the tests and call convention, for caching and provenance (computed
        once: a sample's keys ask for it several times, and it hashes every test)."""
        h = hashlib.sha256()
        h.update(json.dumps([self.mode, self.fn_name], sort_keys=True).encode())
        for t in self.tests:
            h.update(json.dumps([t.input, t.expected], sort_keys=True, default=repr).encode())
        return h.hexdigest()


def normalize_task_id(value: Any) -> int | str:
    """TACO task ids are row indices; generation files write them as ints or digit strings."""
    if isinstance(value, bool):
        raise TypeError("a task id cannot be a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    return text


# ---------------------------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------------------------

_NUMBER = r"(\d+(?:\.\d*)?|\.\d+)"
_TIME_RE = re.compile(
    rf"^(?:time\s*limit\s*[:=]?\s*)?{_NUMBER}\s*(?:(?:-|–|to)\s*{_NUMBER}\s*)?"
    r"(ms|msecs?|milliseconds?|s|secs?|seconds?)?\.?"
    r"(?:\s*(?:per|/)\s*test(?:\s*case)?)?$",
    re.IGNORECASE,
)
_MEMORY_RE = re.compile(
    rf"^(?:memory\s*limit\s*[:=]?\s*)?{_NUMBER}\s*"
    r"(b|bytes?|k|kb|kib|kilobytes?|m|mb|mib|megabytes?|g|gb|gib|gigabytes?)?\.?$",
    re.IGNORECASE,
)
_MEMORY_UNIT_MB = {"b": 1 / 2**20, "k": 1 / 1024, "m": 1.0, "g": 1024.0}
MISSING_TEXT = frozenset({"", "none", "null", "nan", "n/a"})


def parse_time_limit(text: Any) -> float | None:
    """TACO's ``time_limit`` text ("1 second", "2.5 seconds", "1000 ms", "2 sec") -> seconds.

    A bare number means seconds; a range ("1-2 seconds") gives its upper end. Missing or
    unparseable text ("None", "", "varies") gives None, and the judge then uses its default.
    """
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        match = _TIME_RE.match(str(text).strip())
        if match is None:
            return None
        value = max(float(match.group(1)), float(match.group(2) or 0))
        unit = (match.group(3) or "s").lower()
        if unit.startswith("m"):
            value /= 1000.0
    return value if math.isfinite(value) and value > 0 else None


def parse_memory_limit(text: Any) -> int | None:
    """TACO's ``memory_limit`` text ("256 megabytes", "64 MiB", "1 gigabyte") -> megabytes.

    MB and MiB are treated alike (contest sites mean 2**20 bytes); a bare number means MB;
    fractions round up. Missing or unparseable text gives None (the judge's default applies).
    """
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        match = _MEMORY_RE.match(str(text).strip())
        if match is None:
            return None
        unit = (match.group(2) or "m").lower()
        value = float(match.group(1)) * _MEMORY_UNIT_MB[unit[0]]
    if not math.isfinite(value) or value <= 0:
        return None
    return max(1, math.ceil(value - 1e-9))


TaskId = int | str


@dataclass(frozen=True)
class TaskMeta:
    """What metrics need to know about a task besides its judged samples.

    ``spj_case`` is TACO's ``output_spj.jsonl`` case: 0 none, 1 several valid answers,
    2 case-insensitive, 3 float tolerance. It is reported, not used to decide anything: a task's
    samples carry the ``unjudgeable`` flag set by the judge.
    """

    task_id: TaskId
    difficulty: str = "UNKNOWN"
    skills: tuple[str, ...] = ()
    source: str = "unknown"
    mode: str = "stdin"
    time_limit_s: float | None = None
    memory_mb: int | None = None
    spj_case: int = 0

    @classmethod
    def from_problem(cls, problem: Problem, spj_case: int = 0) -> TaskMeta:
        """The metadata of a loaded problem (empty fields become the 'unknown' groups)."""
        return cls(
            task_id=problem.task_id,
            difficulty=problem.difficulty or "UNKNOWN",
            skills=tuple(problem.skills),
            source=problem.source or "unknown",
            mode=problem.mode,
            time_limit_s=problem.time_limit_s,
            memory_mb=problem.memory_limit_mb,
            spj_case=spj_case,
        )


# TACO's difficulty labels, easiest first; other labels follow alphabetically.
DIFFICULTY_ORDER: tuple[str, ...] = ("EASY", "MEDIUM", "MEDIUM_HARD", "HARD", "VERY_HARD", "UNKNOWN")
# Labels that say "no difficulty known": not a level of their own in the score (score.group_weights).
UNLABELLED_DIFFICULTIES: frozenset[str] = frozenset({"UNKNOWN", "UNKNOWN_DIFFICULTY", ""})
def task_sort_key(task_id: TaskId) -> tuple[int, int, str]:
    """Integer task ids in numeric order first, then string ids alphabetically."""
    if isinstance(task_id, int):
        return (0, task_id, "")
    return (1, 0, str(task_id))


def difficulty_sort_key(label: str) -> tuple[int, str]:
    """TACO's difficulty labels easiest first, then any other label alphabetically."""
    if label in DIFFICULTY_ORDER:
        return (DIFFICULTY_ORDER.index(label), "")
    return (len(DIFFICULTY_ORDER), label)
