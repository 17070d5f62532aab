"""The service's judging core over one ``Judge``: requests admitted whole or not at all (a bounded
queue: past it, 429), each sample a future of the warm pool, a batch's queued samples cancelled
when its deadline passes or its client leaves. No web framework here (``app`` has the routes).
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import math
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from taco_judge.api import Judge
from taco_judge.executions import Execution, ExecutionKey
from taco_judge.executors.local import Pool
from taco_judge.judge import SampleJudge
from taco_judge.problems import Problem
from taco_judge.service.telemetry import Telemetry
from taco_judge.service.wire import Item, JudgeRequest, WireError, parse_body, parse_request
from taco_judge.submissions import Submission
from taco_judge.verdict import SampleResult

log = logging.getLogger(__name__)

DEFAULT_MAX_SAMPLES = 256
DEFAULT_QUEUE_SIZE = 1024
DEFAULT_MAX_BODY_MB = 64
DEFAULT_CACHE_ENTRIES = 20000
# An execution whose outputs are bigger is not kept in memory (a program printing megabytes on
# every test must not fill the service's memory); it runs again when sent again.
MAX_CACHED_OUTPUT_BYTES = 1 << 20
MAX_RETRY_AFTER_S = 30


class MemoryCache:
    """An in-memory ExecutionCache of the last ``entries`` executions (least recently used go first;
    none with over MAX_CACHED_OUTPUT_BYTES of output): without ``--cache``, a retried request
    replays what its first try ran instead of running it."""

    def __init__(self, entries: int = DEFAULT_CACHE_ENTRIES) -> None:
        self.entries = entries
        self._data: OrderedDict[str, Execution] = OrderedDict()
        self._lock = threading.Lock()

    def get_execution(self, key: ExecutionKey) -> Execution | None:
        with self._lock:
            execution = self._data.get(key.digest)
            if execution is not None:
                self._data.move_to_end(key.digest)
            return execution

    def put_execution(self, execution: Execution, plan_json: str, *, executed: bool) -> None:
        size = sum(len(o.stdout) + len(o.output_file or b"") for o in execution.observations)
        if size > MAX_CACHED_OUTPUT_BYTES:
            return
        with self._lock:
            self._data[execution.key.digest] = execution
            self._data.move_to_end(execution.key.digest)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


@dataclass
class Batch:
    """One request's samples in the pool: ``futures[i]`` answers ``items[i]``."""

    request: JudgeRequest
    futures: list[concurrent.futures.Future[SampleResult]]
    received: float  # time.monotonic() when the request arrived
    pool: Pool

    @property
    def items(self) -> tuple[Item, ...]:
        return self.request.items

    def cancel_queued(self, telemetry: Telemetry, reason: str) -> int:
        """Cancel every sample of this batch still waiting for a worker (running ones finish and are
        cached) and free their queue slots; how many that cancelled."""
        cancelled = sum(1 for future in self.futures if not future.done() and future.cancel())
        if cancelled:
            self.pool.discard_cancelled()
        telemetry.sample_cancelled(reason, cancelled)
        if cancelled:
            log.info("cancelled %d queued samples (%s)", cancelled, reason,
                     extra={"fields": {"event": "cancelled", "reason": reason, "samples": cancelled}})
        return cancelled


class JudgeService:
    """Admits requests into ``judge``'s warm pool and keeps the counters ``/metrics`` shows.

    ``problems``: the loaded problem set by task id (``describe_problems`` says what it is, for
    errors). ``queue_size`` must be the Judge's own; a request of more samples than there is room
    for is refused whole (429 with a Retry-After estimate), so a retry never duplicates work.
    """

    def __init__(self, judge: Judge, problems: Mapping[int | str, Problem], *, queue_size: int,
                 max_samples: int = DEFAULT_MAX_SAMPLES, max_body_bytes: int = DEFAULT_MAX_BODY_MB * 2**20,
                 describe_problems: str = "", token: str | None = None) -> None:
        if max_samples > queue_size:
            raise ValueError(f"max_samples {max_samples} is more than the queue holds ({queue_size})")
        self.judge = judge
        self.problems = dict(problems)
        self.queue_size = queue_size
        self.max_samples = max_samples
        self.max_body_bytes = max_body_bytes
        self.token = token
        self.describe_problems = describe_problems or f"{len(self.problems)} problems loaded"
        self.telemetry = Telemetry()
        self._admit = threading.Lock()
        self._judges: dict[tuple[Any, ...], SampleJudge] = {}
        self._inline: OrderedDict[tuple[Any, ...], SampleJudge] = OrderedDict()
        self._judges_lock = threading.Lock()

    # ------------------------------------------------------------------ requests

    def parse(self, body: bytes) -> JudgeRequest:
        """A request body validated (WireError naming the field otherwise)."""
        return parse_request(parse_body(body), lookup=self.problems.get, max_samples=self.max_samples,
                             problems_loaded=self.describe_problems)

    def _sample_judge(self, item: Item, request: JudgeRequest) -> SampleJudge:
        early_stop = False if request.reward == "partial" else None  # partial credit counts every test
        if item.problem is None:
            key: tuple[Any, ...] = ("task", item.task_id, request.checker, early_stop)
            with self._judges_lock:
                judge = self._judges.get(key)
            if judge is None:
                judge = self.judge.sample_judge(self.problems[item.task_id], checker=request.checker,
                                                early_stop=early_stop)
                with self._judges_lock:
                    judge = self._judges.setdefault(key, judge)
            return judge
        key = ("inline", item.problem_key, request.checker, early_stop)
        with self._judges_lock:
            judge = self._inline.get(key)
            if judge is not None:
                self._inline.move_to_end(key)
                return judge
        judge = self.judge.sample_judge(item.problem, checker=request.checker, early_stop=early_stop)
        with self._judges_lock:
            self._inline[key] = judge
            while len(self._inline) > 512:
                self._inline.popitem(last=False)
        return judge

    def retry_after_s(self, extra: int = 0) -> int:
        """Seconds until the queue likely has room for ``extra`` more samples, from the last
        minute's rate (1 to MAX_RETRY_AFTER_S)."""
        rate = self.telemetry.samples_per_s()
        if rate <= 0:
            return 1
        backlog = self.judge.pool.queued + extra - self.queue_size
        return int(min(MAX_RETRY_AFTER_S, max(1, math.ceil(max(backlog, 1) / rate))))

    def admit(self, request: JudgeRequest) -> Batch:
        """Queue every sample of ``request`` or none (WireError 429 with Retry-After when the
        queue has no room for all of them)."""
        received = time.monotonic()
        n = len(request.items)
        judges = [self._sample_judge(item, request) for item in request.items]
        pool = self.judge.pool
        with self._admit:  # only this service submits: the queue only shrinks while we hold the lock
            room = self.queue_size - pool.queued
            if n > room:
                wait = self.retry_after_s(n)
                raise WireError(429, None, f"the judge queue is full ({pool.queued} samples queued, room for "
                                           f"{max(room, 0)}, this request has {n}); retry after {wait} s",
                                headers={"Retry-After": str(wait)})
            futures: list[concurrent.futures.Future[SampleResult]] = []
            try:
                for item, judge in zip(request.items, judges):
                    futures.append(self.judge.submit(judge, _submission(item), timeout=0))
            except queue.Full:  # not expected (see the lock), but never leave half a batch queued
                for future in futures:
                    future.cancel()
                wait = self.retry_after_s(n)
                raise WireError(429, None, f"the judge queue is full; retry after {wait} s",
                                headers={"Retry-After": str(wait)}) from None
        self.telemetry.admitted(n)
        for future in futures:
            future.add_done_callback(self._counter(received))
        return Batch(request, futures, received, pool)

    def _counter(self, received: float) -> Callable[[concurrent.futures.Future[SampleResult]], None]:
        def count(future: concurrent.futures.Future[SampleResult]) -> None:
            if future.cancelled() or future.exception() is not None:
                return
            self.telemetry.sample_done(future.result().verdict, time.monotonic() - received)
        return count

    # ------------------------------------------------------------------ health

    def health(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, body) of ``/healthz``: 503 once the jail failed for several samples in a row."""
        pool = self.judge.pool
        body: dict[str, Any] = {"status": "ok", "queued": pool.queued, "running": pool.running,
                                "queue_size": self.queue_size, "jobs": pool.jobs,
                                "executor": self.judge.executor,
                                "problems": len(self.problems)}
        if pool.down is not None:
            body.update(status="jail down", detail=str(pool.down))
            return 503, body
        return 200, body

    def metrics_text(self) -> str:
        pool = self.judge.pool
        return self.telemetry.render({
            "taco_judge_queue_depth": ("samples waiting for a worker", pool.queued),
            "taco_judge_queue_size": ("samples the queue holds before requests get 429", self.queue_size),
            "taco_judge_in_flight": ("samples a worker is judging now", pool.running),
            "taco_judge_workers": ("samples judged at once: worker threads, or the Ray cluster's CPUs", pool.jobs),
            "taco_judge_jail_down": ("1 once the jail failed for several samples in a row", int(pool.down is not None)),
            "taco_judge_uptime_seconds": ("seconds since the service started", time.time() - self.telemetry.started),
        })

    def close(self) -> None:
        """Cancel what is queued, let running samples finish, close the jail."""
        self.judge.close()


def _submission(item: Item) -> Submission:
    raw_sha = hashlib.sha256(item.raw.encode("utf-8")).hexdigest()
    code_sha = raw_sha if item.code == item.raw else hashlib.sha256(item.code.encode("utf-8")).hexdigest()
    return Submission(task_id=item.task_id, sample=item.index, code=item.code, raw_sha256=raw_sha,
                      code_sha256=code_sha, origin=f"request submissions[{item.index}]", invalid=item.invalid)


def result_of(future: concurrent.futures.Future[SampleResult]) -> SampleResult | None:
    """The future's result, None when it was cancelled or failed (a bug, logged)."""
    if future.cancelled():
        return None
    exc = future.exception()
    if exc is not None:
        log.error("judging a sample raised %r", exc, exc_info=exc)
        return None
    return future.result()
