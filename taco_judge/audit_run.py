"""Run reference solutions (or one submission) N times through the library API's Judge, for the audit.

Every (solution, run) pair is one sample of ``Judge.run_samples``, so runs are spread over the
warm pool's parallel runners with the same retries and jail-failure handling as judging (and the
Judge keeps no executions to replay: each run really runs). Each run executes every test (no early stop) and keeps, per test, the verdict, CPU and
wall time and the output itself (deduplicated by hash), which ``audit.classify_test`` compares.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from taco_judge.audit import (
    DEFAULT_MARGIN,
    DEFAULT_MIN_AGREE,
    DEFAULT_RUNS,
    DEFAULT_SOLUTIONS,
    Rerun,
    SolutionRun,
    TestAudit,
    classify_test,
    unverified_test,
)
from taco_judge.checkers.base import Context, expected_text
from taco_judge.checkers.strict import program_output
from taco_judge.judge import JudgeConfig, SampleJudge
from taco_judge.judgement import test_verdict
from taco_judge.problems import Problem, TestCase
from taco_judge.submissions import Submission, submission_from_code
from taco_judge.values import decode
from taco_judge.verdict import (
    Observation,
    SampleResult,
    TestResult,
    Verdict,
    first_failure,
)

if TYPE_CHECKING:
    from taco_judge.api import Judge

log = logging.getLogger(__name__)

KEY_CHARS = 16  # hex digits of sha256 that name an output in audit.json
KEEP_OUTPUT_BYTES = 256 * 1024  # longer outputs are compared by hash only
PREVIEW_CHARS = 120


@dataclass(frozen=True)
class CapturedOutput:
    """One answer: its key, a preview, and the value itself when small enough to compare."""

    key: str
    preview: str
    value: Any = None  # stdout bytes (stdin mode) or the decoded return value (call mode)
    comparable: bool = True


def _key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:KEY_CHARS]


def _preview(text: str) -> str:
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 3] + "..."


def capture_stdout(stdout: bytes) -> CapturedOutput:
    """Key a program's stdout by its tokens per line, so layout differences do not split answers."""
    text = stdout.decode("utf-8", "replace")
    tokens = [line.split() for line in text.split("\n")]
    while tokens and not tokens[-1]:
        tokens.pop()
    key = _key(json.dumps(tokens).encode())
    keep = len(stdout) <= KEEP_OUTPUT_BYTES
    return CapturedOutput(key, _preview(text), stdout if keep else None, keep)


def _canonical(tagged: Any) -> Any:
    """Tagged JSON with set members in a fixed order, so equal sets get one key."""
    if isinstance(tagged, list):
        return [_canonical(v) for v in tagged]
    if isinstance(tagged, dict):
        if len(tagged) == 1 and next(iter(tagged)) in ("$set", "$frozenset"):
            ((tag, body),) = tagged.items()
            return {tag: sorted((_canonical(v) for v in body), key=lambda v: json.dumps(v, sort_keys=True))}
        return {k: _canonical(v) for k, v in tagged.items()}
    return tagged


def _python_equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # a returned object with a broken __eq__
        return False


def _plain_data(value: Any) -> bool:
    """JSON-shaped data: what the checker knows how to compare with a tolerance."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, list):
        return all(_plain_data(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_data(v) for k, v in value.items())
    return False


def capture_return(obs: Observation) -> CapturedOutput:
    """Key a call-mode return value by its tagged JSON (set members sorted)."""
    if not obs.returned:
        return CapturedOutput(_key(b"<no return>"), "<the function did not return>", None, False)
    raw = json.dumps(_canonical(obs.return_value), sort_keys=True)
    try:
        value = decode(obs.return_value)
    except (KeyError, TypeError, ValueError, AttributeError):
        return CapturedOutput(_key(raw.encode()), _preview(raw), None, False)
    keep = len(raw) <= KEEP_OUTPUT_BYTES
    return CapturedOutput(_key(raw.encode()), _preview(repr(value)), value if keep else None, keep)


def capture_expected(problem: Problem, test: TestCase) -> CapturedOutput:
    """The expected output, keyed like program outputs."""
    if problem.mode == "call":
        raw = json.dumps(test.expected, sort_keys=True, default=repr)
        return CapturedOutput("expected:" + _key(raw.encode()), _preview(raw), test.expected, True)
    text = expected_text(test.expected)
    if text is None:
        raw = json.dumps(test.expected, default=repr)
        return CapturedOutput("expected:" + _key(raw.encode()), _preview(raw), None, False)
    captured = capture_stdout(text.encode("utf-8"))
    return replace(captured, value=text.encode("utf-8"), comparable=True)


class CheckerOutputs:
    """The outputs seen on one test, compared with the problem's checker (an ``audit.OutputSpace``)."""

    def __init__(self, problem: Problem, checker: Any, expected: CapturedOutput) -> None:
        self.mode = problem.mode
        self.checker = checker
        self.expected_key = expected.key
        self.outputs: dict[str, CapturedOutput] = {expected.key: expected}

    def add(self, captured: CapturedOutput) -> None:
        self.outputs.setdefault(captured.key, captured)

    def _compare(self, reference: CapturedOutput, got: CapturedOutput) -> tuple[bool, str]:
        if not (reference.comparable and got.comparable):
            same = reference.key == got.key
            return same, "" if same else f"outputs differ (compared by hash: {reference.key} vs {got.key})"
        if self.mode == "stdin":
            outcome = self.checker.compare_text(got.value, reference.value.decode("utf-8", "replace"))
            return outcome.passed, outcome.detail
        if reference.key == self.expected_key:
            outcome = self.checker.compare_value(got.value, reference.value)
            return outcome.passed, outcome.detail
        # Two returned values: equal as Python's == says (sets, tuples, ...), or, for plain data,
        # under the checker's tolerance; wrapped in a one-element list so the checker's TACO
        # unwrapping rule does not let 5 equal [5].
        if _python_equal(got.value, reference.value):
            return True, ""
        if _plain_data(reference.value) and self.checker.compare_value(got.value, [reference.value]).passed:
            return True, ""
        return False, f"expected {_preview(repr(reference.value))}, got {_preview(repr(got.value))}"

    def same(self, a: str, b: str) -> bool:
        if a == b:
            return True
        first, second = self.outputs.get(a), self.outputs.get(b)
        if first is None or second is None:
            return False
        return self._compare(second, first)[0] and self._compare(first, second)[0]

    def difference(self, reference: str, got: str) -> str:
        first, second = self.outputs.get(reference), self.outputs.get(got)
        if first is None or second is None:
            return "output not kept"
        passed, detail = self._compare(first, second)
        return "no difference under the checker" if passed else detail

    def preview(self, key: str) -> str:
        captured = self.outputs.get(key)
        return captured.preview if captured is not None else ""


@dataclass(frozen=True)
class RunSample(SampleResult):
    """A judged run that also carries, per test in ``tests``, the output it printed (None if none)."""

    outputs: tuple[CapturedOutput | None, ...] = ()


class AuditJudge(SampleJudge):
    """Judges a program on every test (or the ``tests`` chosen), never stopping early, keeping outputs."""

    def __init__(self, problem: Problem, config: JudgeConfig, tests: Sequence[int] | None = None) -> None:
        super().__init__(problem, replace(config, early_stop=False))
        wanted = None if tests is None else set(tests)
        self.tests = tuple(t for t in problem.tests if wanted is None or t.index in wanted)

    def judge(self, submission: Submission, runs_for: Callable[[Any], Any]) -> SampleResult:
        if submission.invalid:
            return self.result(submission, Verdict.CE, (), f"invalid submission: {submission.invalid}")
        problem = self.problem
        name, checker, limits, program = self.tracks[0]
        comparator = program or checker
        ctx = Context(problem, submission.code, limits, self.config.preamble, False, self.spj_case,
                      self.config.float_tol, program)
        compile_error, observations = runs_for(limits).run(checker.plan(ctx), lambda _: True,
                                                           inputs=[test.input for test in self.tests])
        if compile_error is not None:
            return self.result(submission, Verdict.CE, (), compile_error)
        results: list[TestResult] = []
        outputs: list[CapturedOutput | None] = []
        for test, obs in zip(self.tests, observations):
            obs = program_output(problem, obs)
            verdict, detail = test_verdict(obs, limits, lambda o, test=test: comparator.check(problem, test, o))
            captured: CapturedOutput | None = None
            if verdict in (Verdict.AC, Verdict.WA):
                captured = capture_return(obs) if problem.mode == "call" else capture_stdout(obs.stdout)
            results.append(TestResult(test.index, verdict, obs.cpu_s, obs.wall_s, obs.peak_mb, detail))
            outputs.append(captured)
        failed = first_failure(results)
        base = self.result(
            submission,
            failed.verdict if failed else Verdict.AC,
            tuple(results),
            f"test {failed.index}: {failed.detail}" if failed else "",
        )
        return RunSample(**{name: getattr(base, name) for name in SampleResult.__dataclass_fields__}, outputs=tuple(outputs))


# ----------------------------------------------------------------------------- reference audit


@dataclass(frozen=True)
class AuditSettings:
    """How hard to look: runs per reference, references per problem, and the classification knobs."""

    runs: int = DEFAULT_RUNS
    solutions: int = DEFAULT_SOLUTIONS
    margin: float = DEFAULT_MARGIN
    min_agree: int = DEFAULT_MIN_AGREE


@dataclass(frozen=True)
class ProblemAudit:
    """The audit of one problem: a class per test, plus which references could not be used."""

    task_id: int | str
    tests_sha256: str
    time_limit_s: float
    solutions: int
    compile_errors: dict[int, str]
    tests: tuple[TestAudit, ...]
    jail_failures: int = 0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "task_id": self.task_id,
            "tests_sha256": self.tests_sha256,
            "time_limit_s": self.time_limit_s,
            "solutions": self.solutions,
            "num_tests": len(self.tests),
        }
        if self.compile_errors:
            out["compile_errors"] = {str(k): v[:300] for k, v in sorted(self.compile_errors.items())}
        if self.jail_failures:
            out["jail_failures"] = self.jail_failures
        return out


@dataclass
class _Pending:
    """Runs of one problem collected so far; classified (and the problem released) when complete."""

    judge: AuditJudge
    solutions: int
    expected_items: int
    received: int = 0
    runs: dict[int, list[SolutionRun]] = field(default_factory=dict)
    spaces: dict[int, CheckerOutputs] = field(default_factory=dict)
    compile_errors: dict[int, str] = field(default_factory=dict)
    jail_failures: int = 0


class _AuditCollector:
    def __init__(self, settings: AuditSettings, on_sample: Callable[[SampleResult], None] | None) -> None:
        self.settings = settings
        self.on_sample = on_sample
        self.lock = threading.Lock()
        self.pending: dict[Any, _Pending] = {}
        self.done: list[ProblemAudit] = []

    def register(self, judge: AuditJudge, solutions: int) -> None:
        checker = judge.tracks[0][3] or judge.tracks[0][1]
        pending = _Pending(judge, solutions, solutions * self.settings.runs)
        for test in judge.tests:
            pending.runs[test.index] = []
            pending.spaces[test.index] = CheckerOutputs(judge.problem, checker, capture_expected(judge.problem, test))
        with self.lock:
            self.pending[judge.problem.task_id] = pending
        if solutions == 0:
            self._finish(judge.problem.task_id)

    def add(self, result: SampleResult) -> None:
        """One (solution, run) judged: classified with its problem once all its runs are in."""
        solution, run = divmod(result.sample, self.settings.runs)
        with self.lock:
            pending = self.pending[result.task_id]
            pending.received += 1
            if result.verdict is Verdict.CE:
                pending.compile_errors[solution] = result.detail
            elif not result.tests:  # the jail failed every attempt: SE without tests
                pending.jail_failures += 1
                for runs in pending.runs.values():
                    runs.append(SolutionRun(solution, run, Verdict.SE, None, 0.0, 0.0))
            else:
                outputs = result.outputs if isinstance(result, RunSample) else (None,) * len(result.tests)
                for test, captured in zip(result.tests, outputs):
                    if captured is not None:
                        pending.spaces[test.index].add(captured)
                    pending.runs[test.index].append(
                        SolutionRun(solution, run, test.verdict, captured.key if captured else None, test.cpu_s, test.wall_s)
                    )
            complete = pending.received >= pending.expected_items
        if self.on_sample is not None:
            self.on_sample(result)
        if complete:
            self._finish(result.task_id)

    def _finish(self, task_id: Any) -> None:
        with self.lock:
            pending = self.pending.pop(task_id)
        problem = pending.judge.problem
        limit = pending.judge.limits.time_limit_s
        spj = pending.judge.config.spj
        spj_case = spj.get(task_id) if spj else None
        tests: list[TestAudit] = []
        for test in pending.judge.tests:
            if pending.solutions == 0:
                tests.append(unverified_test(task_id, test.index, "the problem has no reference solutions"))
            elif len(pending.compile_errors) == pending.solutions:
                tests.append(unverified_test(task_id, test.index, "no reference solution compiles"))
            else:
                tests.append(classify_test(
                    task_id,
                    test.index,
                    pending.runs[test.index],
                    time_limit_s=limit,
                    outputs=pending.spaces[test.index],
                    expected=pending.spaces[test.index].expected_key,
                    margin=self.settings.margin,
                    min_agree=self.settings.min_agree,
                    spj_case=spj_case,
                ))
        audit = ProblemAudit(
            task_id=task_id,
            tests_sha256=problem.tests_sha256,
            time_limit_s=limit,
            solutions=pending.solutions,
            compile_errors=pending.compile_errors,
            tests=tuple(tests),
            jail_failures=pending.jail_failures,
        )
        with self.lock:
            self.done.append(audit)


def audit_problems(
    problems: Iterable[Problem],
    judge: Judge,
    *,
    settings: AuditSettings = AuditSettings(),
    on_sample: Callable[[SampleResult], None] | None = None,
    audits: list[ProblemAudit] | None = None,
) -> list[ProblemAudit]:
    """Run up to ``settings.solutions`` references of each problem ``settings.runs`` times on every test.

    Audits are appended to ``audits`` (when given) as each problem completes, so a caller that
    is interrupted (KeyboardInterrupt, JailDown propagate) keeps the problems already finished.
    """
    collector = _AuditCollector(settings, on_sample)
    if audits is not None:
        collector.done = audits

    def items() -> Iterator[tuple[SampleJudge, list[Submission]]]:
        for problem in problems:
            audit_judge = AuditJudge(problem, judge.config)
            refs = problem.solutions[: settings.solutions]
            collector.register(audit_judge, len(refs))
            for run in range(settings.runs):  # run-major: one solution's runs are spread in time
                for number, code in enumerate(refs):
                    yield audit_judge, [submission_from_code(
                        problem.task_id, number * settings.runs + run, code,
                        origin=f"task {problem.task_id} solution {number} run {run}",
                    )]

    for result in judge.run_samples(items()):
        collector.add(result)
    return sorted(collector.done, key=lambda a: _task_order(a.task_id))


def _task_order(task_id: Any) -> tuple[int, int, str]:
    return (0, task_id, "") if isinstance(task_id, int) else (1, 0, str(task_id))


# ----------------------------------------------------------------------------- one submission


def rerun_submissions(
    problem: Problem,
    submissions: Sequence[Submission],
    judge: Judge,
    *,
    runs: int,
    tests: Sequence[int] | None = None,
    on_sample: Callable[[SampleResult], None] | None = None,
) -> dict[int, list[Rerun]]:
    """Judge each submission ``runs`` times (all tests, or only ``tests``): sample -> its reruns."""
    audit_judge = AuditJudge(problem, judge.config, tests)
    by_sample: dict[int, list[Rerun]] = {s.sample: [] for s in submissions}

    def items() -> Iterator[tuple[SampleJudge, list[Submission]]]:
        for run in range(runs):
            for position, submission in enumerate(submissions):
                yield audit_judge, [replace(submission, sample=position * runs + run)]

    for result in judge.run_samples(items()):
        position, run = divmod(result.sample, runs)
        sample = submissions[position].sample
        by_sample[sample].append(Rerun(run, result.verdict,
                                       {t.index: (t.verdict, t.cpu_s, t.wall_s) for t in result.tests}))
        if on_sample is not None:
            on_sample(result)
    for reruns in by_sample.values():
        reruns.sort(key=lambda r: r.run)
    return by_sample
