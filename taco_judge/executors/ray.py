"""Where judging runs on a Ray cluster: samples go out as Ray tasks, batched per problem; results
come back to the driver, which alone writes the store.

Each worker process keeps one jail backend and one warm runner session (``SessionWorker``, the
local pool's retry policy) across tasks. A problem's tests are put in the object store once and
judged on the worker, so expected outputs stay on judge hosts and never enter a jail. The run's
``jail`` (part of every execution key) is what a worker reports for its own jail; a worker whose
jail, runner or judge version differs reports its samples SE instead of storing observations
under another jail's key. docs/ray.md describes running it on a cluster.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from taco_judge.backends import make_backend
from taco_judge.backends.base import Backend
from taco_judge.errors import UserError
from taco_judge.executions import MissingObservations
from taco_judge.executors.local import CONSECUTIVE_JAIL_FAILURES, JailDown, SampleQueue, SessionWorker, WorkItem
from taco_judge.judge import JudgeConfig, SampleJudge
from taco_judge.judging import Judged, Judging
from taco_judge.problems import Problem
from taco_judge.runner_files import runner_sha256
from taco_judge.submissions import Submission
from taco_judge.version import __version__

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'taco-judge[ray]'"
SAMPLES_PER_TASK = 8  # small batches: results stream back and work spreads over the cluster
IN_FLIGHT_PER_CPU = 2  # tasks submitted per cluster CPU: enough to keep every CPU busy, memory stays flat
TASK_MAX_RETRIES = 3  # Ray re-runs a task whose worker process or node died this many times
PROBE_TIMEOUT_S = 600.0  # the first worker may have to start and open its jail (docker: check the image)
PROBE_WAIT_NOTE_S = 15.0  # then say what it waits for (an autoscaling cluster may be adding a node)
LOCAL_OBJECT_STORE_MB = 512  # a local instance holds only the problems of the tasks in flight
CONNECT_TIMEOUT_S = 5.0  # to the head node, before ray.init (which retries an unreachable one for minutes)
RELEASE_HOLD_S = 0.2  # a release task holds its CPU this long, so the release tasks spread over the workers
RELEASE_TIMEOUT_S = 15.0
_CPU_RECHECK_S = 10.0  # an autoscaling cluster grows and shrinks: re-read its CPU count this often


def import_ray() -> Any:
    """The ``ray`` module, or a UserError saying how to install it."""
    try:
        import ray
    except ImportError:
        raise UserError(f"--executor ray needs Ray: {INSTALL_HINT}") from None
    return ray


# ---------------------------------------------------------------- records sent between driver and workers


class _Stopped(Exception):
    """The caller set ``stop``: the run ends, what finished is kept."""


@dataclass(frozen=True)
class NodeJail:
    """A worker's jail as the store sees it: every worker judging one run must report the same."""

    sandbox: str  # the backend's name (``auto`` resolved on the worker)
    jail: str  # Backend.identity(): the ``jail`` part of every execution key
    runner_sha256: str
    version: str  # taco-judge on the worker: its judge and checkers decide the verdicts
    describe: str  # Backend.describe(), for run_info
    node: str  # host name, for messages
    warnings: tuple[str, ...] = ()  # what opening the jail warned about (a weaker jail, docker missing)
    options: tuple[tuple[str, object], ...] = ()  # the backend's options (hash seed, preambles)
    environment: tuple[tuple[str, object], ...] = ()  # Backend.environment(), for run_info
    weaker: tuple[str, ...] = ()  # Backend.weaker_than_usual()

    def differs_from(self, run: NodeJail) -> str:
        """What makes this worker's jail unfit for the run's keys ("" when nothing does)."""
        for name in ("sandbox", "jail", "runner_sha256", "version"):
            mine, theirs = getattr(self, name), getattr(run, name)
            if mine != theirs:
                return f"{name} {mine!r} != the run's {theirs!r}"
        return ""


@dataclass(frozen=True)
class Failed:
    """A sample a worker could not judge at all (no jail, another jail, a Ray task failure): the
    driver records it SE."""

    task_id: int | str
    sample: int
    failure: str


# ---------------------------------------------------------------- worker side (runs in Ray worker processes)


@dataclass
class _WorkerJail:
    """The jail of one Ray worker process, kept across tasks: the backend and its warm session."""

    backend: Backend
    identity: NodeJail
    worker: SessionWorker

    def close(self) -> None:
        self.worker.drop_session()
        self.backend.close()


_JAILS: dict[tuple, _WorkerJail] = {}  # by (sandbox name as asked and as resolved, options), in this worker


def _worker_jail(sandbox: str, options: tuple[tuple[str, object], ...] = ()) -> _WorkerJail:
    found = _JAILS.get((sandbox, options))
    if found is not None:
        return found
    with _warnings_caught() as warnings:  # worker logs stay on the node: the driver repeats these
        backend = make_backend(sandbox, **dict(options))
    identity = NodeJail(
        sandbox=backend.name,
        jail=backend.identity(),
        runner_sha256=runner_sha256(),
        version=__version__,
        describe=backend.describe(),
        node=socket.gethostname(),
        warnings=tuple(warnings),
        options=options,
        environment=tuple(sorted(backend.environment().items())),
        weaker=tuple(backend.weaker_than_usual()),
    )
    found = _WorkerJail(backend, identity, SessionWorker(backend))
    _JAILS[(sandbox, options)] = _JAILS[(backend.name, options)] = found
    return found


@contextlib.contextmanager
def _warnings_caught() -> Iterator[list[str]]:
    caught: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            caught.append(record.getMessage())

    handler = Catch(logging.WARNING)
    logger = logging.getLogger("taco_judge")
    logger.addHandler(handler)
    try:
        yield caught
    finally:
        logger.removeHandler(handler)


def probe_jail(sandbox: str, options: tuple[tuple[str, object], ...] = ()) -> NodeJail:
    """Ray task: open this worker's jail (kept for later tasks) and say what it is."""
    return _worker_jail(sandbox, options).identity


def release_jails(hold_s: float) -> int:
    """Ray task: close this worker process's jails (Ray ends a job's workers with SIGKILL, which
    would leave a local jail's work dir behind); holding the CPU a moment makes concurrent
    release tasks land on distinct worker processes. Returns how many jails it closed."""
    jails = {id(jail): jail for jail in _JAILS.values()}
    _JAILS.clear()
    for jail in jails.values():
        try:
            jail.close()
        except Exception:  # best effort: the process is about to end anyway
            log.debug("closing a jail failed", exc_info=True)
    time.sleep(hold_s)
    return len(jails)


def judge_batch(run: NodeJail, problem: tuple[Problem, JudgeConfig], submissions: list[Submission]
                ) -> list[Judged | Failed]:
    """Ray task: judge some samples of one problem in this worker process's jail.

    ``problem`` arrives through the object store (put once per problem by the driver). A jail
    other than the run's (``run``) judges nothing: its samples come back as failures (-> SE).
    """
    host = socket.gethostname()
    try:
        jail = _worker_jail(run.sandbox, run.options)
    except Exception as exc:  # the jail is unusable on this node (no docker, no image...)
        reason = f"node {host}: the {run.sandbox} jail is unavailable: {_one_line(exc)}"
        return [Failed(s.task_id, s.sample, reason) for s in submissions]
    differs = jail.identity.differs_from(run)
    if differs:
        reason = (f"node {host}: its jail differs from the run's ({differs}); every node must run the same "
                  "sandbox image and taco-judge version (heterogeneous cluster)")
        return [Failed(s.task_id, s.sample, reason) for s in submissions]
    try:
        judge = SampleJudge(*problem)
    except Exception as exc:  # e.g. a --checker program missing on this node
        reason = f"node {host}: cannot judge task {problem[0].task_id!r} here: {_one_line(exc)}"
        return [Failed(s.task_id, s.sample, reason) for s in submissions]
    judging = Judging(run.jail, run.runner_sha256)
    out: list[Judged | Failed] = []
    for submission in submissions:
        try:
            out.append(jail.worker.judge(WorkItem(judge, submission, judging)))
        except BaseException:  # cancelled (or a bug) mid-sample: the session's state is unknown
            jail.worker.drop_session()
            raise
    return out


# ---------------------------------------------------------------- driver side


@dataclass
class _Batch:
    judge: SampleJudge
    submissions: dict[tuple[int | str, int], Submission]  # not yet delivered


class RayExecutor:
    """A connection to a Ray cluster (or a Ray instance started on this machine) that judges there.

    ``address`` None starts a local instance with ``num_cpus`` CPUs; otherwise it connects to the
    cluster at ``address`` (``auto``, ``HOST:PORT``, or ``ray://HOST:10001``). If Ray is already
    initialized in this process, that connection is used and left open.
    """

    def __init__(self, address: str | None, num_cpus: int, *, verbose: bool = False) -> None:
        self.ray = ray = import_ray()
        self.address = address
        self._started = False
        self._used = False  # tasks ran: workers hold jails to release
        self._cpus = 0
        self._cpus_read_at = 0.0
        if ray.is_initialized():
            return
        common = {"include_dashboard": False, "logging_level": logging.DEBUG if verbose else logging.ERROR,
                  "log_to_driver": verbose, "configure_logging": True}
        if address:
            _check_reachable(address)
        try:
            if address:
                ray.init(address=address, **common)
            else:
                # "local": a new instance, even where `ray start` runs a cluster on this machine
                ray.init(address="local", num_cpus=num_cpus,
                         object_store_memory=LOCAL_OBJECT_STORE_MB * 1024 * 1024, **common)
        except Exception as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            if not address:
                raise UserError(f"--executor ray: cannot start a local Ray instance ({first}); "
                                "run with -v for Ray's own messages") from None
            raise UserError(f"--ray-address {address}: cannot reach Ray ({first}); check the address (`ray status` "
                            "on the head node) and, if the cluster uses token authentication, set RAY_AUTH_MODE=token "
                            "with its token (RAY_AUTH_TOKEN or ~/.ray/auth_token)") from None
        self._started = True

    def close(self) -> None:
        """Close the workers' jails, then disconnect (and stop the local instance) if this executor
        started Ray."""
        if self._used:
            self._used = False
            self._release_jails()
        if self._started:
            self._started = False
            self.ray.shutdown()

    def _release_jails(self) -> None:
        """Best effort: one release task per cluster CPU (the tasks hold their CPU briefly, so they
        reach distinct worker processes); a worker missed keeps its jail until Ray ends it."""
        ray = self.ray
        task = ray.remote(num_cpus=1, max_retries=0)(release_jails)
        refs = [task.remote(RELEASE_HOLD_S) for _ in range(self.cluster_cpus())]
        try:
            _, rest = ray.wait(refs, num_returns=len(refs), timeout=RELEASE_TIMEOUT_S)
            for ref in rest:
                ray.cancel(ref, force=True)
        except Exception:
            log.debug("releasing the workers' jails failed", exc_info=True)

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cluster_cpus(self) -> int:
        now = time.monotonic()
        if now - self._cpus_read_at > _CPU_RECHECK_S:
            self._cpus = max(1, int(self.ray.cluster_resources().get("CPU", 1)))
            self._cpus_read_at = now
        return self._cpus

    def describe(self) -> dict[str, Any]:
        """For run_info: where the run went."""
        nodes = [n for n in self.ray.nodes() if n.get("Alive")]
        return {"address": self.address or "local instance", "nodes": len(nodes), "cpus": self.cluster_cpus()}

    def probe(self, sandbox: str, options: dict[str, object] | None = None) -> NodeJail:
        """The run's jail, as a worker reports it; the driver itself needs no jail (nor docker)."""
        ray = self.ray
        task = ray.remote(num_cpus=1, max_retries=TASK_MAX_RETRIES)(probe_jail)
        self._used = True
        ref = task.remote(sandbox, tuple(sorted((options or {}).items())))
        try:
            ready, _ = ray.wait([ref], timeout=PROBE_WAIT_NOTE_S)
            if not ready:
                log.info("waiting for a Ray worker with a free CPU to open the %s jail (cluster CPUs: %d)",
                         sandbox, int(ray.cluster_resources().get("CPU", 0)))
            node: NodeJail = ray.get(ref, timeout=PROBE_TIMEOUT_S)
        except ray.exceptions.GetTimeoutError:
            ray.cancel(ref, force=True)
            raise UserError(f"--executor ray: no Ray worker with a free CPU answered within {PROBE_TIMEOUT_S:.0f} s; "
                            "check `ray status` (a head node started with --num-cpus=0 runs no tasks)") from None
        except ray.exceptions.RayTaskError as exc:
            cause = exc.cause if getattr(exc, "cause", None) is not None else exc
            if isinstance(cause, UserError):
                raise UserError(f"--executor ray: on a Ray worker: {cause}") from None
            raise UserError(f"--executor ray: a Ray worker could not open the {sandbox} jail: "
                            f"{_one_line(cause)}") from None
        for warning in node.warnings:
            log.warning("Ray worker on %s: %s", node.node, warning)
        return node

    def run(
        self,
        pairs: Iterator[tuple[SampleJudge, Sequence[Submission]]],
        on_result: Callable[[SampleJudge, Judged], None],
        *,
        node: NodeJail,
        stop: threading.Event | None = None,
    ) -> None:
        """Judge every (problem judge, submissions) pair on the cluster; ``on_result`` once per
        sample, on the driver (a live result with its executions, or SE when the jail or the Ray
        task failed). Raises JailDown after CONSECUTIVE_JAIL_FAILURES failed samples in a row
        (their SE results delivered first); Ctrl-C, or ``stop`` set (a caller that left, from
        another thread), cancels the tasks in flight: what finished is delivered, the rest is not run.
        """
        stop = stop or threading.Event()
        ray = self.ray
        task = ray.remote(num_cpus=1, max_retries=TASK_MAX_RETRIES, retry_exceptions=False)(judge_batch)
        in_flight: dict[Any, _Batch] = {}
        failures = _FailureRun(node)
        try:
            for judge, submissions in pairs:
                problem_ref = ray.put((judge.problem, judge.config))
                for start in range(0, len(submissions), SAMPLES_PER_TASK):
                    chunk = list(submissions[start:start + SAMPLES_PER_TASK])
                    while len(in_flight) >= IN_FLIGHT_PER_CPU * self.cluster_cpus():
                        if stop.is_set():
                            raise _Stopped
                        self._deliver_some(in_flight, on_result, failures)
                    if stop.is_set():
                        raise _Stopped
                    ref = task.remote(node, problem_ref, chunk)
                    in_flight[ref] = _Batch(judge, {(s.task_id, s.sample): s for s in chunk})
                del problem_ref  # the tasks hold it; it leaves the object store with the last of them
            while in_flight:
                if stop.is_set():
                    raise _Stopped
                self._deliver_some(in_flight, on_result, failures)
        except BaseException as exc:  # Ctrl-C, stop, JailDown, a store error: stop the cluster's work, keep what is recorded
            for ref in in_flight:
                try:
                    ray.cancel(ref)
                except Exception:
                    log.debug("cancelling a Ray task failed", exc_info=True)
            if not isinstance(exc, _Stopped):
                raise

    def _deliver_some(self, in_flight: dict[Any, _Batch], on_result: Callable[[SampleJudge, Judged], None],
                      failures: _FailureRun) -> None:
        """Wait for at least one task, then deliver every finished one."""
        ray = self.ray
        refs = list(in_flight)
        ready, rest = ray.wait(refs, num_returns=1, timeout=1.0)  # a timeout, so Ctrl-C gets through
        if not ready:
            return
        if rest:
            more, _ = ray.wait(rest, num_returns=len(rest), timeout=0)
            ready += more
        for ref in ready:
            batch = in_flight.pop(ref)
            try:
                outcomes: list[Judged | Failed] = ray.get(ref)
            except ray.exceptions.TaskCancelledError:
                continue  # cancelled by us: its samples stay unjudged, a resume runs them
            except Exception as exc:  # the task failed after Ray's retries (node lost, worker killed...)
                reason = f"Ray task failed: {_one_line(exc)}"
                outcomes = [Failed(task_id, sample, reason) for task_id, sample in batch.submissions]
            for judged in outcomes:
                ident = (judged.task_id, judged.sample) if isinstance(judged, Failed) else \
                    (judged.submission.task_id, judged.submission.sample)
                submission = batch.submissions.pop(ident, None)
                if submission is None:  # not asked for, or delivered already: never record twice
                    log.warning("Ray task returned task %s sample %s unasked; ignored", *ident)
                    continue
                self._deliver(batch.judge, submission, judged, on_result, failures)
            for submission in list(batch.submissions.values()):  # the task skipped some: never lose one
                failed = Failed(submission.task_id, submission.sample, "the Ray task returned no result for it")
                batch.submissions.pop((submission.task_id, submission.sample))
                self._deliver(batch.judge, submission, failed, on_result, failures)
        if failures.down is not None:  # every finished sample was delivered first, as in the local pool
            raise failures.down

    @staticmethod
    def _deliver(judge: SampleJudge, submission: Submission, judged: Judged | Failed,
                 on_result: Callable[[SampleJudge, Judged], None], failures: _FailureRun) -> None:
        if isinstance(judged, Failed):
            judged = Judged(submission, judge.system_error(submission, judged.failure), jail_failed=True)
        on_result(judge, judged)
        failures.note(judged.jail_failed, judged.result)


# ---------------------------------------------------------------- a warm pool on the cluster (submit)

_Entry = tuple[concurrent.futures.Future, WorkItem]  # type: ignore[type-arg]


@dataclass
class _Flight:
    """One Ray task of a RayPool: the sample it judges, and the key of its problem's object ref."""

    future: concurrent.futures.Future  # type: ignore[type-arg]
    item: WorkItem
    problem_key: int


class RayPool:
    """The warm pool of ``Judge.submit`` and the service over a Ray cluster (``executors.local.Pool``).

    Samples wait in a bounded queue on the driver; one dispatcher thread sends them as Ray tasks of
    one sample each, at most IN_FLIGHT_PER_CPU per cluster CPU at a time (``running``: a CPU's
    next sample waits on its worker, hiding Ray's dispatch). One sample per task, not batches: a
    reward waits on one sample, and what was sent is beyond cancelling, so a batch would hold
    samples a leaving client no longer wants. A sample's future is answered when its task returns.
    A queued sample can be cancelled; a sent one finishes. A sample whose executions are all in
    the Judge's cache is answered on the driver without a task. A task that failed after Ray's retries
    (its worker process or node lost) answers SE for each of its samples, never nothing; ``down``
    is set after CONSECUTIVE_JAIL_FAILURES such samples in a row, as in the local pool.
    """

    def __init__(self, executor: RayExecutor, node: NodeJail, *, queue_size: int | None = None) -> None:
        self.executor = executor
        self.node = node
        ray = executor.ray
        self._task = ray.remote(num_cpus=1, max_retries=TASK_MAX_RETRIES, retry_exceptions=False)(judge_batch)
        self._work = SampleQueue(maxsize=queue_size if queue_size is not None else max(4, 4 * executor.cluster_cpus()))
        self._cond = threading.Condition()
        self._in_flight: dict[Any, _Flight] = {}  # by ObjectRef
        self._problems: dict[int, tuple[Any, int]] = {}  # id(judge) -> (object ref of its problem, tasks using it)
        self._failures = _FailureRun(node)
        self._closed = False
        self._dispatcher = threading.Thread(target=self._dispatch_main, name="ray-dispatch", daemon=True)
        self._dispatcher.start()

    @property
    def down(self) -> JailDown | None:
        return self._failures.down

    @property
    def jobs(self) -> int:
        return self.executor.cluster_cpus()

    @property
    def queued(self) -> int:
        return self._work.qsize()

    @property
    def running(self) -> int:
        return len(self._in_flight)  # one sample per task

    def submit(self, item: WorkItem, *, timeout: float | None = None) -> concurrent.futures.Future[Judged]:
        if self._closed:
            raise RuntimeError("the Ray pool is closed")
        return self._work.submit(item, timeout=timeout)

    def discard_cancelled(self) -> int:
        return self._work.discard_cancelled()

    def cancel_queued(self) -> int:
        return self._work.cancel_queued()

    # -------------------------------------------------------- dispatching

    def _dispatch_main(self) -> None:
        while True:
            with self._cond:
                while len(self._in_flight) >= IN_FLIGHT_PER_CPU * self.executor.cluster_cpus():
                    self._cond.wait(1.0)  # a task returning wakes it; the timeout sees a cluster that grew
            entry = self._work.get()
            if entry is None:
                return
            future, item = entry
            if not self._starts(entry):
                continue
            try:
                self._send(entry)
            except BaseException as exc:  # Ray itself failed on the driver (a bug, a lost connection)
                log.error("sending a sample to Ray failed: %r", exc, exc_info=exc)
                self._answer(future, item, Failed(item.submission.task_id, item.submission.sample,
                                                  f"sending it to Ray failed: {_one_line(exc)}"))

    def _starts(self, entry: _Entry) -> bool:
        """Whether the sample still wants judging: not cancelled, and not answered from the cache."""
        future, item = entry
        if not future.set_running_or_notify_cancel():
            return False
        if item.judging.lookup is not None:
            try:
                judged = item.judging.judge(item.judge, item.submission)
            except MissingObservations:
                return True
            except BaseException as exc:  # a bug in replaying: the caller gets it
                future.set_exception(exc)
                return False
            future.set_result(judged)
            return False
        return True

    def _send(self, entry: _Entry) -> None:
        future, item = entry
        judge = item.judge
        key = id(judge)
        with self._cond:
            ref, users = self._problems.get(key, (None, 0))
            if ref is None:
                ref = self.executor.ray.put((judge.problem, judge.config))
            self._problems[key] = (ref, users + 1)
            task = self._task.remote(self.node, ref, [item.submission])
            self._in_flight[task] = _Flight(future, item, key)
        task.future().add_done_callback(functools.partial(self._returned, task))

    def _returned(self, task: Any, done: concurrent.futures.Future) -> None:  # type: ignore[type-arg]
        """A task's callback (in a Ray thread): answer its sample."""
        with self._cond:
            flight = self._in_flight.pop(task)
        submission = flight.item.submission
        try:
            try:
                outcomes: list[Judged | Failed] = done.result()
            except Exception as exc:  # failed after Ray's retries: node lost, worker killed, cancelled
                outcomes = [Failed(submission.task_id, submission.sample, f"Ray task failed: {_one_line(exc)}")]
            outcome = outcomes[0] if outcomes else \
                Failed(submission.task_id, submission.sample, "the Ray task returned no result for it")
            if not isinstance(outcome, Failed) and outcome.submission != submission:
                outcome = Failed(submission.task_id, submission.sample,
                                 "the Ray task returned another sample in its place")
            self._answer(flight.future, flight.item, outcome)
        finally:
            with self._cond:
                ref, users = self._problems[flight.problem_key]
                if users <= 1:
                    del self._problems[flight.problem_key]
                else:
                    self._problems[flight.problem_key] = (ref, users - 1)
                self._cond.notify_all()

    def _answer(self, future: concurrent.futures.Future[Judged], item: WorkItem, outcome: Judged | Failed) -> None:
        if isinstance(outcome, Failed):
            outcome = Judged(item.submission, item.judge.system_error(item.submission, outcome.failure),
                             jail_failed=True)
        with self._cond:  # tasks return on Ray's threads
            self._failures.note(outcome.jail_failed, outcome.result)
        if not future.done():
            future.set_result(outcome)

    # -------------------------------------------------------- closing

    def close(self, *, cancel_queued: bool = False) -> None:
        """Judge what is queued (or cancel it), wait for the tasks sent, stop the dispatcher.
        Ctrl-C while waiting cancels what is queued and the tasks in flight (their samples: SE)."""
        if not self._closed:
            self._closed = True
            if cancel_queued:
                self.cancel_queued()
            self._work.put(None)
        try:
            self._dispatcher.join()
            with self._cond:
                while self._in_flight:
                    self._cond.wait(0.5)
        except BaseException:
            self.cancel_queued()
            with self._cond:
                tasks = list(self._in_flight)
            for task in tasks:
                with contextlib.suppress(Exception):
                    self.executor.ray.cancel(task)
            raise


@dataclass
class _FailureRun:
    """Samples in a row that the jail (or Ray) failed; too many means the jail is down."""

    node: NodeJail
    in_a_row: int = 0
    down: JailDown | None = None

    def note(self, failed: bool, result: Any) -> None:
        self.in_a_row = self.in_a_row + 1 if failed else 0
        if self.in_a_row >= CONSECUTIVE_JAIL_FAILURES and self.down is None:
            self.down = JailDown(f"the {self.node.sandbox} jail on the Ray cluster failed for {self.in_a_row} "
                                 f"samples in a row (last: {result.detail}); stopping")


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # RayTaskError's text is a traceback: its last line names the cause
    return (lines[-1] if lines else type(exc).__name__)[:300]



def _check_reachable(address: str) -> None:
    """A UserError at once when ``HOST:PORT`` (or ``ray://HOST:PORT``) takes no connection:
    ``ray.init`` would retry an unreachable address for minutes."""
    target = address.removeprefix("ray://")
    host, sep, port = target.rpartition(":")
    if not sep or not port.isdigit():
        return  # "auto", "local" and other forms: Ray itself answers at once
    try:
        socket.create_connection((host.strip("[]") or "127.0.0.1", int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise UserError(f"--ray-address {address}: nothing answers there ({exc.strerror or exc}); give the head "
                        "node's address as `ray status` on it shows (HOST:6379, or ray://HOST:10001)") from None
