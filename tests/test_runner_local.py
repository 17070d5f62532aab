"""The runner inside the local jail: what a submission sees, what the judge observes, what it cannot do.

Every test runs real programs through ``LocalBackend().open_session()``. Limits are generous for
programs that must pass (the machine is shared and noisy) and small for programs that must not;
no test asserts how fast anything runs.
"""

from __future__ import annotations

import json
import math
import os
import signal
import socket
import tempfile
import threading
from collections.abc import Iterator
from typing import Any

import psutil
import pytest

from taco_judge.backends.local import LocalBackend, LocalSession, probe_isolation
from taco_judge.errors import InfrastructureError
from taco_judge.judgement import classify
from taco_judge.plans import Plan
from taco_judge.preamble import TACO_PREAMBLE
from taco_judge.values import decode
from taco_judge.verdict import Limits, Observation, Verdict

ISOLATION = probe_isolation()
AC_TIME_S = 4.0  # generous: a program that must pass never races the clock
TLE_TIME_S = 0.5


@pytest.fixture(scope="module")
def session() -> Iterator[LocalSession]:
    backend = LocalBackend()
    opened = backend.open_session()
    try:
        yield opened
    finally:
        opened.close()
        backend.close()


def limits(**overrides: Any) -> Limits:
    return Limits(**{"time_limit_s": AC_TIME_S, "memory_mb": 512, **overrides})


def run_all(
    session: LocalSession,
    code: str,
    inputs: list[Any],
    *,
    mode: str = "stdin",
    fn_name: str | None = None,
    preamble: str = TACO_PREAMBLE,
    **limit_overrides: Any,
) -> list[Observation]:
    """Run ``code`` on every input (one run request); the session must stay usable."""
    outcome = session.run(Plan(code=code, mode=mode, fn_name=fn_name, preamble=preamble), inputs,
                          limits(**limit_overrides), early_stop=False)
    assert outcome.compile_error is None, outcome.compile_error
    assert session.healthy and outcome.clean
    return list(outcome.observations)


def compile_error(session: LocalSession, code: str, preamble: str = "") -> str | None:
    """What the runner says when compiling ``code`` (None: it compiles)."""
    return session.run(Plan(code=code, preamble=preamble), ["x"], limits(), early_stop=False).compile_error


def run(session: LocalSession, code: str, test_input: Any = "", **kwargs: Any) -> Observation:
    return run_all(session, code, [test_input], **kwargs)[0]


def verdict_of(obs: Observation, **limit_overrides: Any) -> Verdict | None:
    decided = classify(obs, limits(**limit_overrides))
    return None if decided is None else decided[0]


# ================================================================== every verdict kind


def test_a_correct_program_exits_cleanly_with_its_output(session: LocalSession) -> None:
    obs = run(session, "a, b = map(int, input().split())\nprint(a + b)\n", "40 2\n")
    assert obs.stdout == b"42\n"
    assert (obs.exit_code, obs.signal, obs.exc_type) == (0, None, None)
    assert verdict_of(obs) is None  # left to the checker
    assert obs.peak_mb > 0 and obs.wall_s > 0


def test_a_cpu_loop_is_killed_for_cpu_time(session: LocalSession) -> None:
    # The wall backstop is far away, so only CPU time can stop it, however loaded the machine is.
    obs = run(session, "while True:\n    pass\n", time_limit_s=TLE_TIME_S, wall_limit_s=60.0)
    assert obs.cpu_timeout and not obs.wall_timeout
    assert obs.cpu_s >= TLE_TIME_S
    assert obs.signal is not None  # killed, not finished
    assert verdict_of(obs, time_limit_s=TLE_TIME_S) is Verdict.TLE


def test_a_sleeping_program_hits_the_wall_clock_backstop(session: LocalSession) -> None:
    obs = run(session, "import time\ntime.sleep(60)\n", time_limit_s=TLE_TIME_S, wall_limit_s=1.0)
    assert obs.wall_timeout and not obs.cpu_timeout
    assert obs.cpu_s < TLE_TIME_S
    decided = classify(obs, limits(time_limit_s=TLE_TIME_S, wall_limit_s=1.0))
    assert decided is not None and decided[0] is Verdict.TLE
    assert "sleeping or blocked" in decided[1]


def test_blocking_forever_on_a_pipe_is_also_stopped_by_the_backstop(session: LocalSession) -> None:
    code = "import os\nr, w = os.pipe()\nos.read(r, 1)\n"
    obs = run(session, code, time_limit_s=TLE_TIME_S, wall_limit_s=1.0)
    assert obs.wall_timeout
    assert verdict_of(obs, time_limit_s=TLE_TIME_S, wall_limit_s=1.0) is Verdict.TLE


@pytest.mark.parametrize(
    "code",
    [
        "x = bytearray(4 * 1024 ** 3)\n",
        "a = []\nwhile True:\n    a.append([0] * 10000)\n",
        "import numpy as np\nx = np.zeros(10 ** 10)\n",
        "x = ' ' * (4 * 1024 ** 3)\n",
    ],
    ids=["one-huge-allocation", "gradual-growth", "numpy-array", "huge-string"],
)
def test_running_out_of_memory_is_mle(session: LocalSession, code: str) -> None:
    obs = run(session, code, memory_mb=128)
    assert verdict_of(obs, memory_mb=128) is Verdict.MLE
    # stopped near the limit: a MemoryError from the address-space backstop, or killed past it
    assert obs.exc_type == "MemoryError" or obs.memory_exceeded or obs.oom_killed, obs
    assert obs.peak_mb < 128 + 400


def test_the_memory_limit_is_memory_used_interpreter_included(session: LocalSession) -> None:
    # Like /usr/bin/time -v: the resident peak of the process, interpreter and preamble included.
    obs = run(session, "x = bytearray(100 * 1024 * 1024)\nprint(len(x))\n", memory_mb=256)
    assert obs.stdout == b"104857600\n" and obs.exit_code == 0
    assert 100 <= obs.peak_mb < 256
    assert verdict_of(obs, memory_mb=256) is None
    assert verdict_of(obs, memory_mb=100) is Verdict.MLE  # the same run, a limit below its peak


def test_an_exception_is_re_with_the_submitted_codes_line_number(session: LocalSession) -> None:
    # The TACO preamble runs before the program, but line numbers refer to the submitted code.
    code = "a = int(input())\nb = 0\nprint(a // b)\n"
    obs = run(session, code, "7\n", preamble=TACO_PREAMBLE)
    assert obs.exc_type == "ZeroDivisionError"
    assert obs.exit_code == 1
    assert 'solution.py", line 3, in <module>' in obs.stderr_tail
    assert "print(a // b)" in obs.stderr_tail  # the source line is shown, as python3 would
    assert obs.stderr_tail.rstrip().endswith("ZeroDivisionError: integer division or modulo by zero")
    assert not any(name in obs.stderr_tail for name in ("python_runner", "runner_child", "<preamble>"))
    decided = classify(obs, limits())
    assert decided == (Verdict.RE, "ZeroDivisionError: integer division or modulo by zero")


def test_an_exception_inside_a_function_names_the_function_and_its_line(session: LocalSession) -> None:
    code = "def parse(s):\n    return int(s)\n\nprint(parse(input()))\n"
    obs = run(session, code, "seven\n")
    assert 'solution.py", line 4, in <module>' in obs.stderr_tail
    assert 'solution.py", line 2, in parse' in obs.stderr_tail
    assert "ValueError: invalid literal for int() with base 10: 'seven'" in obs.stderr_tail


def test_output_printed_before_a_crash_is_kept(session: LocalSession) -> None:
    obs = run(session, "print('partial')\nraise RuntimeError('late')\n")
    assert obs.stdout == b"partial\n"
    assert verdict_of(obs) is Verdict.RE


@pytest.mark.parametrize(
    ("code", "exit_code", "stderr"),
    [
        ("import sys\nsys.exit(3)\n", 3, ""),
        ("raise SystemExit('bad input')\n", 1, "bad input\n"),  # a message goes to stderr, status 1
        ("exit(0)\n", 0, ""),
        ("import os\nos._exit(5)\n", 5, ""),
    ],
)
def test_exit_statuses_are_reported_as_python_would(session: LocalSession, code: str, exit_code: int, stderr: str) -> None:
    obs = run(session, code)
    assert obs.exit_code == exit_code
    assert obs.stderr_tail == stderr
    assert verdict_of(obs) is (None if exit_code == 0 else Verdict.RE)


def test_a_signal_death_is_re_with_the_signal(session: LocalSession) -> None:
    obs = run(session, "import os\nos.abort()\n")
    assert obs.signal == signal.SIGABRT and obs.exit_code is None
    decided = classify(obs, limits())
    assert decided == (Verdict.RE, "killed by signal SIGABRT")


def test_a_syntax_error_is_a_compile_error_with_its_line(session: LocalSession) -> None:
    error = compile_error(session, "x = 1\nif x\n    print(x)\n", TACO_PREAMBLE)
    assert error is not None and error.startswith("SyntaxError:")
    assert "(line 2)" in error  # the submitted code's line, preamble or not


def test_other_compile_failures_are_compile_errors(session: LocalSession) -> None:
    for code in ("print('a')\n\x00\n", "def f():\n\treturn 1\n        return 2\n"):
        assert compile_error(session, code) is not None, code
    # and the session still judges the next program
    assert run(session, "print('ok')\n").stdout == b"ok\n"


def test_call_mode_without_the_function_is_reported_missing(session: LocalSession) -> None:
    obs = run(session, "def other(x):\n    return x\n", [1], mode="call", fn_name="solve")
    assert obs.missing_function and not obs.returned
    decided = classify(obs, limits())
    assert decided is not None and decided[0] is Verdict.CE
    assert "solve" in decided[1]


def test_call_mode_with_no_function_name_is_a_compile_error_even_with_class_solution(session: LocalSession) -> None:
    obs = run(session, "class Solution:\n    def f(self):\n        return 1\n", [], mode="call", fn_name=None)
    assert obs.missing_function
    assert verdict_of(obs) is Verdict.CE


def test_an_output_flood_is_cut_at_the_cap_and_killed(session: LocalSession) -> None:
    obs = run(session, "while True:\n    print('y' * 1000)\n", output_bytes=1 << 20)
    assert obs.stdout_truncated
    assert len(obs.stdout) == 1 << 20
    assert obs.stdout.startswith(b"y" * 1000 + b"\n")
    assert verdict_of(obs, output_bytes=1 << 20) is Verdict.OLE


def test_stderr_floods_keep_only_the_tail(session: LocalSession) -> None:
    code = "import sys\nfor i in range(100000):\n    print(i, file=sys.stderr)\nprint('done')\n"
    obs = run(session, code, stderr_bytes=1000)
    assert obs.stdout == b"done\n" and obs.exit_code == 0
    assert obs.stderr_truncated
    assert len(obs.stderr_tail) <= 1000
    assert obs.stderr_tail.endswith("99999\n")


# ================================================================== SE: the jail itself fails


def test_a_runner_killed_mid_test_is_an_infrastructure_error() -> None:
    own = LocalBackend().open_session()
    try:
        killer = threading.Timer(0.5, os.killpg, (own.proc.pid, signal.SIGKILL))
        killer.start()
        with pytest.raises(InfrastructureError, match="runner exited unexpectedly"):
            own.run(Plan(code="import time\ntime.sleep(60)\n"), [""], limits(wall_limit_s=60.0), early_stop=False)
        killer.join()
        assert not own.healthy  # the worker must replace this session
    finally:
        own.close()
    assert not os.path.exists(own.work)


# ================================================================== what stdin looks like


@pytest.mark.parametrize(
    ("code", "stdin", "stdout"),
    [
        ("print(input()[::-1])\n", "abc\n", "cba\n"),
        ("import sys\nprint(repr(sys.stdin.readline()))\nprint(repr(sys.stdin.readline()))\n", "1 2\n3\n", "'1 2\\n'\n'3\\n'\n"),
        ("import sys\nprint(sys.stdin.buffer.read())\n", "a\nb\n", "b'a\\nb\\n'\n"),
        ("print(open(0).read().split())\n", "1 2\n3\n", "['1', '2', '3']\n"),
        (
            (
                "import os\nchunks = []\nwhile True:\n    c = os.read(0, 3)\n    if c == b'':\n        break\n"
                "    chunks.append(c)\nprint(len(chunks), b''.join(chunks))\n"
            ),
            "abcdefgh",
            "3 b'abcdefgh'\n",
        ),
        (
            "import sys\ndata = sys.stdin.read()\ntry:\n    input()\nexcept EOFError:\n    print('EOF after', len(data))\n",
            "1\n2\n",
            "EOF after 4\n",
        ),
        ("import fileinput\nfor line in fileinput.input():\n    print(line.strip() * 2)\n", "a\nb\n", "aa\nbb\n"),
        ("import sys\nfor line in sys.stdin:\n    print(repr(line))\n", "x\ny", "'x\\n'\n'y'\n"),
        ("print(input() + '|')\n", "no newline", "no newline|\n"),
        ("s = input()\nprint(len(s), s.upper())\n", "héllo wörld ✓\n", "13 HÉLLO WÖRLD ✓\n"),
        ("print(input(), input())\ntry:\n    input()\nexcept EOFError:\n    print('EOF')\n", "1\n2\n", "1 2\nEOF\n"),
        ("import sys\nprint(sys.stdin.isatty(), sys.stdin.seekable())\n", "", "False True\n"),
    ],
    ids=["input", "readline", "buffer-read", "open-0", "os-read-loop", "read-then-input-EOF", "fileinput",
         "iterate-stdin", "no-trailing-newline", "utf-8", "input-past-EOF", "not-a-tty"],
)
def test_stdin_reads_like_a_real_process(session: LocalSession, code: str, stdin: str, stdout: str) -> None:
    obs = run(session, code, stdin)
    assert obs.stderr_tail == "" and obs.exit_code == 0
    assert obs.stdout.decode("utf-8") == stdout


def test_crlf_input_reaches_the_program_unchanged(session: LocalSession) -> None:
    code = "import sys\nprint(repr(input()))\nprint(repr(sys.stdin.readline()))\nprint(repr(sys.stdin.read()))\n"
    obs = run(session, code, "a b\r\nc\r\nd\r\n")
    assert obs.stdout == b"'a b\\r'\n'c\\r\\n'\n'd\\r\\n'\n"
    raw = run(session, "import sys\nprint(sys.stdin.buffer.read())\n", "1\r\n2\r\n")
    assert raw.stdout == b"b'1\\r\\n2\\r\\n'\n"


def test_bytes_input_is_passed_through_raw(session: LocalSession) -> None:
    obs = run(session, "import sys\nprint(sys.stdin.buffer.read().hex())\n", b"\x00\xff\xfe\n")
    assert obs.stdout == b"00fffe0a\n"


def test_a_5_mb_input_arrives_whole(session: LocalSession) -> None:
    line = " ".join(str(i) for i in range(1000)) + "\n"
    data = line * (5_000_000 // len(line) + 1)
    code = "import sys\nlines = sys.stdin.read().split('\\n')\nprint(len(lines) - 1, sum(map(int, lines[-2].split())))\n"
    obs = run(session, code, data)
    assert len(data) > 5_000_000
    assert obs.stdout == f"{data.count(chr(10))} {sum(range(1000))}\n".encode()


def test_taco_preamble_stdin_and_input_share_one_buffer(session: LocalSession) -> None:
    # TACO's preamble binds `stdin = sys.stdin` and `stdout = sys.stdout`; mixing them with
    # input()/print() must read and write the same streams in order.
    code = "a = stdin.readline().strip()\nb = input()\nc = stdin.readline().strip()\nstdout.write(a + b + c + '\\n')\nprint('end')\n"
    obs = run(session, code, "1\n2\n3\n", preamble=TACO_PREAMBLE)
    assert obs.stdout == b"123\nend\n"


# ================================================================== what stdout captures


@pytest.mark.parametrize(
    ("code", "stdout"),
    [
        ("import sys\nprint('kept', flush=False)\nsys.exit(0)\n", b"kept\n"),
        ("import sys\nsys.stdout.write('no newline')\nraise SystemExit\n", b"no newline"),
        ("import sys\nsys.stdout.buffer.write(b'raw bytes\\n')\n", b"raw bytes\n"),
        ("import os\nos.write(1, b'direct\\n')\n", b"direct\n"),
        ("import sys\nsys.stdout.buffer.write(b'\\xff\\xfe not utf-8')\n", b"\xff\xfe not utf-8"),
        ("import sys, os\nprint('a')\nsys.stdout.flush()\nos.write(1, b'b\\n')\nprint('c')\n", b"a\nb\nc\n"),
        ("print('é ✓')\n", "é ✓\n".encode()),
        ("print('x\\r\\ny')\n", b"x\r\ny\n"),  # no newline translation on output either
        ("import atexit\natexit.register(lambda: print('at exit'))\nprint('main')\n", b"main\nat exit\n"),
    ],
    ids=["print-then-sys-exit", "write-then-SystemExit", "buffer-write", "os-write", "non-utf8", "interleaved",
         "utf-8", "crlf", "atexit"],
)
def test_stdout_is_captured_byte_for_byte(session: LocalSession, code: str, stdout: bytes) -> None:
    obs = run(session, code)
    assert obs.stdout == stdout
    assert obs.exit_code == 0


# ================================================================== call-based problems


def call(session: LocalSession, code: str, *arg_lists: list[Any], fn_name: str = "f", **kwargs: Any) -> list[Observation]:
    return run_all(session, code, list(arg_lists), mode="call", fn_name=fn_name, **kwargs)


def test_a_top_level_function_is_called_with_the_test_arguments(session: LocalSession) -> None:
    first, second = call(session, "def f(a, b):\n    return a + b\n", [1, 2], ["x", "y"])
    assert first.returned and first.return_value == 3
    assert second.returned and second.return_value == "xy"
    assert first.exit_code == 0 and verdict_of(first) is None


def test_a_method_of_class_solution_is_called_leetcode_style(session: LocalSession) -> None:
    code = (
        "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n"
        "        seen = {}\n        for i, x in enumerate(nums):\n            if target - x in seen:\n"
        "                return [seen[target - x], i]\n            seen[x] = i\n"
    )
    (obs,) = call(session, code, [[2, 7, 11, 15], 9], fn_name="twoSum")
    assert obs.return_value == [0, 1]


def test_taco_preamble_names_need_no_import(session: LocalSession) -> None:
    code = (
        "def f(xs: List[int]) -> Tuple[int, int]:\n"
        "    h = []\n"
        "    for x in xs:\n"
        "        heappush(h, x)\n"
        "    top = Counter(xs).most_common(1)[0][0]\n"
        "    return (int(np.sum(xs)) + h[0], top)\n"
    )
    (obs,) = call(session, code, [[3, 1, 3]])
    assert decode(obs.return_value) == (8, 3)


def test_without_the_preamble_typing_names_are_undefined(session: LocalSession) -> None:
    (obs,) = call(session, "def f(xs: List[int]) -> int:\n    return len(xs)\n", [[1]], preamble="")
    assert obs.exc_type == "NameError"
    assert "name 'List' is not defined" in obs.stderr_tail
    assert verdict_of(obs) is Verdict.RE


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("return (1, 'a')", (1, "a")),
        ("return {3, 1}", {1, 3}),
        ("return frozenset([2])", frozenset([2])),
        ("return {1: 'a', 2: 'b'}", {1: "a", 2: "b"}),
        ("return {'k': [1, (2, 3)], 'n': None}", {"k": [1, (2, 3)], "n": None}),
        ("return [[1, 2], [3, [4, 5]]]", [[1, 2], [3, [4, 5]]]),
        ("return float('inf'), float('-inf')", (math.inf, -math.inf)),
        ("return 1.5", 1.5),
        ("return True", True),
        ("return 10 ** 30", 10**30),
        # Past CPython's 4300-digit int/str cap, which the runner's and the host's JSON obey.
        pytest.param("return 7 ** 9000", 7**9000, id="int-past-the-digit-cap"),
        pytest.param("return [-(3 ** 12000), 5]", [-(3**12000), 5], id="negative-int-past-the-cap-in-a-list"),
        pytest.param("return {2 ** 20000: 1}", {2**20000: 1}, id="int-key-past-the-cap"),
        ("return np.int64(5)", 5),
        ("return np.float64(0.25)", 0.25),
        ("return np.array([[1, 2], [3, 4]])", [[1, 2], [3, 4]]),
        ("return None", None),
        ("return b'\\x00ab'", b"\x00ab"),
    ],
)
def test_return_values_keep_their_python_shape(session: LocalSession, body: str, expected: Any) -> None:
    (obs,) = call(session, f"def f():\n    {body}\n", [])
    assert obs.returned
    value = decode(obs.return_value)
    assert value == expected and type(value) is type(expected)


def test_nan_survives_the_trip(session: LocalSession) -> None:
    (obs,) = call(session, "def f():\n    return [float('nan')]\n", [])
    assert math.isnan(decode(obs.return_value)[0])


def test_a_function_that_returns_nothing_returned_none(session: LocalSession) -> None:
    (obs,) = call(session, "def f(x):\n    x.sort()\n", [[2, 1]])
    assert obs.returned and decode(obs.return_value) is None


def test_an_exception_in_the_function_is_re(session: LocalSession) -> None:
    (obs,) = call(session, "def f(xs):\n    return xs[10]\n", [[1]])
    assert not obs.returned
    assert obs.exc_type == "IndexError"
    assert 'solution.py", line 2, in f' in obs.stderr_tail
    assert verdict_of(obs) is Verdict.RE


def test_a_function_that_never_returns_is_tle(session: LocalSession) -> None:
    (obs,) = call(session, "def f():\n    while True:\n        pass\n", [], time_limit_s=TLE_TIME_S, wall_limit_s=60.0)
    assert not obs.returned and obs.cpu_timeout
    assert verdict_of(obs, time_limit_s=TLE_TIME_S) is Verdict.TLE


def test_state_does_not_leak_between_tests(session: LocalSession) -> None:
    # Each test runs in a fresh child: module globals, mutated arguments and caches start over.
    code = "calls = []\ndef f(xs):\n    calls.append(1)\n    xs.append(len(calls))\n    return xs\n"
    first, second = call(session, code, [[0]], [[0]])
    assert first.return_value == [0, 1]
    assert second.return_value == [0, 1]


def test_stdout_of_a_call_based_function_does_not_disturb_its_return_value(session: LocalSession) -> None:
    (obs,) = call(session, "def f(x):\n    print('debug', x)\n    return x * 2\n", [21])
    assert obs.return_value == 42
    assert obs.stdout == b"debug 21\n"


# ================================================================== isolation


needs_netns = pytest.mark.skipif(not ISOLATION.namespaces, reason="no namespaces here: the network is shared")
needs_own_uid = pytest.mark.skipif(not ISOLATION.root, reason="submissions run as the judge's uid (judge not root)")
needs_private_tmp = pytest.mark.skipif(not ISOLATION.namespaces, reason="no mount namespace: /tmp is shared")
needs_cleanup = pytest.mark.skipif(
    not ISOLATION.namespaces and not ISOLATION.root,
    reason="neither a pid namespace nor a sandbox uid: leftover processes cannot be found and killed",
)


@needs_netns
def test_the_network_is_unreachable(session: LocalSession) -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    code = (
        "import socket\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
        "    print('connected')\n"
        "except OSError as exc:\n"
        "    print('failed', type(exc).__name__)\n"
    )
    try:
        obs = run(session, code)
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()
    assert obs.stdout.startswith(b"failed")


@needs_own_uid
def test_the_submission_runs_as_an_unprivileged_uid(session: LocalSession) -> None:
    obs = run(session, "import os\nprint(os.getuid(), os.geteuid(), os.getgid(), os.getgroups())\n")
    uid = session.hello["sandbox_uid"]
    assert uid is not None and uid != 0 and uid != os.getuid()
    assert obs.stdout == f"{uid} {uid} {uid} []\n".encode()


@needs_own_uid
def test_each_jail_has_its_own_uid_so_the_process_limit_is_its_own() -> None:
    backend = LocalBackend()
    first, second = backend.open_session(), backend.open_session()
    try:
        assert first.hello["sandbox_uid"] != second.hello["sandbox_uid"]
        limits = Limits(time_limit_s=4, memory_mb=256, max_processes=8)
        code = (
            "import os, time\n"
            "forked = 0\n"
            "try:\n"
            "    for _ in range(50):\n"
            "        if os.fork() == 0:\n"
            "            time.sleep(5)\n"
            "            os._exit(0)\n"
            "        forked += 1\n"
            "except OSError:\n"
            "    pass\n"
            "print(forked)\n"
        )
        obs = first.run(Plan(code=code), [""], limits, early_stop=False).observations[0]
        assert obs.exit_code == 0 and int(obs.stdout) < 8  # the fork loop hit RLIMIT_NPROC
        assert second.run(Plan(code="print('fine')"), [""], limits, early_stop=False).observations[0].stdout == b"fine\n"
    finally:
        first.close()
        second.close()


@needs_private_tmp
def test_tmp_is_private_and_fresh_for_each_submission(session: LocalSession) -> None:
    marker = f"taco-judge-probe-{os.getpid()}"
    obs = run(session, f"import os\nprint(sorted(os.listdir('/tmp')))\nopen(os.environ['TMPDIR'] + '/{marker}', 'w')\n")
    assert obs.exit_code == 0, obs.stderr_tail
    assert marker not in obs.stdout.decode()  # the host's /tmp is not what the program sees
    assert not any(marker in name for name in os.listdir(tempfile.gettempdir()))
    obs = run(session, f"import os\nprint(any('{marker}' in n for d, _, ns in os.walk('/tmp') for n in ns))\n")
    assert obs.stdout == b"False\n"


@needs_own_uid
def test_the_submission_cannot_touch_the_judges_files(session: LocalSession, tmp_path: Any) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("judge data")
    secret.chmod(0o600)
    # (with a private /tmp the judge's temp files are not even visible: not found counts as denied)
    code = (
        f"try:\n    open({str(secret)!r}).read()\n    print('read it')\n"
        "except (PermissionError, FileNotFoundError):\n    print('denied')\n"
    )
    assert run(session, code).stdout == b"denied\n"


def test_files_are_gone_for_the_next_submission(session: LocalSession) -> None:
    writer = "import os\nopen('memo.txt', 'w').write('state')\nprint(os.getcwd())\n"
    first_dir = run(session, writer).stdout.decode().strip()
    assert not os.path.exists(first_dir)  # wiped and removed by reset()
    reader = "import os\nprint(os.getcwd())\nprint(sorted(os.listdir('.')))\n"
    second_dir, listing = run(session, reader).stdout.decode().splitlines()
    assert second_dir == first_dir  # the same path for every test (reproducible tracebacks), emptied between
    assert listing == "['solution.py']"  # the program itself: it runs as a file; memo.txt is gone


def _left_in_jail(session: LocalSession) -> list[str]:
    """Live processes in the jail besides the runner (dead, not yet reaped ones don't count).

    Forked submission processes share the runner's command line, so the runner is told apart by
    its place: the session's process (unshare, when namespaces are used) or its only child. It is
    two processes: the zygote, and the job process serving the current submission, which is the
    zygote's child in the zygote's session (every test child starts a session of its own).
    """
    top = psutil.Process(session.proc.pid)
    runner = top if not ISOLATION.prefix else top.children()[0]
    runner_session = os.getsid(runner.pid)
    left = []
    for proc in runner.children(recursive=True):
        try:
            if proc.ppid() == runner.pid and os.getsid(proc.pid) == runner_session:
                continue  # the job process
            if proc.status() != psutil.STATUS_ZOMBIE:
                left.append(f"{proc.pid}: {' '.join(proc.cmdline())}")
        except (psutil.NoSuchProcess, psutil.ZombieProcess, ProcessLookupError):
            continue
    return left


def _sleepers(tag: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        if proc.info["cmdline"] == ["sleep", tag] and proc.info["status"] != psutil.STATUS_ZOMBIE:
            found.append(proc)
    return found


# The program confirms, through /proc, that its sleeper really runs before it exits.
WAIT_FOR_SLEEPER = """
import time
def running(pid):
    for _ in range(300):
        try:
            if open(f'/proc/{pid}/cmdline', 'rb').read().startswith(b'sleep'):
                return True
        except OSError:
            pass
        time.sleep(0.01)
    return False
print('sleeper running:', running(pid))
"""


@needs_cleanup
@pytest.mark.parametrize(
    "spawn",
    [
        "import subprocess\npid = subprocess.Popen(['sleep', '{tag}'], start_new_session=True).pid\n",
        "import os\npid = os.fork()\nif pid == 0:\n    os.setsid()\n    os.execvp('sleep', ['sleep', '{tag}'])\n",
        "import os\npid = os.fork()\nif pid == 0:\n    os.execvp('sleep', ['sleep', '{tag}'])\n",
    ],
    ids=["popen-new-session", "fork-setsid-exec", "fork-exec"],
)
def test_background_processes_die_with_their_test(session: LocalSession, spawn: str) -> None:
    tag = f"{4000 + len(spawn)}.5"  # a distinctive `sleep` argument to find it from the host
    seen_during: list[list[psutil.Process]] = []

    def decide(index: int, obs: Observation) -> bool:
        seen_during.append(_sleepers(tag))  # before the run request is even over
        return True

    outcome = session.run(Plan(code=spawn.format(tag=tag) + WAIT_FOR_SLEEPER), [""], limits(), early_stop=False,
                          decide=decide)
    obs = outcome.observations[0]
    assert obs.stdout == b"sleeper running: True\n", obs.stderr_tail
    assert seen_during == [[]]  # killed by the end of the test
    assert session.healthy
    assert _sleepers(tag) == []
    # only the runner itself is left in the jail
    assert _left_in_jail(session) == []
    assert run(session, "print(int(input()) * 2)\n", "21\n").stdout == b"42\n"


@needs_cleanup
def test_a_fork_bomb_does_not_take_down_the_judge(session: LocalSession) -> None:
    code = (
        "import os, time\n"
        "started = 0\n"
        "try:\n"
        "    for _ in range(100):\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(30)\n"
        "            os._exit(0)\n"
        "        started += 1\n"
        "except OSError as exc:\n"
        "    print('fork failed:', exc.errno)\n"
        "print('started', started)\n"
    )
    obs = run(session, code, time_limit_s=2.0, wall_limit_s=10.0)
    assert b"started" in obs.stdout  # the program ran to its end, however many forks succeeded
    assert _left_in_jail(session) == []
    assert run(session, "print(sum(map(int, input().split())))\n", "1 2\n").stdout == b"3\n"


def test_random_is_reseeded_for_every_test(session: LocalSession) -> None:
    code = "import random\nprint(random.random(), np.random.rand())\n"
    first, second = run_all(session, code, ["", ""])
    assert first.exit_code == 0 and second.exit_code == 0, first.stderr_tail
    a, b = first.stdout.split(), second.stdout.split()
    assert a[0] != b[0] and a[1] != b[1]
    # Each submission's first test too (every test child starts random and numpy's global generator
    # from fresh entropy, never from the zygote's state), and the legacy generator's draws differ.
    code = "print(np.random.rand(), np.random.randint(0, 2**31))\n"
    firsts = {run(session, code).stdout for _ in range(3)}
    assert len(firsts) == 3, firsts


def test_numpy_starts_in_a_freshly_seeded_state(session: LocalSession) -> None:
    # What np.random.seed leaves (and a fresh process has): position 624, no cached Gaussian, and the
    # first word's top bit set (the only bit of it the generator uses: the state is never all zero).
    code = "s = np.random.get_state()\nprint(s[0], len(s[1]), s[2], s[3], s[4], int(s[1][0]) >> 31)\n"
    observations = run_all(session, code, [""] * 8)  # a random top bit would pass 8 times in 256
    assert {obs.stdout for obs in observations} == {b"MT19937 624 624 0 0.0 1\n"}, observations[0].stderr_tail


def test_the_programs_environment_is_the_runners_fixed_one(session: LocalSession) -> None:
    # Set once by the zygote for every job and test: nothing of the runner's or the host's own.
    code = ("import json, os\nprint(json.dumps(sorted(os.environ)))\n"
            "print(os.environ['HOME'] == os.environ['TMPDIR'] == os.getcwd())\n")
    for obs in run_all(session, code, ["", ""]) + run_all(session, code, [""]):
        names = json.loads(obs.stdout.decode().splitlines()[0])
        assert set(names) - {"PYTHONHASHSEED"} == {"HOME", "LANG", "MKL_NUM_THREADS", "OMP_NUM_THREADS",
                                                   "OPENBLAS_NUM_THREADS", "PATH", "PYTHONIOENCODING", "TMPDIR"}
        assert obs.stdout.decode().splitlines()[1] == "True", obs.stdout


def test_numpy_submodules_load_inside_the_jail(session: LocalSession) -> None:
    # numpy 2 imports np.random, np.fft, ... lazily; the sandbox uid must still reach them.
    code = "print(np.random.default_rng(1).integers(0, 1) == 0, np.fft.fft([1, 0]).real.tolist(), np.linalg.det([[2]]))\n"
    obs = run(session, code)
    assert obs.stderr_tail == ""
    assert obs.stdout == b"True [1.0, 1.0] 2.0\n"


def test_the_standard_library_is_importable_without_the_preamble(session: LocalSession) -> None:
    code = "import bisect, decimal, fractions, statistics, string, itertools\nprint(bisect.bisect([1, 3], 2), decimal.Decimal('0.1') * 3)\n"
    assert run(session, code, preamble="").stdout == b"1 0.3\n"


# ================================================================== limits


def test_writing_a_huge_file_fails(session: LocalSession) -> None:
    code = "with open('big.bin', 'wb') as f:\n    for _ in range(100):\n        f.write(b'x' * (1 << 20))\nprint('wrote 100 MB')\n"
    obs = run(session, code)
    assert obs.stdout == b""
    assert obs.exit_code != 0
    assert "File too large" in obs.stderr_tail
    assert verdict_of(obs) is Verdict.RE


@pytest.mark.slow
def test_deep_python_recursion_past_the_limit_is_a_quick_runtime_error(session: LocalSession) -> None:
    # Python frames live on the heap in 3.11; the RecursionError's million-entry traceback must
    # be printed the way CPython does (the last 1000 entries), not turn the RE into a TLE.
    code = "import sys\nsys.setrecursionlimit(10 ** 6)\ndef f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\nprint(f(10 ** 7))\n"
    obs = run(session, code, time_limit_s=10.0)
    assert obs.exc_type == "RecursionError"
    assert not obs.cpu_timeout
    assert "[Previous line repeated" in obs.stderr_tail
    assert verdict_of(obs, time_limit_s=10.0) is Verdict.RE


def test_deep_c_level_recursion_crashes_with_sigsegv_not_a_hang(session: LocalSession) -> None:
    # lru_cache recursion goes through C frames: it exhausts the (limited) stack.
    code = (
        "import sys\nfrom functools import lru_cache\nsys.setrecursionlimit(10 ** 7)\n"
        "@lru_cache(maxsize=None)\ndef f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\nprint(f(10 ** 6))\n"
    )
    obs = run(session, code)
    assert obs.signal == signal.SIGSEGV
    assert verdict_of(obs) is Verdict.RE


def test_the_big_thread_stack_idiom_gives_deep_recursion_room(session: LocalSession) -> None:
    # The competitive-programming idiom: run main() in a thread with a 128 MB stack. The same
    # depth crashes on the main thread (whose stack is capped at 64 MB).
    code = (
        "import sys, threading\nfrom functools import lru_cache\n"
        "sys.setrecursionlimit(10 ** 6)\nthreading.stack_size(2 ** 27)\n"
        "@lru_cache(maxsize=None)\ndef depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)\n"
        "def main():\n    print(depth(int(input())))\n"
        "{start}\n"
    )
    threaded = run(session, code.format(start="t = threading.Thread(target=main)\nt.start()\nt.join()"), "200000\n")
    assert threaded.stdout == b"200000\n" and threaded.exit_code == 0
    on_main = run(session, code.format(start="main()"), "200000\n")
    assert on_main.signal == signal.SIGSEGV


def test_cpu_time_of_every_thread_counts(session: LocalSession) -> None:
    # hashlib releases the GIL, so both threads burn CPU; the sum is what the limit bounds.
    code = (
        "import hashlib, threading\ndata = b'x' * (1 << 22)\n"
        "def spin():\n    while True:\n        hashlib.sha256(data).digest()\n"
        "threads = [threading.Thread(target=spin) for _ in range(2)]\n"
        "for t in threads:\n    t.start()\nfor t in threads:\n    t.join()\n"
    )
    obs = run(session, code, time_limit_s=1.0, wall_limit_s=60.0)
    assert obs.cpu_timeout and obs.cpu_s >= 1.0
    assert verdict_of(obs, time_limit_s=1.0) is Verdict.TLE


def test_open_files_are_limited(session: LocalSession) -> None:
    code = "files = []\ntry:\n    for _ in range(1000):\n        files.append(open('/dev/null'))\nexcept OSError as exc:\n    print('stopped at', len(files), exc.errno)\n"
    obs = run(session, code, max_open_files=32)
    assert obs.stdout.startswith(b"stopped at ")
    assert int(obs.stdout.split()[2]) < 32


# ================================================================== what the run record says about /tmp


@pytest.fixture
def python_link_in_tmp() -> Iterator[str]:
    """A link to this machine's python3 directly in /tmp (as `ln -s $(which python3) /tmp/py` makes)."""
    link = f"/tmp/taco-judge-test-python-{os.getpid()}"
    os.symlink(os.path.realpath("/usr/bin/python3" if os.path.exists("/usr/bin/python3") else os.sys.executable), link)
    try:
        yield link
    finally:
        os.unlink(link)


@needs_private_tmp
def test_an_interpreter_directly_in_tmp_is_refused_not_described_as_a_private_tmp(python_link_in_tmp: str) -> None:
    # Its dir, /tmp, would be bound over the jail's private /tmp: programs would list the host's
    # /tmp and could write nowhere. The backend says so in one line instead of claiming "private /tmp".
    from taco_judge.errors import SandboxUnavailable

    with pytest.raises(SandboxUnavailable) as caught:
        LocalBackend(python=python_link_in_tmp)
    message = str(caught.value)
    assert "\n" not in message
    assert python_link_in_tmp in message and "host's /tmp" in message and "TACO_JUDGE_LOCAL_PYTHON" in message


@needs_private_tmp
def test_a_venv_under_tmp_keeps_tmp_private_as_the_run_record_says(tmp_path: Any) -> None:
    # A venv-like interpreter dir under /tmp is bound inside the private /tmp: the host's other
    # files in /tmp stay out of sight, and that is what describe() (run.sandbox) claims.
    venv_bin = tmp_path / "venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python3").symlink_to(os.path.realpath("/usr/bin/python3"))
    marker = tmp_path.parent / f"taco-judge-host-marker-{os.getpid()}"
    marker.write_text("host")
    try:
        backend = LocalBackend(python=str(venv_bin / "python3"))
        assert "private /tmp" in backend.describe()
        opened = backend.open_session()
        try:
            obs = run(opened, "import os\nprint(sorted(n for _, ds, ns in os.walk('/tmp') for n in ds + ns))\n")
        finally:
            opened.close()
        assert obs.exit_code == 0, obs.stderr_tail
        assert marker.name not in obs.stdout.decode()
    finally:
        marker.unlink()


def test_weaker_isolation_is_one_warning_line(caplog: pytest.LogCaptureFixture) -> None:
    from taco_judge.commands.common import warn_weaker

    with caplog.at_level("WARNING", logger="taco_judge"):
        warn_weaker(["no cgroup: ...", "the judge is not root: ..."])
        warn_weaker([])
    assert len(caplog.records) == 1
    line = caplog.records[0].getMessage()
    assert "\n" not in line and "no cgroup" in line and "not root" in line
    assert "run.isolation_weaker_than_usual" in line


def test_a_program_starved_of_cpu_by_a_loaded_machine_does_not_hit_the_wall_backstop() -> None:
    """Busy loops share the one CPU the jail may use, so the program gets a part of it (half, when
    the jail's cgroup weighs as much as the hogs'): 0.6 s of CPU takes longer than the 0.8 s wall
    backstop, yet only the time it was not waiting for the CPU counts."""
    import subprocess
    import sys

    cpus = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cpus)})  # inherited by the hogs, the runner and its children
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(3)]
    backend = LocalBackend()
    try:
        opened = backend.open_session()
        try:
            busy = ("import time\nt = time.process_time()\nwhile time.process_time() - t < 0.6:\n    pass\n"
                    "print('done')\n")
            outcome = opened.run(Plan(code=busy), [""], Limits(time_limit_s=2.0, memory_mb=512, wall_limit_s=0.8),
                                 early_stop=False)
        finally:
            opened.close()
    finally:
        backend.close()
        for hog in hogs:
            hog.kill()
            hog.wait()
        os.sched_setaffinity(0, cpus)
    obs = outcome.observations[0]
    assert not obs.wall_timeout and not obs.cpu_timeout and obs.stdout == b"done\n", obs
    assert obs.wall_s > 1.0, f"the machine was not loaded as the test needs (wall {obs.wall_s:.2f} s)"
    assert 0.55 < obs.cpu_s < 1.0
