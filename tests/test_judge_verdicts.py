"""The judge's verdict logic: resource facts -> verdict, limits policy, early stop, --compare both.

Most tests feed scripted observations through a fake session (no processes); the last group
judges real programs through the local jail, one per verdict kind, end to end.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from taco_judge.backends.base import RunnerSession, RunOutcome
from taco_judge.backends.local import LocalBackend
from taco_judge.errors import InfrastructureError
from taco_judge.judge import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIME_LIMIT_S,
    JudgeConfig,
    SampleJudge,
    limits_for,
)
from taco_judge.judgement import classify
from taco_judge.judging import Judging
from taco_judge.plans import Plan
from taco_judge.problems import Problem
from taco_judge.problems import TestCase as Case
from taco_judge.submissions import Submission, submission_from_code
from taco_judge.verdict import Limits, Observation, Verdict

LIMITS = Limits(time_limit_s=2.0, memory_mb=256)


def clean(stdout: bytes = b"", **facts: Any) -> Observation:
    """A run that exited 0, plus whatever facts the test overrides."""
    return Observation(**{"stdout": stdout, "exit_code": 0, "cpu_s": 0.01, "wall_s": 0.02, **facts})


# ------------------------------------------------------------------ classify: one fact each


def test_a_clean_run_is_left_to_the_checker() -> None:
    assert classify(clean(b"42\n"), LIMITS) is None


@pytest.mark.parametrize(
    ("obs", "verdict", "detail_part"),
    [
        (Observation(error="runner died"), Verdict.SE, "runner died"),
        (clean(missing_function=True, exit_code=1, stderr_tail="no function named 'f'\n"), Verdict.CE, "no function named 'f'"),
        (clean(stdout_truncated=True, exit_code=None, signal=9), Verdict.OLE, "output exceeded"),
        (clean(cpu_timeout=True, cpu_s=2.2, exit_code=None, signal=9), Verdict.TLE, "CPU time 2.20 s > limit 2 s"),
        (clean(cpu_s=2.01), Verdict.TLE, "CPU time"),  # over the limit even though it finished
        (clean(wall_timeout=True, wall_s=7.0, exit_code=None, signal=9), Verdict.TLE, "sleeping or blocked"),
        (clean(oom_killed=True, exit_code=None, signal=9), Verdict.MLE, "out-of-memory killer"),
        (clean(exc_type="MemoryError", exit_code=1), Verdict.MLE, "MemoryError"),
        (clean(exit_code=None, signal=signal.SIGKILL, peak_mb=250.0), Verdict.MLE, "SIGKILL at 250 MB"),
        (clean(exit_code=None, signal=signal.SIGSEGV, peak_mb=240.0), Verdict.MLE, "SIGSEGV"),
        (clean(exit_code=None, signal=signal.SIGKILL, peak_mb=40.0), Verdict.RE, "killed by signal SIGKILL"),
        (clean(exit_code=None, signal=signal.SIGSEGV, peak_mb=40.0), Verdict.RE, "SIGSEGV"),
        (clean(exit_code=None, signal=signal.SIGABRT), Verdict.RE, "SIGABRT"),
        (
            clean(exc_type="ZeroDivisionError", exit_code=1, stderr_tail="Traceback ...\nZeroDivisionError: division by zero\n"),
            Verdict.RE,
            "ZeroDivisionError: division by zero",
        ),
        (clean(exit_code=3), Verdict.RE, "exit code 3"),
    ],
)
def test_each_resource_fact_decides_its_verdict(obs: Observation, verdict: Verdict, detail_part: str) -> None:
    decided = classify(obs, LIMITS)
    assert decided is not None
    assert decided[0] is verdict
    assert detail_part in decided[1]


def test_output_limit_wins_over_time_limit() -> None:
    # A flood that also burnt its CPU time: the output cap is what the user must fix.
    obs = clean(stdout_truncated=True, cpu_timeout=True, cpu_s=3.0, wall_timeout=True, exit_code=None, signal=9)
    assert classify(obs, LIMITS)[0] is Verdict.OLE  # type: ignore[index]


def test_time_limit_wins_over_memory() -> None:
    slow_and_big = clean(cpu_timeout=True, cpu_s=2.5, exc_type="MemoryError", exit_code=1)
    assert classify(slow_and_big, LIMITS)[0] is Verdict.TLE  # type: ignore[index]
    blocked_and_killed = clean(wall_timeout=True, oom_killed=True, exit_code=None, signal=9)
    assert classify(blocked_and_killed, LIMITS)[0] is Verdict.TLE  # type: ignore[index]


def test_memory_wins_over_runtime_error() -> None:
    # A MemoryError is an uncaught exception too, but the user must see MLE, not RE.
    assert classify(clean(exc_type="MemoryError", exit_code=1), LIMITS)[0] is Verdict.MLE  # type: ignore[index]
    assert classify(clean(oom_killed=True, exit_code=None, signal=9, peak_mb=10.0), LIMITS)[0] is Verdict.MLE  # type: ignore[index]


def test_signal_memory_share_is_relative_to_the_limit() -> None:
    near = clean(exit_code=None, signal=signal.SIGKILL, peak_mb=0.9 * 256)
    below = clean(exit_code=None, signal=signal.SIGKILL, peak_mb=0.8 * 256)
    assert classify(near, LIMITS)[0] is Verdict.MLE  # type: ignore[index]
    assert classify(below, LIMITS)[0] is Verdict.RE  # type: ignore[index]
    # SIGTERM is never a memory signal, however big the process was.
    assert classify(clean(exit_code=None, signal=signal.SIGTERM, peak_mb=255.0), LIMITS)[0] is Verdict.RE  # type: ignore[index]


def test_non_zero_exit_after_a_correct_answer_is_a_runtime_error() -> None:
    assert classify(clean(b"3\n", exit_code=1), LIMITS) == (Verdict.RE, "exit code 1")


# ------------------------------------------------------------------ limits policy


def _problem(time_s: float | None = None, memory_mb: int | None = None, n_tests: int = 1) -> Problem:
    tests = tuple(Case(i, f"{i}\n", f"{i}\n") for i in range(n_tests))
    return Problem(task_id=7, mode="stdin", tests=tests, time_limit_s=time_s, memory_limit_mb=memory_mb)


def test_limits_come_from_the_cli_then_the_problem_then_the_defaults() -> None:
    problem = _problem(time_s=1.0, memory_mb=256)
    assert limits_for(problem, JudgeConfig()) == Limits(time_limit_s=1.0, memory_mb=256)
    overridden = limits_for(problem, JudgeConfig(time_limit_s=2.5, memory_mb=1024))
    assert (overridden.time_limit_s, overridden.memory_mb) == (2.5, 1024)
    only_time = limits_for(problem, JudgeConfig(time_limit_s=3.0))
    assert (only_time.time_limit_s, only_time.memory_mb) == (3.0, 256)
    bare = limits_for(_problem(), JudgeConfig())
    assert (bare.time_limit_s, bare.memory_mb) == (DEFAULT_TIME_LIMIT_S, DEFAULT_MEMORY_MB) == (4.0, 512)
    custom_defaults = limits_for(_problem(), JudgeConfig(default_time_limit_s=1.5, default_memory_mb=128))
    assert (custom_defaults.time_limit_s, custom_defaults.memory_mb) == (1.5, 128)


def test_limits_carry_the_output_cap_and_the_derived_wall_backstop() -> None:
    limits = limits_for(_problem(time_s=2.0), JudgeConfig(output_bytes=1000))
    assert limits.output_bytes == 1000
    assert limits.wall_backstop_s == 7.0  # 3 x 2 s + 1 s
    assert limits.to_wire()["wall_limit_s"] == 7.0


# ------------------------------------------------------------------ SampleJudge over a fake session


class ScriptedSession(RunnerSession):
    """Answers each test from ``respond(test_input)``; records what the judge asked for.

    The taco checker's compile step (a plan that only loads the program) always succeeds here."""

    def __init__(self, respond: Callable[[Any], Observation], compile_error: str | None = None) -> None:
        self.respond = respond
        self.compile_error = compile_error
        self.plans: list[tuple[Plan, Limits]] = []
        self.inputs: list[Any] = []  # of the plans that run the program (not the compile step)

    def run(self, plan: Plan, inputs: Any, limits: Limits, *, early_stop: bool,
            decide: Callable[[int, Observation], bool] | None = None) -> RunOutcome:
        self.plans.append((plan, limits))
        if plan.resolve_only:
            return RunOutcome(None, (clean(loaded=True),))
        if self.compile_error is not None:
            return RunOutcome(self.compile_error, ())
        observations = []
        for index, test_input in enumerate(inputs):
            self.inputs.append(test_input)
            observations.append(self.respond(test_input))
            go_on = decide(index, observations[-1]) if decide is not None else True
            if early_stop and not go_on:
                break
        return RunOutcome(None, tuple(observations))

    def close(self) -> None:
        pass


def judged(problem: Problem, config: JudgeConfig, session: RunnerSession, submission: Submission):
    """The sample's result, judged live in ``session``."""
    return Judging("jail", "runner").judge(SampleJudge(problem, config), submission, session).result


def _sub(code: str = "print(input())\n") -> Submission:
    return submission_from_code(7, 0, code, origin="test")


def _stdin_problem(outputs: list[str], **fields: Any) -> Problem:
    tests = tuple(Case(i, f"in{i}\n", out) for i, out in enumerate(outputs))
    return Problem(task_id=7, mode="stdin", tests=tests, **fields)


def echo_answers(answers: dict[str, bytes | Observation]) -> Callable[[Any], Observation]:
    def respond(test_input: Any) -> Observation:
        answer = answers[test_input]
        return answer if isinstance(answer, Observation) else clean(answer)

    return respond


def test_all_tests_pass_is_ac_in_one_run_of_the_program_as_written() -> None:
    problem = _stdin_problem(["1\n", "2\n"], time_limit_s=1.0, memory_limit_mb=64)
    session = ScriptedSession(echo_answers({"in0\n": b"1\n", "in1\n": b"2\n"}))
    result = judged(problem, JudgeConfig(preamble=""), session, _sub())
    assert result.verdict is Verdict.AC and result.passed
    assert [t.verdict for t in result.tests] == [Verdict.AC, Verdict.AC]
    assert result.num_tests == 2
    ((plan, limits),) = session.plans
    assert (plan.code, plan.mode, plan.fn_name, plan.preamble) == ("print(input())\n", "stdin", None, "")
    assert (plan.input_file, plan.output_file) == ("input.txt", "output.txt")  # file-I/O programs work
    assert limits == Limits(time_limit_s=1.0, memory_mb=64)


def test_early_stop_ends_the_sample_at_its_first_failure() -> None:
    problem = _stdin_problem(["1\n", "2\n", "3\n"])
    session = ScriptedSession(echo_answers({"in0\n": b"1\n", "in1\n": b"5\n", "in2\n": b"3\n"}))
    result = judged(problem, JudgeConfig(), session, _sub())
    assert result.verdict is Verdict.WA
    assert result.detail == "test 1: line 1, token 1: expected '2', got '5'"
    assert session.inputs == ["in0\n", "in1\n"]  # test 2 never ran
    assert len(result.tests) == 2 and result.num_tests == 3


def test_all_tests_runs_everything_and_keeps_the_first_failure_as_the_verdict() -> None:
    problem = _stdin_problem(["1\n", "2\n", "3\n"], time_limit_s=1.0)
    slow = clean(cpu_timeout=True, cpu_s=1.2, exit_code=None, signal=9)
    session = ScriptedSession(echo_answers({"in0\n": b"1\n", "in1\n": b"5\n", "in2\n": slow}))
    result = judged(problem, JudgeConfig(early_stop=False), session, _sub())
    assert [t.verdict for t in result.tests] == [Verdict.AC, Verdict.WA, Verdict.TLE]
    assert result.verdict is Verdict.WA
    assert result.detail.startswith("test 1:")


def test_runtime_error_after_correct_output_fails_the_sample_and_keeps_stderr() -> None:
    problem = _stdin_problem(["1\n"])
    crashed = clean(b"1\n", exit_code=1, exc_type="ValueError", stderr_tail="Traceback\nValueError: boom\n")
    result = judged(problem, JudgeConfig(), ScriptedSession(lambda _: crashed), _sub())
    assert result.verdict is Verdict.RE
    assert result.detail == "test 0: ValueError: boom"
    assert "ValueError: boom" in result.tests[0].stderr_tail


def test_a_wrong_answer_does_not_report_stderr() -> None:
    wrong = clean(b"2\n", stderr_tail="debug output\n")
    result = judged(_stdin_problem(["1\n"]), JudgeConfig(), ScriptedSession(lambda _: wrong), _sub())
    assert result.verdict is Verdict.WA
    assert result.tests[0].stderr_tail == ""


def test_compile_error_runs_no_test() -> None:
    session = ScriptedSession(lambda _: clean(), compile_error="SyntaxError: invalid syntax (line 2)")
    result = judged(_stdin_problem(["1\n"]), JudgeConfig(), session, _sub("x = (\n"))
    assert result.verdict is Verdict.CE
    assert result.detail == "SyntaxError: invalid syntax (line 2)"
    assert result.tests == () and session.inputs == []


def test_an_invalid_submission_is_ce_without_touching_the_jail() -> None:
    session = ScriptedSession(lambda _: clean())
    invalid = Submission(7, 0, "", "x", "y", "test", invalid="output[0] is empty (no code)")
    result = judged(_stdin_problem(["1\n"]), JudgeConfig(), session, invalid)
    assert result.verdict is Verdict.CE
    assert "output[0] is empty" in result.detail
    assert session.plans == []


def test_a_jail_failure_reaches_the_executor_with_the_original_error() -> None:
    def respond(test_input: Any) -> Observation:
        raise InfrastructureError("runner exited unexpectedly (EOF on its output)")

    with pytest.raises(InfrastructureError, match="EOF on its output"):
        judged(_stdin_problem(["1\n"]), JudgeConfig(), ScriptedSession(respond), _sub())


def test_a_checker_failure_is_a_system_error_not_a_wrong_answer() -> None:
    problem = Problem(task_id=7, mode="stdin", tests=(Case(0, "in0\n", {"not": "text"}),))
    result = judged(problem, JudgeConfig(), ScriptedSession(lambda _: clean(b"1\n")), _sub())
    assert result.verdict is Verdict.SE
    assert "checker failed" in result.detail


# ------------------------------------------------------------------ --compare both


def test_compare_both_judges_each_checkers_own_path_each_with_its_early_stop() -> None:
    # "11" for "1" is the taco checker's set-fallback false positive (docs/checkers.md): strict
    # fails test 0; taco runs the reference's rewritten program and accepts it, until test 2.
    problem = _stdin_problem(["1\n", "2\n", "3\n"])
    session = ScriptedSession(echo_answers({"in0\n": b"11\n", "in1\n": b"2\n", "in2\n": b"4\n"}))
    result = judged(problem, JudgeConfig(checkers=("strict", "taco")), session, _sub())
    assert result.verdict is Verdict.WA  # strict decides the primary verdict
    assert result.checker == "strict"
    assert result.detail.startswith("test 0:")
    assert result.alt_verdicts == {"strict": "WA", "taco": "WA"}
    assert session.inputs == ["in0\n", "in0\n", "in1\n", "in2\n"]  # strict's run, then taco's
    strict_plan, probe, taco_plan = (plan for plan, _ in session.plans)
    assert strict_plan.code == "print(input())\n"
    assert probe.resolve_only and "def code():" in probe.code  # the reference's compile step
    assert taco_plan.code.startswith("import sys\n") and taco_plan.code.endswith("print(input())\n\n")
    assert result.to_json()["verdict_by_checker"] == {"strict": "WA", "taco": "WA"}


def test_compare_both_reports_each_checkers_sample_verdict() -> None:
    problem = _stdin_problem(["1\n", "2\n"])
    session = ScriptedSession(echo_answers({"in0\n": b"11\n", "in1\n": b"2\n"}))
    result = judged(problem, JudgeConfig(checkers=("strict", "taco")), session, _sub())
    assert result.verdict is Verdict.WA
    assert result.alt_verdicts == {"strict": "WA", "taco": "AC"}
    assert len(result.tests) == 1  # the primary checker's tests: strict stopped at its first failure


def test_compare_both_stops_when_every_checker_has_failed() -> None:
    problem = _stdin_problem(["1\n", "2\n", "3\n"])
    session = ScriptedSession(echo_answers({"in0\n": b"7\n", "in1\n": b"2\n", "in2\n": b"3\n"}))
    result = judged(problem, JudgeConfig(checkers=("strict", "taco")), session, _sub())
    assert result.alt_verdicts == {"strict": "WA", "taco": "WA"}
    assert session.inputs == ["in0\n", "in0\n"]  # each checker stopped at its first failure


def test_compare_both_with_taco_first_makes_taco_the_verdict() -> None:
    problem = _stdin_problem(["1\n"])
    session = ScriptedSession(echo_answers({"in0\n": b"11\n"}))
    result = judged(problem, JudgeConfig(checkers=("taco", "strict")), session, _sub())
    assert result.verdict is Verdict.AC
    assert result.alt_verdicts == {"taco": "AC", "strict": "WA"}


def test_compare_both_resource_verdicts_apply_to_every_checker() -> None:
    tle = clean(cpu_timeout=True, cpu_s=5.0, exit_code=None, signal=9)
    result = judged(_stdin_problem(["1\n"]), JudgeConfig(checkers=("strict", "taco")), ScriptedSession(lambda _: tle), _sub()
    )
    assert result.verdict is Verdict.TLE
    assert result.alt_verdicts == {"strict": "TLE", "taco": "TLE"}


def test_compare_both_a_syntax_error_is_ce_for_strict_and_a_runtime_failure_for_taco() -> None:
    # The reference runs the program anyway: python exits 1 on every test (then it tries the
    # program wrapped in a function, which here does not compile either).
    session = ScriptedSession(lambda _: clean(), compile_error="SyntaxError")
    result = judged(_stdin_problem(["1\n"]), JudgeConfig(checkers=("strict", "taco")), session, _sub())
    assert result.alt_verdicts == {"strict": "CE", "taco": "RE"}


# ------------------------------------------------------------------ several valid answers (spj case 1)


def test_case_1_without_a_checker_program_is_unjudgeable_not_failed() -> None:
    problem = _stdin_problem(["1 2\n"])
    session = ScriptedSession(lambda _: clean(b"2 1\n"))
    result = judged(problem, JudgeConfig(spj={7: 1}), session, _sub())
    assert result.verdict is Verdict.WA
    assert result.unjudgeable is True
    assert result.to_json()["unjudgeable"] is True


def test_case_1_matching_the_stored_answer_is_plain_ac() -> None:
    result = judged(_stdin_problem(["1 2\n"]), JudgeConfig(spj={7: 1}), ScriptedSession(lambda _: clean(b"1 2\n")), _sub()
    )
    assert result.verdict is Verdict.AC and not result.unjudgeable


def test_case_1_runtime_error_is_a_real_failure() -> None:
    crashed = clean(exit_code=1, exc_type="IndexError", stderr_tail="IndexError: list index out of range\n")
    result = judged(_stdin_problem(["1 2\n"]), JudgeConfig(spj={7: 1}), ScriptedSession(lambda _: crashed), _sub())
    assert result.verdict is Verdict.RE and not result.unjudgeable


def test_case_1_unjudgeable_applies_to_strict_not_to_the_taco_checker() -> None:
    session = ScriptedSession(lambda _: clean(b"2 1\n"))
    result = judged(_stdin_problem(["1 2\n"]), JudgeConfig(checkers=("taco", "strict"), spj={7: 1}), session, _sub()
    )
    assert result.checker == "taco"
    assert result.unjudgeable is False


def test_case_1_with_a_checker_program_is_judged_by_it(tmp_path: Path) -> None:
    checker = tmp_path / "permutation.py"  # a .py file runs with the judge's Python
    checker.write_text(
        "import sys\n"
        "given, expected, output = (open(p).read() for p in sys.argv[1:4])\n"
        "sys.exit(0 if sorted(expected.split()) == sorted(output.split()) else 1)\n"
    )
    config = JudgeConfig(spj={7: 1}, checker_program=str(checker))
    accepted = judged(_stdin_problem(["1 2\n"]), config, ScriptedSession(lambda _: clean(b"2 1\n")), _sub())
    assert accepted.verdict is Verdict.AC and not accepted.unjudgeable
    rejected = judged(_stdin_problem(["1 2\n"]), config, ScriptedSession(lambda _: clean(b"2 2\n")), _sub())
    assert rejected.verdict is Verdict.WA and not rejected.unjudgeable


def test_other_problems_are_never_unjudgeable() -> None:
    result = judged(_stdin_problem(["1 2\n"]), JudgeConfig(spj={8: 1}), ScriptedSession(lambda _: clean(b"2 1\n")), _sub()
    )
    assert result.verdict is Verdict.WA and not result.unjudgeable


# ------------------------------------------------------------------ end to end through the local jail


@pytest.fixture(scope="module")
def session() -> Iterator[RunnerSession]:
    backend = LocalBackend()
    opened = backend.open_session()
    try:
        yield opened
    finally:
        opened.close()
        backend.close()


ADD = Problem(
    task_id=1,
    mode="stdin",
    tests=(Case(0, "1 2\n", "3\n"), Case(1, "40 2\n", "42\n")),
    time_limit_s=2.0,
    memory_limit_mb=256,
)
CALL = Problem(
    task_id=2,
    mode="call",
    fn_name="add",
    tests=(Case(0, [1, 2], [3]), Case(1, [40, 2], [42])),
    time_limit_s=2.0,
    memory_limit_mb=256,
)


@pytest.mark.parametrize(
    ("problem", "code", "verdict", "detail_part"),
    [
        (ADD, "a, b = map(int, input().split())\nprint(a + b)\n", Verdict.AC, ""),
        (ADD, "a, b = map(int, input().split())\nprint(a - b)\n", Verdict.WA, "test 0: line 1, token 1: expected '3', got '-1'"),
        (ADD, "while True:\n    pass\n", Verdict.TLE, "test 0:"),
        (ADD, "x = bytearray(4 * 1024 ** 3)\n", Verdict.MLE, "test 0: MemoryError"),
        (ADD, "a, b = map(int, input().split())\nprint(a // (b - 2))\n", Verdict.RE, "test 0: ZeroDivisionError"),
        (ADD, "print(3)\nraise SystemExit(4)\n", Verdict.RE, "test 0: exit code 4"),
        (ADD, "import os\nos.abort()\n", Verdict.RE, "test 0: killed by signal SIGABRT"),
        (ADD, "print(3\n", Verdict.CE, "(line 1)"),
        (ADD, "while True:\n    print('y' * 4096)\n", Verdict.OLE, "output exceeded 1048576 bytes"),
        (CALL, "def add(a, b):\n    return a + b\n", Verdict.AC, ""),
        (CALL, "class Solution:\n    def add(self, a: int, b: int) -> int:\n        return a + b\n", Verdict.AC, ""),
        (CALL, "def add(a, b):\n    return str(a + b)\n", Verdict.WA, "test 0:"),
        (CALL, "def plus(a, b):\n    return a + b\n", Verdict.CE, "no function named 'add'"),
    ],
    ids=["AC", "WA", "TLE", "MLE", "RE-exception", "RE-exit", "RE-signal", "CE-syntax", "OLE", "call-AC",
         "call-Solution-AC", "call-WA", "call-CE-missing"],
)
def test_every_verdict_through_the_local_jail(
    session: RunnerSession, problem: Problem, code: str, verdict: Verdict, detail_part: str
) -> None:
    config = JudgeConfig(time_limit_s=0.5 if verdict is Verdict.TLE else None, output_bytes=1 << 20)
    result = judged(problem, config, session, submission_from_code(problem.task_id, 0, code, origin="test"))
    assert result.verdict is verdict, result
    assert detail_part in result.detail
    assert session.healthy


def test_the_session_judges_the_next_sample_right_after_each_failure(session: RunnerSession) -> None:
    good = submission_from_code(1, 1, "a, b = map(int, input().split())\nprint(a + b)\n", origin="test")
    for bad in ("import os\nos.abort()\n", "x = bytearray(4 * 1024 ** 3)\n", "print(\n"):
        judged(ADD, JudgeConfig(), session, submission_from_code(1, 0, bad, origin="test"))
        assert judged(ADD, JudgeConfig(), session, good).verdict is Verdict.AC
