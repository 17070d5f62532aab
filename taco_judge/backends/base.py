"""The jail interface: a backend opens runner sessions; a session runs one plan at a time.

Both jails (``local`` and ``docker``) run the same runner program and speak the same wire
protocol (``protocol.py``); a backend decides how the runner is confined and how its byte streams
are reached, and says what it is (``identity``, part of every stored execution's key). A new jail
is a new module plus one line in ``backends/__init__.py``.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from taco_judge.plans import Plan
from taco_judge.verdict import Limits, Observation


@dataclass(frozen=True)
class RunOutcome:
    """What running one plan on a problem's inputs produced: a compile error, or one observation
    per test that ran (fewer than the inputs when the caller stopped early); ``clean``: nothing
    the program started or wrote survived it."""

    compile_error: str | None
    observations: tuple[Observation, ...]
    clean: bool = True


class RunnerSession(abc.ABC):
    """One live runner. Not thread-safe: one worker owns a session."""

    @abc.abstractmethod
    def run(self, plan: Plan, inputs: Sequence[Any], limits: Limits, *, early_stop: bool,
            decide: Callable[[int, Observation], bool] | None = None) -> RunOutcome:
        """Run ``plan`` on the inputs in order, each test in a fresh process and working dir.
        ``decide(index, observation)`` is told every test; with ``early_stop`` its False stops the
        run before the next test starts. Raises InfrastructureError when the jail fails."""

    @abc.abstractmethod
    def close(self) -> None:
        """Stop the runner and release its jail."""

    @property
    def healthy(self) -> bool:
        """False once the session saw an anomaly and must not take more work."""
        return True


class Backend(abc.ABC):
    """A kind of jail. Opens sessions; owns whatever they share (a container pool, a temp root)."""

    name: str = "?"

    @abc.abstractmethod
    def open_session(self) -> RunnerSession:
        """Start one runner in a fresh jail."""

    def describe(self) -> str:
        """One line saying what isolation this backend gives, for logs and the run record."""
        return self.name

    def identity(self) -> str:
        """Everything about the jail that can change what a program observes (its kind, its
        confinement, the interpreter and packages programs get): part of every execution key."""
        return self.describe()

    def environment(self) -> dict[str, Any]:
        """What programs run on (interpreter, packages, isolation facts), for the run record."""
        return {}

    def weaker_than_usual(self) -> list[str]:
        """Isolation this jail lacks on this machine compared with its usual set-up, one line each."""
        return []

    def close(self) -> None:
        """Release everything the backend started."""
