"""Problems and their tests: the records (``records``), one TACO row decoded into a Problem
(``rows``), where rows come from — the hub, a ``load_from_disk`` folder, parquet, JSONL or a folder
of them (``sources``) — and which problems a run keeps (``filters``)."""

from taco_judge.problems.filters import DIFFICULTY_LABELS, SKILL_NAMES, ProblemFilter, parse_task_ids
from taco_judge.problems.records import (
    DIFFICULTY_ORDER,
    UNLABELLED_DIFFICULTIES,
    Mode,
    Problem,
    TaskId,
    TaskMeta,
    TestCase,
    difficulty_sort_key,
    normalize_task_id,
    parse_memory_limit,
    parse_time_limit,
    task_sort_key,
)
from taco_judge.problems.rows import ProblemMeta, meta_from_row, problem_from_row
from taco_judge.problems.sources import ProblemSource, open_problems

__all__ = [
    "DIFFICULTY_LABELS", "DIFFICULTY_ORDER", "SKILL_NAMES", "UNLABELLED_DIFFICULTIES", "Mode", "Problem",
    "ProblemFilter", "ProblemMeta", "ProblemSource", "TaskId", "TaskMeta", "TestCase", "difficulty_sort_key",
    "meta_from_row", "normalize_task_id", "open_problems", "parse_memory_limit", "parse_task_ids",
    "parse_time_limit", "problem_from_row", "task_sort_key",
]
