"""The SQLite results store: raw observations per execution, judged samples per run; resume, cache.

A run folder holds ``results.sqlite``; a shared ``--cache`` file has the same schema. Executions
(what running one program on one problem's tests produced: a compile error, or one raw
observation per test that ran) are content-addressed by everything that decides those facts
(``ExecutionKey``), so a stored execution is never reused for another program, other tests,
other limits or another jail. Samples (the judgement of each ``(task_id, sample)`` of the run)
point to their execution; a judgement is always a function of the observations and the checker
options, so a checker change judges again from the stored observations without running code
(``ReplaySession``). docs/store.md defines the schema and the resume rules.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import hashlib
import json
import logging
import os
import platform
import sqlite3
import sys
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taco_judge import __version__
from taco_judge.backends.base import Backend, LoadResult, RunnerSession
from taco_judge.errors import UserError
from taco_judge.judge import JudgeConfig, SampleJudge
from taco_judge.metrics import TaskMeta
from taco_judge.problems import Problem
from taco_judge.spj import CASE_MULTI
from taco_judge.submissions import Submission
from taco_judge.verdict import Limits, Observation, SampleResult, Verdict

log = logging.getLogger(__name__)

STORE_FILE = "results.sqlite"
LOCK_FILE = ".taco-judge.lock"
SCHEMA_VERSION = 1
APPLICATION_ID = 0x54414A53  # "TAJS" in the SQLite header: tells our files from other SQLite files
KEY_VERSION = 1  # bump when ExecutionKey's material changes meaning
BUSY_TIMEOUT_S = 60.0
# stdout of a test whose output hit the cap (verdict OLE whatever it holds): only its start is kept.
OLE_STDOUT_KEEP_BYTES = 64 * 1024
# stdout longer than this goes to the content-addressed ``blobs`` table (identical outputs of
# many programs are stored once); shorter stdout stays in its observation row.
INLINE_STDOUT_BYTES = 1024
_COMPRESS_FROM_BYTES = 64
_SQLITE_HEADER = b"SQLite format 3\x00"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE executions (
    exec_key TEXT PRIMARY KEY,
    code_sha256 TEXT NOT NULL,
    tests_sha256 TEXT NOT NULL,
    limits TEXT NOT NULL,
    preamble_sha256 TEXT NOT NULL,
    runner_sha256 TEXT NOT NULL,
    jail TEXT NOT NULL,
    num_tests INTEGER NOT NULL,
    tests_run INTEGER NOT NULL,
    compile_error TEXT,
    runs INTEGER NOT NULL,
    first_stored_at REAL NOT NULL,
    last_run_at REAL
);
CREATE TABLE observations (
    exec_key TEXT NOT NULL,
    test INTEGER NOT NULL,
    stdout BLOB,
    stdout_ref TEXT,
    stdout_bytes INTEGER NOT NULL,
    stderr_tail BLOB NOT NULL,
    exit_code INTEGER,
    signal INTEGER,
    cpu_s REAL NOT NULL,
    wall_s REAL NOT NULL,
    peak_rss_mb REAL NOT NULL,
    stdout_truncated INTEGER NOT NULL,
    stderr_truncated INTEGER NOT NULL,
    wall_timeout INTEGER NOT NULL,
    cpu_timeout INTEGER NOT NULL,
    oom_killed INTEGER NOT NULL,
    exc_type TEXT,
    missing_function INTEGER NOT NULL,
    returned INTEGER NOT NULL,
    return_value BLOB,
    PRIMARY KEY (exec_key, test)
);
CREATE TABLE codes (code_sha256 TEXT PRIMARY KEY, code BLOB NOT NULL);
CREATE TABLE tasks (
    task_id TEXT PRIMARY KEY,
    tests_sha256 TEXT NOT NULL,
    num_tests INTEGER NOT NULL,
    spj_case INTEGER NOT NULL,
    meta TEXT NOT NULL
);
CREATE TABLE samples (
    task_id TEXT NOT NULL,
    sample INTEGER NOT NULL,
    code_sha256 TEXT NOT NULL,
    raw_sha256 TEXT NOT NULL,
    origin TEXT NOT NULL,
    invalid TEXT,
    exec_key TEXT,
    judge_fp TEXT,
    status TEXT NOT NULL CHECK (status IN ('todo', 'done', 'retry')),
    result TEXT,
    checked INTEGER NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (task_id, sample)
);
"""
_TABLES = frozenset({"meta", "blobs", "executions", "observations", "codes", "tasks", "samples"})


class StoreError(UserError):
    """The store file cannot be used (corrupt, foreign, newer schema, locked too long)."""


class MissingObservations(Exception):
    """A replayed sample needs the observation of a test that never ran (it was stopped early)."""

    def __init__(self, test: int) -> None:
        super().__init__(f"test {test} was never run")
        self.test = test


# ---------------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ExecutionKey:
    """Everything that decides what running a program on a problem's tests observes.

    The code, the tests and call convention (``Problem.tests_sha256``: inputs run in order, so
    files a test leaves for the next count too), every limit the runner applies, the preamble
    run before the code, the runner program, and the jail (its kind, confinement and the
    Python/numpy the code runs on: the same program can compile under one Python and not
    another). Checker options are not part of it: they judge observations, they do not make them.
    """

    code_sha256: str
    tests_sha256: str
    limits: str  # canonical JSON of Limits.to_runner()
    preamble_sha256: str
    runner_sha256: str
    jail: str

    @functools.cached_property
    def digest(self) -> str:
        material = [KEY_VERSION, self.code_sha256, self.tests_sha256, self.limits, self.preamble_sha256,
                    self.runner_sha256, self.jail]
        return _sha256(json.dumps(material, separators=(",", ":")).encode())

    @classmethod
    def of(cls, submission: Submission, problem: Problem, limits: Limits, preamble: str, jail: str,
           runner_sha256: str) -> ExecutionKey:
        return cls(
            code_sha256=submission.code_sha256,
            tests_sha256=problem.tests_sha256,
            limits=json.dumps(limits.to_runner(), sort_keys=True, separators=(",", ":")),
            preamble_sha256=_sha256(preamble.encode("utf-8", "surrogatepass")),
            runner_sha256=runner_sha256,
            jail=jail,
        )


def jail_identity(backend: Backend) -> str:
    """What part of an execution key the jail is: its kind, confinement and interpreter.

    Docker: the image id (its Python, numpy and runner) and the container flags. Local: the
    confinement this machine allows and the Python and numpy versions the runner starts with.
    """
    parts = [backend.name, backend.describe()]
    if backend.name == "docker":
        spec, client = getattr(backend, "spec", None), getattr(backend, "client", None)
        if spec is not None and client is not None:
            try:
                parts.append(str(client.images.get(spec.image).id))
            except Exception:  # the tag (runner hash) still names it; the id is extra precision
                log.debug("cannot read the sandbox image id", exc_info=True)
    elif backend.name == "local":
        python = getattr(backend, "python", sys.executable)
        parts.append(f"python {platform.python_version()}" if python == sys.executable else f"python {python}")
        parts.append(f"numpy {_numpy_version()}")
    return " | ".join(parts)


@functools.lru_cache(maxsize=1)
def _numpy_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("numpy")
    except PackageNotFoundError:
        return "none"


@functools.lru_cache(maxsize=64)
def _file_sha256(path: str) -> str:
    try:
        return _sha256(Path(path).read_bytes())
    except OSError:
        return "unreadable"


def judge_fingerprint(judge: SampleJudge) -> str:
    """Everything besides the observations and the execution key that decides a sample's result."""
    config = judge.config
    program = config.checker_program if judge.spj_case == CASE_MULTI else None
    material = {
        "version": __version__,
        "checkers": list(config.checkers),
        "spj_case": judge.spj_case,
        "float_tol": config.float_tol,
        "checker_program": [program, _file_sha256(program)] if program else None,
        "early_stop": config.early_stop,
    }
    return _sha256(json.dumps(material, sort_keys=True).encode())


def task_key(task_id: int | str) -> str:
    """A task id as stored: JSON text, so the int 1 and the string "1" stay apart."""
    return json.dumps(task_id)


# ---------------------------------------------------------------------------------------------
# Executions: recording them live, replaying them later
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Execution:
    """One program's run on one problem: a compile error, or the observations of tests 0..n-1."""

    key: ExecutionKey
    num_tests: int
    compile_error: str | None = None
    observations: tuple[Observation, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every test that could run did (so any checker can be replayed on it)."""
        return self.compile_error is not None or len(self.observations) >= self.num_tests


class RecordingSession(RunnerSession):
    """Passes calls through to a live session and keeps what it reported."""

    def __init__(self, inner: RunnerSession) -> None:
        self.inner = inner
        self.loaded: LoadResult | None = None
        self.observations: list[Observation] = []

    @property
    def healthy(self) -> bool:
        return self.inner.healthy

    def load(self, code: str, mode: str, fn_name: str | None, preamble: str, limits: Limits) -> LoadResult:
        self.loaded = self.inner.load(code, mode, fn_name, preamble, limits)
        return self.loaded

    def run_test(self, test_input: Any) -> Observation:
        obs = self.inner.run_test(test_input)
        self.observations.append(obs)
        return obs

    def reset(self) -> None:
        self.inner.reset()

    def close(self) -> None:
        self.inner.close()

    def execution(self, key: ExecutionKey, num_tests: int) -> Execution:
        if self.loaded is None:
            raise RuntimeError("no program was loaded in this session")
        compile_error = None if self.loaded.ok else self.loaded.compile_error
        return Execution(key, num_tests, compile_error, tuple(self.observations))


class ReplaySession(RunnerSession):
    """A session that runs nothing: it answers from a stored execution, in test order."""

    def __init__(self, execution: Execution) -> None:
        self.execution = execution
        self._next = 0

    def load(self, code: str, mode: str, fn_name: str | None, preamble: str, limits: Limits) -> LoadResult:
        self._next = 0
        if self.execution.compile_error is not None:
            return LoadResult(ok=False, compile_error=self.execution.compile_error)
        return LoadResult(ok=True)

    def run_test(self, test_input: Any) -> Observation:
        index = self._next
        if index >= len(self.execution.observations):
            raise MissingObservations(index)
        self._next += 1
        return self.execution.observations[index]

    def reset(self) -> None:
        pass

    def close(self) -> None:
        pass


# ---------------------------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------------------------


def _pack(data: bytes) -> bytes:
    """One codec byte (r raw, z zlib) and the payload."""
    if len(data) >= _COMPRESS_FROM_BYTES:
        packed = zlib.compress(data, 6)
        if len(packed) < len(data):
            return b"z" + packed
    return b"r" + data


def _unpack(blob: bytes | None) -> bytes:
    if blob is None:
        return b""
    codec, payload = bytes(blob[:1]), blob[1:]
    if codec == b"z":
        return zlib.decompress(payload)
    if codec == b"r":
        return bytes(payload)
    raise ValueError(f"unknown codec {codec!r}")


def _pack_text(text: str) -> bytes:
    return _pack(text.encode("utf-8", "surrogatepass"))


def _unpack_text(blob: bytes | None) -> str:
    return _unpack(blob).decode("utf-8", "surrogatepass")


def encode_observations(execution: Execution) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Observation rows and stdout blobs of an execution, compressed (done before taking the lock)."""
    digest = execution.key.digest
    rows: list[tuple[Any, ...]] = []
    blobs: list[tuple[Any, ...]] = []
    for index, obs in enumerate(execution.observations):
        stdout = obs.stdout[:OLE_STDOUT_KEEP_BYTES] if obs.stdout_truncated else obs.stdout
        packed = _pack(stdout)
        inline, ref = packed, None
        if len(stdout) > INLINE_STDOUT_BYTES:
            ref = _sha256(stdout)
            blobs.append((ref, len(stdout), packed))
            inline = None
        returned = None if obs.return_value is None else _pack_text(json.dumps(obs.return_value))
        rows.append((
            digest, index, inline, ref, len(obs.stdout), _pack_text(obs.stderr_tail), obs.exit_code, obs.signal,
            obs.cpu_s, obs.wall_s, obs.peak_rss_mb, int(obs.stdout_truncated), int(obs.stderr_truncated),
            int(obs.wall_timeout), int(obs.cpu_timeout), int(obs.oom_killed), obs.exc_type,
            int(obs.missing_function), int(obs.returned), returned,
        ))
    return rows, blobs


def _result_record(result: SampleResult) -> str:
    """``SampleResult.to_json`` with unrounded test times: the stored result is the live one."""
    record = result.to_json()
    tests = []
    for test in result.tests:
        item: dict[str, Any] = {"test": test.index, "verdict": test.verdict.value, "cpu_s": test.cpu_s,
                                "wall_s": test.wall_s, "peak_mb": test.peak_mb}
        if test.detail:
            item["detail"] = test.detail
        if test.stderr_tail:
            item["stderr_tail"] = test.stderr_tail
        tests.append(item)
    record["tests"] = tests
    return json.dumps(record)  # ASCII: lone surrogates in program output stay storable


def _needs_retry(result: SampleResult) -> bool:
    """SE anywhere (the jail failed, or a checker program did): never final, judged again on resume."""
    return result.verdict is Verdict.SE or Verdict.SE.value in result.alt_verdicts.values()


@dataclass(frozen=True)
class SampleRow:
    """A sample's row in a run store, without its result."""

    task_id: int | str
    sample: int
    code_sha256: str
    raw_sha256: str
    origin: str
    invalid: str | None
    exec_key: str | None
    judge_fp: str | None
    status: str  # todo | done | retry
    checked: bool


# ---------------------------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------------------------


class Store:
    """One SQLite store file (a run's ``results.sqlite`` or a shared cache), safe across threads
    and processes: WAL journal, a busy timeout, one short transaction per sample."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self._depth = 0

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True) -> Store:
        """Open (and with ``create``, initialise) a store; StoreError with one line if unusable."""
        path = Path(path)
        if path.exists() and not path.is_file():
            raise StoreError(f"{path}: not a file; give the path of a taco-judge store")
        if not path.exists():
            if not create:
                raise StoreError(f"{path}: no such store; judge into its folder with `taco-judge judge --out` first")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{path}: cannot create its folder ({exc.strerror or exc})") from None
        else:
            try:
                with open(path, "rb") as handle:
                    head = handle.read(len(_SQLITE_HEADER))
            except OSError as exc:
                raise StoreError(f"{path}: cannot read the store ({exc.strerror or exc})") from None
            if head and head != _SQLITE_HEADER:
                raise StoreError(
                    f"{path}: not a SQLite database (corrupt, or another kind of file); "
                    "move it away and judge again, or choose another path"
                )
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the store ({exc})") from None
        store = cls(path, conn)
        try:
            with store._guard("opening"):
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    log.debug("%s: journal mode %s (WAL unavailable)", path, mode)
                # WAL + NORMAL: a commit survives the judge being killed (SIGKILL included); a
                # power loss may undo the last commits but never corrupts the file.
                conn.execute("PRAGMA synchronous = NORMAL")
                store._check_or_create()
        except BaseException:
            conn.close()
            raise
        return store

    def _check_or_create(self) -> None:
        app_id, version, tables = self._identity()
        if app_id == 0 and not tables:
            with self.transaction():
                app_id, version, tables = self._identity()  # another process may have won the race
                if app_id == 0 and not tables:
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            self._conn.execute(statement)
                    self._conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                    self._conn.executemany(
                        "INSERT INTO meta(key, value) VALUES (?, ?)",
                        [("schema", "taco-judge-store"), ("schema_version", str(SCHEMA_VERSION)),
                         ("created_by", f"taco-judge {__version__}"), ("created_at", str(time.time()))],
                    )
                    return
        if app_id != APPLICATION_ID:
            shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
            raise StoreError(
                f"{self.path}: a SQLite database of another program (tables: {shown or 'none'}), "
                "not a taco-judge store; choose another path"
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer taco-judge (store schema {version}; this one reads "
                f"{SCHEMA_VERSION}); upgrade taco-judge or choose another path"
            )
        if version < SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by an older taco-judge (store schema {version}; this one reads "
                f"{SCHEMA_VERSION}); judge into a new folder"
            )
        missing = _TABLES - tables
        if missing:
            raise StoreError(
                f"{self.path}: damaged taco-judge store (missing tables: {', '.join(sorted(missing))}); "
                "move it away and judge again"
            )

    def _identity(self) -> tuple[int, int, set[str]]:
        app_id = int(self._conn.execute("PRAGMA application_id").fetchone()[0])
        version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {row[0] for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return app_id, version, tables

    def close(self) -> None:
        with self._lock:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and errors -------------------------------------------------------------

    @contextlib.contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """SQLite errors become one-line StoreErrors naming the file and what to do."""
        try:
            yield
        except StoreError:
            raise
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise StoreError(
                    f"{self.path}: the store stayed locked by another process for {BUSY_TIMEOUT_S:g} s "
                    f"while {doing}; is another taco-judge writing it?"
                ) from None
            raise StoreError(f"{self.path}: {doing} the store failed ({text}); check the disk and the file") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path}: the store is damaged ({exc}); move it away and judge again"
            ) from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write transaction (BEGIN IMMEDIATE); nested calls join the outer one."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._conn
                finally:
                    self._depth -= 1
                return
            with self._guard("writing"):
                self._conn.execute("BEGIN IMMEDIATE")
                self._depth = 1
                try:
                    yield self._conn
                except BaseException:
                    self._depth = 0
                    try:
                        self._conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                    raise
                self._depth = 0
                self._conn.execute("COMMIT")

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock, self._guard("reading"):
            return self._conn.execute(sql, params).fetchall()

    # -- meta --------------------------------------------------------------------------------

    def get_meta(self, key: str) -> Any:
        """A JSON value stored under ``key`` in the meta table, or None."""
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: Any) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                         (key, json.dumps(value)))

    # -- executions --------------------------------------------------------------------------

    def put_execution(self, execution: Execution, *, executed: bool,
                      encoded: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]] | None = None) -> None:
        """Store an execution (keeping whichever of the stored and the new one ran more tests).

        ``executed``: the program was just run to get it (counted in ``runs``), not copied.
        ``encoded``: ``encode_observations(execution)`` done beforehand, outside the store's lock.
        """
        key = execution.key
        now = time.time()
        if encoded is None:
            encoded = encode_observations(execution)
        with self.transaction() as conn:
            row = conn.execute("SELECT tests_run, compile_error IS NOT NULL FROM executions WHERE exec_key = ?",
                               (key.digest,)).fetchone()
            new_count = len(execution.observations)
            replace = row is None or new_count > row[0] or (execution.compile_error is not None) != bool(row[1])
            if row is None:
                conn.execute(
                    "INSERT INTO executions(exec_key, code_sha256, tests_sha256, limits, preamble_sha256, "
                    "runner_sha256, jail, num_tests, tests_run, compile_error, runs, first_stored_at, last_run_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (key.digest, key.code_sha256, key.tests_sha256, key.limits, key.preamble_sha256,
                     key.runner_sha256, key.jail, execution.num_tests, new_count, execution.compile_error,
                     1 if executed else 0, now, now if executed else None),
                )
            else:
                if replace:
                    conn.execute("DELETE FROM observations WHERE exec_key = ?", (key.digest,))
                    conn.execute("UPDATE executions SET tests_run = ?, compile_error = ? WHERE exec_key = ?",
                                 (new_count, execution.compile_error, key.digest))
                if executed:
                    conn.execute("UPDATE executions SET runs = runs + 1, last_run_at = ? WHERE exec_key = ?",
                                 (now, key.digest))
            if replace:
                rows, blobs = encoded
                if blobs:
                    conn.executemany("INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)", blobs)
                conn.executemany(
                    "INSERT INTO observations(exec_key, test, stdout, stdout_ref, stdout_bytes, stderr_tail, exit_code, "
                    "signal, cpu_s, wall_s, peak_rss_mb, stdout_truncated, stderr_truncated, wall_timeout, cpu_timeout, "
                    "oom_killed, exc_type, missing_function, returned, return_value) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )

    def get_execution(self, key: ExecutionKey | str) -> Execution | None:
        """The stored execution for a key (a digest string works when the key is not at hand)."""
        digest = key.digest if isinstance(key, ExecutionKey) else key
        with self._lock, self._guard("reading"):
            head = self._conn.execute(
                "SELECT code_sha256, tests_sha256, limits, preamble_sha256, runner_sha256, jail, num_tests, "
                "compile_error FROM executions WHERE exec_key = ?", (digest,)
            ).fetchone()
            if head is None:
                return None
            rows = self._conn.execute(
                "SELECT o.test, o.stdout, b.data, o.stderr_tail, o.exit_code, o.signal, o.cpu_s, o.wall_s, "
                "o.peak_rss_mb, o.stdout_truncated, o.stderr_truncated, o.wall_timeout, o.cpu_timeout, "
                "o.oom_killed, o.exc_type, o.missing_function, o.returned, o.return_value "
                "FROM observations o LEFT JOIN blobs b ON b.sha256 = o.stdout_ref "
                "WHERE o.exec_key = ? ORDER BY o.test", (digest,)
            ).fetchall()
        stored_key = key if isinstance(key, ExecutionKey) else ExecutionKey(*head[:6])
        observations = []
        for expected_index, row in enumerate(rows):
            if row[0] != expected_index:
                raise StoreError(f"{self.path}: damaged store (execution {digest[:12]} lacks test {expected_index}); "
                                 "move it away and judge again")
            try:
                stdout = _unpack(row[1] if row[1] is not None else row[2])
                return_value = None if row[17] is None else json.loads(_unpack_text(row[17]))
                stderr = _unpack_text(row[3])
            except (ValueError, zlib.error) as exc:
                raise StoreError(f"{self.path}: damaged store (execution {digest[:12]}: {exc}); "
                                 "move it away and judge again") from None
            observations.append(Observation(
                stdout=stdout, stderr_tail=stderr, exit_code=row[4], signal=row[5], cpu_s=row[6], wall_s=row[7],
                peak_rss_mb=row[8], stdout_truncated=bool(row[9]), stderr_truncated=bool(row[10]),
                wall_timeout=bool(row[11]), cpu_timeout=bool(row[12]), oom_killed=bool(row[13]), exc_type=row[14],
                missing_function=bool(row[15]), returned=bool(row[16]), return_value=return_value,
            ))
        return Execution(stored_key, int(head[6]), head[7], tuple(observations))

    def execution_runs(self) -> dict[str, int]:
        """{execution key digest: times the program was run into this store}."""
        return {k: int(n) for k, n in self._read("SELECT exec_key, runs FROM executions")}

    # -- run: tasks and samples ----------------------------------------------------------------

    def begin_run(self, selection: Iterable[tuple[int | str, int]], run_config: Mapping[str, Any]) -> dict[str, Any] | None:
        """Start (or resume) a judge run over ``selection``; returns the previous run's options.

        Rows of samples outside the selection are dropped (their executions stay); every other
        row is marked unchecked until the judge has compared it with the current problem and
        options (``resolve``), so an interrupted resume never reports a result judged under
        other options.
        """
        keys = [(task_key(task_id), int(sample)) for task_id, sample in selection]
        with self.transaction() as conn:
            previous = conn.execute("SELECT value FROM meta WHERE key = 'run_config'").fetchone()
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS selection (task_id TEXT, sample INTEGER, "
                         "PRIMARY KEY (task_id, sample))")
            conn.execute("DELETE FROM temp.selection")
            conn.executemany("INSERT OR IGNORE INTO temp.selection VALUES (?, ?)", keys)
            conn.execute("DELETE FROM samples WHERE NOT EXISTS (SELECT 1 FROM temp.selection s "
                         "WHERE s.task_id = samples.task_id AND s.sample = samples.sample)")
            conn.execute("DROP TABLE temp.selection")
            conn.execute("UPDATE samples SET checked = 0")
            self._set_meta_in(conn, "run_config", dict(run_config))
            self._set_meta_in(conn, "run_state", {"samples_expected": len(keys), "complete": False,
                                                  "started_at": time.time()})
        return json.loads(previous[0]) if previous else None

    def _set_meta_in(self, conn: sqlite3.Connection, key: str, value: Any) -> None:
        conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                     (key, json.dumps(value)))

    def save_task(self, problem: Problem, meta: TaskMeta, spj_case: int) -> None:
        """Remember a task's test hash and metadata (for report and rejudge, which load no problems)."""
        record = {"difficulty": meta.difficulty, "skills": list(meta.skills), "source": meta.source,
                  "mode": meta.mode, "time_limit_s": meta.time_limit_s, "memory_mb": meta.memory_mb,
                  "spj_case": meta.spj_case}
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO tasks(task_id, tests_sha256, num_tests, spj_case, meta) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(task_id) DO UPDATE SET tests_sha256 = excluded.tests_sha256, "
                "num_tests = excluded.num_tests, spj_case = excluded.spj_case, meta = excluded.meta",
                (task_key(problem.task_id), problem.tests_sha256, len(problem.tests), spj_case, json.dumps(record)),
            )

    def task_metas(self) -> dict[int | str, TaskMeta]:
        out: dict[int | str, TaskMeta] = {}
        for key, meta in self._read("SELECT task_id, meta FROM tasks"):
            task_id = json.loads(key)
            record = json.loads(meta)
            record["skills"] = tuple(record.get("skills", ()))
            out[task_id] = TaskMeta(task_id=task_id, **record)
        return out

    def task_records(self) -> dict[int | str, tuple[str, int, int]]:
        """{task_id: (tests_sha256, num_tests, spj_case)}."""
        return {json.loads(k): (h, int(n), int(c))
                for k, h, n, c in self._read("SELECT task_id, tests_sha256, num_tests, spj_case FROM tasks")}

    def save_sample(
        self,
        submission: Submission,
        result: SampleResult | None,
        *,
        exec_key: ExecutionKey | None,
        judge_fp: str | None,
        execution: Execution | None = None,
        executed: bool = False,
    ) -> None:
        """Record one sample in one transaction: its execution (if given), code and result.

        ``result`` None marks the sample as still to be judged under ``exec_key``.
        """
        if result is None:
            status = "todo"
        else:
            status = "retry" if _needs_retry(result) else "done"
        # Encoding and compressing happen before the transaction: other threads wait only for SQLite.
        encoded = encode_observations(execution) if execution is not None else None
        code = _pack_text(submission.code)
        record = None if result is None else _result_record(result)
        with self.transaction() as conn:
            if execution is not None:
                self.put_execution(execution, executed=executed, encoded=encoded)
            conn.execute("INSERT OR IGNORE INTO codes(code_sha256, code) VALUES (?, ?)", (submission.code_sha256, code))
            conn.execute(
                "INSERT INTO samples(task_id, sample, code_sha256, raw_sha256, origin, invalid, exec_key, judge_fp, "
                "status, result, checked, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) "
                "ON CONFLICT(task_id, sample) DO UPDATE SET code_sha256 = excluded.code_sha256, "
                "raw_sha256 = excluded.raw_sha256, origin = excluded.origin, invalid = excluded.invalid, "
                "exec_key = excluded.exec_key, judge_fp = excluded.judge_fp, status = excluded.status, "
                "result = excluded.result, checked = 1, updated_at = excluded.updated_at",
                (task_key(submission.task_id), submission.sample, submission.code_sha256, submission.raw_sha256,
                 submission.origin, submission.invalid, exec_key.digest if exec_key else None, judge_fp, status,
                 record, time.time()),
            )

    def confirm(self, samples: Iterable[tuple[int | str, int]]) -> None:
        """Mark rows whose stored result still holds under the current options as checked."""
        with self.transaction() as conn:
            conn.executemany("UPDATE samples SET checked = 1 WHERE task_id = ? AND sample = ?",
                             [(task_key(t), s) for t, s in samples])

    def sample_rows(self) -> dict[tuple[int | str, int], SampleRow]:
        rows = self._read(
            "SELECT task_id, sample, code_sha256, raw_sha256, origin, invalid, exec_key, judge_fp, status, checked "
            "FROM samples"
        )
        out = {}
        for row in rows:
            task_id = json.loads(row[0])
            out[(task_id, int(row[1]))] = SampleRow(task_id, int(row[1]), row[2], row[3], row[4], row[5], row[6],
                                                    row[7], row[8], bool(row[9]))
        return out

    def stored_result(self, task_id: int | str, sample: int) -> SampleResult | None:
        rows = self._read("SELECT result FROM samples WHERE task_id = ? AND sample = ?", (task_key(task_id), sample))
        return SampleResult.from_json(json.loads(rows[0][0])) if rows and rows[0][0] else None

    def code(self, code_sha256: str) -> str | None:
        rows = self._read("SELECT code FROM codes WHERE code_sha256 = ?", (code_sha256,))
        return _unpack_text(rows[0][0]) if rows else None

    def results(self) -> list[SampleResult]:
        """The run's judged samples: rows checked against the current options that have a result."""
        rows = self._read("SELECT result FROM samples WHERE checked = 1 AND result IS NOT NULL")
        try:
            return [SampleResult.from_json(json.loads(row[0])) for row in rows]
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"{self.path}: damaged store (a stored result does not parse: {exc}); "
                             "move it away and judge again") from None

    def judged(self) -> int:
        """Samples with a result checked against the current options (what ``results`` returns)."""
        return int(self._read("SELECT count(*) FROM samples WHERE checked = 1 AND result IS NOT NULL")[0][0])

    def pending(self) -> int:
        """Samples of the current selection without a result checked against the current options."""
        return int(self._read("SELECT count(*) FROM samples WHERE checked = 0 OR result IS NULL")[0][0])

    def failing_outputs(self, limit_bytes: int = 4096) -> dict[tuple[int | str, int, int], bytes | str]:
        """What each failing sample printed (or returned, as JSON) on its first failing test, cut
        to ``limit_bytes``: for reports, since results.jsonl keeps no program output."""
        out: dict[tuple[int | str, int, int], bytes | str] = {}
        rows = self._read("SELECT task_id, sample, exec_key, result FROM samples "
                          "WHERE checked = 1 AND result IS NOT NULL AND exec_key IS NOT NULL")
        for task, sample, exec_key, record in rows:
            result = json.loads(record)
            failing = next((t["test"] for t in result.get("tests", ()) if t.get("verdict") != "AC"), None)
            if failing is None:
                continue
            found = self._read(
                "SELECT o.stdout, b.data, o.returned, o.return_value FROM observations o "
                "LEFT JOIN blobs b ON b.sha256 = o.stdout_ref WHERE o.exec_key = ? AND o.test = ?",
                (exec_key, failing),
            )
            if not found:
                continue
            stdout, blob, returned, value = found[0]
            try:
                if returned:
                    out[(json.loads(task), int(sample), failing)] = ("null" if value is None else _unpack_text(value))[:limit_bytes]
                else:
                    out[(json.loads(task), int(sample), failing)] = _unpack(stdout if stdout is not None else blob)[:limit_bytes]
            except (ValueError, zlib.error):
                continue
        return out

    def integrity_check(self) -> str:
        return str(self._read("PRAGMA integrity_check")[0][0])


# ---------------------------------------------------------------------------------------------
# Judging through the store: reuse, replay, or run
# ---------------------------------------------------------------------------------------------


@dataclass
class JudgingCounts:
    """How the samples of one judge invocation got their results."""

    reused: int = 0  # stored result still valid: nothing done
    replayed: int = 0  # judged again from stored observations (run store or cache): no code run
    run: int = 0  # executed in the jail
    se: int = 0  # the jail failed (SE, judged again next time)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, name: str) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + 1)

    def to_json(self) -> dict[str, int]:
        return {"samples_reused": self.reused, "samples_replayed": self.replayed, "samples_run": self.run,
                "samples_jail_failed": self.se}


class StoredJudging:
    """Decides, per sample, whether its stored result holds, whether stored observations can
    judge it, or whether it must run; records every result in the run store (and executions in
    the cache). The judge command, rejudge and sweeps share it."""

    def __init__(
        self,
        store: Store,
        *,
        cache: Store | None = None,
        jail: str,
        runner_sha256: str,
    ) -> None:
        self.store = store
        self.cache = cache
        self.jail = jail
        self.runner_sha256 = runner_sha256
        self.counts = JudgingCounts()
        self._rows = store.sample_rows()

    def judge_for(self, problem: Problem, config: JudgeConfig) -> StoredJudge:
        judge = StoredJudge(problem, config, self)
        meta = TaskMeta.from_problem(problem, judge.spj_case)
        self.store.save_task(problem, meta, judge.spj_case)
        return judge

    def find_execution(self, key: ExecutionKey) -> tuple[Execution | None, bool]:
        """The stored execution for ``key`` and whether it came from the cache (not the run store)."""
        execution = self.store.get_execution(key)
        if execution is not None:
            return execution, False
        if self.cache is not None:
            execution = self.cache.get_execution(key)
            if execution is not None:
                return execution, True
        return None, False

    def resolve(self, judge: StoredJudge, submissions: Sequence[Submission]) -> tuple[list[SampleResult], list[Submission]]:
        """Results available without running code, and the submissions that must run.

        A stored result is reused when its execution key, judge options and status still match;
        otherwise stored observations (run store, then cache) are replayed through the judge; a
        sample whose observations are missing, or that stopped before a test the current
        checkers need, must run. Every outcome is recorded before this returns.
        """
        done: list[SampleResult] = []
        to_run: list[Submission] = []
        confirmed: list[tuple[int | str, int]] = []
        for submission in submissions:
            key = judge.key(submission)
            if submission.invalid:  # judged CE without running anything
                result = judge.replay(submission, Execution(key, 0))
                self.store.save_sample(submission, result, exec_key=None, judge_fp=judge.fingerprint)
                done.append(result)
                self.counts.add("replayed")
                continue
            row = self._rows.get((submission.task_id, submission.sample))
            if (row is not None and row.status == "done" and row.exec_key == key.digest
                    and row.judge_fp == judge.fingerprint and row.code_sha256 == submission.code_sha256
                    and row.raw_sha256 == submission.raw_sha256):
                result = self.store.stored_result(submission.task_id, submission.sample)
                if result is not None:
                    confirmed.append((submission.task_id, submission.sample))
                    done.append(result)
                    self.counts.add("reused")
                    continue
            execution, from_cache = self.find_execution(key)
            if execution is not None:
                try:
                    result = judge.replay(submission, execution)
                except MissingObservations:
                    pass
                else:
                    self.store.save_sample(submission, result, exec_key=key, judge_fp=judge.fingerprint,
                                           execution=execution if from_cache else None)
                    done.append(result)
                    self.counts.add("replayed")
                    continue
            self.store.save_sample(submission, None, exec_key=key, judge_fp=judge.fingerprint)
            to_run.append(submission)
        if confirmed:
            self.store.confirm(confirmed)
        return done, to_run

    def record_run(self, judge: StoredJudge, submission: Submission, result: SampleResult,
                   execution: Execution | None) -> None:
        """Store what a live run produced: in the cache first, then atomically in the run store."""
        if execution is not None and self.cache is not None:
            self.cache.put_execution(execution, executed=True)
        self.store.save_sample(submission, result, exec_key=execution.key if execution else judge.key(submission),
                               judge_fp=judge.fingerprint, execution=execution, executed=execution is not None)
        self.counts.add("run" if execution is not None else "se")


_NO_CODE = Submission(task_id=0, sample=0, code="", raw_sha256="", code_sha256="", origin="")


class StoredJudge(SampleJudge):
    """A SampleJudge that records every live run in the store and can judge from stored runs."""

    def __init__(self, problem: Problem, config: JudgeConfig, owner: StoredJudging) -> None:
        super().__init__(problem, config)
        self.owner = owner
        self.fingerprint = judge_fingerprint(self)
        # Hashing a problem's tests (megabytes for some TACO rows) once, not once per sample.
        self._key_base = ExecutionKey.of(_NO_CODE, problem, self.limits, config.preamble, "", "")

    def key(self, submission: Submission) -> ExecutionKey:
        return dataclasses.replace(self._key_base, code_sha256=submission.code_sha256, jail=self.owner.jail,
                                   runner_sha256=self.owner.runner_sha256)

    def replay(self, submission: Submission, execution: Execution) -> SampleResult:
        """The result from stored observations; MissingObservations if a needed test never ran."""
        return super().judge(ReplaySession(execution), submission)

    def judge(self, session: RunnerSession, submission: Submission) -> SampleResult:
        if submission.invalid or isinstance(session, ReplaySession):
            return super().judge(session, submission)
        recording = RecordingSession(session)
        result = super().judge(recording, submission)
        execution = recording.execution(self.key(submission), len(self.problem.tests))
        self.owner.record_run(self, submission, result, execution)
        return result

    def system_error(self, submission: Submission, reason: str) -> SampleResult:
        result = super().system_error(submission, reason)
        self.owner.record_run(self, submission, result, None)
        return result


@contextlib.contextmanager
def run_folder_lock(folder: str | os.PathLike[str]) -> Iterator[None]:
    """One judge or rejudge at a time per run folder; the kernel drops the lock when the process
    dies (SIGKILL included), so a killed run never blocks its resume."""
    path = Path(folder) / LOCK_FILE
    try:
        handle = open(path, "a+b")
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the run folder's lock ({exc.strerror or exc})") from None
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"{folder}: another taco-judge is judging into this folder right now; wait for it to finish "
                "or choose another --out"
            ) from None
        yield
    finally:
        handle.close()


def open_run_store(out_dir: str | os.PathLike[str], *, create: bool = True) -> Store:
    """The store of a run folder."""
    return Store.open(Path(out_dir) / STORE_FILE, create=create)


def rebuild_submission(store: Store, row: SampleRow) -> Submission:
    """The submission a sample row was judged from (its code is kept in the run store)."""
    code = store.code(row.code_sha256)
    if code is None:
        raise StoreError(f"{store.path}: damaged store (no code for task {row.task_id} sample {row.sample}); "
                         "judge again")
    return Submission(task_id=row.task_id, sample=row.sample, code=code, raw_sha256=row.raw_sha256,
                      code_sha256=row.code_sha256, origin=row.origin, invalid=row.invalid)

