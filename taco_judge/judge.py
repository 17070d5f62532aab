"""Submission x problem -> SampleResult, through a runner session. Expected outputs stay here.

The runner only reports what happened (``Observation``); this module decides the verdict:
first from resource facts (CE, OLE, TLE, MLE, RE), then, for clean runs, by the checkers.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass, field
from typing import Any, Mapping

from taco_judge.backends.base import RunnerSession
from taco_judge.checkers import Checker, build_checker
from taco_judge.preamble import TACO_PREAMBLE
from taco_judge.problems import Problem, TestCase
from taco_judge.spj import CASE_MULTI
from taco_judge.submissions import Submission
from taco_judge.verdict import Limits, Observation, SampleResult, TestResult, Verdict

DEFAULT_TIME_LIMIT_S = 4.0  # the reference evaluator's per-test timeout
DEFAULT_MEMORY_MB = 512
STDERR_TAIL_CHARS = 600
# A program killed by a signal while using this share of its memory limit ran out of memory.
MLE_SIGNAL_SHARE = 0.9
_MEMORY_SIGNALS = {signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS}


@dataclass(frozen=True)
class JudgeConfig:
    """How to judge: checkers, limits policy, preamble, early stop."""

    checkers: tuple[str, ...] = ("strict",)  # the first one decides `verdict`; others go to alt_verdicts
    spj: Mapping[Any, int] = field(default_factory=dict)  # task id -> TACO special-judge case
    float_tol: float | None = None
    checker_program: str | None = None
    preamble: str = TACO_PREAMBLE
    early_stop: bool = True
    time_limit_s: float | None = None  # overrides the problem's own limit
    memory_mb: int | None = None
    default_time_limit_s: float = DEFAULT_TIME_LIMIT_S
    default_memory_mb: int = DEFAULT_MEMORY_MB
    output_bytes: int = Limits.output_bytes

    @property
    def primary_checker(self) -> str:
        return self.checkers[0]


def limits_for(problem: Problem, config: JudgeConfig) -> Limits:
    """CLI overrides first, then the problem's own limits, then the documented defaults."""
    time_s = config.time_limit_s or problem.time_limit_s or config.default_time_limit_s
    memory = config.memory_mb or problem.memory_limit_mb or config.default_memory_mb
    return Limits(time_limit_s=float(time_s), memory_mb=int(memory), output_bytes=config.output_bytes)


def classify(obs: Observation, limits: Limits) -> tuple[Verdict, str] | None:
    """The verdict that resource facts alone decide, or None when the output must be checked."""
    if obs.error:
        return Verdict.SE, obs.error
    if obs.missing_function:
        return Verdict.CE, obs.stderr_tail.strip()[-300:] or "the required function is not defined"
    if obs.stdout_truncated:
        return Verdict.OLE, f"output exceeded {limits.output_bytes} bytes"
    if obs.cpu_timeout or obs.cpu_s > limits.time_limit_s:
        return Verdict.TLE, f"CPU time {obs.cpu_s:.2f} s > limit {limits.time_limit_s:g} s"
    if obs.wall_timeout:
        return Verdict.TLE, (
            f"wall time {obs.wall_s:.2f} s hit the backstop {limits.wall_backstop_s:g} s "
            f"(CPU {obs.cpu_s:.2f} s: sleeping or blocked)"
        )
    if obs.oom_killed:
        return Verdict.MLE, f"killed by the out-of-memory killer (limit {limits.memory_mb} MB)"
    if obs.exc_type == "MemoryError":
        return Verdict.MLE, f"MemoryError (limit {limits.memory_mb} MB)"
    if obs.signal in _MEMORY_SIGNALS and obs.peak_rss_mb >= MLE_SIGNAL_SHARE * limits.memory_mb:
        return Verdict.MLE, f"killed by signal {_signal_name(obs.signal)} at {obs.peak_rss_mb:.0f} MB"
    if obs.signal is not None:
        return Verdict.RE, f"killed by signal {_signal_name(obs.signal)}"
    if obs.exc_type:
        return Verdict.RE, _last_line(obs.stderr_tail) or obs.exc_type
    if obs.exit_code not in (0, None):
        return Verdict.RE, f"exit code {obs.exit_code}"
    return None


def _signal_name(number: int | None) -> str:
    try:
        return signal.Signals(number).name  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return str(number)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


@dataclass
class _CheckerTrack:
    """Per-checker progress through one sample's tests."""

    name: str
    checker: Checker
    verdict: Verdict | None = None  # first failing test's verdict under this checker
    detail: str = ""
    unjudgeable: bool = False


class SampleJudge:
    """Judges submissions for one problem: builds checkers once, then runs samples through a session."""

    def __init__(self, problem: Problem, config: JudgeConfig) -> None:
        self.problem = problem
        self.config = config
        self.limits = limits_for(problem, config)
        self.spj_case = int(config.spj.get(problem.task_id, 0) or 0)
        self.needs_special_judge = self.spj_case == CASE_MULTI and not config.checker_program
        self.checkers: list[tuple[str, Checker]] = []
        for name in config.checkers:
            program = config.checker_program if self.spj_case == CASE_MULTI and name != "taco" else None
            checker = build_checker(name, spj_case=self.spj_case, float_tol=config.float_tol, program=program)
            self.checkers.append((name, checker))

    def load_submission(self, session: RunnerSession, submission: Submission) -> SampleResult | None:
        """Load the submission into ``session``: its CE result when it cannot run (an invalid
        sample, code that does not compile), else None. Raises InfrastructureError on jail failure."""
        problem = self.problem
        if submission.invalid:
            return self._result(submission, Verdict.CE, (), f"invalid submission: {submission.invalid}")
        loaded = session.load(submission.code, problem.mode, problem.fn_name, self.config.preamble, self.limits)
        if not loaded.ok:
            return self._result(submission, Verdict.CE, (), loaded.compile_error)
        return None

    def judge(self, session: RunnerSession, submission: Submission) -> SampleResult:
        """Run one submission on the problem's tests. Raises InfrastructureError on jail failure."""
        not_run = self.load_submission(session, submission)
        if not_run is not None:
            return not_run
        problem = self.problem
        tracks = [_CheckerTrack(name, checker) for name, checker in self.checkers]
        results: list[TestResult] = []
        try:
            for test in problem.tests:
                if self.config.early_stop and all(t.verdict is not None for t in tracks):
                    break
                obs = session.run_test(test.input)
                results.append(self._judge_test(test, obs, tracks))
        finally:
            # A session that just failed is discarded by its owner; resetting it would only wait
            # on a dead or hung runner (up to a minute) and replace the original error.
            if session.healthy:
                session.reset()
        primary = tracks[0]
        alt = {t.name: (t.verdict or Verdict.AC).value for t in tracks} if len(tracks) > 1 else {}
        return self._result(
            submission,
            primary.verdict or Verdict.AC,
            tuple(results),
            primary.detail,
            unjudgeable=primary.unjudgeable,
            alt_verdicts=alt,
        )

    def _judge_test(self, test: TestCase, obs: Observation, tracks: list[_CheckerTrack]) -> TestResult:
        decided = classify(obs, self.limits)
        primary_verdict: Verdict | None = None
        primary_detail = ""
        for i, track in enumerate(tracks):
            if decided is not None:
                verdict, detail = decided
            else:
                outcome = track.checker.check(self.problem, test, obs)
                if outcome.checker_error:
                    verdict, detail = Verdict.SE, f"checker failed: {outcome.detail}"
                elif outcome.passed:
                    verdict, detail = Verdict.AC, ""
                else:
                    verdict, detail = Verdict.WA, outcome.detail
            if verdict is not Verdict.AC and track.verdict is None:
                track.verdict = verdict
                track.detail = f"test {test.index}: {detail}" if detail else f"test {test.index}"
                # Several answers may be right here and no special judge was given: not a real WA.
                track.unjudgeable = verdict is Verdict.WA and self.needs_special_judge and track.name != "taco"
            if i == 0:
                primary_verdict, primary_detail = verdict, detail
        stderr = ""
        if primary_verdict in (Verdict.RE, Verdict.MLE, Verdict.CE) and obs.stderr_tail:
            stderr = obs.stderr_tail[-STDERR_TAIL_CHARS:]
        return TestResult(
            index=test.index,
            verdict=primary_verdict or Verdict.AC,
            cpu_s=obs.cpu_s,
            wall_s=obs.wall_s,
            peak_mb=obs.peak_rss_mb,
            detail=primary_detail,
            stderr_tail=stderr,
        )

    def _result(
        self,
        submission: Submission,
        verdict: Verdict,
        tests: tuple[TestResult, ...],
        detail: str,
        *,
        unjudgeable: bool = False,
        alt_verdicts: dict[str, str] | None = None,
    ) -> SampleResult:
        if alt_verdicts is None and len(self.checkers) > 1:
            alt_verdicts = {name: verdict.value for name, _ in self.checkers}
        return SampleResult(
            task_id=submission.task_id,
            sample=submission.sample,
            verdict=verdict,
            tests=tests,
            code_sha256=submission.code_sha256,
            raw_sha256=submission.raw_sha256,
            checker=self.config.primary_checker,
            limits=self.limits,
            num_tests=len(self.problem.tests),
            detail=detail,
            unjudgeable=unjudgeable,
            alt_verdicts=alt_verdicts or {},
        )

    def system_error(self, submission: Submission, reason: str) -> SampleResult:
        """The result for a sample the jail could not judge, after retries."""
        return self._result(submission, Verdict.SE, (), reason)
