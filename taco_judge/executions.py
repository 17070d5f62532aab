"""Executions: what running one plan on one list of inputs in one jail observed.

An execution is content-addressed by everything that decides what it observes (``ExecutionKey``):
the plan (program text and how it runs), the inputs, the limits, the runner and the jail. Checker
options are not in the key: they judge observations, they do not make them. These are records
only (the store keeps them); ``judging`` decides when one is run or replayed.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from taco_judge.plans import Plan
from taco_judge.verdict import Limits, Observation

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
