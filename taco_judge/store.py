"""The SQLite results store (persistence only): raw observations per execution, judged samples per run.

A run folder holds ``results.sqlite``; a shared ``--cache`` file has the same schema. Executions
(what running one plan on one list of inputs produced: a compile error, or one raw observation per
test that ran) are content-addressed by everything that decides those facts
(``executions.ExecutionKey``), so a stored execution is never reused for another program, other
tests, other limits or another jail. Samples (the judgement of each ``(task_id, sample)`` of the
run) remember what their result was computed from (``sample_key``, ``judge_fp``) and which
execution holds their tests' observations (``exec_key``). docs/store.md defines the schema and
the resume rules; ``resume.py`` decides, per sample, what is reused, replayed or run.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from taco_judge.errors import UserError
from taco_judge.executions import Execution, ExecutionKey
from taco_judge.problems import Problem, TaskMeta
from taco_judge.store_codec import encode_observations, pack_text, unpack, unpack_text
from taco_judge.submissions import Submission
from taco_judge.verdict import Observation, SampleResult, Verdict
from taco_judge.version import __version__

log = logging.getLogger(__name__)

STORE_FILE = "results.sqlite"
SCHEMA_VERSION = 2
APPLICATION_ID = 0x54414A53  # "TAJS" in the SQLite header: tells our files from other SQLite files
BUSY_TIMEOUT_S = 60.0
_SQLITE_HEADER = b"SQLite format 3\x00"

_EXECUTION_TABLES = """
CREATE TABLE executions (
    exec_key TEXT PRIMARY KEY,
    plan_sha256 TEXT NOT NULL,
    code_sha256 TEXT NOT NULL,
    inputs_sha256 TEXT NOT NULL,
    limits TEXT NOT NULL,
    runner_sha256 TEXT NOT NULL,
    jail TEXT NOT NULL,
    plan BLOB NOT NULL,
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
    run INTEGER NOT NULL,
    stdout BLOB,
    stdout_ref TEXT,
    stdout_bytes INTEGER NOT NULL,
    stderr_tail BLOB NOT NULL,
    facts TEXT NOT NULL,
    return_value BLOB,
    output_file BLOB,
    PRIMARY KEY (exec_key, test, run)
);
"""
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    data BLOB NOT NULL
);
""" + _EXECUTION_TABLES + """
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
    sample_key TEXT,
    PRIMARY KEY (task_id, sample)
);
"""
_TABLES = frozenset({"meta", "blobs", "executions", "observations", "codes", "tasks", "samples"})
# An observation's scalar facts, stored as one JSON object (the field names of Observation).



class StoreError(UserError):
    """The store file cannot be used (corrupt, foreign, newer schema, locked too long)."""


def task_key(task_id: int | str) -> str:
    """A task id as stored: JSON text, so the int 1 and the string "1" stay apart."""
    return json.dumps(task_id)


# ---------------------------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------------------------


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


def needs_retry(result: SampleResult) -> bool:
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
    exec_key: str | None  # the execution holding its tests' observations
    judge_fp: str | None
    status: str  # todo | done | retry
    checked: bool
    sample_key: str | None  # what its result was computed from (code, tests, limits, jail, runner)


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
                # Created private: programs in a local jail must not read the expected tokens in it.
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                pass
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
                store._set_up()
        except BaseException:
            conn.close()
            raise
        return store

    def _set_up(self) -> None:
        """The connection's settings, and the schema checked (or created). While other processes
        open the same new file, SQLite answers "locked" at once in places where waiting could
        deadlock (the switch to WAL, a schema read during another's switch), without its busy
        timeout: those are retried here, with a short random backoff, up to BUSY_TIMEOUT_S."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                self._conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    log.debug("%s: journal mode %s (WAL unavailable)", self.path, mode)
                # WAL + NORMAL: a commit survives the judge being killed (SIGKILL included); a
                # power loss may undo the last commits but never corrupts the file.
                self._conn.execute("PRAGMA synchronous = NORMAL")
                self._check_or_create()
                return
            except (sqlite3.OperationalError, StoreError) as exc:
                busy = any(word in str(exc) for word in ("locked", "busy"))
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(random.uniform(0.005, 0.05))

    def _check_or_create(self) -> None:
        app_id, version, tables = self._identity()
        if app_id == 0:  # new, or being created by another process: read it again under the write lock
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
        if version == 1:
            self._migrate_from_1()
        elif version < SCHEMA_VERSION:
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

    def _migrate_from_1(self) -> None:
        """Schema 1 -> 2: its results stay readable; its executions (another runner, another key) are
        kept aside as *_v1 tables, which nothing reads, and samples are judged again on resume."""
        with self.transaction() as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version != 1:
                return  # another process migrated it meanwhile
            conn.execute("ALTER TABLE executions RENAME TO executions_v1")
            conn.execute("ALTER TABLE observations RENAME TO observations_v1")
            for statement in _EXECUTION_TABLES.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("ALTER TABLE samples ADD COLUMN sample_key TEXT")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        log.info("%s: store migrated from schema 1 to %d", self.path, SCHEMA_VERSION)

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

    def put_execution(self, execution: Execution, plan_json: str, *, executed: bool,
                      encoded: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]] | None = None) -> None:
        """Store an execution (keeping whichever of the stored and the new one ran more tests).

        ``executed``: the plan was just run to get it (counted in ``runs``), not copied.
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
            replace_rows = row is None or new_count > row[0] or (execution.compile_error is not None) != bool(row[1])
            if row is None:
                conn.execute(
                    "INSERT INTO executions(exec_key, plan_sha256, code_sha256, inputs_sha256, limits, runner_sha256, "
                    "jail, plan, num_tests, tests_run, compile_error, runs, first_stored_at, last_run_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (key.digest, key.plan_sha256, key.code_sha256, key.inputs_sha256, key.limits, key.runner_sha256,
                     key.jail, pack_text(plan_json), execution.num_tests, new_count, execution.compile_error,
                     1 if executed else 0, now, now if executed else None),
                )
            else:
                if replace_rows:
                    conn.execute("DELETE FROM observations WHERE exec_key = ?", (key.digest,))
                    conn.execute("UPDATE executions SET tests_run = ?, compile_error = ? WHERE exec_key = ?",
                                 (new_count, execution.compile_error, key.digest))
                if executed:
                    conn.execute("UPDATE executions SET runs = runs + 1, last_run_at = ? WHERE exec_key = ?",
                                 (now, key.digest))
            if replace_rows:
                rows, blobs = encoded
                if blobs:
                    conn.executemany("INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)", blobs)
                conn.executemany(
                    "INSERT INTO observations(exec_key, test, run, stdout, stdout_ref, stdout_bytes, stderr_tail, facts, "
                    "return_value, output_file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def get_execution(self, key: ExecutionKey | str) -> Execution | None:
        """The stored execution for a key (a digest string works when the key is not at hand)."""
        digest = key.digest if isinstance(key, ExecutionKey) else key
        with self._lock, self._guard("reading"):
            head = self._conn.execute(
                "SELECT plan_sha256, code_sha256, inputs_sha256, limits, runner_sha256, jail, num_tests, compile_error "
                "FROM executions WHERE exec_key = ?", (digest,)
            ).fetchone()
            if head is None:
                return None
            rows = self._conn.execute(
                "SELECT o.test, o.run, o.stdout, b.data, o.stderr_tail, o.facts, o.return_value, o.output_file "
                "FROM observations o LEFT JOIN blobs b ON b.sha256 = o.stdout_ref "
                "WHERE o.exec_key = ? ORDER BY o.test, o.run", (digest,)
            ).fetchall()
        stored_key = key if isinstance(key, ExecutionKey) else ExecutionKey(*head[:6])
        observations: list[Observation] = []
        for test, run, stdout, blob, stderr, facts, value, output in rows:
            try:
                obs = Observation(
                    stdout=unpack(stdout if stdout is not None else blob), stderr_tail=unpack_text(stderr),
                    return_value=None if value is None else json.loads(unpack_text(value)),
                    output_file=None if output is None else unpack(output), **json.loads(facts))
            except (ValueError, TypeError, zlib.error) as exc:
                raise StoreError(f"{self.path}: damaged store (execution {digest[:12]}: {exc}); "
                                 "move it away and judge again") from None
            if run == 1 and observations and test == len(observations) - 1:
                observations[-1] = replace(observations[-1], rerun=obs)
            elif run == 0 and test == len(observations):
                observations.append(obs)
            else:
                raise StoreError(f"{self.path}: damaged store (execution {digest[:12]} lacks test "
                                 f"{len(observations)}); move it away and judge again")
        return Execution(stored_key, int(head[6]), head[7], tuple(observations))

    def execution_runs(self) -> dict[str, int]:
        """{execution key digest: times its plan was run into this store}."""
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
        sample_key: str | None,
        judge_fp: str | None,
        exec_key: str | None = None,
        executions: Sequence[tuple[Execution, str, bool]] = (),
    ) -> None:
        """Record one sample in one transaction: the executions it produced or copied (each with
        its plan's JSON and whether it was just run), its code and its result.

        ``result`` None marks the sample as still to be judged under ``sample_key``.
        """
        if result is None:
            status = "todo"
        else:
            status = "retry" if needs_retry(result) else "done"
        # Encoding and compressing happen before the transaction: other threads wait only for SQLite.
        encoded = [(execution, plan, executed, encode_observations(execution)) for execution, plan, executed in executions]
        code = pack_text(submission.code)
        record = None if result is None else _result_record(result)
        with self.transaction() as conn:
            for execution, plan, executed, rows in encoded:
                self.put_execution(execution, plan, executed=executed, encoded=rows)
            conn.execute("INSERT OR IGNORE INTO codes(code_sha256, code) VALUES (?, ?)", (submission.code_sha256, code))
            conn.execute(
                "INSERT INTO samples(task_id, sample, code_sha256, raw_sha256, origin, invalid, exec_key, judge_fp, "
                "status, result, checked, updated_at, sample_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) "
                "ON CONFLICT(task_id, sample) DO UPDATE SET code_sha256 = excluded.code_sha256, "
                "raw_sha256 = excluded.raw_sha256, origin = excluded.origin, invalid = excluded.invalid, "
                "exec_key = excluded.exec_key, judge_fp = excluded.judge_fp, status = excluded.status, "
                "result = excluded.result, checked = 1, updated_at = excluded.updated_at, "
                "sample_key = excluded.sample_key",
                (task_key(submission.task_id), submission.sample, submission.code_sha256, submission.raw_sha256,
                 submission.origin, submission.invalid, exec_key, judge_fp, status, record, time.time(), sample_key),
            )

    def confirm(self, samples: Iterable[tuple[int | str, int]]) -> None:
        """Mark rows whose stored result still holds under the current options as checked."""
        with self.transaction() as conn:
            conn.executemany("UPDATE samples SET checked = 1 WHERE task_id = ? AND sample = ?",
                             [(task_key(t), s) for t, s in samples])

    def sample_rows(self) -> dict[tuple[int | str, int], SampleRow]:
        rows = self._read(
            "SELECT task_id, sample, code_sha256, raw_sha256, origin, invalid, exec_key, judge_fp, status, checked, "
            "sample_key FROM samples"
        )
        out = {}
        for row in rows:
            task_id = json.loads(row[0])
            out[(task_id, int(row[1]))] = SampleRow(task_id, int(row[1]), row[2], row[3], row[4], row[5], row[6],
                                                    row[7], row[8], bool(row[9]), row[10])
        return out

    def stored_result(self, task_id: int | str, sample: int) -> SampleResult | None:
        rows = self._read("SELECT result FROM samples WHERE task_id = ? AND sample = ?", (task_key(task_id), sample))
        return SampleResult.from_json(json.loads(rows[0][0])) if rows and rows[0][0] else None

    def code(self, code_sha256: str) -> str | None:
        rows = self._read("SELECT code FROM codes WHERE code_sha256 = ?", (code_sha256,))
        return unpack_text(rows[0][0]) if rows else None

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
                "SELECT o.stdout, b.data, o.facts, o.return_value FROM observations o "
                "LEFT JOIN blobs b ON b.sha256 = o.stdout_ref WHERE o.exec_key = ? AND o.test = ? AND o.run = 0",
                (exec_key, failing),
            )
            if not found:
                continue
            stdout, blob, facts, value = found[0]
            try:
                key = (json.loads(task), int(sample), failing)
                if json.loads(facts).get("returned"):
                    out[key] = ("null" if value is None else unpack_text(value))[:limit_bytes]
                else:
                    out[key] = unpack(stdout if stdout is not None else blob)[:limit_bytes]
            except (ValueError, zlib.error):
                continue
        return out

    def integrity_check(self) -> str:
        return str(self._read("PRAGMA integrity_check")[0][0])


def rebuild_submission(store: Store, row: SampleRow) -> Submission:
    """The submission a sample row was judged from (its code is kept in the run store)."""
    code = store.code(row.code_sha256)
    if code is None:
        raise StoreError(f"{store.path}: damaged store (no code for task {row.task_id} sample {row.sample}); "
                         "judge again")
    return Submission(task_id=row.task_id, sample=row.sample, code=code, raw_sha256=row.raw_sha256,
                      code_sha256=row.code_sha256, origin=row.origin, invalid=row.invalid)

