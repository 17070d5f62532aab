"""The results store: exact round trips of raw observations, content-addressed keys, replaying
stored runs under other checkers, concurrent writers, and clear errors for unusable files."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taco_judge.backends.base import RunnerSession, RunOutcome
from taco_judge.executions import Execution, ExecutionKey, MissingObservations, inputs_sha256
from taco_judge.judge import JudgeConfig, SampleJudge
from taco_judge.judging import Judged, Judging
from taco_judge.plans import Plan
from taco_judge.problems import Problem
from taco_judge.problems import TestCase as Case
from taco_judge.resume import StoredJudging
from taco_judge.store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    Store,
    StoreError,
)
from taco_judge.store_codec import INLINE_STDOUT_BYTES, OLE_STDOUT_KEEP_BYTES
from taco_judge.submissions import Submission, submission_from_code
from taco_judge.verdict import Limits, Observation, Verdict

JAIL = "fake jail"
RUNNER = "r" * 64


# ------------------------------------------------------------------ helpers


class ScriptedSession(RunnerSession):
    """Runs nothing: a plan's last line is a Python expression of the test input ``x`` whose value
    is printed (so the taco checker's rewrites of it work too); a program starting with ``!`` does
    not compile. Counts the plans and the tests it was asked to run."""

    def __init__(self) -> None:
        self.loads = 0
        self.tests_run = 0

    def run(self, plan: Plan, inputs: Any, limits: Limits, *, early_stop: bool, decide: Any = None) -> RunOutcome:
        if plan.resolve_only:  # the taco checker's compile step
            return RunOutcome(None, (Observation(exit_code=0, loaded=True),))
        self.loads += 1
        lines = [line.strip() for line in plan.code.splitlines() if line.strip() and line.strip() != "code()"]
        if any(line.startswith("!") for line in lines):
            return RunOutcome("SyntaxError: invalid syntax (line 1)", ())
        expression = lines[-1]
        observations = []
        for index, test_input in enumerate(inputs):
            self.tests_run += 1
            try:
                value = eval(expression, {"x": int(test_input)})
                obs = Observation(stdout=f"{value}\n".encode(), exit_code=0, cpu_s=0.0123456789, wall_s=0.02,
                                  peak_mb=9.87654)
            except ZeroDivisionError:
                obs = Observation(exit_code=1, exc_type="ZeroDivisionError",
                                  stderr_tail="Traceback ...\nZeroDivisionError: division by zero\n", cpu_s=0.01)
            observations.append(obs)
            if early_stop and decide is not None and not decide(index, obs):
                break
        return RunOutcome(None, tuple(observations))

    def close(self) -> None:
        pass


def problem(task_id: int = 0, n_tests: int = 4, expected: Any = None) -> Problem:
    """Tests ask for 2x: input i+1, expected 2(i+1)."""
    tests = tuple(Case(i, f"{i + 1}\n", expected if expected is not None else f"{2 * (i + 1)}\n") for i in range(n_tests))
    return Problem(task_id=task_id, mode="stdin", tests=tests)


def key_for(code: str, prob: Problem | None = None, **changes: Any) -> ExecutionKey:
    prob = prob or problem()
    parts = {"limits": Limits(), "preamble": "", "jail": JAIL, "runner_sha256": RUNNER, "mode": prob.mode, **changes}
    plan = Plan(code=code, mode=parts["mode"], fn_name=prob.fn_name, preamble=parts["preamble"])
    return ExecutionKey.of(plan, prob.tests_sha256, parts["limits"], parts["jail"], parts["runner_sha256"])


def an_execution(code: str, n_obs: int = 3, *, stdout: bytes = b"42\n", num_tests: int = 4) -> Execution:
    obs = tuple(Observation(stdout=stdout, exit_code=0, cpu_s=0.001 * i, wall_s=0.002, peak_mb=3.5)
                for i in range(n_obs))
    return Execution(key_for(code), num_tests, None, obs)


def put(store: Store, execution: Execution, *, executed: bool = True) -> None:
    store.put_execution(execution, "{}", executed=executed)


def replay(store: Store, judge: SampleJudge, sub: Submission):
    """Judge ``sub`` from the store's executions only (MissingObservations when they do not suffice)."""
    return Judging(JAIL, RUNNER, store.get_execution).judge(judge, sub).result


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "results.sqlite") as s:
        yield s


# ------------------------------------------------------------------ round trips


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=12,
)

observations = st.builds(
    Observation,
    stdout=st.binary(max_size=3000),
    stderr_tail=st.text(max_size=200),
    exit_code=st.none() | st.integers(-255, 255),
    signal=st.none() | st.integers(1, 64),
    cpu_s=st.floats(0, 100, allow_nan=False),
    wall_s=st.floats(0, 100, allow_nan=False),
    peak_mb=st.floats(0, 5000, allow_nan=False),
    stdout_truncated=st.just(False),
    stderr_truncated=st.booleans(),
    wall_timeout=st.booleans(),
    cpu_timeout=st.booleans(),
    oom_killed=st.booleans(),
    exc_type=st.none() | st.sampled_from(["ValueError", "MemoryError"]),
    missing_function=st.booleans(),
    loaded=st.booleans(),
    returned=st.booleans(),
    return_value=json_values,
    status_error=st.none() | st.text(max_size=30),
    output_file=st.none() | st.binary(max_size=100),
    rerun=st.none() | st.builds(Observation, stdout=st.binary(max_size=50), exit_code=st.integers(0, 3),
                                output_file=st.none() | st.binary(max_size=20)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(obs=st.lists(observations, min_size=0, max_size=4), compile_error=st.none() | st.text(max_size=50))
@pytest.mark.slow
def test_executions_round_trip_exactly(store: Store, obs: list[Observation], compile_error: str | None) -> None:
    code = json.dumps([repr(o) for o in obs]) + repr(compile_error)  # a key per example
    execution = Execution(key_for(code), 4, compile_error, () if compile_error is not None else tuple(obs))
    put(store, execution)
    assert store.get_execution(execution.key) == execution
    assert store.get_execution(execution.key.digest) == execution  # by digest too (rejudge has no key at hand)


def test_odd_text_round_trips(store: Store) -> None:
    obs = Observation(stdout=b"\xff\xfe\x00 binary\n", stderr_tail="lone surrogate \udc80 and \u2603",
                      return_value={"$float": "nan", "k": [1, 2**100, "\udcff"]}, returned=True)
    execution = Execution(key_for("odd"), 1, None, (obs,))
    put(store, execution)
    assert store.get_execution(execution.key) == execution


def test_large_outputs_are_compressed_and_stored_once(tmp_path: Path) -> None:
    big = b"".join(b"%d\n" % i for i in range(300_000))  # ~2 MB of numbers
    assert len(big) > 1_000_000
    with Store.open(tmp_path / "s.sqlite") as store:
        for code in ("a", "b", "c"):  # three programs printing the same answer
            put(store, an_execution(code, 2, stdout=big))
        assert store.get_execution(key_for("b")).observations[1].stdout == big
        assert store._read("SELECT count(*) FROM blobs")[0][0] == 1
    assert (tmp_path / "s.sqlite").stat().st_size < len(big) / 2  # closed: the WAL is checkpointed away


def test_small_outputs_stay_inline(store: Store) -> None:
    put(store, an_execution("small", 2, stdout=b"x" * INLINE_STDOUT_BYTES))
    assert store._read("SELECT count(*) FROM blobs")[0][0] == 0


def test_output_over_the_cap_keeps_only_its_start_and_stays_ole(store: Store) -> None:
    flood = b"y" * (5 * 1024 * 1024)
    obs = Observation(stdout=flood, stdout_truncated=True, exit_code=None, signal=9)
    prob = problem(n_tests=1)
    sub = submission_from_code(0, 0, "x * 2", origin="t")
    judge = SampleJudge(prob, JudgeConfig())
    (plan,) = strict_plans(judge, sub)
    execution = Execution(ExecutionKey.of(plan, prob.tests_sha256, judge.limits, JAIL, RUNNER), 1, None, (obs,))
    put(store, execution)
    stored = store.get_execution(execution.key)
    assert stored.observations[0].stdout == flood[:OLE_STDOUT_KEEP_BYTES]
    assert store._read("SELECT stdout_bytes FROM observations")[0][0] == len(flood)
    assert replay(store, judge, sub).verdict is Verdict.OLE  # the cut part never decides anything


def strict_plans(judge: SampleJudge, sub: Submission) -> list[Plan]:
    """The plans the judge runs for ``sub`` (recorded from a live judging)."""
    session = ScriptedSession()
    judged = Judging(JAIL, RUNNER).judge(judge, sub, session)
    return [plan for _, plan, _ in judged.executions]


# ------------------------------------------------------------------ keys


def test_execution_key_covers_everything_that_decides_observations() -> None:
    base = key_for("print(1)")
    other_tests = problem(expected="different\n")
    changed = {
        "code": key_for("print(2)"),
        "tests": key_for("print(1)", problem(n_tests=3)),
        "expected outputs": key_for("print(1)", other_tests),
        "call convention": key_for("print(1)", Problem(task_id=0, mode="call", tests=problem().tests, fn_name="f")),
        "the inputs given": ExecutionKey.of(Plan(code="print(1)"), inputs_sha256([[]]), Limits(), JAIL, RUNNER),
        "time limit": key_for("print(1)", limits=Limits(time_limit_s=2.0)),
        "memory limit": key_for("print(1)", limits=Limits(memory_mb=256)),
        "output cap": key_for("print(1)", limits=Limits(output_bytes=1024)),
        "preamble": key_for("print(1)", preamble="import sys\n"),
        "jail": key_for("print(1)", jail="docker image sha256:..."),
        "runner": key_for("print(1)", runner_sha256="s" * 64),
    }
    for what, key in changed.items():
        assert key.digest != base.digest, what
    assert len({k.digest for k in changed.values()}) == len(changed)
    # the task id and sample number are not part of it: identical code on identical tests is one run
    assert key_for("print(1)", problem(task_id=7)).digest == base.digest


def test_checker_options_are_not_in_the_key() -> None:
    prob = problem()
    sub = submission_from_code(0, 0, "x * 2", origin="t")
    keys = set()
    for config in (JudgeConfig(), JudgeConfig(float_tol=0.1), JudgeConfig(early_stop=False), JudgeConfig(spj={0: 2})):
        judge = SampleJudge(prob, config)
        keys.update(ExecutionKey.of(p, prob.tests_sha256, judge.limits, JAIL, RUNNER).digest
                    for p in strict_plans(judge, sub))
    assert len(keys) == 1


# ------------------------------------------------------------------ replay


def judge_live(store: Store, config: JudgeConfig, prob: Problem, codes: list[str],
               cache: Store | None = None) -> tuple[list[Any], ScriptedSession]:
    judging = StoredJudging(store, cache=cache, jail=JAIL, runner_sha256=RUNNER)
    judge = judging.judge_for(prob, config)
    session = ScriptedSession()
    results = []
    for i, code in enumerate(codes):
        judged = judging.judging.judge(judge, submission_from_code(prob.task_id, i, code, origin="t"), session)
        judging.record(judge, judged)
        results.append(judged.result)
    return results, session


CODES = ["x * 2", "x * 2 if x < 3 else 0", "!", "1 // (x - 2) * 0 + 2 * x", "x + x"]


def test_replayed_results_equal_live_ones_exactly(store: Store) -> None:
    prob = problem()
    live, session = judge_live(store, JudgeConfig(checkers=("strict", "taco")), prob, CODES)
    assert [r.verdict.value for r in live] == ["AC", "WA", "CE", "RE", "AC"]
    # each checker's own run of the program: strict's then taco's (the "!" program runs no test)
    assert session.tests_run == 2 * (4 + 3 + 0 + 2 + 4)
    judging = StoredJudging(store, jail=JAIL, runner_sha256=RUNNER)
    judge = judging.judge_for(prob, JudgeConfig(checkers=("strict", "taco")))
    subs = [submission_from_code(0, i, code, origin="t") for i, code in enumerate(CODES)]
    done, to_run = judging.resolve(judge, subs)
    assert to_run == [] and judging.counts.reused == len(CODES)
    assert done == live  # unrounded times included: the stored result is the live one
    for sub, result in zip(subs, live):
        assert replay(store, judge, sub) == result


def test_stored_results_are_reused_only_under_the_same_checker_options(store: Store) -> None:
    prob = problem()
    judge_live(store, JudgeConfig(), prob, CODES)
    judging = StoredJudging(store, jail=JAIL, runner_sha256=RUNNER)
    judge = judging.judge_for(prob, JudgeConfig(float_tol=1e-3))
    done, to_run = judging.resolve(judge, [submission_from_code(0, i, c, origin="t") for i, c in enumerate(CODES)])
    # other comparison options judge the same observations: nothing reused, nothing run
    assert (judging.counts.reused, judging.counts.replayed, len(to_run)) == (0, len(CODES), 0)
    # the taco checker runs other programs (the reference's rewrites), never run before
    taco = StoredJudging(store, jail=JAIL, runner_sha256=RUNNER)
    done, to_run = taco.resolve(taco.judge_for(prob, JudgeConfig(checkers=("taco",))),
                                [submission_from_code(0, i, c, origin="t") for i, c in enumerate(CODES)])
    assert taco.counts.reused == 0 and len(to_run) == len(CODES)


def test_a_test_that_never_ran_is_reported_not_guessed(store: Store) -> None:
    # expected "2" on every test; the program prints 2 on test 0 only: early stop kept tests 0-1;
    # with --all-tests the judge needs test 2, which never ran.
    prob = problem(n_tests=3, expected="2\n")
    judge_live(store, JudgeConfig(), prob, ["2 if x == 1 else 0"])
    judging = StoredJudging(store, jail=JAIL, runner_sha256=RUNNER)
    judge = judging.judge_for(prob, JudgeConfig(early_stop=False))
    sub = submission_from_code(0, 0, "2 if x == 1 else 0", origin="t")
    with pytest.raises(MissingObservations) as caught:
        replay(store, judge, sub)
    assert caught.value.test == 2
    done, to_run = judging.resolve(judge, [sub])
    assert done == [] and to_run == [sub]
    assert store.pending() == 1  # marked as still to judge, never reported with a guessed verdict


def test_a_longer_run_replaces_a_shorter_one_and_runs_are_counted(store: Store) -> None:
    put(store, an_execution("p", 1))
    put(store, an_execution("p", 3))
    put(store, an_execution("p", 2), executed=False)  # copied from a cache: not a run
    assert len(store.get_execution(key_for("p")).observations) == 3
    assert store.execution_runs() == {key_for("p").digest: 2}


def test_se_results_are_never_final(store: Store) -> None:
    prob = problem()
    judging = StoredJudging(store, jail=JAIL, runner_sha256=RUNNER)
    judge = judging.judge_for(prob, JudgeConfig())
    sub = submission_from_code(0, 0, "x * 2", origin="t")
    judging.record(judge, Judged(sub, judge.system_error(sub, "jail failed 3 times: engine unreachable"),
                                 jail_failed=True))
    assert [r.verdict for r in store.results()] == [Verdict.SE]
    again = StoredJudging(store, jail=JAIL, runner_sha256=RUNNER)
    done, to_run = again.resolve(again.judge_for(prob, JudgeConfig()), [sub])
    assert done == [] and to_run == [sub]  # the jail may work now


def test_the_cache_answers_for_another_run(tmp_path: Path) -> None:
    prob = problem()
    with Store.open(tmp_path / "cache.sqlite") as cache:
        with Store.open(tmp_path / "a.sqlite") as first:
            _, session = judge_live(first, JudgeConfig(), prob, CODES[:3], cache=cache)
        with Store.open(tmp_path / "b.sqlite") as second:
            judging = StoredJudging(second, cache=cache, jail=JAIL, runner_sha256=RUNNER)
            judge = judging.judge_for(prob, JudgeConfig())
            subs = [submission_from_code(0, i, c, origin="t") for i, c in enumerate(CODES)]
            done, to_run = judging.resolve(judge, subs)
            assert [s.code for s in to_run] == CODES[3:]  # only the programs never run before
            assert judging.counts.replayed == 3
            # the run store got its own copy: it stands alone without the cache
            assert all(replay(second, judge, s) is not None for s in subs[:3])
        assert set(cache.execution_runs().values()) == {1}


# ------------------------------------------------------------------ schema and bad files


def test_schema_version_and_owner_are_recorded(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert dict(conn.execute("SELECT key, value FROM meta"))["schema_version"] == str(SCHEMA_VERSION)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def one_line_error(path: Path) -> str:
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_random_bytes_are_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    path.write_bytes(os.urandom(8192))
    assert "not a SQLite database" in one_line_error(path)


def test_a_foreign_sqlite_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()
    message = one_line_error(path)
    assert "another program" in message and "invoices" in message
    assert sqlite3.connect(path).execute("SELECT count(*) FROM invoices").fetchone() == (0,)  # left alone


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    assert "newer taco-judge" in one_line_error(path)


def test_damaged_pages_give_a_store_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    with Store.open(path) as store:
        judge_live(store, JudgeConfig(), problem(), CODES)
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    data[page:] = os.urandom(len(data) - page)  # every page but the header and schema page
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as caught:
        with Store.open(path) as store:
            store.results()
            store.get_execution(key_for(CODES[0]))
    assert "\n" not in str(caught.value)


def test_open_without_create_names_the_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such store"):
        Store.open(tmp_path / "missing.sqlite", create=False)
    assert not (tmp_path / "missing.sqlite").exists()


# ------------------------------------------------------------------ concurrent writers


def _writer(path: str, worker: int, samples: int) -> None:
    prob = problem(task_id=worker)
    with Store.open(path) as store:
        judging = StoredJudging(store, jail=JAIL, runner_sha256=RUNNER)
        judge = judging.judge_for(prob, JudgeConfig())
        session = ScriptedSession()
        for i in range(samples):
            sub = submission_from_code(worker, i, f"x * 2 + 0 * {worker * 100000 + i}", origin="t")
            judging.record(judge, judging.judging.judge(judge, sub, session))
            if i % 10 == 0:  # a shared execution every writer also stores
                put(store, an_execution("shared", 2))


@pytest.mark.slow
def test_concurrent_processes_never_corrupt_the_store(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"  # created by whichever process gets there first
    workers, samples = 4, 120
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), w, samples)) for w in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0] * workers
    with Store.open(path) as store:
        assert store.integrity_check() == "ok"
        assert store._read("SELECT count(*) FROM samples")[0][0] == workers * samples
        runs = store.execution_runs()
        assert len(runs) == workers * samples + 1
        assert runs.pop(key_for("shared").digest) == workers * (samples // 10)
        assert set(runs.values()) == {1}
        assert {r.verdict for r in store.results()} == {Verdict.AC}
        assert all(len(r.tests) == 4 for r in store.results())


def test_concurrent_threads_share_one_store(store: Store) -> None:
    prob = problem()
    judging = StoredJudging(store, jail=JAIL, runner_sha256=RUNNER)
    judge = judging.judge_for(prob, JudgeConfig())

    def work(offset: int) -> None:
        session = ScriptedSession()
        for i in range(50):
            sub = submission_from_code(0, offset + i, f"x * 2 + 0 * {offset + i}", origin="t")
            judging.record(judge, judging.judging.judge(judge, sub, session))

    threads = [threading.Thread(target=work, args=(k * 1000,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.integrity_check() == "ok" and len(store.results()) == 200


def test_invalid_submissions_are_ce_without_running(store: Store) -> None:
    judging = StoredJudging(store, jail=JAIL, runner_sha256=RUNNER)
    judge = judging.judge_for(problem(), JudgeConfig())
    bad = Submission(task_id=0, sample=0, code="", raw_sha256="0" * 64, code_sha256="0" * 64, origin="g.json entry 0",
                     invalid="empty output")
    done, to_run = judging.resolve(judge, [bad])
    assert to_run == [] and done[0].verdict is Verdict.CE and "invalid submission" in done[0].detail
    assert store.results() == done


def test_results_jsonl_lines_read_back(store: Store) -> None:
    from taco_judge.verdict import SampleResult

    live, _ = judge_live(store, JudgeConfig(checkers=("strict", "taco")), problem(), CODES)
    for result in live:
        line = json.loads(json.dumps(result.to_json()))
        assert SampleResult.from_json(line).to_json() == result.to_json()
    assert SampleResult.from_json(live[0].to_json()).limits == live[0].limits  # the default backstop stays default


def test_failing_outputs_give_what_the_program_printed_on_its_first_failing_test(store: Store) -> None:
    judge_live(store, JudgeConfig(), problem(), CODES)
    # sample 1 prints 0 on test 2 (expected 6); sample 3 crashed on test 1 (printed nothing)
    assert store.failing_outputs() == {(0, 1, 2): b"0\n", (0, 3, 1): b""}


def _open_at_once(path: str, barrier: Any, answers: Any) -> None:
    barrier.wait()
    try:
        with Store.open(path) as store:
            store.results()
        answers.put("ok")
    except StoreError as exc:
        answers.put(str(exc))


@pytest.mark.slow
def test_processes_opening_a_new_store_at_once_all_get_it(tmp_path: Path) -> None:
    # Before the open retried SQLite's immediate "locked" (the switch to WAL, a schema read during
    # another's switch) and re-read a half-created schema under the write lock, about one round in
    # five had an opener fail: "locked for 60 s" after 2 ms, or "a database of another program".
    ctx = multiprocessing.get_context("fork")
    failures = []
    for round_ in range(40):
        path = str(tmp_path / f"new-{round_}.sqlite")
        barrier, answers = ctx.Barrier(6), ctx.Queue()
        procs = [ctx.Process(target=_open_at_once, args=(path, barrier, answers)) for _ in range(6)]
        for proc in procs:
            proc.start()
        got = [answers.get(timeout=120) for _ in procs]
        for proc in procs:
            proc.join(timeout=60)
        failures += [answer for answer in got if answer != "ok"]
    assert failures == []
