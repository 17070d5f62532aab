"""Judging one sample: stored executions where they suffice, else the plan run live in a session.

A checker asks for a plan through ``Runs``: a stored execution with enough tests answers without
running anything (resume, cache, rejudge); otherwise the plan runs live in the session, when there
is one. ``Judging`` carries what keys executions (the jail's identity, the runner) and where stored
ones are found; ``Judged`` is a sample's result with the executions it came from, for the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from taco_judge.backends.base import RunnerSession
from taco_judge.executions import (
    Execution,
    ExecutionKey,
    MissingObservations,
    inputs_sha256,
    prefix_needed,
)
from taco_judge.judge import SampleJudge
from taco_judge.plans import Plan
from taco_judge.problems import Problem
from taco_judge.submissions import Submission
from taco_judge.verdict import Limits, Observation, SampleResult


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
