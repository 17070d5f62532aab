"""`taco` mode is the reference evaluator's whole path: every program of compare_programs.jsonl gets
the reference's own pass/fail on every test, in both jails; `strict` runs them as Python would.

compare_programs.jsonl (../shared/data/taco) holds 55 programs with the per-test results the
reference evaluator gave them (its import block placement, its `def code():` rerun, input.txt,
exit codes, call-based rules). The rewrites themselves are checked on their own first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from taco_judge.backends.base import RunnerSession
from taco_judge.backends.local import LocalBackend
from taco_judge.checkers.taco import REFERENCE_IMPORTS, reference_programs
from taco_judge.judge import JudgeConfig, SampleJudge
from taco_judge.judging import Judging
from taco_judge.preamble import TACO_PREAMBLE
from taco_judge.problems import problem_from_row
from taco_judge.submissions import submission_from_code
from taco_judge.verdict import SampleResult, Verdict

pytestmark = [pytest.mark.realdata, pytest.mark.slow]  # about a minute: 55 programs on every test, both jails


def test_the_import_block_goes_after_the_leading_imports_and_star_imports_are_hoisted() -> None:
    code = "from cmath import exp\nimport sys\nn = 1\nif n:\n    from heapq import *\nprint(exp(0))"
    wrapped, program = reference_programs(code)
    assert program == ("from cmath import exp\nimport sys\n" + REFERENCE_IMPORTS
                       + "\nstdin = sys.stdin\nstdout = sys.stdout\nn = 1\nif n:\n    from heapq import *\nprint(exp(0))\n")
    assert wrapped == ("from cmath import exp\nimport sys\n" + REFERENCE_IMPORTS + "    from heapq import *"
                       + "\nstdin = sys.stdin\nstdout = sys.stdout\ndef code():\n\tn = 1\n\tif n:\n\tprint(exp(0))\n")
    assert REFERENCE_IMPORTS.splitlines() == TACO_PREAMBLE.splitlines()[:-2]  # the block without its aliases


def test_a_comment_first_puts_the_block_first() -> None:
    _, program = reference_programs("# solution\nfrom cmath import exp\nprint(exp(0))")
    assert program.startswith(REFERENCE_IMPORTS)
    assert program.index("from cmath import exp") > program.index("from math import")


def test_a_program_of_imports_only_has_no_code_function() -> None:
    wrapped, program = reference_programs("import sys")
    assert "def code" not in wrapped and program == "import sys\n"


def _programs(shared_taco: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (shared_taco / "compare_programs.jsonl").read_text().splitlines()]


def _judge(session: RunnerSession, row: dict[str, Any], index: int, checker: str) -> tuple[SampleResult, Any]:
    problem = problem_from_row(row["problem"], index, "compare_programs.jsonl")
    judge = SampleJudge(problem, JudgeConfig(checkers=(checker,), early_stop=False))
    submission = submission_from_code(problem.task_id, 0, row["code"], origin=row["name"])
    return Judging("jail", "runner").judge(judge, submission, session).result, problem


def _passed(result: SampleResult, problem: Any) -> list[bool]:
    by_index = {t.index: t.verdict is Verdict.AC for t in result.tests}
    return [by_index.get(test.index, False) for test in problem.tests]


def _reference(row: dict[str, Any], problem: Any) -> list[bool]:
    taco = row["taco"]  # True passed; False / -1 / -2 / -3 failed; a single -2: compile error, every test failed
    passed = [value is True for value in taco]
    return passed * len(problem.tests) if len(taco) == 1 < len(problem.tests) else passed


@pytest.fixture(scope="module", params=["local", pytest.param("docker", marks=pytest.mark.docker)])
def jail_session(request: pytest.FixtureRequest) -> Iterator[RunnerSession]:
    if request.param == "docker":
        request.getfixturevalue("docker_image")
        from taco_judge.backends.docker import DockerBackend

        backend: Any = DockerBackend(preambles=(TACO_PREAMBLE,))
    else:
        backend = LocalBackend(preambles=(TACO_PREAMBLE,))
    session = backend.open_session()
    try:
        yield session
    finally:
        session.close()
        backend.close()


def test_taco_mode_agrees_with_the_reference_on_every_test_of_every_program(
    jail_session: RunnerSession, shared_taco: Path
) -> None:
    disagreements = []
    rows = _programs(shared_taco)
    assert len(rows) == 55
    for index, row in enumerate(rows):
        result, problem = _judge(jail_session, row, index, "taco")
        if _passed(result, problem) != _reference(row, problem):
            disagreements.append(f"{row['name']}: reference {row['taco']}, taco mode {result.verdict.value} "
                                 f"{[t.verdict.value for t in result.tests]} ({result.detail[:120]})")
    assert disagreements == []


# The programs strict judges differently from the reference, on purpose: they are not Python as
# Python runs it (a top-level return or nonlocal), or the reference's rewrite breaks them.
STRICT_DIFFERS = {
    "top-level return (wrapped fallback)": ("CE", "'return' outside function"),
    "nonlocal at top level": ("CE", "nonlocal"),
    "reads input.txt, prints": ("AC", ""),  # input.txt is there from the start, its print is its output
    "cmath.exp shadowed by the preamble's math.exp": ("AC", ""),  # the program's own import wins
}


def test_strict_runs_them_as_python_would(jail_session: RunnerSession, shared_taco: Path) -> None:
    for index, row in enumerate(_programs(shared_taco)):
        result, problem = _judge(jail_session, row, index, "strict")
        if row["name"] in STRICT_DIFFERS:
            verdict, detail = STRICT_DIFFERS[row["name"]]
            assert result.verdict.value == verdict and detail in result.detail, (row["name"], result.detail)
            if verdict == "CE":  # says why, and where the reference's verdict comes from
                assert "--compare taco judges them its way" in result.detail
        else:
            assert _passed(result, problem) == _reference(row, problem), (row["name"], result.detail)
