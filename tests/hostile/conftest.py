"""Fixtures of the red-team suite: the run's secrets, the bait on the host, the jails, the baseline.

Everything a hostile program might look for is made fresh for each test run: the secret token
(the ``secret`` problem's expected output), a marker for file names, a world-readable "dataset"
file holding the token in the host's /var/tmp, the token in this process's environment, a TCP and
UDP listener on every host address and a unix socket listener. test_after_suite.py runs after
every other test of this folder and compares the host with the baseline taken before them.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from taco_judge.runner_files import runner_path

from . import catalogue
from .harness import CANARY_ENV, HostileRun, Jail, host_addresses, judge_rss_mb, temp_entries

HOSTILE_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the red-team suite slow (minutes: about 150 hostile runs in two jails; `-m "not slow"`
    leaves it to CI), and run test_after_suite.py right after the last other test of this folder."""
    for item in items:
        if HOSTILE_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.slow)
    last = [item for item in items if Path(str(item.fspath)).name == "test_after_suite.py"]
    if not last:
        return
    others = [item for item in items if item not in last]
    ours = [i for i, item in enumerate(others) if Path(str(item.fspath)).parent == HOSTILE_DIR]
    cut = ours[-1] + 1 if ours else len(others)
    items[:] = others[:cut] + last + others[cut:]


@dataclass
class Baseline:
    """The host before the suite."""

    started: float
    temp: dict[str, tuple[int, int]]
    rss_mb: float
    children: set[int]


@pytest.fixture(scope="session", autouse=True)
def suite_baseline() -> Baseline:
    """Taken before the first test of this folder runs; test_after_suite.py compares with it."""
    return Baseline(
        started=time.time(),
        temp=temp_entries(),
        rss_mb=judge_rss_mb(),
        children={p.pid for p in psutil.Process().children(recursive=True)},
    )


@pytest.fixture(scope="session")
def hostile_run() -> Iterator[HostileRun]:
    """The run's secrets and the bait on the host; everything is removed afterwards."""
    salt, seed = secrets.token_hex(16), secrets.token_hex(16)
    token = "tacosecret" + hashlib.sha256((salt + seed).encode()).hexdigest()[:32]
    mark = f"taco-hostile-{secrets.token_hex(6)}"
    # A stand-in for a dataset on the host (problems with their expected outputs), with the
    # permissions a download gets by default: a world-readable file in a world-readable dir.
    canary_dir = Path(tempfile.mkdtemp(prefix="taco-hostile-dataset-", dir="/var/tmp" if os.path.isdir("/var/tmp") else None))
    canary_dir.chmod(0o755)
    canary = canary_dir / "problems.jsonl"
    canary.write_text(json.dumps({"input_output": {"inputs": ["Print the secret.\n"], "outputs": [token + "\n"]}}) + "\n")
    canary.chmod(0o644)
    os.environ[CANARY_ENV] = token
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("0.0.0.0", 0))
    tcp.listen(16)
    tcp.setblocking(False)
    port = tcp.getsockname()[1]
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("0.0.0.0", port))
    udp.setblocking(False)
    unix_path = str(canary_dir / f"{mark}.sock")
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(unix_path)
    os.chmod(unix_path, 0o777)
    unix.listen(16)
    unix.setblocking(False)
    run = HostileRun(
        token=token,
        salt=salt,
        seed=seed,
        echo=("tacoecho" + secrets.token_hex(16), "tacoecho" + secrets.token_hex(16)),
        code_mark="tacocode" + secrets.token_hex(16),
        mark=mark,
        canary_dir=canary_dir,
        tcp=tcp,
        udp=udp,
        unix=unix,
        unix_path=unix_path,
        runner_sha256=hashlib.sha256(runner_path().read_bytes()).hexdigest(),
    )
    run.values = {
        "MARK": mark,
        "PORT": str(port),
        "HOST_ADDRESSES": repr(host_addresses()),
        "UNIX_SOCKET": unix_path,
        "PRODUCTION_CAP": str(catalogue.PRODUCTION_OUTPUT_BYTES),
        "SALT": salt,
        "CODE_MARK": run.code_mark,
    }
    try:
        yield run
    finally:
        os.environ.pop(CANARY_ENV, None)
        for s in (tcp, udp, unix):
            s.close()
        run.remove_marked_host_files()
        shutil.rmtree(canary_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def jails() -> Iterator[dict[str, Jail]]:
    """The suite's jails by name ('local', 'docker'), opened on first use (harness.open_jail)."""
    opened: dict[str, Jail] = {}
    yield opened
    for jail in opened.values():
        jail.close()
    opened.clear()
