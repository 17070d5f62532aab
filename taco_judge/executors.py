"""Where judging runs: a pool of worker threads on this machine, each owning one runner session.

Work streams in (problem by problem, as the loader yields them) through a bounded queue, so the
judge's memory does not grow with the size of the split. Executors judge and return ``Judged``
records; they never write (the driver stores them). A jail failure is retried on a fresh session
(bounded, with backoff); after the retries it is SE only when the program had not run yet, or a
known-good probe program fails in the jail too; else the failure is the program's (RE): SE
leaves a sample out of pass@k, so no program may earn it (docs/verdicts.md).
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, TypeVar

from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from taco_judge.backends.base import Backend, RunnerSession
from taco_judge.errors import InfrastructureError
from taco_judge.executions import Judged, Judging
from taco_judge.judge import SampleJudge
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
    (``ray_executor``) judge through one of these.
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
    """
    stop = stop or threading.Event()
    work: queue.Queue[WorkItem | None] = queue.Queue(maxsize=max(4, jobs * 4))
    errors: list[BaseException] = []
    # Set by each worker as it exits. Waited on instead of Thread.join(): on Python 3.11 a join
    # interrupted by Ctrl-C marks a still-running thread as stopped, so a second join returns early.
    exited = [threading.Event() for _ in range(jobs)]
    failures_in_a_row = [0]
    failures_lock = threading.Lock()

    def note_jail(failed: bool, judged: Judged) -> None:
        with failures_lock:
            failures_in_a_row[0] = failures_in_a_row[0] + 1 if failed else 0
            if failures_in_a_row[0] >= CONSECUTIVE_JAIL_FAILURES and not stop.is_set():
                errors.append(JailDown(
                    f"the {backend.name} jail failed for {failures_in_a_row[0]} samples in a row "
                    f"(last: {judged.result.detail}); stopping"
                ))
                stop.set()

    def worker_main(done: threading.Event) -> None:
        worker = SessionWorker(backend)
        try:
            while True:
                item = work.get()
                if item is None:
                    return
                if stop.is_set():
                    continue
                try:
                    judged = worker.judge(item)
                    on_result(item.judge, judged)
                    note_jail(judged.jail_failed, judged)
                except BaseException as exc:  # a bug, not the jail: stop everything, keep what is done
                    errors.append(exc)
                    stop.set()
        finally:
            worker.drop_session()
            done.set()

    threads = [
        threading.Thread(target=worker_main, args=(exited[i],), name=f"judge-{i}", daemon=True) for i in range(jobs)
    ]
    for t in threads:
        t.start()
    try:
        for item in items:
            while not stop.is_set():
                try:
                    work.put(item, timeout=0.2)
                    break
                except queue.Full:
                    continue
            if stop.is_set():
                break
    except BaseException:  # Ctrl-C or a loader error: finish the samples in flight, start no more
        stop.set()
        raise
    finally:
        try:
            _finish(work, exited, stop)
        except BaseException:  # Ctrl-C while waiting for the last samples: drop the queued ones
            stop.set()
            _finish(work, exited, stop)
            raise
    if errors:
        raise errors[0]


def _finish(work: "queue.Queue[WorkItem | None]", exited: list[threading.Event], stop: threading.Event) -> None:
    """Tell every worker to exit after the queued work (none of it once ``stop`` is set) and wait."""
    if stop.is_set():
        while True:  # queued work is dropped; so are sentinels of an interrupted earlier call
            try:
                work.get_nowait()
            except queue.Empty:
                break
    for _ in exited:
        work.put(None)  # a worker that already exited leaves its extra sentinel unread
    for event in exited:
        event.wait()


def iter_items(judges: Iterator[tuple[SampleJudge, list[Submission]]], judging: Judging) -> Iterator[WorkItem]:
    """Flatten (problem judge, its submissions) pairs into work items, lazily."""
    for judge, submissions in judges:
        for submission in submissions:
            yield WorkItem(judge, submission, judging)
