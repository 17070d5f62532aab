"""The library API (taco_judge.api): the issue's example as written, streaming, one-sample
judging through the warm pool, a store reused across Judges, and bad options as one-line errors."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from taco_judge import Judge, load_generations, load_problems
from taco_judge.errors import UserError
from taco_judge.problems import Problem
from taco_judge.problems import TestCase as Case
from taco_judge.submissions import submission_from_code
from taco_judge.verdict import Verdict

REPO = Path(__file__).resolve().parents[1]
PROBLEMS = REPO / "problems"


def intended_verdicts() -> dict[tuple[int, int], str]:
    expected = json.loads((PROBLEMS / "expected_verdicts.json").read_text())
    return {(int(task), sample): verdict for task, verdicts in expected.items() for sample, verdict in enumerate(verdicts)}


@pytest.mark.slow
def test_the_documented_example_judges_the_shipped_problems() -> None:
    got = {}
    with Judge(sandbox="local", spj=str(PROBLEMS / "output_spj.jsonl"), jobs=2) as judge:
        for result in judge.run(load_problems(PROBLEMS / "problems.jsonl"), load_generations(PROBLEMS / "generations.json")):
            got[(result.task_id, result.sample)] = result.verdict.value
    assert got == intended_verdicts()


ADD = Problem(task_id=7, mode="stdin", tests=(Case(0, "1 2\n", "3\n"), Case(1, "5 5\n", "10\n")), time_limit_s=1.0)


def test_submit_and_judge_answer_one_sample_each_in_the_warm_pool() -> None:
    with Judge(sandbox="local", jobs=2) as judge:
        futures = [judge.submit(ADD, code) for code in ("a, b = map(int, input().split())\nprint(a + b)\n",
                                                        "print(3)\n", "print(")]
        verdicts = [future.result(timeout=60).verdict for future in futures]
        assert verdicts == [Verdict.AC, Verdict.WA, Verdict.CE]
        assert judge.judge(ADD, "import sys\nsys.exit(3)\n").verdict is Verdict.RE
        assert judge.pool.queued == 0


def test_a_store_makes_a_second_judge_reuse_every_result(tmp_path: Path) -> None:
    store = tmp_path / "results.sqlite"
    codes = ["a, b = map(int, input().split())\nprint(a + b)\n", "print(0)\n"]
    submissions = [submission_from_code(7, i, code, origin="t") for i, code in enumerate(codes)]
    with Judge(sandbox="local", store=store) as judge:
        first = sorted((r.sample, r.verdict) for r in judge.run([ADD], submissions))
        assert judge.counts is not None and judge.counts.run == 2
    with Judge(sandbox="local", store=store) as judge:
        second = sorted((r.sample, r.verdict) for r in judge.run([ADD], submissions))
        assert judge.counts is not None and (judge.counts.reused, judge.counts.run) == (2, 0)
    assert first == second == [(0, Verdict.AC), (1, Verdict.WA)]


def test_samples_of_tasks_not_in_the_problems_are_left_out_with_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    submissions = [submission_from_code(7, 0, "print(3)\n", origin="t"),
                   submission_from_code(99, 0, "print(3)\n", origin="t"), submission_from_code(99, 1, "", origin="t")]
    with caplog.at_level(logging.WARNING), Judge(sandbox="local") as judge:
        results = list(judge.run([ADD], submissions))
    assert [(r.task_id, r.sample) for r in results] == [(7, 0)]
    warnings = [r.getMessage() for r in caplog.records if "not in the problem set" in r.getMessage()]
    assert warnings == ["2 samples of 1 tasks not in the problem set were not judged (tasks 99)"]


@pytest.mark.parametrize(("options", "message"), [
    ({"checker": "exact"}, "checker 'exact': choose one of strict, taco, both"),
    ({"jobs": 0}, "jobs 0: give at least 1"),
    ({"executor": "slurm"}, "executor 'slurm': choose local or ray"),
    ({"checker_program": "/nonexistent/checker"}, "not an executable file"),
])
def test_bad_options_are_one_line_user_errors(options: dict, message: str) -> None:
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Judge(sandbox="local", **options)


def test_a_cache_without_a_store_replays_a_sample_judged_before() -> None:
    """What the service does for a retried request: the executions are kept by their key, so the
    same code on the same tests is judged again without running."""

    class Memory:
        def __init__(self) -> None:
            self.executions: dict = {}
            self.puts = 0

        def get_execution(self, key):  # type: ignore[no-untyped-def]
            return self.executions.get(key.digest)

        def put_execution(self, execution, plan_json, *, executed):  # type: ignore[no-untyped-def]
            self.puts += 1
            self.executions[execution.key.digest] = execution

    memory = Memory()
    code = "a, b = map(int, input().split())\nprint(a + b)\n"
    with Judge(sandbox="local", cache=memory) as judge:
        first = judge.judge(ADD, code)
        assert memory.puts == 1
        again = judge.judge(ADD, code)
    assert first.verdict is again.verdict is Verdict.AC
    assert memory.puts == 1  # replayed: nothing ran, nothing new to keep
    assert again.tests == first.tests  # the same observations, so the same times


def test_cancelling_a_queued_submit_cancels_its_work_and_a_running_one_says_no(caplog: pytest.LogCaptureFixture) -> None:
    slow = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.5:\n    pass\nprint(3)\n"
    with caplog.at_level(logging.ERROR), Judge(sandbox="local", jobs=1) as judge:
        running = judge.submit(ADD, slow)
        queued = [judge.submit(ADD, "print(3)\n") for _ in range(3)]
        assert all(future.cancel() for future in queued)
        assert all(future.cancelled() for future in queued)
        result = running.result(timeout=60)  # the one already started runs to its verdict
        assert result.verdict is Verdict.WA
        assert not running.cancel()
        assert judge.pool.queued == 0
        assert judge.judge(ADD, "print(3)\n").verdict is Verdict.WA  # the pool serves on
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


def _doc_examples() -> list[str]:
    text = (REPO / "docs" / "api.md").read_text()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


@pytest.mark.slow
def test_docs_api_examples_run_as_written() -> None:
    run_set, one_sample = _doc_examples()
    done = subprocess.run([sys.executable, "-c", run_set], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    printed = {(int(task), int(sample)): verdict for task, sample, verdict in
               (line.split() for line in done.stdout.splitlines())}
    assert printed == intended_verdicts()
    done = subprocess.run([sys.executable, "-c", one_sample], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    first, second = done.stdout.splitlines()
    assert first == "AC"
    assert second.startswith("WA ") and len(second) > 3  # the second test's detail says where it differs
