"""Executions: what running one plan on one list of inputs in one jail observed; how checkers get them.

An execution is content-addressed by everything that decides what it observes (``ExecutionKey``):
the plan (program text and how it runs), the inputs, the limits, the runner and the jail. A
checker asks for a plan through ``Runs``: a stored execution with enough tests answers without
running anything (resume, cache, rejudge); otherwise the plan runs live in the session, when there
is one. Checker options are not in the key: they judge observations, they do not make them.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from taco_judge.backends.base import RunnerSession
from taco_judge.judge import SampleJudge
from taco_judge.plans import Plan
from taco_judge.problems import Problem
from taco_judge.submissions import Submission
from taco_judge.verdict import Limits, Observation, SampleResult

KEY_VERSION = 2  # bump when ExecutionKey's material changes meaning


class MissingObservations(Exception):
    """A checker needs a test that the stored execution never ran (and no jail is at hand)."""

    def __init__(self, test: int) -> None:
        super().__init__(f"test {test} was never run")
        self.test = test


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inputs_sha256(inputs: Sequence[Any]) -> str:
    """Hash of a list of test inputs (JSON), for inputs that are not a problem's own tests."""
    return sha256_hex(json.dumps(list(inputs), sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode())


@dataclass(frozen=True)
class ExecutionKey:
    """Everything that decides what running a plan observes: the plan, the inputs (run in order),
    every limit the runner applies, the runner program and the jail (its kind, confinement, and
    the Python and packages programs get)."""

    plan_sha256: str
    code_sha256: str  # the program text the plan runs (informational: it is part of the plan)
    inputs_sha256: str
    limits: str  # canonical JSON of Limits.to_wire()
    runner_sha256: str
    jail: str

    @functools.cached_property
    def digest(self) -> str:
        material = [KEY_VERSION, self.plan_sha256, self.inputs_sha256, self.limits, self.runner_sha256, self.jail]
        return sha256_hex(json.dumps(material, separators=(",", ":")).encode())

    @classmethod
    def of(cls, plan: Plan, inputs_sha: str, limits: Limits, jail: str, runner_sha256: str) -> ExecutionKey:
        return cls(
            plan_sha256=plan.sha256,
            code_sha256=sha256_hex(plan.code.encode("utf-8", "surrogatepass")),
            inputs_sha256=inputs_sha,
            limits=json.dumps(limits.to_wire(), sort_keys=True, separators=(",", ":")),
            runner_sha256=runner_sha256,
            jail=jail,
        )


@dataclass(frozen=True)
class Execution:
    """One plan's run on its inputs: a compile error, or the observations of tests 0..n-1."""

    key: ExecutionKey
    num_tests: int
    compile_error: str | None = None
    observations: tuple[Observation, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every test that could run did (so any checker can be replayed on it)."""
        return self.compile_error is not None or len(self.observations) >= self.num_tests


def prefix_needed(execution: Execution, wants_more: Callable[[list[Observation]], bool]) -> list[Observation] | None:
    """The observations a checker needs of ``execution``: up to where it stops asking; None when
    it would ask for a test the execution never ran."""
    if execution.compile_error is not None:
        return []
    prefix: list[Observation] = []
    for obs in execution.observations:
        prefix.append(obs)
        if not wants_more(prefix):
            return prefix
    return prefix if len(prefix) >= execution.num_tests else None


@dataclass
class Runs:
    """The ``checkers.base.Runs`` of one sample and one set of limits: stored executions first
    (``lookup``), else the live ``session``. Keeps every execution it used, and which it ran."""

    problem: Problem
    limits: Limits
    jail: str
    runner_sha256: str
    early_stop: bool = True
    session: RunnerSession | None = None
    lookup: Callable[[ExecutionKey], Execution | None] | None = None
    used: list[tuple[Execution, Plan, bool]] = field(default_factory=list)  # (execution, plan, run live)

    def key(self, plan: Plan, inputs: Sequence[Any] | None = None) -> ExecutionKey:
        inputs_sha = self.problem.tests_sha256 if inputs is None else inputs_sha256(inputs)
        return ExecutionKey.of(plan, inputs_sha, self.limits, self.jail, self.runner_sha256)

    def run(self, plan: Plan, wants_more: Callable[[list[Observation]], bool], *,
            inputs: list[Any] | None = None) -> tuple[str | None, list[Observation]]:
        key = self.key(plan, inputs)
        values = [test.input for test in self.problem.tests] if inputs is None else inputs
        stored = self.lookup(key) if self.lookup is not None else None
        if stored is not None:
            prefix = prefix_needed(stored, wants_more)
            if prefix is not None:
                self.used.append((stored, plan, False))
                return stored.compile_error, prefix
        if self.session is None:
            raise MissingObservations(len(stored.observations) if stored is not None else 0)
        seen: list[Observation] = []

        def decide(index: int, obs: Observation) -> bool:
            seen.append(obs)
            return wants_more(seen)

        outcome = self.session.run(plan, values, self.limits, early_stop=self.early_stop, decide=decide)
        execution = Execution(key, len(values), outcome.compile_error, outcome.observations)
        self.used.append((execution, plan, True))
        return execution.compile_error, prefix_needed(execution, wants_more) or list(execution.observations)


@dataclass(frozen=True)
class Judged:
    """One sample's result and the executions it came from (those run live flagged), for the store;
    ``exec_key``: the execution holding its tests' observations; ``jail_failed``: SE after retries."""

    submission: Submission
    result: SampleResult
    executions: tuple[tuple[Execution, Plan, bool], ...] = ()
    exec_key: str | None = None
    jail_failed: bool = False

    @property
    def ran(self) -> int:
        return sum(1 for _, _, live in self.executions if live)


@dataclass(frozen=True)
class Judging:
    """What keys executions (the jail's identity, the runner) and where stored ones are found."""

    jail: str
    runner_sha256: str
    lookup: Callable[[ExecutionKey], Execution | None] | None = None

    def judge(self, judge: SampleJudge, submission: Submission, session: RunnerSession | None = None) -> Judged:
        """Judge one sample: from stored executions where they suffice, else live in ``session``.
        Raises MissingObservations without a session, InfrastructureError when the jail fails."""
        runs: list[Runs] = []

        def runs_for(limits: Limits) -> Runs:
            runs.append(Runs(judge.problem, limits, self.jail, self.runner_sha256, judge.config.early_stop,
                             session=session, lookup=self.lookup))
            return runs[-1]

        result = judge.judge(submission, runs_for)
        used = tuple(entry for r in runs for entry in r.used)
        primary = runs[0].used[-1][0].key.digest if runs and runs[0].used else None
        return Judged(submission, result, used, primary)
