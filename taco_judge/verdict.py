"""The verdict vocabulary and the records that carry observations and judgements."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Verdict(str, enum.Enum):
    """Per-test and per-sample outcome. Defined once; docs/verdicts.md describes each."""

    AC = "AC"  # accepted
    WA = "WA"  # wrong answer
    TLE = "TLE"  # CPU time over the limit, or wall-clock backstop hit
    MLE = "MLE"  # memory over the limit (MemoryError, failed allocation, OOM kill)
    RE = "RE"  # runtime error: non-zero exit, signal, uncaught exception
    CE = "CE"  # does not compile, or call-based code without the function
    OLE = "OLE"  # output over the limit
    SE = "SE"  # judge / infrastructure failure, never the solution's fault

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Limits:
    """Resource limits for one test run. CPU time decides TLE; wall time is only a backstop."""

    time_limit_s: float = 4.0
    memory_mb: int = 512
    wall_limit_s: float | None = None  # None: backstop = 3 x time limit + 1 s
    output_bytes: int = 32 * 1024 * 1024
    stderr_bytes: int = 64 * 1024
    file_size_bytes: int = 16 * 1024 * 1024
    max_processes: int = 64
    max_open_files: int = 64

    @property
    def wall_backstop_s(self) -> float:
        """Wall-clock seconds after which a sleeping or blocked program is killed (TLE)."""
        if self.wall_limit_s is not None:
            return self.wall_limit_s
        return 3.0 * self.time_limit_s + 1.0

    def to_wire(self) -> dict[str, Any]:
        """The limits as the runner reads them: the same names, the wall backstop resolved."""
        return {
            "time_limit_s": self.time_limit_s,
            "wall_limit_s": self.wall_backstop_s,
            "memory_mb": self.memory_mb,
            "output_bytes": self.output_bytes,
            "stderr_bytes": self.stderr_bytes,
            "file_size_bytes": self.file_size_bytes,
            "max_processes": self.max_processes,
            "max_open_files": self.max_open_files,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "time_limit_s": self.time_limit_s,
            "wall_limit_s": self.wall_backstop_s,
            "memory_mb": self.memory_mb,
            "output_bytes": self.output_bytes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Limits:
        """The inverse of ``to_json``: fields ``to_json`` does not write keep their defaults."""
        time_limit_s = float(data["time_limit_s"])
        wall = data.get("wall_limit_s")
        if wall is not None and float(wall) == 3.0 * time_limit_s + 1.0:
            wall = None  # the default backstop, as the judge builds it
        return cls(
            time_limit_s=time_limit_s,
            memory_mb=int(data["memory_mb"]),
            wall_limit_s=None if wall is None else float(wall),
            output_bytes=int(data.get("output_bytes", cls.output_bytes)),
        )


@dataclass(frozen=True)
class Observation:
    """What the runner saw for one test: raw facts, no judgement (docs/runner-protocol.md).

    ``return_value`` is the tagged-JSON encoding of a call-based function's return value (see
    ``taco_judge.values``); ``returned`` says whether the function returned at all, ``loaded``
    whether the module ran and the function was found before the call. ``status_error`` names a
    status record the host refused (forged, malformed or past its limits: the program's doing).
    ``output_file`` is what the program left in its output file (``output.txt``), None when it
    left none; ``rerun`` is the reference evaluator's rerun of this test (``taco`` mode), if any.
    """

    stdout: bytes = b""
    stderr_tail: str = ""
    exit_code: int | None = None
    signal: int | None = None
    cpu_s: float = 0.0
    wall_s: float = 0.0
    peak_mb: float = 0.0
    files_mb: float = 0.0  # what the program left in its working dir (a tmpfs: memory) when it ended
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    wall_timeout: bool = False
    cpu_timeout: bool = False
    oom_killed: bool = False
    memory_exceeded: bool = False
    exc_type: str | None = None
    missing_function: bool = False
    loaded: bool = False
    returned: bool = False
    return_value: Any = None
    status_error: str | None = None
    output_file: bytes | None = None
    output_file_truncated: bool = False
    rerun: "Observation | None" = None
    error: str | None = None  # infrastructure failure description (-> SE)


@dataclass(frozen=True)
class TestResult:
    """The judgement of one test."""

    __test__ = False  # not a pytest test class

    index: int
    verdict: Verdict
    cpu_s: float = 0.0
    wall_s: float = 0.0
    peak_mb: float = 0.0
    detail: str = ""
    stderr_tail: str = ""  # kept for RE / MLE / CE: the end of what the program wrote to stderr

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "test": self.index,
            "verdict": self.verdict.value,
            "cpu_s": round(self.cpu_s, 4),
            "wall_s": round(self.wall_s, 4),
            "peak_mb": round(self.peak_mb, 2),
        }
        if self.detail:
            out["detail"] = self.detail
        if self.stderr_tail:
            out["stderr_tail"] = self.stderr_tail
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TestResult:
        """The inverse of ``to_json`` (whose times are rounded: 4 decimals, MB 2)."""
        return cls(
            index=int(data["test"]),
            verdict=Verdict(data["verdict"]),
            cpu_s=float(data.get("cpu_s", 0.0)),
            wall_s=float(data.get("wall_s", 0.0)),
            peak_mb=float(data.get("peak_mb", 0.0)),
            detail=data.get("detail", ""),
            stderr_tail=data.get("stderr_tail", ""),
        )


@dataclass(frozen=True)
class SampleResult:
    """The judgement of one submitted program (one sample of one task)."""

    task_id: int | str
    sample: int
    verdict: Verdict
    tests: tuple[TestResult, ...]
    code_sha256: str
    raw_sha256: str
    checker: str
    limits: Limits
    num_tests: int
    detail: str = ""
    # True when the problem needs a special judge (several valid answers) that was not given,
    # and the output differed from the one expected answer: counted apart in metrics, not failed.
    unjudgeable: bool = False
    alt_verdicts: dict[str, str] = field(default_factory=dict)  # checker name -> sample verdict

    @property
    def passed(self) -> bool:
        return self.verdict is Verdict.AC

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "task_id": self.task_id,
            "sample": self.sample,
            "verdict": self.verdict.value,
            "passed": self.passed,
            "num_tests": self.num_tests,
            "tests": [t.to_json() for t in self.tests],
            "code_sha256": self.code_sha256,
            "raw_sha256": self.raw_sha256,
            "checker": self.checker,
            "limits": self.limits.to_json(),
        }
        if self.detail:
            out["detail"] = self.detail
        if self.unjudgeable:
            out["unjudgeable"] = True
        if self.alt_verdicts:
            out["verdict_by_checker"] = dict(self.alt_verdicts)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SampleResult:
        """The inverse of ``to_json``: reads a ``results.jsonl`` line back (``passed`` is derived)."""
        return cls(
            task_id=data["task_id"],
            sample=int(data["sample"]),
            verdict=Verdict(data["verdict"]),
            tests=tuple(TestResult.from_json(t) for t in data.get("tests", ())),
            code_sha256=data["code_sha256"],
            raw_sha256=data["raw_sha256"],
            checker=data["checker"],
            limits=Limits.from_json(data["limits"]),
            num_tests=int(data["num_tests"]),
            detail=data.get("detail", ""),
            unjudgeable=bool(data.get("unjudgeable", False)),
            alt_verdicts=dict(data.get("verdict_by_checker", {})),
        )


def first_failure(results: list[TestResult] | tuple[TestResult, ...]) -> TestResult | None:
    """The first non-AC test: its verdict is the sample's verdict."""
    for result in results:
        if result.verdict is not Verdict.AC:
            return result
    return None


@dataclass(frozen=True)
class CheckOutcome:
    """The judgement of one output.

    ``detail`` explains the first difference ("" when passed); ``checker_error`` means the checker
    itself failed (a user checker program crashed), which the judge reports as SE, not WA.
    """

    passed: bool
    detail: str = ""
    checker_error: bool = False
