"""A user's checker program, for problems with several correct answers (TACO special-judge case 1).

Contract (docs/checkers.md): ``PROGRAM input_file expected_file output_file``; exit 0 accepts,
exit 1 rejects, anything else (a crash, including an uncaught Python exception, or 10 s
without finishing) is a checker failure (SE).
The first line the program prints becomes the detail.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from taco_judge.checkers.base import CheckerError, expected_text
from taco_judge.problems import Problem, TestCase
from taco_judge.verdict import CheckOutcome, Observation

CHECKER_TIMEOUT_S = 10.0
_DETAIL_CHARS = 200
_PYTHON_TRACEBACK = b"Traceback (most recent call last):"


class ProgramChecker:
    """Runs a trusted user program on the host to judge each output."""

    name = "program"

    def __init__(self, path: str | os.PathLike[str], *, timeout_s: float = CHECKER_TIMEOUT_S) -> None:
        program = Path(path).expanduser()
        if not program.is_file():
            raise CheckerError(f"checker program {str(path)!r} not found: pass an existing file to --checker")
        runs_with_python = program.suffix == ".py" and not os.access(program, os.X_OK)
        if not runs_with_python and not os.access(program, os.X_OK):
            raise CheckerError(f"checker program {str(path)!r} is not executable: chmod +x it (or use a .py file)")
        self.path = program.resolve()
        self.command = [sys.executable, str(self.path)] if runs_with_python else [str(self.path)]
        self.timeout_s = timeout_s

    def __repr__(self) -> str:
        return f"ProgramChecker({str(self.path)!r})"

    def check(self, problem: Problem, test: TestCase, obs: Observation) -> CheckOutcome:
        if problem.mode == "call":
            if not obs.returned:
                return CheckOutcome(False, "the function did not return a value")
            files = {
                "input": json.dumps(test.input).encode(),
                "expected": json.dumps(test.expected).encode(),
                "output": json.dumps(obs.return_value).encode(),
            }
        else:
            given = expected_text(test.input)
            want = expected_text(test.expected)
            if given is None or want is None:
                return CheckOutcome(False, "test input or expected output is not text", checker_error=True)
            files = {"input": given.encode(), "expected": want.encode(), "output": obs.stdout}
        with tempfile.TemporaryDirectory(prefix="taco-judge-checker-") as scratch:
            paths = []
            for role, data in files.items():
                target = Path(scratch) / role
                target.write_bytes(data)
                paths.append(str(target))
            return self._run(paths, scratch)

    def _run(self, paths: list[str], cwd: str) -> CheckOutcome:
        try:
            process = subprocess.Popen(
                [*self.command, *paths],
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # so a timeout kills the checker's children too
            )
        except OSError as exc:
            return CheckOutcome(False, f"checker program could not start: {exc.strerror or exc}", checker_error=True)
        try:
            stdout, stderr = process.communicate(timeout=self.timeout_s)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            try:
                process.communicate(timeout=5)
            except subprocess.TimeoutExpired:  # an escaped grandchild holds the pipes; give up on them
                pass
            return CheckOutcome(False, f"checker program timed out after {self.timeout_s:g} s", checker_error=True)
        message = _first_line(stdout) or _first_line(stderr)
        if process.returncode == 0:
            return CheckOutcome(True)
        if process.returncode == 1 and _PYTHON_TRACEBACK in stderr:
            # An uncaught Python exception also exits with 1: that is a crash, not a rejection.
            return CheckOutcome(False, f"checker program crashed: {_last_line(stderr)}", checker_error=True)
        if process.returncode == 1:
            return CheckOutcome(False, message or "rejected by the checker program")
        if process.returncode < 0:
            status = f"was killed by signal {-process.returncode}"
        else:
            status = f"exited with code {process.returncode}"
        detail = f"checker program {status}" + (f": {message}" if message else "")
        return CheckOutcome(False, detail, checker_error=True)


def _kill_group(process: subprocess.Popen[Any]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def _first_line(data: bytes) -> str:
    return _pick_line(data.decode("utf-8", errors="replace").splitlines())


def _last_line(data: bytes) -> str:
    return _pick_line(reversed(data.decode("utf-8", errors="replace").splitlines()))


def _pick_line(lines: Iterable[str]) -> str:
    """The first non-blank line, stripped and cut to the detail length."""
    for line in lines:
        if line.strip():
            line = line.strip()
            return line if len(line) <= _DETAIL_CHARS else line[: _DETAIL_CHARS - 3] + "..."
    return ""
