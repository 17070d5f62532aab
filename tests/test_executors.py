"""The worker pool: every sample judged once, jail failures retried then SE, stops leave no threads."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from taco_judge.executors import local as executors
from taco_judge.backends.base import Backend, RunnerSession, RunOutcome
from taco_judge.backends.local import LocalBackend
from taco_judge.errors import InfrastructureError
from taco_judge.executors.local import ATTEMPTS, PROBE_PLAN, WorkItem, iter_items, run_pool
from taco_judge.judge import JudgeConfig, SampleJudge
from taco_judge.judging import Judged, Judging
from taco_judge.plans import Plan
from taco_judge.problems import Problem
from taco_judge.problems import TestCase as Case
from taco_judge.submissions import submission_from_code
from taco_judge.verdict import Limits, Observation, SampleResult, Verdict

# A fake jail that "runs" a program by evaluating it as an expression of the test input:
# code "x * 2" on input "21\n" prints "42\n". Enough to tell verdicts apart, no processes.


class FakeSession(RunnerSession):
    def __init__(self, backend: FakeBackend) -> None:
        self.backend = backend
        self.closed = False
        self._healthy = True

    @property
    def healthy(self) -> bool:
        return self._healthy

    def run(self, plan: Plan, inputs: Any, limits: Limits, *, early_stop: bool, decide: Any = None) -> RunOutcome:
        observations = []
        for index, test_input in enumerate(inputs):
            self.backend.before("run", self, plan)
            if self.backend.delay_s:
                time.sleep(self.backend.delay_s)
            if plan == PROBE_PLAN:
                value = test_input
            else:
                value = eval(plan.code, {"x": int(test_input)})
            observations.append(Observation(stdout=f"{value}\n".encode(), exit_code=0))
            if decide is not None and not decide(index, observations[-1]) and early_stop:
                break
        self.backend.before("done", self, plan)
        return RunOutcome(None, tuple(observations))

    def close(self) -> None:
        self.closed = True


class FakeBackend(Backend):
    name = "fake"

    def __init__(self, *, fail_sessions: int = 0, fail_opens: int = 0, delay_s: float = 0.0) -> None:
        self.fail_sessions = fail_sessions  # the first N sessions break on their first run_test
        self.fail_opens = fail_opens  # the first N open_session calls fail
        self.delay_s = delay_s
        self.sessions: list[FakeSession] = []
        self.opens = 0
        self.lock = threading.Lock()

    def open_session(self) -> FakeSession:
        with self.lock:
            self.opens += 1
            if self.opens <= self.fail_opens:
                raise InfrastructureError("docker daemon not answering")
            session = FakeSession(self)
            self.sessions.append(session)
            return session

    def before(self, op: str, session: FakeSession, plan: Plan) -> None:
        with self.lock:
            broken = op == "run" and self.sessions.index(session) < self.fail_sessions
        if broken:
            session._healthy = False
            raise InfrastructureError("runner exited unexpectedly (EOF on its output)")


def make_judge(task_id: int, n_tests: int = 2) -> SampleJudge:
    tests = tuple(Case(i, f"{i + 1}\n", f"{2 * (i + 1)}\n") for i in range(n_tests))
    return SampleJudge(Problem(task_id=task_id, mode="stdin", tests=tests), JudgeConfig())


JUDGING = Judging("fake jail", "runner")


def items_for(judge: SampleJudge, codes: list[str]) -> list[WorkItem]:
    return [WorkItem(judge, submission_from_code(judge.problem.task_id, i, code, origin="t"), JUDGING)
            for i, code in enumerate(codes)]


class Collector:
    def __init__(self) -> None:
        self.results: list[SampleResult] = []
        self.judged: list[Judged] = []
        self.lock = threading.Lock()

    def __call__(self, judge: SampleJudge, judged: Judged) -> None:
        with self.lock:
            self.results.append(judged.result)
            self.judged.append(judged)

    def verdicts(self) -> dict[tuple[Any, int], str]:
        return {(r.task_id, r.sample): r.verdict.value for r in self.results}


def judge_threads() -> list[threading.Thread]:
    # sys._current_frames() lists the threads really running: on Python 3.11 a join() interrupted by
    # KeyboardInterrupt can make is_alive() report False for a thread that still runs.
    running = sys._current_frames()
    return [t for t in threading.enumerate() if t.name.startswith("judge-") and t.ident in running]


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Retries back off for real in production; here the waits would only slow the suite."""
    real = executors.wait_exponential
    monkeypatch.setattr(executors, "wait_exponential", lambda **_: real(multiplier=0.001, max=0.01))
    yield
    assert judge_threads() == []  # no test may leave a worker behind


# ------------------------------------------------------------------ results


@pytest.mark.parametrize("jobs", [1, 3])
def test_every_item_gets_exactly_one_result(jobs: int) -> None:
    backend = FakeBackend(delay_s=0.002)
    items = []
    for task_id in range(4):
        items += items_for(make_judge(task_id), ["x * 2", "x + 1", "x + x"])
    collect = Collector()
    run_pool(iter(items), backend, jobs=jobs, on_result=collect)
    assert len(collect.results) == len(items)  # no duplicates, none lost
    expected = {}
    for task_id in range(4):
        expected.update({(task_id, 0): "AC", (task_id, 1): "WA", (task_id, 2): "AC"})
    assert collect.verdicts() == expected
    assert len(backend.sessions) <= jobs  # healthy sessions are reused, one per worker
    assert all(s.closed for s in backend.sessions)


def test_a_bug_in_the_judged_code_path_is_not_swallowed() -> None:
    # The fake session raises ZeroDivisionError from eval(): not a jail failure, so not retried.
    collect = Collector()
    with pytest.raises(ZeroDivisionError):
        run_pool(iter(items_for(make_judge(1), ["1 // 0"])), FakeBackend(), jobs=2, on_result=collect)
    assert collect.results == []


def test_iter_items_flattens_lazily() -> None:
    pulled: list[int] = []

    def judges() -> Iterator[tuple[SampleJudge, list[Any]]]:
        for task_id in range(3):
            pulled.append(task_id)
            judge = make_judge(task_id)
            yield judge, [submission_from_code(task_id, s, "x * 2", origin="t") for s in range(2)]

    stream = iter_items(judges(), JUDGING)
    first = next(stream)
    assert (first.submission.task_id, first.submission.sample) == (0, 0)
    assert pulled == [0]
    assert [(i.submission.task_id, i.submission.sample) for i in stream] == [(0, 1), (1, 0), (1, 1), (2, 0), (2, 1)]


def test_results_from_the_local_jail_match_each_program() -> None:
    judge = SampleJudge(
        Problem(task_id=9, mode="stdin", tests=(Case(0, "2\n", "4\n"), Case(1, "5\n", "10\n")), time_limit_s=4.0),
        JudgeConfig(),
    )
    codes = ["print(int(input()) * 2)\n", "print(int(input()) + 2)\n", "print(\n", "import sys\nsys.exit(1)\n"]
    collect = Collector()
    backend = LocalBackend()
    run_pool(iter(items_for(judge, codes)), backend, jobs=2, on_result=collect)
    backend.close()
    assert collect.verdicts() == {(9, 0): "AC", (9, 1): "WA", (9, 2): "CE", (9, 3): "RE"}


# ------------------------------------------------------------------ jail failures


def test_a_jail_that_always_fails_gives_se_after_three_attempts() -> None:
    backend = FakeBackend(fail_sessions=100)
    collect = Collector()
    run_pool(iter(items_for(make_judge(1), ["x * 2"])), backend, jobs=1, on_result=collect)
    (result,) = collect.results
    assert result.verdict is Verdict.SE and collect.judged[0].jail_failed
    assert result.detail == f"jail failed {ATTEMPTS} times: runner exited unexpectedly (EOF on its output)"
    assert result.tests == ()
    # a fresh session for every attempt; the failure came before the program ran: no probe
    assert len(backend.sessions) == ATTEMPTS == 3
    assert all(s.closed for s in backend.sessions)


def test_a_program_that_breaks_its_jail_while_a_probe_runs_fine_is_re_never_se() -> None:
    # SE leaves a sample out of pass@k: a failure that follows the program's own run, in every
    # attempt, while a known-good program runs fine, is the program's doing.
    class BreaksOnThisProgram(FakeBackend):
        def before(self, op: str, session: FakeSession, plan: Plan) -> None:
            if op == "done" and plan.code == "x * 3":
                session._healthy = False
                raise InfrastructureError("runner exited unexpectedly", code_ran=True)

    backend = BreaksOnThisProgram()
    collect = Collector()
    run_pool(iter(items_for(make_judge(1), ["x * 3", "x * 2"])), backend, jobs=1, on_result=collect)
    assert collect.verdicts() == {(1, 0): "RE", (1, 1): "AC"}
    breaker = next(j for j in collect.judged if j.submission.sample == 0)
    assert not breaker.jail_failed
    assert "broke its jail" in breaker.result.detail and "known-good program runs fine" in breaker.result.detail


def test_a_failure_before_the_program_ran_stays_se_even_when_the_probe_passes() -> None:
    class FailsToStart(FakeBackend):
        def before(self, op: str, session: FakeSession, plan: Plan) -> None:
            if op == "run" and plan.code == "x * 3":
                session._healthy = False
                raise InfrastructureError("runner: child set-up failed", code_ran=False)

    collect = Collector()
    run_pool(iter(items_for(make_judge(1), ["x * 3"])), FailsToStart(), jobs=1, on_result=collect)
    assert collect.verdicts() == {(1, 0): "SE"}


def test_a_jail_that_cannot_even_start_gives_se() -> None:
    backend = FakeBackend(fail_opens=100)
    collect = Collector()
    run_pool(iter(items_for(make_judge(1), ["x * 2", "x + 1"])), backend, jobs=1, on_result=collect)
    assert collect.verdicts() == {(1, 0): "SE", (1, 1): "SE"}
    assert "docker daemon not answering" in collect.results[0].detail


def test_a_flaky_jail_failing_once_gives_the_real_verdict() -> None:
    backend = FakeBackend(fail_sessions=1)
    collect = Collector()
    run_pool(iter(items_for(make_judge(1), ["x * 2", "x + 1"])), backend, jobs=1, on_result=collect)
    assert collect.verdicts() == {(1, 0): "AC", (1, 1): "WA"}
    assert backend.sessions[0].closed  # the broken session was discarded...
    assert len(backend.sessions) == 2  # ...and the replacement kept for the next sample


def test_a_startup_failure_once_gives_the_real_verdict() -> None:
    backend = FakeBackend(fail_opens=1)
    collect = Collector()
    run_pool(iter(items_for(make_judge(1), ["x * 2"])), backend, jobs=1, on_result=collect)
    assert collect.verdicts() == {(1, 0): "AC"}


def test_an_unhealthy_session_is_replaced_before_the_next_sample() -> None:
    class SessionGoesBad(FakeBackend):
        def before(self, op: str, session: FakeSession, plan: Plan) -> None:
            if op == "done":  # e.g. something survived a test: the jail is not trusted any more
                session._healthy = False

    backend = SessionGoesBad()
    collect = Collector()
    run_pool(iter(items_for(make_judge(1), ["x * 2", "x * 2", "x * 2"])), backend, jobs=1, on_result=collect)
    assert collect.verdicts() == {(1, 0): "AC", (1, 1): "AC", (1, 2): "AC"}
    assert len(backend.sessions) == 3
    assert all(s.closed for s in backend.sessions)


def test_a_runner_killed_mid_sample_is_retried_in_a_fresh_local_jail() -> None:
    class KillFirstRunner(LocalBackend):
        def __init__(self) -> None:
            super().__init__()
            self.opened: list[Any] = []

        def open_session(self):  # type: ignore[no-untyped-def]
            session = super().open_session()
            self.opened.append(session)
            if len(self.opened) == 1:
                import os
                import signal

                threading.Timer(0.3, os.killpg, (session.proc.pid, signal.SIGKILL)).start()
            return session

    judge = SampleJudge(
        Problem(task_id=3, mode="stdin", tests=(Case(0, "", "done\n"),), time_limit_s=2.0),
        JudgeConfig(),
    )
    backend = KillFirstRunner()
    collect = Collector()
    run_pool(iter(items_for(judge, ["import time\ntime.sleep(0.6)\nprint('done')\n"])), backend, jobs=1, on_result=collect)
    assert collect.verdicts() == {(3, 0): "AC"}
    assert len(backend.opened) == 2


# ------------------------------------------------------------------ stopping


def test_setting_stop_finishes_in_flight_work_and_leaves_no_threads() -> None:
    stop = threading.Event()
    collect = Collector()

    def on_result(judge: SampleJudge, judged: Judged) -> None:
        collect(judge, judged)
        stop.set()  # what the CLI's Ctrl-C handler does

    def endless() -> Iterator[WorkItem]:
        judge = make_judge(1)
        sample = 0
        while True:
            yield WorkItem(judge, submission_from_code(1, sample, "x * 2", origin="t"), JUDGING)
            sample += 1

    backend = FakeBackend(delay_s=0.01)
    run_pool(endless(), backend, jobs=2, on_result=on_result, stop=stop)
    assert 1 <= len(collect.results) <= 2 + 2  # the first result plus what was already running
    assert judge_threads() == []
    assert all(s.closed for s in backend.sessions)


def test_ctrl_c_while_feeding_stops_the_pool_and_reraises() -> None:
    def interrupted() -> Iterator[WorkItem]:
        yield from items_for(make_judge(1), ["x * 2", "x * 2"])
        raise KeyboardInterrupt

    backend = FakeBackend(delay_s=0.01)
    with pytest.raises(KeyboardInterrupt):
        run_pool(interrupted(), backend, jobs=2, on_result=Collector())
    assert judge_threads() == []
    assert all(s.closed for s in backend.sessions)


def test_ctrl_c_while_waiting_for_the_last_samples_stops_the_pool() -> None:
    # Every item is queued at once (fewer than the queue holds), so the main thread is waiting
    # for the workers when Ctrl-C (SIGINT to the main thread) arrives.
    main = threading.main_thread().ident
    assert main is not None
    sent = threading.Event()

    def on_result(judge: SampleJudge, judged: Judged) -> None:
        if not sent.is_set():
            sent.set()
            signal.pthread_kill(main, signal.SIGINT)

    backend = FakeBackend(delay_s=0.05)
    items = items_for(make_judge(1), ["x * 2"] * 8)
    with pytest.raises(KeyboardInterrupt):
        run_pool(iter(items), backend, jobs=2, on_result=on_result)
    assert judge_threads() == []  # the queued samples were dropped, the running ones finished
    assert all(s.closed for s in backend.sessions)


def test_a_loader_error_propagates_and_stops_the_pool() -> None:
    def broken() -> Iterator[WorkItem]:
        yield from items_for(make_judge(1), ["x * 2"])
        raise ValueError("problems file ended mid-row")

    with pytest.raises(ValueError, match="mid-row"):
        run_pool(broken(), FakeBackend(), jobs=2, on_result=Collector())
    assert judge_threads() == []


def test_a_bug_in_on_result_propagates_and_stops_the_pool() -> None:
    calls = []

    def on_result(judge: SampleJudge, judged: Judged) -> None:
        calls.append(judged)
        raise RuntimeError("results file is read-only")

    items = items_for(make_judge(1), ["x * 2"] * 50)
    backend = FakeBackend(delay_s=0.005)
    with pytest.raises(RuntimeError, match="read-only"):
        run_pool(iter(items), backend, jobs=2, on_result=on_result)
    assert 1 <= len(calls) < 50  # it stopped early instead of judging everything
    assert judge_threads() == []
    assert all(s.closed for s in backend.sessions)


def test_a_jail_that_stays_down_stops_the_run_after_a_few_samples() -> None:
    from taco_judge.executors.local import CONSECUTIVE_JAIL_FAILURES, JailDown

    class DownBackend(Backend):
        name = "down"

        def open_session(self) -> RunnerSession:
            raise InfrastructureError("daemon unreachable")

    problem = Problem(task_id=0, mode="stdin", tests=(Case(0, "1\n", "1\n"),))
    judge = SampleJudge(problem, JudgeConfig())
    items = [WorkItem(judge, submission_from_code(0, i, "print(1)", origin="t"), JUDGING) for i in range(50)]
    results: list[SampleResult] = []
    with pytest.raises(JailDown, match="failed for .* samples in a row"):
        run_pool(items, DownBackend(), 1, lambda judge, judged: results.append(judged.result))
    # the failing samples are delivered as SE, and the run did not grind through all 50
    assert CONSECUTIVE_JAIL_FAILURES <= len(results) < 50
    assert {r.verdict for r in results} == {Verdict.SE}


# ------------------------------------------------------------------ the pool the API and the service submit to


def test_the_pool_answers_each_submission_with_its_own_future() -> None:
    from taco_judge.executors.local import WorkerPool

    judge = make_judge(1)
    with WorkerPool(FakeBackend(delay_s=0.002), 2) as pool:
        futures = [pool.submit(item) for item in items_for(judge, ["x * 2", "x * 3", "x * 2"])]
        verdicts = [future.result(timeout=10).result.verdict for future in futures]
    assert verdicts == [Verdict.AC, Verdict.WA, Verdict.AC]


def test_the_pool_refuses_work_when_full_and_cancels_what_is_queued() -> None:
    import queue

    from taco_judge.executors.local import WorkerPool

    gate = threading.Event()

    class Gated(FakeBackend):
        def before(self, op: str, session: FakeSession, plan: Plan) -> None:
            gate.wait(10)

    judge = make_judge(1, n_tests=1)
    items = items_for(judge, ["x * 2"] * 4)
    pool = WorkerPool(Gated(), 1, queue_size=2)
    try:
        running = pool.submit(items[0])
        deadline = time.monotonic() + 5
        while pool.running == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        queued = [pool.submit(items[1], timeout=0), pool.submit(items[2], timeout=0)]
        with pytest.raises(queue.Full):
            pool.submit(items[3], timeout=0)  # back-pressure: the caller is told at once
        assert queued[0].cancel() and queued[0].cancelled()  # a client gone: its queued work is dropped
        assert pool.cancel_queued() == 1 and queued[1].cancelled()
        gate.set()
        assert running.result(timeout=10).result.verdict is Verdict.AC  # running work finishes
    finally:
        gate.set()
        pool.close()


def test_the_pool_says_when_the_jail_is_down_and_keeps_answering() -> None:
    from taco_judge.executors.local import CONSECUTIVE_JAIL_FAILURES, WorkerPool

    class DownBackend(Backend):
        name = "down"

        def open_session(self) -> RunnerSession:
            raise InfrastructureError("daemon unreachable")

    judge = make_judge(1, n_tests=1)
    with WorkerPool(DownBackend(), 1) as pool:
        futures = [pool.submit(item) for item in items_for(judge, ["x * 2"] * (CONSECUTIVE_JAIL_FAILURES + 1))]
        results = [future.result(timeout=30) for future in futures]
    assert all(r.jail_failed and r.result.verdict is Verdict.SE for r in results)
    assert pool.down is not None and "samples in a row" in str(pool.down)
