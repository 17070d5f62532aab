"""Shared fixtures: where the real TACO data lives, the repo root, small TACO rows on disk."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# The real TACO material sits beside the repo: <work>/shared/data/taco next to <work>/main; a clone
# elsewhere points at it with TACO_JUDGE_TACO_DATA=DIR.
SHARED_TACO = Path(os.environ.get("TACO_JUDGE_TACO_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data" / "taco")
NO_SHARED_TACO = (f"real TACO data not found at {SHARED_TACO}: put ../shared/data/taco beside the repo "
                  "or set TACO_JUDGE_TACO_DATA=DIR")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by what they need, from the fixtures they use, so that `-m` selects them and
    `--co -m realdata` counts what a clone without the shared data skips."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "shared_taco" in names:
            item.add_marker(pytest.mark.realdata)
        if "docker_image" in names:
            item.add_marker(pytest.mark.docker)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (the folder holding pyproject.toml)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_taco() -> Path:
    """Path to ../shared/data/taco (real TACO rows); skips the test when it is absent."""
    if not SHARED_TACO.is_dir():
        pytest.skip(NO_SHARED_TACO)
    return SHARED_TACO


def taco_row(
    inputs: Sequence[Any] = ("1 2\n",),
    outputs: Sequence[Any] = ("3\n",),
    *,
    fn_name: str | None = None,
    encode: bool = True,
    **fields: Any,
) -> dict[str, Any]:
    """A TACO-schema row. With ``encode`` the JSON columns are JSON text, as in TACO itself."""
    io: dict[str, Any] = {"inputs": list(inputs), "outputs": list(outputs)}
    if fn_name is not None:
        io["fn_name"] = fn_name
    row: dict[str, Any] = {
        "question": "Add two numbers.",
        "solutions": ["a, b = map(int, input().split())\nprint(a + b)\n"],
        "starter_code": "",
        "input_output": io,
        "difficulty": "EASY",
        "raw_tags": ["Math"],
        "name": None,
        "source": "codeforces",
        "tags": ["Mathematics"],
        "skill_types": [],
        "url": "https://codeforces.com/problemset/problem/1/A",
        "time_limit": "1 second",
        "memory_limit": "256 megabytes",
    }
    row.update(fields)
    if encode:
        for key in ("input_output", "solutions", "raw_tags", "tags", "skill_types"):
            if isinstance(row.get(key), (list, dict)):
                row[key] = json.dumps(row[key])
    return row


@pytest.fixture
def make_taco_row() -> Callable[..., dict[str, Any]]:
    """The ``taco_row`` builder: make_taco_row(inputs, outputs, fn_name=..., **fields)."""
    return taco_row


@pytest.fixture
def tmp_problem_rows(tmp_path: Path) -> Callable[..., Path]:
    """Write TACO rows to a file under tmp_path and return its path.

    ``write(rows=None, *, n=3, filename="problems.jsonl")``: rows default to ``n`` small stdin
    problems (input "i\\n", output "i\\n"); the file type follows the name (.jsonl, .jsonl.gz,
    .parquet); the name may contain folders.
    """

    def write(rows: Sequence[dict[str, Any]] | None = None, *, n: int = 3, filename: str = "problems.jsonl") -> Path:
        if rows is None:
            rows = [taco_row([f"{i}\n"], [f"{i}\n"]) for i in range(n)]
        path = tmp_path / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        if filename.endswith(".parquet"):
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pylist(list(rows)), path)
            return path
        text = "".join(json.dumps(row) + "\n" for row in rows)
        if filename.endswith(".gz"):
            path.write_bytes(gzip.compress(text.encode("utf-8")))
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


def docker_unavailable(reason: str) -> None:
    """Skip a docker test, or fail it when CI demands the jail (TACO_JUDGE_REQUIRE_DOCKER=1)."""
    if os.environ.get("TACO_JUDGE_REQUIRE_DOCKER") == "1":
        pytest.fail(f"TACO_JUDGE_REQUIRE_DOCKER=1 but the docker jail is unusable: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def docker_image() -> str:
    """The tag of the current sandbox image; skips (fails in CI) without an engine or that image."""
    from taco_judge.sandbox_image import check_image, docker_client, engine_available

    ok, reason = engine_available()
    if not ok:
        docker_unavailable(reason)
    status = check_image(docker_client())
    if not status.current:
        docker_unavailable(status.message)
    return status.tag


def kill_process_tree(proc: "subprocess.Popen[str]") -> None:
    """SIGKILL a judge started with start_new_session=True (its whole process group); then wait
    for the runners it started (they exit on EOF) and reap them, killing any that did not notice."""
    import os
    import signal

    import psutil

    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    _, alive = psutil.wait_procs(children, timeout=15)
    for child in alive:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


def done_rows(store_path: Path) -> int:
    """Samples with a final result in a run store, read-only (a live judge may be writing it)."""
    import sqlite3

    if not store_path.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True, timeout=30)
        try:
            return int(conn.execute("SELECT count(*) FROM samples WHERE status = 'done'").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:  # created, but its schema not committed yet
        return 0
