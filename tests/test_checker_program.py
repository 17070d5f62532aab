"""A user checker program judges outputs: exit 0 accepts, 1 rejects, anything else is a checker failure."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from taco_judge.checkers import CheckerError, CheckOutcome, ProgramChecker, build_comparator
from taco_judge.problems import Problem
from taco_judge.problems import TestCase as Case
from taco_judge.verdict import Observation

STDIN = Problem(task_id=1, mode="stdin", tests=())
CALL = Problem(task_id=2, mode="call", tests=(), fn_name="f")

# Accepts any permutation of the expected tokens: a typical several-answers checker.
PERMUTATION = """
import sys
given, expected, output = (open(p, "rb").read() for p in sys.argv[1:4])
if sorted(expected.split()) == sorted(output.split()):
    sys.exit(0)
print("not a permutation of the expected tokens")
sys.exit(1)
"""


def write_program(tmp_path: Path, body: str, name: str = "check", executable: bool = True) -> Path:
    path = tmp_path / name
    path.write_text(f"#!{sys.executable}\n{body}")
    if executable:
        path.chmod(0o755)
    return path


def run(checker, got: bytes, expected, given: str = "3\n") -> CheckOutcome:
    return checker.check(STDIN, Case(0, given, expected), Observation(stdout=got, exit_code=0))


def test_exit_0_accepts_and_exit_1_rejects_with_the_first_line(tmp_path: Path) -> None:
    checker = build_comparator(str(write_program(tmp_path, PERMUTATION)))
    assert run(checker, b"3 1 2\n", "1 2 3\n") == CheckOutcome(True, "")
    assert run(checker, b"3 1 1\n", "1 2 3\n") == CheckOutcome(False, "not a permutation of the expected tokens")


def test_the_program_sees_input_expected_and_raw_output(tmp_path: Path) -> None:
    dump = tmp_path / "seen.json"
    body = f"""
import json, sys
files = [open(p, "rb").read().decode("latin-1") for p in sys.argv[1:4]]
json.dump(files, open({str(dump)!r}, "w"))
"""
    checker = ProgramChecker(write_program(tmp_path, body))
    assert run(checker, b"x\r\n\xff", ["1", "2"], given="in put\n").passed
    assert json.loads(dump.read_text()) == ["in put\n", "1\n2", "x\r\n\xff"]


def test_call_based_files_are_json(tmp_path: Path) -> None:
    dump = tmp_path / "seen.json"
    body = f"""
import json, sys
json.dump([json.load(open(p)) for p in sys.argv[1:4]], open({str(dump)!r}, "w"))
"""
    checker = ProgramChecker(write_program(tmp_path, body))
    obs = Observation(exit_code=0, returned=True, return_value={"$tuple": [1, 2]})
    assert checker.check(CALL, Case(0, [[3, 4], "a"], [[1, 2]]), obs).passed
    assert json.loads(dump.read_text()) == [[[3, 4], "a"], [[1, 2]], {"$tuple": [1, 2]}]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("import sys\nprint('bad format')\nsys.exit(3)\n", "checker program exited with code 3: bad format"),
        ("import sys\nsys.stderr.write('oops\\n')\nsys.exit(2)\n", "checker program exited with code 2: oops"),
        ("raise ValueError('boom')\n", "checker program crashed: ValueError: boom"),
        ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", "checker program was killed by signal 9"),
    ],
)
def test_other_exits_are_checker_errors(tmp_path: Path, body: str, detail: str) -> None:
    outcome = run(ProgramChecker(write_program(tmp_path, body)), b"1\n", "1\n")
    assert outcome == CheckOutcome(False, detail, checker_error=True)


def test_a_checker_that_hangs_is_killed_with_its_children(tmp_path: Path) -> None:
    body = (
        "import subprocess, sys, time\n"
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "time.sleep(60)\n"
    )
    checker = ProgramChecker(write_program(tmp_path, body), timeout_s=0.5)
    started = time.monotonic()
    outcome = run(checker, b"1\n", "1\n")
    assert outcome == CheckOutcome(False, "checker program timed out after 0.5 s", checker_error=True)
    assert time.monotonic() - started < 5


def test_default_timeout_is_ten_seconds(tmp_path: Path) -> None:
    assert ProgramChecker(write_program(tmp_path, "pass\n")).timeout_s == 10.0


def test_a_non_executable_python_file_runs_with_python(tmp_path: Path) -> None:
    checker = ProgramChecker(write_program(tmp_path, PERMUTATION, name="check.py", executable=False))
    assert run(checker, b"2 1 3", "1 2 3\n").passed


def test_missing_or_non_executable_programs_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(CheckerError, match=r"checker program '.*nope' not found: pass an existing file to --checker"):
        build_comparator(str(tmp_path / "nope"))
    plain = write_program(tmp_path, "pass\n", name="check.sh", executable=False)
    with pytest.raises(CheckerError, match="is not executable: chmod \\+x it"):
        ProgramChecker(plain)


def test_start_failure_is_a_checker_error(tmp_path: Path) -> None:
    program = tmp_path / "garbage"
    program.write_bytes(b"\x00\x01 not a program")  # executable bit, but no format the kernel runs
    program.chmod(0o755)
    outcome = run(ProgramChecker(program), b"1\n", "1\n")
    assert outcome.checker_error and outcome.detail.startswith("checker program could not start")


def test_start_failure_when_the_program_vanishes(tmp_path: Path) -> None:
    program = write_program(tmp_path, "pass\n")
    checker = ProgramChecker(program)
    program.unlink()
    outcome = run(checker, b"1\n", "1\n")
    assert outcome.checker_error and outcome.detail.startswith("checker program could not start")


def test_scratch_files_are_removed(tmp_path: Path) -> None:
    record = tmp_path / "where"
    body = f"import os, sys\nopen({str(record)!r}, 'w').write(os.path.dirname(sys.argv[1]))\n"
    run(ProgramChecker(write_program(tmp_path, body)), b"1\n", "1\n")
    assert not Path(record.read_text()).exists()
