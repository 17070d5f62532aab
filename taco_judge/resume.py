"""Judging through a store: per sample, reuse its stored result, judge it from stored executions,
or leave it to run; and record what a live run produced. The judge command, rejudge and sweeps
share it; executors never write (they return ``Judged``), the driver calls ``record``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from taco_judge.executions import KEY_VERSION, Execution, ExecutionKey, MissingObservations
from taco_judge.judge import JudgeConfig, SampleJudge
from taco_judge.judging import Judged, Judging
from taco_judge.problems import Problem, TaskMeta
from taco_judge.spj import CASE_MULTI
from taco_judge.store import SampleRow, Store
from taco_judge.submissions import Submission
from taco_judge.verdict import SampleResult
from taco_judge.version import __version__


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@functools.lru_cache(maxsize=64)
def _file_sha256(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def judge_fingerprint(judge: SampleJudge) -> str:
    """Everything besides the executions that decides a sample's result: checker options."""
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
    return _sha256(json.dumps(material, sort_keys=True))


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
    """Decides, per sample, whether its stored result holds, whether stored executions can judge
    it, or whether it must run; records every result in the run store (and executions in the cache)."""

    def __init__(self, store: Store, *, cache: Store | None = None, jail: str, runner_sha256: str) -> None:
        self.store = store
        self.cache = cache
        self.judging = Judging(jail, runner_sha256, self.find_execution)
        self.counts = JudgingCounts()
        self._rows = store.sample_rows()
        self._fingerprints: "weakref.WeakKeyDictionary[SampleJudge, str]" = weakref.WeakKeyDictionary()

    @property
    def jail(self) -> str:
        return self.judging.jail

    def stored_rows(self) -> list[SampleRow]:
        """The run store's sample rows as this judging started (a resume's earlier work)."""
        return list(self._rows.values())

    def judge_for(self, problem: Problem, config: JudgeConfig) -> SampleJudge:
        judge = SampleJudge(problem, config)
        self.store.save_task(problem, TaskMeta.from_problem(problem, judge.spj_case), judge.spj_case)
        return judge

    def fingerprint(self, judge: SampleJudge) -> str:
        if judge not in self._fingerprints:
            self._fingerprints[judge] = judge_fingerprint(judge)
        return self._fingerprints[judge]

    def sample_key(self, judge: SampleJudge, submission: Submission) -> str:
        """What a sample's result is computed from, besides checker options (``judge_fp``, which
        also decides each checker's own limits): its code, the problem's tests, the limits, the
        preamble, the hash seed, the jail and the runner."""
        material = [KEY_VERSION, submission.code_sha256, judge.problem.tests_sha256,
                    judge.limits.to_wire(), _sha256(judge.config.preamble),
                    judge.config.hash_seed, self.judging.jail, self.judging.runner_sha256]
        return _sha256(json.dumps(material, sort_keys=True, separators=(",", ":")))

    def find_execution(self, key: ExecutionKey) -> Execution | None:
        """The stored execution for ``key``: the run store's, else the cache's."""
        execution = self.store.get_execution(key)
        if execution is None and self.cache is not None:
            execution = self.cache.get_execution(key)
        return execution

    def resolve(self, judge: SampleJudge, submissions: Sequence[Submission]) -> tuple[list[SampleResult], list[Submission]]:
        """Results available without running code, and the submissions that must run.

        A stored result is reused when what it was computed from and the checker options still
        match; otherwise stored executions (run store, then cache) are replayed through the
        checkers; a sample that needs a test no stored execution ran must run. Every outcome is
        recorded before this returns.
        """
        with self.store.transaction():  # one commit per problem: its todo rows are only markers
            return self._resolve(judge, submissions)

    def _resolve(self, judge: SampleJudge, submissions: Sequence[Submission]) -> tuple[list[SampleResult], list[Submission]]:
        done: list[SampleResult] = []
        to_run: list[Submission] = []
        confirmed: list[tuple[int | str, int]] = []
        fingerprint = self.fingerprint(judge)
        for submission in submissions:
            key = self.sample_key(judge, submission)
            row = self._rows.get((submission.task_id, submission.sample))
            if (row is not None and row.status == "done" and row.sample_key == key and row.judge_fp == fingerprint
                    and row.code_sha256 == submission.code_sha256 and row.raw_sha256 == submission.raw_sha256):
                result = self.store.stored_result(submission.task_id, submission.sample)
                if result is not None:
                    confirmed.append((submission.task_id, submission.sample))
                    done.append(result)
                    self.counts.add("reused")
                    continue
            try:
                judged = self.judging.judge(judge, submission)
            except MissingObservations:
                self.store.save_sample(submission, None, sample_key=key, judge_fp=fingerprint)
                to_run.append(submission)
                continue
            self.record(judge, judged, counted="replayed")
            done.append(judged.result)
        if confirmed:
            self.store.confirm(confirmed)
        return done, to_run

    def record(self, judge: SampleJudge, judged: Judged, *, counted: str | None = None) -> None:
        """Store what judging a sample produced: its executions in the cache first (those it ran),
        then atomically in the run store with the result."""
        executions = [(execution, json.dumps(plan.to_wire(), sort_keys=True), live)
                      for execution, plan, live in judged.executions]
        if self.cache is not None:
            for execution, plan, live in executions:
                if live:
                    self.cache.put_execution(execution, plan, executed=True)
        stored = [(e, p, live) for e, p, live in executions if live or self.store.get_execution(e.key) is None]
        self.store.save_sample(judged.submission, judged.result, sample_key=self.sample_key(judge, judged.submission),
                               judge_fp=self.fingerprint(judge), exec_key=judged.exec_key, executions=stored)
        if counted is None:
            counted = "se" if judged.jail_failed else ("run" if judged.ran else "replayed")
        self.counts.add(counted)
