"""The test suite itself: the `-m "not slow"` lane leaves out the minutes-long groups, and a test
whose data is missing skips with one line that says where it looked and what to set."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # starts pytest twice more; CI keeps the lanes honest
REPO = Path(__file__).resolve().parents[1]


def pytest_run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], capture_output=True,
                          text=True, timeout=300, cwd=REPO, env={**os.environ, **env})


def test_the_day_to_day_lane_leaves_out_the_red_team_suite_ray_and_real_data_runs() -> None:
    done = pytest_run("--co", "-q", "-m", "not slow", "tests/hostile", "tests/test_ray_executor.py",
                      "tests/test_taco_path.py")
    assert re.search(r"no tests collected \(\d+ deselected\)", done.stdout), done.stdout[-2000:]
    everything = pytest_run("--co", "-q", "tests/hostile", "tests/test_ray_executor.py", "tests/test_taco_path.py")
    assert re.search(r"^\d{3,} tests collected", everything.stdout, re.MULTILINE), everything.stdout[-2000:]


def test_a_clone_without_the_shared_data_skips_with_one_line_naming_the_fix() -> None:
    done = pytest_run("-q", "-rs", "-m", "realdata", "tests/test_spj.py", "tests/test_submissions.py",
                      TACO_JUDGE_TACO_DATA="/nonexistent/taco")
    skipped = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skipped, done.stdout[-2000:]
    for line in skipped:
        assert line.endswith("real TACO data not found at /nonexistent/taco: put ../shared/data/taco beside the "
                             "repo or set TACO_JUDGE_TACO_DATA=DIR"), line
    assert " passed" not in done.stdout.splitlines()[-1]
