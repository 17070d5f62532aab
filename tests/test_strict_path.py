"""`strict` runs a program as Python runs it, in both jails: as a file (``__file__``, the submitted
code's line numbers), with file I/O, threads, big thread stacks, a fixed hash seed, and memory
counted as memory used (what ``/usr/bin/time -v`` reports)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from taco_judge.backends.local import LocalBackend
from taco_judge.judge import JudgeConfig, SampleJudge
from taco_judge.judging import Judging
from taco_judge.plans import Plan
from taco_judge.preamble import TACO_PREAMBLE
from taco_judge.problems import Problem
from taco_judge.problems import TestCase as Case
from taco_judge.submissions import submission_from_code
from taco_judge.verdict import Limits, SampleResult, Verdict


def _backend(name: str, request: pytest.FixtureRequest, **options: Any) -> Any:
    if name == "docker":
        request.getfixturevalue("docker_image")
        from taco_judge.backends.docker import DockerBackend

        return DockerBackend(preambles=(TACO_PREAMBLE,), **options)
    return LocalBackend(preambles=(TACO_PREAMBLE,), **options)


@pytest.fixture(scope="module", params=["local", pytest.param("docker", marks=pytest.mark.docker)])
def jail(request: pytest.FixtureRequest) -> Iterator[tuple[str, Any, Any]]:
    backend = _backend(request.param, request)
    session = backend.open_session()
    try:
        yield request.param, backend, session
    finally:
        session.close()
        backend.close()


def judged(session: Any, problem: Problem, code: str, **config: Any) -> SampleResult:
    judge = SampleJudge(problem, JudgeConfig(**config))
    return Judging("jail", "runner").judge(judge, submission_from_code(problem.task_id, 0, code, origin="t"),
                                           session).result


SUM = Problem(task_id=1, mode="stdin", tests=(Case(0, "3\n1 2 3\n", "6\n"), Case(1, "2\n10 -4\n", "6\n")),
              time_limit_s=4.0, memory_limit_mb=256)


def test_the_program_runs_as_a_file_and_errors_name_its_own_lines(jail: tuple[str, Any, Any]) -> None:
    _, _, session = jail
    code = "import os\nassert os.path.basename(__file__) == 'solution.py'\nn = int(input())\nprint(sum(map(int, input().split())))\n"
    assert judged(session, SUM, code).verdict is Verdict.AC
    crash = judged(session, SUM, "n = int(input())\n\nxs = input().split()\nprint(xs[n])\n")
    assert crash.verdict is Verdict.RE
    assert 'solution.py", line 4, in <module>' in crash.tests[0].stderr_tail  # the submitted code's line 4


def test_file_io_programs_work(jail: tuple[str, Any, Any]) -> None:
    _, _, session = jail
    reads_file = "f = open('input.txt')\nf.readline()\nprint(sum(map(int, f.readline().split())))\n"
    assert judged(session, SUM, reads_file).verdict is Verdict.AC
    writes_file = ("f = open('input.txt')\nf.readline()\n"
                   "open('output.txt', 'w').write(str(sum(map(int, f.readline().split()))) + '\\n')\n")
    assert judged(session, SUM, writes_file).verdict is Verdict.AC
    # stdout, when there is any, is the output: output.txt does not replace it
    both = "n = int(input())\nprint(0)\nopen('output.txt', 'w').write('6\\n')\n"
    assert judged(session, SUM, both).verdict is Verdict.WA


def test_a_top_level_return_is_ce_with_the_reason(jail: tuple[str, Any, Any]) -> None:
    _, _, session = jail
    result = judged(session, SUM, "n = int(input())\nif n:\n    print(6)\n    return\n")
    assert result.verdict is Verdict.CE
    assert "'return' outside function" in result.detail and "--compare taco" in result.detail


THREADS = """
import threading
out = []
def work(i):
    out.append(i)
threads = [threading.Thread(target=work, args=(i,)) for i in range(12)]
for t in threads:
    t.start()
for t in threads:
    t.join()
n = int(input())
print(sum(map(int, input().split())))
"""

BIG_STACK = """
import sys, threading
sys.setrecursionlimit(10 ** 6)
threading.stack_size(2 ** 28)
def depth(k):
    return 0 if k == 0 else 1 + depth(k - 1)
result = []
def main():
    n = int(input())
    result.append(sum(map(int, input().split())) + depth(100000) - 100000)
t = threading.Thread(target=main)
t.start()
t.join()
print(result[0])
"""


def test_threads_and_big_thread_stacks_fit_a_256_mb_limit(jail: tuple[str, Any, Any]) -> None:
    # Each thread reserves a 64 MiB malloc arena and its stack: address space, not memory used.
    _, _, session = jail
    assert judged(session, SUM, THREADS).verdict is Verdict.AC
    deep = judged(session, SUM, BIG_STACK)
    assert deep.verdict is Verdict.AC, deep.detail


SET_ORDER = "words = {'kiwi', 'apple', 'banana', 'cherry', 'mango', 'grape', 'lemon', 'peach'}\nprint(' '.join(words))\n"


@pytest.mark.slow
def test_set_order_programs_get_one_verdict_every_time(jail: tuple[str, Any, Any], request: pytest.FixtureRequest) -> None:
    name, _, session = jail
    order = session.run(Plan(code=SET_ORDER), [""], Limits(), early_stop=False).observations[0].stdout.decode()
    problem = Problem(task_id=2, mode="stdin", tests=(Case(0, "", order),))
    verdicts = {judged(session, problem, SET_ORDER).verdict for _ in range(20)}
    assert verdicts == {Verdict.AC}
    # the same order in a fresh jail (the seed is fixed, not drawn per runner), and another with --hash-seed
    backend = _backend(name, request)
    other = _backend(name, request, hash_seed=12345)
    try:
        for fresh in (backend, other):
            session2 = fresh.open_session()
            try:
                got = session2.run(Plan(code=SET_ORDER), [""], Limits(), early_stop=False).observations[0].stdout
            finally:
                session2.close()
            if fresh is backend:
                assert got.decode() == order
            else:
                assert sorted(got.decode().split()) == sorted(order.split())
    finally:
        backend.close()
        other.close()


def test_peak_memory_is_within_10_percent_of_time_v(jail: tuple[str, Any, Any], tmp_path: Path) -> None:
    name, backend, session = jail
    if not Path("/usr/bin/time").exists():
        pytest.skip("/usr/bin/time (Debian package `time`) is not installed")
    code = "b = bytearray(150 * 1024 * 1024)\nfor i in range(0, len(b), 4096):\n    b[i] = 1\nprint(len(b))\n"
    limits = Limits(time_limit_s=5, memory_mb=512)
    inside = session.run(Plan(code=code, preamble=TACO_PREAMBLE), [""], limits, early_stop=False).observations[0]
    script = tmp_path / "alloc.py"
    script.write_text(TACO_PREAMBLE + "\n" + code)  # the same program, preamble included, run as python would
    # docker: the image's interpreter is not on the host; the judge's own (it has numpy) stands in
    python = sys.executable if name == "docker" else backend.environment()["executable"]
    done = subprocess.run(["/usr/bin/time", "-v", python, str(script)], capture_output=True, text=True)
    outside = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)) / 1024
    assert inside.exit_code == 0
    assert abs(inside.peak_mb - outside) <= 0.10 * outside, (inside.peak_mb, outside)
