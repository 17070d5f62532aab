"""Submission x problem -> SampleResult: each configured checker judges it through ``Runs``.

Expected outputs stay here: the runner only reports what happened, the checkers decide. The first
checker's verdict is the sample's; the others' go to ``alt_verdicts`` (``--compare both``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from taco_judge.checkers import build_checker, build_comparator
from taco_judge.checkers.base import Context, Runs
from taco_judge.preamble import TACO_PREAMBLE
from taco_judge.problems import Problem
from taco_judge.spj import CASE_MULTI
from taco_judge.submissions import Submission, fence_note
from taco_judge.verdict import Limits, SampleResult, Verdict

DEFAULT_TIME_LIMIT_S = 4.0  # the reference evaluator's per-test timeout
DEFAULT_MEMORY_MB = 512
DEFAULT_HASH_SEED = 0


@dataclass(frozen=True)
class JudgeConfig:
    """How to judge: checkers, limits policy, preamble, early stop, the programs' hash seed."""

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
    hash_seed: int = DEFAULT_HASH_SEED  # PYTHONHASHSEED of every program (set iteration order)

    @property
    def primary_checker(self) -> str:
        return self.checkers[0]

    def backend_options(self) -> dict[str, Any]:
        """What every jail is opened with for this configuration: the programs' hash seed, the
        preamble kept warm in the runner."""
        return {"hash_seed": self.hash_seed, "preambles": (self.preamble,) if self.preamble else ()}


def limits_for(problem: Problem, config: JudgeConfig) -> Limits:
    """CLI overrides first, then the problem's own limits, then the documented defaults."""
    time_s = config.time_limit_s or problem.time_limit_s or config.default_time_limit_s
    memory = config.memory_mb or problem.memory_limit_mb or config.default_memory_mb
    return Limits(time_limit_s=float(time_s), memory_mb=int(memory), output_bytes=config.output_bytes)


class SampleJudge:
    """Judges submissions for one problem: builds its checkers once, then judges samples."""

    def __init__(self, problem: Problem, config: JudgeConfig) -> None:
        self.problem = problem
        self.config = config
        self.limits = limits_for(problem, config)
        self.spj_case = int(config.spj.get(problem.task_id, 0) or 0)
        program = build_comparator(config.checker_program) if config.checker_program and self.spj_case == CASE_MULTI \
            else None
        self.tracks = []
        for name in config.checkers:
            checker = build_checker(name, spj_case=self.spj_case, float_tol=config.float_tol)
            limits = checker.track_limits(self.limits, time_given=config.time_limit_s is not None)
            self.tracks.append((name, checker, limits, program if checker.honours_special_judge else None))
        self.needs_special_judge = self.spj_case == CASE_MULTI and program is None

    def track_limits(self) -> list[Limits]:
        """The limits each checker runs under (the reference's 4 s for taco, unless --timeout)."""
        return [limits for _, _, limits, _ in self.tracks]

    def judge(self, submission: Submission, runs_for: Callable[[Limits], Runs]) -> SampleResult:
        """Judge one submission; ``runs_for(limits)`` gives the Runs each checker uses. Raises
        InfrastructureError on jail failure, MissingObservations when replaying without a jail."""
        if submission.invalid:
            return self.result(submission, Verdict.CE, (), f"invalid submission: {submission.invalid}")
        outcomes = []
        for name, checker, limits, program in self.tracks:
            ctx = Context(self.problem, submission.code, limits, self.config.preamble, self.config.early_stop,
                          self.spj_case, self.config.float_tol, program)
            outcomes.append((name, checker.judge(ctx, runs_for(limits))))
        primary = outcomes[0][1]
        alt = {name: outcome.verdict.value for name, outcome in outcomes} if len(outcomes) > 1 else {}
        detail = primary.detail
        if primary.verdict is Verdict.CE and (note := fence_note(submission.code)):
            detail = f"{detail} ({note})"  # derived from the code: the same on replay and rejudge
        return self.result(submission, primary.verdict, primary.tests, detail,
                           unjudgeable=primary.unjudgeable, alt_verdicts=alt)

    def result(self, submission: Submission, verdict: Verdict, tests: tuple, detail: str, *,
               unjudgeable: bool = False, alt_verdicts: dict[str, str] | None = None) -> SampleResult:
        if alt_verdicts is None and len(self.tracks) > 1:
            alt_verdicts = {name: verdict.value for name, *_ in self.tracks}
        return SampleResult(
            task_id=submission.task_id,
            sample=submission.sample,
            verdict=verdict,
            tests=tuple(tests),
            code_sha256=submission.code_sha256,
            raw_sha256=submission.raw_sha256,
            checker=self.config.primary_checker,
            limits=self.tracks[0][2],
            num_tests=len(self.problem.tests),
            detail=detail,
            unjudgeable=unjudgeable,
            alt_verdicts=alt_verdicts or {},
        )

    def system_error(self, submission: Submission, reason: str) -> SampleResult:
        """The result for a sample the jail could not judge, after retries."""
        return self.result(submission, Verdict.SE, (), reason)

    def program_error(self, submission: Submission, reason: str) -> SampleResult:
        """The result for a sample whose run broke the jail while a known-good program runs fine:
        the failure is the program's (RE), never SE (SE would leave it out of pass@k)."""
        return self.result(submission, Verdict.RE, (), reason)
