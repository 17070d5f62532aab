"""TACO-compatible checker: the reference evaluator's whole path, bugs included.

Reproduces FlagOpen/TACO ``metrics/testing_util.py`` (commit 245eba3), written from a reading of it:

- stdin programs: its import block goes after the program's leading import lines (``import *``
  lines hoisted), with ``stdin``/``stdout`` aliases; its compile step executes the program wrapped
  as ``def code():`` (a failure there fails every test); each test runs the rewritten program as a
  file, and after a non-zero exit runs it again with the input in ``input.txt``, judging
  ``output.txt``; when every test ends with exit code 1 it judges the wrapped program instead
  (so a top-level ``return`` or ``nonlocal`` works);
- call-based programs: its block goes before the program, which is executed as a module (``class
  Solution`` instantiated when the text mentions it), its reliability guard is applied, and the
  returned value is judged by its ``ret == expected or ret == expected[0]`` rule;
- the comparison is its ``compare_std_results`` on the text ``subprocess.run(text=True)`` gives.

docs/checkers.md lists what it wrongly accepts and rejects, and where this path differs from the
reference by design (CPU time instead of its 4 s wall clock; each test in a fresh process).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable

from taco_judge.checkers.base import (
    Context,
    Runs,
    TrackOutcome,
    expected_text,
    judge_tests,
    show,
    track_outcome,
    validate_options,
)
from taco_judge.checkers.strict import StrictChecker, split_lines
from taco_judge.judgement import classify, last_line
from taco_judge.plans import Plan, Rerun
from taco_judge.preamble import TACO_PREAMBLE
from taco_judge.problems import Problem, TestCase
from taco_judge.values import decode
from taco_judge.verdict import CheckOutcome, Limits, Observation, Verdict

# numpy.allclose defaults, used by the reference's float fallback.
_RTOL = 1e-05
_ATOL = 1e-08
REFERENCE_TIMEOUT_S = 4.0  # the reference's per-test timeout, whatever the problem says
# The reference's import block (TACO_PREAMBLE without its stdin/stdout aliases), and the aliases.
REFERENCE_IMPORTS = "".join(line + "\n" for line in TACO_PREAMBLE.splitlines() if not line.startswith("std"))
_ALIASES = "\nstdin = sys.stdin\nstdout = sys.stdout\n"
# What the reference's reliability_guard() disables before calling a call-based function.
_GUARDED_OS = ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid", "fork", "forkpty",
               "killpg", "rename", "renames", "truncate", "replace", "unlink", "fchmod", "fchown", "chmod", "chown",
               "chroot", "lchflags", "lchmod", "lchown", "getcwd", "chdir")
CALL_GUARD = (
    "import builtins as _b, faulthandler as _f, os as _o, shutil as _s, subprocess as _p, sys as _y\n"
    "_f.disable()\n_b.exit = _b.quit = _b.help = None\n_o.environ['OMP_NUM_THREADS'] = '1'\n"
    f"for _n in {_GUARDED_OS!r}:\n    setattr(_o, _n, None)\n"
    "_s.rmtree = _s.move = _s.chown = None\n_p.Popen = None\n"
    "for _n in ('ipdb', 'joblib', 'resource', 'psutil', 'tkinter'):\n    _y.modules[_n] = None\n"
    "del _b, _f, _o, _s, _p, _y, _n\n"
)
_RETURNCODE_1 = "returncode:1"


def reference_programs(code: str) -> tuple[str, str]:
    """The reference's two rewrites of a stdin program: (the ``def code():`` form its compile step
    executes and its fallback runs, the program it runs per test)."""
    wrapped: list[str] = []
    program: list[str] = []
    lines = code.split("\n")
    kinds = [2 if "import *" in line else 1 if line.startswith(("from ", "import ")) else 0 for line in lines]
    star_imports = "\n".join(line.lstrip("\t") for line, kind in zip(lines, kinds) if kind == 2)
    started = False
    for line, kind in zip(lines, kinds):
        if kind == 0 and not started:
            program.append(REFERENCE_IMPORTS + _ALIASES + line + "\n")
            wrapped.append(REFERENCE_IMPORTS + star_imports + _ALIASES + "def code():\n\t" + line + "\n")
            started = True
            continue
        program.append(line + "\n")
        if kind < 2:
            wrapped.append(("\t" if started else "") + line + "\n")
    return "".join(wrapped), "".join(program)


def taco_process_inputs(args: Any) -> Any:
    """The reference's ``process_input_output`` on a call's arguments: a leading dict's keys as ints."""
    try:
        if isinstance(args[0], dict):
            return [{int(key): item for key, item in args[0].items()}]
    except Exception:  # the reference swallows everything here
        pass
    return args


class TacoChecker:
    """What TACO's reference evaluator would decide; no options, because it has none."""

    name = "taco"
    honours_special_judge = False

    def __init__(self, *, spj_case: int = 0, float_tol: float | None = None) -> None:
        # The reference has neither special judge nor tolerance: both options are accepted (so one
        # judge configuration can build every checker) and ignored.
        validate_options(spj_case, float_tol)
        self._explainer = StrictChecker()

    @staticmethod
    def track_limits(limits: Limits, time_given: bool) -> Limits:
        """The reference's 4 s per test (as CPU time) unless --timeout says otherwise."""
        return limits if time_given else replace(limits, time_limit_s=REFERENCE_TIMEOUT_S, wall_limit_s=None)

    # ------------------------------------------------------------------ the reference's path

    def judge(self, ctx: Context, runs: Runs) -> TrackOutcome:
        if ctx.problem.mode == "call":
            return self._judge_call(ctx, runs)
        wrapped, program = reference_programs(ctx.code)
        # Its compile step: the wrapped form executed as a module, and `code` looked up.
        probe = Plan(code=wrapped, mode="call", fn_name="code", entry="module", module_name="builtins",
                     stdin="empty", resolve_only=True)
        compile_error, observations = runs.run(probe, lambda _: False, inputs=[[]])
        if compile_error is not None or not observations or not observations[0].loaded:
            why = compile_error or (last_line(observations[0].stderr_tail) if observations else "") or "no code() to call"
            return TrackOutcome(Verdict.CE, f"the reference's compile step fails on this program: {why}")
        outcome, wrap = self._judge_runs(ctx, runs, Plan(code=program, rerun_on_error=Rerun()), may_wrap=True)
        if wrap:  # every test ended with exit code 1: the reference judges the wrapped form instead
            outcome, _ = self._judge_runs(ctx, runs, Plan(code=wrapped + "\ncode()\n", rerun_on_error=Rerun()),
                                          may_wrap=False)
        return outcome

    def _judge_runs(self, ctx: Context, runs: Runs, plan: Plan, *, may_wrap: bool) -> tuple[TrackOutcome, bool]:
        """One rewritten program on every test: the outcome, and whether all tests gave exit code 1."""
        codes: dict[int, str] = {}

        def verdict_of(test: TestCase, obs: Observation) -> tuple[Verdict, str]:
            verdict, detail, codes[test.index] = self._std_test(ctx, test, obs)
            return verdict, detail

        def keep_going(judged: list[tuple[Verdict, str]]) -> bool:  # together they may call for the fallback
            return may_wrap and all(codes.get(i) == _RETURNCODE_1 for i in range(len(judged)))

        compile_error, judged = judge_tests(ctx, runs, plan, verdict_of, keep_going=keep_going)
        if compile_error is not None:  # python prints the SyntaxError and exits 1 on every test
            return TrackOutcome(Verdict.RE, f"test 0: {compile_error} (exit code 1)"), may_wrap
        all_code1 = len(judged) == len(ctx.problem.tests) and all(codes.get(i) == _RETURNCODE_1 for i in range(len(judged)))
        return track_outcome(ctx, judged, honours_special_judge=False), may_wrap and all_code1 and bool(judged)

    def _std_test(self, ctx: Context, test: TestCase, obs: Observation) -> tuple[Verdict, str, str]:
        """One test as the reference sees it: the verdict, its detail, and the reference's code
        (passed, false, timeout, returncode:N) that its exit-code-1 fallback looks at."""
        obs = replace(obs, status_error=None)  # the reference has no status channel to forge
        decided = classify(obs, ctx.limits)
        if decided is not None and decided[0] is Verdict.TLE:
            return Verdict.TLE, decided[1], "timeout"
        if decided is not None and decided[0] in (Verdict.OLE, Verdict.MLE, Verdict.SE):
            return decided[0], decided[1], "other"
        if decided is None:
            return self._compared(ctx, test, obs)
        first = decided[1]
        code = f"returncode:{_returncode(obs)}"
        rerun = obs.rerun
        if rerun is None:
            return Verdict.RE, first, code
        rerun = replace(rerun, status_error=None)
        again = classify(rerun, ctx.limits)
        if again is None:
            if rerun.output_file is None:
                return Verdict.RE, f"{first}; rerun with input.txt exited 0 but wrote no output.txt", "returncode:0"
            verdict, detail, code = self._compared(ctx, test, replace(rerun, stdout=rerun.output_file))
            return verdict, f"(output.txt of the rerun with input.txt) {detail}".rstrip(), code
        if again[0] is Verdict.TLE:  # the reference keeps the first run's exit code then
            return Verdict.RE, f"{first}; rerun with input.txt: {again[1]}", code
        return Verdict.RE, f"{first}; rerun with input.txt: {again[1]}", f"returncode:{_returncode(rerun)}"

    def _compared(self, ctx: Context, test: TestCase, obs: Observation) -> tuple[Verdict, str, str]:
        outcome = self.check(ctx.problem, test, obs)
        return (Verdict.AC, "", "passed") if outcome.passed else (Verdict.WA, outcome.detail, "false")

    def _judge_call(self, ctx: Context, runs: Runs) -> TrackOutcome:
        program = REFERENCE_IMPORTS + ctx.code
        problem = ctx.problem
        plan = Plan(code=program, mode="call", fn_name=problem.fn_name, module_name="builtins", stdin="empty",
                    entry="solution" if "class Solution" in program else "module", pre_call=CALL_GUARD)

        def verdict_of(test: TestCase, obs: Observation) -> tuple[Verdict, str]:
            if not obs.loaded:  # its compile step (module, Solution(), the function) failed: every test fails
                return Verdict.CE, last_line(obs.stderr_tail) or "the reference's compile step fails on this program"
            decided = classify(obs, ctx.limits)
            if decided is not None:
                return decided
            outcome = self.check(problem, test, obs)
            return (Verdict.AC, "") if outcome.passed else (Verdict.WA, outcome.detail)

        inputs = [taco_process_inputs(test.input) for test in problem.tests]
        compile_error, judged = judge_tests(ctx, runs, plan, verdict_of, inputs=inputs)
        if compile_error is not None:
            return TrackOutcome(Verdict.CE, compile_error)
        if any(verdict is Verdict.CE for verdict, _, _ in judged):
            detail = next(d for v, d, _ in judged if v is Verdict.CE)
            return TrackOutcome(Verdict.CE, detail, track_outcome(ctx, judged, honours_special_judge=False).tests)
        return track_outcome(ctx, judged, honours_special_judge=False)

    # ------------------------------------------------------------------ the reference's comparison

    def check(self, problem: Problem, test: TestCase, obs: Observation) -> CheckOutcome:
        if problem.mode == "call":
            return self._check_call(test, obs)
        return self._check_stdin(test, obs)

    def _check_stdin(self, test: TestCase, obs: Observation) -> CheckOutcome:
        want = expected_text(test.expected)
        if want is None:
            # The reference's "\n".join or .strip() raises and the task's results are lost.
            return CheckOutcome(False, f"expected output is not text ({type(test.expected).__name__})")
        try:
            # subprocess.run(text=True) decodes with the locale (UTF-8, strict) and translates newlines.
            got = obs.stdout.decode("utf-8")
        except UnicodeDecodeError:
            return CheckOutcome(False, "output is not valid UTF-8 (the reference's text-mode subprocess.run raises)")
        got = got.replace("\r\n", "\n").replace("\r", "\n")
        if taco_std_equal(got, want):
            return CheckOutcome(True)
        # Lazily over the output: its memory must not grow with what the program printed.
        difference = self._explainer.first_difference_in_text(got, split_lines(want))
        if difference is None:
            difference = "differs only in spacing, which the reference does not forgive inside the text"
        return CheckOutcome(False, difference)

    def _check_call(self, test: TestCase, obs: Observation) -> CheckOutcome:
        if not obs.returned:
            return CheckOutcome(False, "the function did not return a value")
        value = decode(obs.return_value)
        if taco_call_equal(value, test.expected):
            return CheckOutcome(True)
        return CheckOutcome(False, f"expected {show(test.expected)}, got {show(value)}")


def _returncode(obs: Observation) -> int:
    """subprocess's returncode: the exit code, or minus the signal that killed it."""
    return obs.exit_code if obs.exit_code is not None else -(obs.signal or 0)


def taco_std_equal(got: str, expected: str) -> bool:
    """TACO's ``compare_std_results`` for a stdout string and an expected string.

    The reference was written for stdout as a list of lines; given a string, its list comparisons
    are never true, its float fallback iterates characters, and its set fallback compares the
    character sets of output tokens with the token sets of expected lines.

    The output is the program's (up to 32 MiB): each fallback reads it token by token and gives
    up at the first token that cannot match, so the judge's memory is bounded by the expected
    output, not by what the program printed. The decisions are the reference's: a fallback that
    fails early would have failed (or raised, which the reference treats as failing) at the end.
    """
    if got.strip() == expected.strip():
        return True
    # Non-empty expected lines (filtered before stripping, so "  " survives as "").
    expected_lines = [line.strip() for line in expected.split("\n") if line]
    # Float fallback: one float per *character* of the output, one per expected line; lists of
    # unequal length never pass, so the output is converted only when the lengths agree.
    if len(got) == len(expected_lines):
        try:
            got_floats = [float(char) for char in got]
            want_floats = [float(line) for line in expected_lines]
            if _allclose(got_floats, want_floats):
                return True
        except ValueError:
            pass
    # Set fallback: {chars of each output token} against {tokens of each expected line}
    # (str.split()'s whitespace is exactly regex \s).
    expected_sets = {frozenset(line.split()) for line in expected_lines}
    if _token_sets_equal(got, expected_sets, frozenset):
        return True
    # The same after float(·) and round(·, 3) of every character / token.
    try:
        want_rounded = {frozenset(round(float(token), 3) for token in line) for line in expected_sets}
        return _token_sets_equal(got, want_rounded, lambda token: frozenset(round(float(c), 3) for c in token))
    except ValueError:
        return False


_ANY_TOKEN = re.compile(r"\S+")


def _token_sets_equal(got: str, want: set[frozenset[Any]], key: Callable[[str], frozenset[Any]]) -> bool:
    """``{key(token) for token in set(got.split())} == want``, stopping at the first key not in
    ``want`` (the sets then differ); ``key``'s ValueError propagates, as in the reference."""
    seen: set[frozenset[Any]] = set()
    for match in _ANY_TOKEN.finditer(got):
        item = key(match.group(0))
        if item not in want:
            return False
        seen.add(item)
    return seen == want


def _allclose(got: list[float], want: list[float]) -> bool:
    """numpy.allclose(got, want) with its default tolerances, for equal-length lists."""
    for a, b in zip(got, want):
        if a == b:
            continue  # also covers equal infinities
        if a != a or b != b or abs(a) == float("inf") or abs(b) == float("inf"):
            return False
        if not abs(a - b) <= _ATOL + _RTOL * abs(b):
            return False
    return True


def taco_process_outputs(expected: Any) -> Any:
    """TACO's ``process_input_output`` on an expected entry: JSON's string dict keys back to ints."""

    def int_keys(mapping: dict[Any, Any]) -> dict[Any, Any]:
        return {int(key): item for key, item in mapping.items()}

    outputs = expected
    if isinstance(outputs, dict):
        try:
            outputs = [int_keys(outputs)]
        except Exception:  # the reference swallows everything here
            pass
    try:
        if isinstance(outputs[0], dict):
            outputs = [int_keys(outputs[0])]
    except Exception:
        pass
    return outputs


def taco_call_equal(value: Any, expected: Any) -> bool:
    """TACO's call-based rule: ``value == expected or value == expected[0]``, tuples as lists."""
    outputs = taco_process_outputs(expected)
    try:
        if isinstance(value, tuple):
            value = list(value)
        result = value == outputs
        if isinstance(outputs, list) and outputs:
            result = result or (value == outputs[0])
        try:
            if isinstance(value[0], tuple):
                value = [list(item) for item in value]
                result = result or (value == outputs[0])
        except Exception:
            pass
        return bool(result)
    except Exception:  # the reference reports any error here as a failed test
        return False
