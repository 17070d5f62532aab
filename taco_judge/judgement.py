"""Pure judgement: one test's observation, its expected output and the limits -> a verdict.

Resource facts decide first (docs/verdicts.md gives the order): SE when the jail failed, OLE,
TLE (CPU time of every process the program started; the wall clock only as a backstop), MLE
(peak memory used over the limit, or the out-of-memory killer), then what the program did to
itself (a forged status record, a missing function, a signal, an exception, a non-zero exit).
Only a clean run's output goes to a comparator. Judging, rejudging from stored observations,
the audit and quarantine settling all call these functions, so they agree by construction.
"""

from __future__ import annotations

import re
import signal
from typing import Callable

from taco_judge.verdict import CheckOutcome, Limits, Observation, TestResult, Verdict

STDERR_TAIL_CHARS = 600
# A program killed by a signal while using this share of its memory limit ran out of memory.
MLE_SIGNAL_SHARE = 0.9
_MEMORY_SIGNALS = {signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS}


def classify(obs: Observation, limits: Limits) -> tuple[Verdict, str] | None:
    """The verdict that resource facts alone decide, or None when the output must be checked."""
    if obs.error:
        return Verdict.SE, obs.error
    if obs.stdout_truncated:
        return Verdict.OLE, f"output exceeded {limits.output_bytes} bytes"
    if obs.cpu_timeout or obs.cpu_s > limits.time_limit_s:
        return Verdict.TLE, f"CPU time {obs.cpu_s:.2f} s > limit {limits.time_limit_s:g} s"
    if obs.wall_timeout:
        return Verdict.TLE, (f"wall time {obs.wall_s:.2f} s hit the backstop {limits.wall_backstop_s:g} s "
                             f"(CPU {obs.cpu_s:.2f} s: sleeping or blocked; time spent waiting for a CPU "
                             "is not counted)")
    if obs.oom_killed:
        return Verdict.MLE, f"killed by the out-of-memory killer (limit {limits.memory_mb} MB)"
    if obs.memory_exceeded or obs.peak_mb > limits.memory_mb:
        return Verdict.MLE, f"peak memory {obs.peak_mb:.0f} MB > limit {limits.memory_mb} MB"
    if obs.peak_mb + obs.files_mb > limits.memory_mb:  # files on the jail's tmpfs are memory too
        return Verdict.MLE, (f"memory {obs.peak_mb + obs.files_mb:.0f} MB (peak {obs.peak_mb:.0f} MB + files left in "
                             f"its working dir {obs.files_mb:.0f} MB) > limit {limits.memory_mb} MB")
    if obs.exc_type == "MemoryError":
        return Verdict.MLE, f"MemoryError (limit {limits.memory_mb} MB)"
    if obs.signal in _MEMORY_SIGNALS and obs.peak_mb >= MLE_SIGNAL_SHARE * limits.memory_mb:
        return Verdict.MLE, f"killed by signal {signal_name(obs.signal)} at {obs.peak_mb:.0f} MB"
    if obs.status_error:
        return Verdict.RE, obs.status_error
    if obs.missing_function:
        return Verdict.CE, obs.stderr_tail.strip()[-300:] or "the required function is not defined"
    if obs.signal is not None:
        return Verdict.RE, f"killed by signal {signal_name(obs.signal)}"
    if obs.exc_type:
        return Verdict.RE, last_line(obs.stderr_tail) or obs.exc_type
    if obs.exit_code not in (0, None):
        return Verdict.RE, f"exit code {obs.exit_code}"
    return None


def outcome_verdict(outcome: CheckOutcome) -> tuple[Verdict, str]:
    """A comparison's verdict: AC, WA, or SE when the comparator itself failed (a checker program)."""
    if outcome.checker_error:
        return Verdict.SE, f"checker failed: {outcome.detail}"
    return (Verdict.AC, "") if outcome.passed else (Verdict.WA, outcome.detail)


def test_verdict(obs: Observation, limits: Limits, compare: Callable[[Observation], CheckOutcome]) -> tuple[Verdict, str]:
    """One test's verdict: the resource facts, else ``compare``'s judgement of the output."""
    decided = classify(obs, limits)
    return decided if decided is not None else outcome_verdict(compare(obs))


def test_result(index: int, obs: Observation, verdict: Verdict, detail: str) -> TestResult:
    """The recorded judgement of one test (with the end of stderr where it explains a failure)."""
    stderr = obs.stderr_tail[-STDERR_TAIL_CHARS:] if verdict in (Verdict.RE, Verdict.MLE, Verdict.CE) else ""
    return TestResult(index=index, verdict=verdict, cpu_s=obs.cpu_s, wall_s=obs.wall_s, peak_mb=obs.peak_mb,
                      detail=detail, stderr_tail=stderr)


def signal_name(number: int | None) -> str:
    try:
        return signal.Signals(number).name  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return str(number)


_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)?(: |$)")


def last_line(text: str) -> str:
    """What a failure says in one line: the exception line of the last traceback in ``text``, else its
    last non-blank line. The exception line, not the last line: messages run over several lines
    (numpy's removed-alias errors end in an indented URL, which alone explains nothing)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call last)")]
    if starts:
        for line in lines[starts[-1] + 1:]:
            if not line[0].isspace() and _EXCEPTION_LINE.match(line):
                return line[:300]
    return lines[-1][:300]
