"""Where judging runs: a pool of worker threads on this machine, each owning one runner session.

Work streams in (problem by problem, as the loader yields them) through a bounded queue, so the
judge's memory does not grow with the size of the split. Executors judge and return ``Judged``
records; they never write (the driver stores them). A jail failure is retried on a fresh session
(bounded, with backoff); after the retries it is SE only when the program had not run yet, or a
known-good probe program fails in the jail too; else the failure is the program's (RE): SE
leaves a sample out of pass@k, so no program may earn it (docs/verdicts.md).
"""

from __future__ import annotations

import collections
import concurrent.futures
import functools
import logging
import queue
import threading
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Protocol, TypeVar

from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from taco_judge.backends.base import Backend, RunnerSession
from taco_judge.errors import InfrastructureError
from taco_judge.judge import SampleJudge
from taco_judge.judging import Judged, Judging
from taco_judge.plans import Plan
from taco_judge.submissions import Submission
from taco_judge.verdict import Limits

log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 3  # tries per sample before the failure is decided (SE, or the program's RE)
# Samples in a row whose jail failed every attempt before the run stops: the jail is down (daemon
# gone, engine restarting for too long), and judging on would only turn the rest of the run into SE.
CONSECUTIVE_JAIL_FAILURES = 4
# The known-good program a failure is checked against: it must run, print its input and exit 0.
PROBE_PLAN = Plan(code="print(input())\n")
PROBE_INPUT = "taco-judge probe"
PROBE_LIMITS = Limits(time_limit_s=5.0, memory_mb=256)


class JailDown(InfrastructureError):
    """The jail failed for several samples in a row; the run stops, keeping what it finished."""


@dataclass(frozen=True)
class WorkItem:
    judge: SampleJudge
    submission: Submission
    judging: Judging


class JailFailed(InfrastructureError):
    """The jail failed on every attempt at one piece of work; its message is the sample's SE detail."""


class SessionWorker:
    """Owns one session at a time; replaces it when it fails or turns unhealthy.

    The retry policy of every executor: the local pool's threads and each Ray worker process
    (``executors.ray``) judge through one of these.
    """

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.session: RunnerSession | None = None

    def _fresh_session(self) -> RunnerSession:
        if self.session is not None and self.session.healthy:
            return self.session
        self.drop_session()
        self.session = self.backend.open_session()
        return self.session

    def drop_session(self) -> None:
        if self.session is not None:
            try:
                self.session.close()
            except Exception:  # a broken jail may fail to close; it is being discarded anyway
                log.debug("closing a failed session raised", exc_info=True)
            self.session = None

    def call(self, work: Callable[[RunnerSession], T]) -> T:
        """``work(session)`` on a live session; a jail failure (InfrastructureError) is retried on a
        fresh session, ATTEMPTS tries in all, then raised as JailFailed naming the last cause
        (``code_ran`` when any attempt failed after the program got control)."""
        code_ran = False

        def attempt() -> T:
            nonlocal code_ran
            try:
                return work(self._fresh_session())
            except InfrastructureError as exc:
                code_ran = code_ran or getattr(exc, "code_ran", False)
                self.drop_session()
                raise

        try:
            for try_ in Retrying(
                stop=stop_after_attempt(ATTEMPTS),
                wait=wait_exponential(multiplier=0.2, max=5),
                retry=retry_if_exception_type(InfrastructureError),
                reraise=False,
            ):
                with try_:
                    value = attempt()
            return value
        except RetryError as exc:
            cause = exc.last_attempt.exception()
            raise JailFailed(f"jail failed {ATTEMPTS} times: {cause}", code_ran=code_ran) from cause

    def probe_passes(self) -> bool:
        """Whether a known-good program runs right in a fresh jail session."""
        self.drop_session()
        try:
            outcome = self.call(lambda session: session.run(PROBE_PLAN, [PROBE_INPUT], PROBE_LIMITS, early_stop=False))
        except JailFailed:
            return False
        obs = outcome.observations
        return bool(obs) and obs[0].exit_code == 0 and obs[0].stdout.strip() == PROBE_INPUT.encode()

    def judge(self, item: WorkItem) -> Judged:
        """The sample judged; after the retries, SE (``jail_failed``) or, when the program had run
        and the probe passes, the program's RE."""
        try:
            return self.call(lambda session: item.judging.judge(item.judge, item.submission, session))
        except JailFailed as exc:
            submission = item.submission
            if exc.code_ran and self.probe_passes():
                log.warning("task %s sample %s: %s; a known-good program runs fine, so it is the program's (RE)",
                            submission.task_id, submission.sample, exc)
                reason = f"the program broke its jail ({exc}); a known-good program runs fine in a fresh one"
                return Judged(submission, item.judge.program_error(submission, reason))
            log.warning("task %s sample %s: %s", submission.task_id, submission.sample, exc)
            return Judged(submission, item.judge.system_error(submission, str(exc)), jail_failed=True)


class SampleQueue(queue.Queue):  # type: ignore[type-arg]
    """The bounded queue of a pool: (future, work item) entries, and None to stop a consumer. Both
    pools (this machine's and Ray's) take their samples from one of these."""

    def submit(self, item: WorkItem, *, timeout: float | None = None) -> concurrent.futures.Future[Judged]:
        """Queue one sample; waits up to ``timeout`` seconds for room (None: as long as it takes,
        0: not at all) and raises ``queue.Full`` when there is none."""
        future: concurrent.futures.Future[Judged] = concurrent.futures.Future()
        if timeout == 0:
            self.put_nowait((future, item))
        else:
            self.put((future, item), timeout=timeout)
        return future

    def cancel_queued(self) -> int:
        """Cancel every sample still waiting; how many that cancelled (not counting ones cancelled
        before). Stop markers are taken out too."""
        cancelled = 0
        while True:
            try:
                entry = self.get_nowait()
            except queue.Empty:
                return cancelled
            if entry is not None and not entry[0].cancelled():
                cancelled += entry[0].cancel()

    def discard_cancelled(self) -> int:
        """Drop the samples cancelled while queued now, instead of when a consumer reaches them, so
        their slots are free at once (a service whose client left); how many were dropped."""
        with self.mutex:
            kept = collections.deque(e for e in self.queue if e is None or not e[0].cancelled())
            dropped = len(self.queue) - len(kept)
            if dropped:
                self.queue = kept
                self.not_full.notify(dropped)
        return dropped


class Pool(Protocol):
    """A warm pool front ends submit single samples to (``Judge.submit``, the service): this
    machine's ``WorkerPool`` or a Ray cluster's ``executors.ray.RayPool``."""

    @property
    def down(self) -> JailDown | None:
        """Set once the jail failed for several samples in a row."""

    @property
    def jobs(self) -> int:
        """Samples it judges at once (worker threads, or the Ray cluster's CPUs)."""

    @property
    def queued(self) -> int:
        """Samples waiting for a worker."""

    @property
    def running(self) -> int:
        """Samples being judged now."""

    def submit(self, item: WorkItem, *, timeout: float | None = None) -> concurrent.futures.Future[Judged]:
        """Queue one sample (``queue.Full`` when there is no room within ``timeout`` seconds)."""

    def discard_cancelled(self) -> int:
        """Free the queue slots of samples cancelled while queued; how many."""

    def close(self, *, cancel_queued: bool = False) -> None:
        """Judge (or cancel) what is queued, wait for what runs, stop."""


class WorkerPool:
    """``jobs`` worker threads, each judging through its own SessionWorker (one warm session),
    taking work in order of arrival from a bounded queue; ``submit`` returns a future per sample.

    One pool serves every front end: a run feeds it with ``run_pool``, the library API
    (``api.Judge``) and the service submit to it directly. A future of queued work can be
    cancelled (a client gone, a deadline passed); work already running finishes. ``down`` is set
    once CONSECUTIVE_JAIL_FAILURES samples in a row found the jail broken (their SE results are
    delivered first); the pool keeps judging, and a caller decides whether to stop.
    """

    def __init__(self, backend: Backend, jobs: int, *, queue_size: int | None = None,
                 stop: threading.Event | None = None) -> None:
        """``stop``: once set, queued samples are cancelled instead of started."""
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        self.backend = backend
        self.jobs = jobs
        self._work = SampleQueue(maxsize=queue_size if queue_size is not None else max(4, jobs * 4))
        self._lock = threading.Lock()
        self._failures_in_a_row = 0
        self._running = 0
        self._closed = False
        self.down: JailDown | None = None
        self._stop = stop
        # Set by each worker as it exits. Waited on instead of Thread.join(): on Python 3.11 a join
        # interrupted by Ctrl-C marks a still-running thread as stopped, so a second join returns early.
        self._exited = [threading.Event() for _ in range(jobs)]
        for i in range(jobs):
            threading.Thread(target=self._worker_main, args=(self._exited[i],), name=f"judge-{i}", daemon=True).start()

    @property
    def queued(self) -> int:
        """Samples waiting for a worker."""
        return self._work.qsize()

    @property
    def running(self) -> int:
        """Samples a worker is judging now."""
        return self._running

    def submit(self, item: WorkItem, *, timeout: float | None = None) -> concurrent.futures.Future[Judged]:
        """Queue one sample; waits up to ``timeout`` seconds for room (None: as long as it takes,
        0: not at all) and raises ``queue.Full`` when there is none."""
        if self._closed:
            raise RuntimeError("the worker pool is closed")
        return self._work.submit(item, timeout=timeout)

    def _worker_main(self, exited: threading.Event) -> None:
        worker = SessionWorker(self.backend)
        try:
            while True:
                entry = self._work.get()
                if entry is None:
                    return
                future, item = entry
                if self._stop is not None and self._stop.is_set():
                    future.cancel()
                if not future.set_running_or_notify_cancel():
                    continue  # cancelled while queued
                with self._lock:
                    self._running += 1
                try:
                    judged = worker.judge(item)
                except BaseException as exc:  # a bug, not the jail: the caller gets it
                    future.set_exception(exc)
                    continue
                finally:
                    with self._lock:
                        self._running -= 1
                self._note_jail(judged)
                future.set_result(judged)
        finally:
            worker.drop_session()
            exited.set()

    def _note_jail(self, judged: Judged) -> None:
        with self._lock:
            self._failures_in_a_row = self._failures_in_a_row + 1 if judged.jail_failed else 0
            if self._failures_in_a_row >= CONSECUTIVE_JAIL_FAILURES and self.down is None:
                self.down = JailDown(
                    f"the {self.backend.name} jail failed for {self._failures_in_a_row} samples in a row "
                    f"(last: {judged.result.detail}); stopping"
                )

    def cancel_queued(self) -> int:
        """Cancel every sample still waiting for a worker; how many that cancelled (not counting
        ones cancelled before)."""
        return self._work.cancel_queued()

    def discard_cancelled(self) -> int:
        """Drop the samples cancelled while queued now, so their queue slots are free at once (a
        service whose client left); how many were dropped."""
        return self._work.discard_cancelled()

    def close(self, *, cancel_queued: bool = False) -> None:
        """Judge what is queued (or cancel it), then stop the workers and close their sessions.
        Ctrl-C while waiting cancels what is still queued and waits for the running samples."""
        if not self._closed:
            self._closed = True
            if cancel_queued:
                self.cancel_queued()
            for _ in self._exited:
                self._work.put(None)  # after the queued work: each worker takes one and exits
        try:
            for event in self._exited:
                event.wait()
        except BaseException:
            self.cancel_queued()
            for _ in self._exited:
                try:
                    self._work.put_nowait(None)
                except queue.Full:
                    break
            for event in self._exited:
                event.wait()
            raise

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(cancel_queued=exc[0] is not None)


def run_pool(
    items: Iterable[WorkItem],
    backend: Backend,
    jobs: int,
    on_result: Callable[[SampleJudge, Judged], None],
    stop: threading.Event | None = None,
) -> None:
    """Judge every item with ``jobs`` workers; ``on_result(judge, judged)`` is called (from worker
    threads) per sample.

    Raises JailDown after CONSECUTIVE_JAIL_FAILURES samples in a row found the jail broken (their
    SE results were delivered first), and re-raises any error of ``on_result`` or of ``items``.
    Setting ``stop`` finishes the samples in flight and starts no more.
    """
    stop = stop or threading.Event()
    errors: list[BaseException] = []
    pool = WorkerPool(backend, jobs, stop=stop)

    def finished(judge: SampleJudge, future: concurrent.futures.Future[Judged]) -> None:
        if future.cancelled():
            return
        try:
            on_result(judge, future.result())
        except BaseException as exc:  # a bug in the judge path or in on_result: stop, keep what is done
            errors.append(exc)
            stop.set()
            return
        if pool.down is not None and not stop.is_set():
            errors.append(pool.down)
            stop.set()

    try:
        for item in items:
            while not stop.is_set():
                try:
                    future = pool.submit(item, timeout=0.2)
                except queue.Full:
                    continue
                future.add_done_callback(functools.partial(finished, item.judge))
                break
            if stop.is_set():
                break
    except BaseException:  # Ctrl-C or a loader error: finish the samples in flight, start no more
        stop.set()
        pool.close(cancel_queued=True)
        raise
    pool.close(cancel_queued=stop.is_set())
    if errors:
        raise errors[0]


def iter_items(judges: Iterator[tuple[SampleJudge, list[Submission]]], judging: Judging) -> Iterator[WorkItem]:
    """Flatten (problem judge, its submissions) pairs into work items, lazily."""
    for judge, submissions in judges:
        for submission in submissions:
            yield WorkItem(judge, submission, judging)
