"""The library API: a ``Judge`` (configuration in, results streamed out) that every front end uses.

::

    from taco_judge import Judge, load_problems, load_generations
    with Judge(sandbox="local", spj="spj.jsonl") as judge:
        for result in judge.run(load_problems("problems.jsonl"), load_generations("generations.json")):
            print(result.task_id, result.sample, result.verdict.value)

``run`` judges a whole problem set's samples and yields each ``SampleResult`` as it finishes;
``submit`` judges one sample and returns a future (the service and RL reward loops use it);
``judge`` is ``submit(...).result()``. The jail, its warm sessions and the worker pool are opened
on first use and closed by ``close`` (or the ``with`` block). With ``store=``, results already
judged under the same code, tests, limits, jail and checker options are reused and every new
result is recorded as it finishes (docs/store.md). docs/api.md has every option.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import json
import logging
import os
import queue
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Callable, Protocol

from taco_judge import quarantine as quarantine_file
from taco_judge.backends import make_backend
from taco_judge.backends.base import Backend
from taco_judge.checkers import CHECKER_SETS
from taco_judge.errors import UserError
from taco_judge.executions import Execution, ExecutionKey
from taco_judge.executors.local import Pool, WorkerPool, WorkItem, iter_items, run_pool
from taco_judge.judge import DEFAULT_HASH_SEED, JudgeConfig, SampleJudge
from taco_judge.judging import Judged, Judging
from taco_judge.preamble import preamble_text
from taco_judge.problems import Problem, ProblemFilter, open_problems
from taco_judge.resume import JudgingCounts, StoredJudging
from taco_judge.runner_files import runner_sha256
from taco_judge.spj import load_spj
from taco_judge.store import Store
from taco_judge.submissions import Submission, submission_from_code
from taco_judge.submissions import load_generations as read_generations
from taco_judge.verdict import SampleResult

log = logging.getLogger(__name__)


class ExecutionCache(Protocol):
    """Where executions are found and kept by their key (a Store, or an in-memory cache)."""

    def get_execution(self, key: ExecutionKey) -> Execution | None: ...

    def put_execution(self, execution: Execution, plan_json: str, *, executed: bool) -> None: ...


__all__ = ["Judge", "load_problems", "load_generations"]


def load_problems(spec: str | os.PathLike[str], *, split: str | None = None,
                  problem_filter: ProblemFilter | None = None) -> Iterable[Problem]:
    """A TACO problem set, read lazily: a hub id (``BAAI/TACO``), a ``load_from_disk`` folder, a
    parquet or JSONL file, or a folder of them (docs/api.md). ``problem_filter`` keeps some."""
    source = open_problems(str(spec), split=split)
    if problem_filter is None:
        return source
    return (problem for problem in source if problem_filter.matches(problem))


def load_generations(path: str | os.PathLike[str], *, skip_invalid: bool = False) -> list[Submission]:
    """A generations file (TACO's ``generation.json``, or JSONL) as submissions in file order.
    ``skip_invalid``: samples that cannot be read become CE, entries that cannot are skipped (each
    with a warning in the log) instead of raising ``SubmissionsError``."""
    submissions, warnings = read_generations(path, skip_invalid=skip_invalid)
    for line in warnings:
        log.warning("%s", line)
    return submissions


class Judge:
    """Judges submissions against problems in a jail; one instance holds one warm worker pool.

    Options (the CLI's names in brackets):
    ``sandbox`` ``auto`` | ``docker`` | ``local`` or a Backend [--sandbox];
    ``checker`` ``strict`` | ``taco`` | ``both`` [--compare]; ``spj`` TACO's special-judge list, a
    path or {task id: case} [--spj]; ``float_tol`` [--float-tol]; ``checker_program`` a program
    judging case-1 problems [--checker]; ``preamble`` ``taco`` | ``none`` [--preamble];
    ``early_stop`` [--early-stop/--all-tests]; ``time_limit_s``, ``memory_mb`` override every
    problem's limits [--timeout, --memory]; ``hash_seed`` [--hash-seed]; ``jobs`` [--jobs];
    ``executor`` ``local`` | ``ray`` with ``ray_address`` [--executor, --ray-address]; ``store``,
    ``cache`` a results store (file or Store) to reuse and record results, and one shared
    executions cache (a Store file, or any ExecutionCache) [--out's store, --cache]; ``quarantine`` a quarantine file whose tests run
    last [--quarantine]; ``queue_size`` samples ``submit`` may queue before it refuses.
    """

    def __init__(
        self,
        *,
        sandbox: str | Backend = "auto",
        checker: str = "strict",
        spj: str | os.PathLike[str] | Mapping[Any, int] | None = None,
        float_tol: float | None = None,
        checker_program: str | os.PathLike[str] | None = None,
        preamble: str = "taco",
        early_stop: bool = True,
        time_limit_s: float | None = None,
        memory_mb: int | None = None,
        hash_seed: int = DEFAULT_HASH_SEED,
        jobs: int = 2,
        executor: str = "local",
        ray_address: str | None = None,
        store: str | os.PathLike[str] | Store | None = None,
        cache: str | os.PathLike[str] | Store | ExecutionCache | None = None,
        quarantine: str | os.PathLike[str] | quarantine_file.Quarantine | None = None,
        queue_size: int | None = None,
    ) -> None:
        if checker not in CHECKER_SETS:
            raise UserError(f"checker {checker!r}: choose one of {', '.join(CHECKER_SETS)}")
        if jobs < 1:
            raise UserError(f"jobs {jobs}: give at least 1")
        if executor not in ("local", "ray"):
            raise UserError(f"executor {executor!r}: choose local or ray")
        if checker_program is not None and not os.access(checker_program, os.X_OK):
            raise UserError(f"checker_program {checker_program}: not an executable file; chmod +x it or give the right path")
        if isinstance(spj, (str, os.PathLike)):
            spj = load_spj(str(spj))
        self.config = JudgeConfig(
            checkers=CHECKER_SETS[checker],
            spj=dict(spj or {}),
            float_tol=float_tol,
            checker_program=os.path.abspath(checker_program) if checker_program is not None else None,
            preamble=preamble_text(preamble),
            early_stop=early_stop,
            time_limit_s=time_limit_s,
            memory_mb=memory_mb,
            hash_seed=hash_seed,
        )
        self.checker = checker
        self.jobs = jobs
        self.executor = executor
        self.ray_address = ray_address
        self.queue_size = queue_size
        self.quarantine = quarantine_file.load(str(quarantine)) if isinstance(quarantine, (str, os.PathLike)) \
            else quarantine
        self._sandbox = sandbox
        self._own_stores: list[Store] = []
        self.store = self._open_store(store)
        self.cache = self._open_store(cache)
        if isinstance(self.store, Store) and isinstance(self.cache, Store) and \
                self.store.path.resolve() == self.cache.path.resolve():
            self.close()
            raise UserError(f"cache {self.cache.path}: this is the run's own store; give a separate file shared by runs")
        self._lock = threading.RLock()
        self._backend: Backend | None = None
        self._ray: tuple[Any, Any] | None = None  # (RayExecutor, NodeJail)
        self._judging: StoredJudging | Judging | None = None
        self._pool: Pool | None = None
        self._closed = False

    def _open_store(self, store: Any) -> Any:
        if store is None or not isinstance(store, (str, os.PathLike)):
            return store
        opened = Store.open(Path(store))
        self._own_stores.append(opened)
        return opened

    # ---------------------------------------------------------------- the jail

    def _start(self) -> StoredJudging | Judging:
        """Open the jail (or connect to Ray) once; what keys and finds executions."""
        with self._lock:
            if self._closed:
                raise RuntimeError("this Judge is closed")
            if self._judging is not None:
                return self._judging
            if self.executor == "ray":
                from taco_judge.executors.ray import RayExecutor

                executor = RayExecutor(self.ray_address, self.jobs)
                try:
                    if not isinstance(self._sandbox, str):
                        raise UserError("executor ray: give sandbox as a name (each Ray worker opens its own jail)")
                    self._ray = (executor, executor.probe(self._sandbox, self.config.backend_options()))
                except BaseException:
                    executor.close()
                    raise
                jail, runner = self._ray[1].jail, self._ray[1].runner_sha256
            else:
                self._backend = self._sandbox if isinstance(self._sandbox, Backend) else \
                    make_backend(self._sandbox, **self.config.backend_options())
                jail, runner = self._backend.identity(), runner_sha256()
            if self.store is not None:
                self._judging = StoredJudging(self.store, cache=self.cache, jail=jail, runner_sha256=runner)
            else:
                self._judging = Judging(jail, runner, self.cache.get_execution if self.cache is not None else None)
            return self._judging

    @property
    def jail(self) -> str:
        """The jail's identity: its kind, confinement and what programs run on (in execution keys)."""
        judging = self._start()
        return judging.jail

    def describe(self) -> str:
        """One line: what the jail isolates and how."""
        self._start()
        return self._ray[1].describe if self._ray is not None else self._backend.describe()  # type: ignore[union-attr]

    def environment(self) -> dict[str, Any]:
        """What programs run on: Python, its executable, numpy, installed packages, hash seed."""
        self._start()
        return dict(self._ray[1].environment) if self._ray is not None else self._backend.environment()  # type: ignore[union-attr]

    def weaker_than_usual(self) -> list[str]:
        """What this jail does not isolate here, one line each (empty on a full jail)."""
        self._start()
        return list(self._ray[1].weaker) if self._ray is not None else self._backend.weaker_than_usual()  # type: ignore[union-attr]

    @property
    def counts(self) -> JudgingCounts | None:
        """With a store: how many samples were reused, replayed from stored runs, run, SE."""
        judging = self._judging
        return judging.counts if isinstance(judging, StoredJudging) else None

    def executor_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {"executor": self.executor}
        if self._ray is not None:
            info["ray"] = self._ray[0].describe()
        return info

    # ---------------------------------------------------------------- judging

    def sample_judge(self, problem: Problem, *, checker: str | None = None,
                     early_stop: bool | None = None) -> SampleJudge:
        """The judge of one problem's samples under this configuration (quarantined tests last);
        ``checker`` (``strict`` | ``taco`` | ``both``) judges them with other checkers instead;
        ``early_stop`` overrides the Judge's (False runs every test: partial credit counts them)."""
        config = self.config
        if early_stop is not None and early_stop != config.early_stop:
            config = dataclasses.replace(config, early_stop=early_stop)
        if checker is not None and CHECKER_SETS.get(checker) != config.checkers:
            if checker not in CHECKER_SETS:
                raise UserError(f"checker {checker!r}: choose one of {', '.join(CHECKER_SETS)}")
            config = dataclasses.replace(config, checkers=CHECKER_SETS[checker])
        if self.quarantine is not None:
            problem, _ = quarantine_file.apply(problem, self.quarantine)
        judging = self._start()
        if isinstance(judging, StoredJudging):
            return judging.judge_for(problem, config)
        return SampleJudge(problem, config)

    def _record(self, judge: SampleJudge, judged: Judged) -> SampleResult:
        """Keep what judging a sample produced: in the store with its result, or its executions in
        the cache (a sample judged again, a retried request, replays them instead of running)."""
        judging = self._judging
        if isinstance(judging, StoredJudging):
            judging.record(judge, judged)
        elif self.cache is not None:
            for execution, plan, live in judged.executions:
                if live and not judged.jail_failed:
                    self.cache.put_execution(execution, json.dumps(plan.to_wire(), sort_keys=True), executed=True)
        return judged.result

    def run(self, problems: Iterable[Problem], submissions: Iterable[Submission], *,
            stop: threading.Event | None = None) -> Iterator[SampleResult]:
        """Judge every submission whose task is in ``problems``; yield each result as it finishes
        (stored ones first, per problem). Problems are read lazily, one at a time.

        Submissions of tasks not in ``problems`` are left out with one warning. Raises JailDown
        when the jail failed for several samples in a row (their SE results are yielded first).
        Setting ``stop``, or leaving the loop, finishes the samples running and starts no more.
        """
        by_task: dict[Any, list[Submission]] = defaultdict(list)
        for submission in submissions:
            by_task[submission.task_id].append(submission)
        seen: set[Any] = set()

        def work() -> Iterator[tuple[SampleJudge, list[Submission]]]:
            for problem in problems:
                samples = by_task.get(problem.task_id)
                if samples:
                    seen.add(problem.task_id)
                    yield self.sample_judge(problem), samples

        def finished() -> None:
            missing = sorted((task_id for task_id in by_task if task_id not in seen), key=str)
            if missing:
                shown = ", ".join(map(str, missing[:10])) + (", ..." if len(missing) > 10 else "")
                log.warning("%d samples of %d tasks not in the problem set were not judged (tasks %s)",
                            sum(len(by_task[t]) for t in missing), len(missing), shown)

        return self.run_samples(work(), stop=stop, on_complete=finished)

    def run_samples(self, work: Iterable[tuple[SampleJudge, list[Submission]]], *,
                    stop: threading.Event | None = None,
                    on_complete: Callable[[], None] | None = None) -> Iterator[SampleResult]:
        """``run`` for samples already paired with their problem's judge (``sample_judge``), read
        lazily: how a front end judges samples it makes from the problems themselves (reference
        solutions) without holding every problem. ``on_complete`` runs when all of ``work`` was
        judged (not when stopped)."""
        judging = self._start()
        stop = stop or threading.Event()
        results: queue.Queue[SampleResult | BaseException | None] = queue.Queue()

        def pairs() -> Iterator[tuple[SampleJudge, list[Submission]]]:
            for judge, samples in work:
                if stop.is_set():
                    return
                to_run: list[Submission] = samples
                if isinstance(judging, StoredJudging):
                    done, to_run = judging.resolve(judge, samples)
                    for result in done:
                        results.put(result)
                if to_run:
                    yield judge, to_run

        def on_result(judge: SampleJudge, judged: Judged) -> None:
            results.put(self._record(judge, judged))

        def drive() -> None:
            try:
                if self._ray is not None:
                    self._ray[0].run(pairs(), on_result, node=self._ray[1], stop=stop)
                else:
                    run_pool(iter_items(pairs(), self._plain_judging(judging)), self._backend, self.jobs,  # type: ignore[arg-type]
                             on_result, stop=stop)
                if on_complete is not None and not stop.is_set():
                    on_complete()
            except BaseException as exc:
                results.put(exc)
            finally:
                results.put(None)

        driver = threading.Thread(target=drive, name="taco-judge-run", daemon=True)
        driver.start()
        try:
            while True:
                item = results.get()
                if item is None:
                    break
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            while driver.is_alive():  # the samples running finish (and are recorded); no more start
                driver.join(0.2)

    @staticmethod
    def _plain_judging(judging: StoredJudging | Judging) -> Judging:
        return judging.judging if isinstance(judging, StoredJudging) else judging

    def submit(self, problem: Problem | SampleJudge, submission: Submission | str, *,
               timeout: float | None = None) -> concurrent.futures.Future[SampleResult]:
        """Judge one sample in the warm pool; its result arrives in the future. ``submission`` may
        be code (task ``problem.task_id``, sample 0). Waits up to ``timeout`` seconds for room in
        the queue (0: not at all) and raises ``queue.Full`` when there is none. With a store, a
        result already judged is answered from it without running anything."""
        judge = problem if isinstance(problem, SampleJudge) else self.sample_judge(problem)
        if isinstance(submission, str):
            submission = submission_from_code(judge.problem.task_id, 0, submission, origin="api")
        judging = self._start()
        if isinstance(judging, StoredJudging):
            done, _ = judging.resolve(judge, [submission])
            if done:
                answered: concurrent.futures.Future[SampleResult] = concurrent.futures.Future()
                answered.set_result(done[0])
                return answered
        pool = self._warm_pool()
        inner = pool.submit(WorkItem(judge, submission, self._plain_judging(judging)), timeout=timeout)
        future = _Answer(inner)

        def finished(done: concurrent.futures.Future[Judged]) -> None:
            if done.cancelled():
                concurrent.futures.Future.cancel(future)
                return
            try:
                result: SampleResult | BaseException = self._record(judge, done.result())  # recorded even if unwanted
            except BaseException as exc:
                result = exc
            if not future.set_running_or_notify_cancel():
                return
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)

        inner.add_done_callback(finished)
        return future

    def judge(self, problem: Problem, submission: Submission | str) -> SampleResult:
        """One sample, judged now."""
        return self.submit(problem, submission).result()

    def _warm_pool(self) -> Pool:
        with self._lock:
            if self._pool is None:
                if self._ray is not None:
                    from taco_judge.executors.ray import RayPool

                    self._pool = RayPool(self._ray[0], self._ray[1], queue_size=self.queue_size)
                else:
                    self._pool = WorkerPool(self._backend, self.jobs, queue_size=self.queue_size)  # type: ignore[arg-type]
            return self._pool

    @property
    def pool(self) -> Pool:
        """The warm pool ``submit`` uses (its queue depth, samples running, jail state): worker
        threads on this machine, or Ray tasks on the cluster with ``executor='ray'``."""
        self._start()
        return self._warm_pool()

    # ---------------------------------------------------------------- closing

    def close(self) -> None:
        """Stop the pool (queued samples are cancelled, running ones finish), close the jail and
        the stores this Judge opened."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            pool, self._pool = self._pool, None
        try:
            if pool is not None:
                pool.close(cancel_queued=True)
        finally:
            try:
                if self._backend is not None and not isinstance(self._sandbox, Backend):
                    self._backend.close()
                if self._ray is not None:
                    self._ray[0].close()
            finally:
                for store in self._own_stores:
                    store.close()

    def __enter__(self) -> Judge:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Answer(concurrent.futures.Future):  # type: ignore[type-arg]
    """The future ``Judge.submit`` returns: cancelling it cancels the queued work it stands for, and
    succeeds only while that work has not started (as ``concurrent.futures`` promises)."""

    def __init__(self, work: concurrent.futures.Future) -> None:  # type: ignore[type-arg]
        super().__init__()
        self._work = work

    def cancel(self) -> bool:
        if not self._work.cancel():
            return False
        return super().cancel()
