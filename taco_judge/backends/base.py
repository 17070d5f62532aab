"""The jail interface: a backend opens runner sessions; a session judges one submission at a time.

Both jails (``local`` and ``docker``) run the same runner program and speak the same wire
protocol (``protocol.py``); a backend only decides how the runner is confined and how its byte
streams are reached. A new jail is a new module plus one line in ``backends/__init__.py``.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Any

from taco_judge.verdict import Limits, Observation


@dataclass(frozen=True)
class LoadResult:
    """Outcome of handing a program to the runner: compiled, or a compile error (-> CE)."""

    ok: bool
    compile_error: str = ""


class RunnerSession(abc.ABC):
    """One live runner. Not thread-safe: one worker thread owns a session."""

    @abc.abstractmethod
    def load(self, code: str, mode: str, fn_name: str | None, preamble: str, limits: Limits) -> LoadResult:
        """Compile a submission inside the jail; later ``run_test`` calls run it."""

    @abc.abstractmethod
    def run_test(self, test_input: Any) -> Observation:
        """Run the loaded submission on one test input (stdin text, or call-mode argument list)."""

    @abc.abstractmethod
    def reset(self) -> None:
        """End the current submission: kill what it left running and wipe its files."""

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
        """One line saying what isolation this backend gives, for logs and metrics."""
        return self.name

    def close(self) -> None:
        """Release everything the backend started."""
