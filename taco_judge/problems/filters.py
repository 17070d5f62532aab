"""Which problems a run keeps: --difficulty, --skill, --source and --task-ids."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from taco_judge.errors import UserError
from taco_judge.problems.records import Problem
from taco_judge.problems.rows import ProblemMeta, normalize_label

# ---------------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------------

#: TACO's difficulty labels (dataset card and loader), plus UNKNOWN for rows without one.
DIFFICULTY_LABELS = ("EASY", "MEDIUM", "MEDIUM_HARD", "HARD", "VERY_HARD", "UNKNOWN_DIFFICULTY", "UNKNOWN")
#: TACO's skill_types vocabulary (FlagOpen/TACO README and the BAAI/TACO loader).
SKILL_NAMES = (
    "Data structures", "Sorting", "Range queries", "Complete search",
    "Amortized analysis", "Dynamic programming", "Bit manipulation", "Greedy algorithms",
)
_MAX_TASK_ID_RANGE = 10_000_000


def _split_list(text: str | Iterable[str] | None, flag: str) -> list[str]:
    if text is None:
        return []
    parts = text.split(",") if isinstance(text, str) else [part for item in text for part in str(item).split(",")]
    items = [part.strip() for part in parts if part.strip()]
    if not items:
        raise UserError(f"{flag}: no value given; pass a comma-separated list or leave the option out")
    return items


def parse_task_ids(text: str, *, flag: str = "--task-ids") -> set[int]:
    """ "0-99,120" -> {0, ..., 99, 120}. Integers and inclusive ranges only; else UserError."""
    ids: set[int] = set()
    for item in _split_list(text, flag):
        match = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", item)
        if match is None:
            raise UserError(f"{flag}: {item!r} is not a task id or range; use integers and ranges like 0-99,120")
        low = int(match.group(1))
        high = int(match.group(2)) if match.group(2) is not None else low
        if high < low:
            raise UserError(f"{flag}: range {item!r} runs backwards; write it as {high}-{low}")
        if high - low >= _MAX_TASK_ID_RANGE:
            raise UserError(f"{flag}: range {item!r} is larger than {_MAX_TASK_ID_RANGE} ids; narrow it")
        ids.update(range(low, high + 1))
    return ids


@dataclass(frozen=True)
class ProblemFilter:
    """Which problems to judge; an empty criterion keeps everything.

    difficulties: normalized TACO labels; skills and sources: casefolded names; task_ids: a set
    or None. A problem matches when it passes every given criterion; within a list any entry
    may match (a problem with several skill_types matches if one of them is listed).
    """

    difficulties: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    task_ids: frozenset[int | str] | None = None

    @classmethod
    def from_options(
        cls,
        *,
        difficulty: str | None = None,
        skill: str | None = None,
        source: str | None = None,
        task_ids: str | None = None,
    ) -> ProblemFilter:
        """Build from CLI text (``--difficulty EASY,MEDIUM --skill "Sorting,Range queries"``).

        Case-insensitive; "ALL" (as in TACO's loader) means no restriction. Unknown difficulty
        labels or skill names raise UserError listing the valid ones.
        """
        difficulties: set[str] = set()
        for item in _split_list(difficulty, "--difficulty"):
            label = normalize_label(item)
            if label == "ALL":
                difficulties.clear()
                break
            if label not in DIFFICULTY_LABELS:
                raise UserError(
                    f"--difficulty: unknown label {item!r}; valid labels (case-insensitive): {', '.join(DIFFICULTY_LABELS)}"
                )
            difficulties.add(label)
        skills: set[str] = set()
        known_skills = {name.casefold(): name for name in SKILL_NAMES}
        for item in _split_list(skill, "--skill"):
            key = " ".join(item.split()).casefold()
            if key == "all":
                skills.clear()
                break
            if key not in known_skills:
                raise UserError(f"--skill: unknown skill {item!r}; TACO's skills (case-insensitive): {', '.join(SKILL_NAMES)}")
            skills.add(key)
        sources = {item.casefold() for item in _split_list(source, "--source")}
        ids = None if task_ids is None else frozenset(parse_task_ids(task_ids, flag="--task-ids"))
        return cls(frozenset(difficulties), frozenset(skills), frozenset(sources), ids)

    @property
    def is_empty(self) -> bool:
        """True when the filter keeps every problem."""
        return not (self.difficulties or self.skills or self.sources) and self.task_ids is None

    def matches(self, item: Problem | ProblemMeta) -> bool:
        """Whether a problem (or its index entry) passes every given criterion."""
        if self.task_ids is not None and item.task_id not in self.task_ids:
            return False
        if self.difficulties and normalize_label(item.difficulty) not in self.difficulties:
            return False
        if self.skills and not any(" ".join(skill.split()).casefold() in self.skills for skill in item.skills):
            return False
        if self.sources and item.source.strip().casefold() not in self.sources:
            return False
        return True
