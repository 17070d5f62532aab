"""A reward function for RL on TACO, in the shape verl calls: ``compute_score(data_source,
solution_str, ground_truth, extra_info)`` judges the model's answer on ``taco-judge serve``.

The answer's code is taken from its fenced block by the same rule as ``judge`` reads generations
(``submissions.extract_code``); ``ground_truth`` is a TACO row (with ``input_output``, limits,
``fn_name``), its ``input_output`` alone (a dict or its JSON text), or a task id of the problem set
the service loaded. The service is ``$TACO_JUDGE_URL`` (token ``$TACO_JUDGE_TOKEN``) unless
``url``/``token`` are given. verl config::

    custom_reward_function:
      path: <site-packages>/taco_judge/rewards.py   # or a file that imports compute_score
      name: compute_score
      reward_kwargs: {reward: partial}              # optional: fraction of tests passed

The score dict carries ``score`` (what verl uses) with the verdict and tests passed beside it. A
sample the jail failed on (SE) or that the deadline cut short earned nothing either way: it raises
RewardUnavailable, unless ``se_score`` says what to give it instead (never silently 0).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from typing import Any

from taco_judge.client import JudgeClient

__all__ = ["compute_score", "compute_score_batch", "RewardUnavailable", "to_submission"]

_clients: dict[tuple[str | None, str | None], JudgeClient] = {}
_clients_lock = threading.Lock()


class RewardUnavailable(Exception):
    """The service could not judge the sample (SE after its retries, or past the deadline)."""


def _client(url: str | None, token: str | None) -> JudgeClient:
    with _clients_lock:
        client = _clients.get((url, token))
        if client is None:
            client = _clients[(url, token)] = JudgeClient(url, token=token)
        return client


def _problem_of(ground_truth: Any) -> dict[str, Any]:
    """The submission fields naming the problem: ``{"task_id": ...}`` or ``{"problem": row}``."""
    if isinstance(ground_truth, (bytes, bytearray)):
        ground_truth = ground_truth.decode("utf-8")
    if isinstance(ground_truth, str):
        text = ground_truth.strip()
        if text.isdigit():
            return {"task_id": int(text)}
        try:
            ground_truth = json.loads(text)
        except ValueError:
            raise ValueError("ground_truth: expected a TACO row, its input_output (JSON) or a task id, "
                             f"got text starting {text[:60]!r}") from None
    if isinstance(ground_truth, bool):
        raise ValueError("ground_truth: expected a TACO row, its input_output or a task id, got a boolean")
    if isinstance(ground_truth, int):
        return {"task_id": ground_truth}
    if isinstance(ground_truth, dict):
        if "input_output" in ground_truth:
            return {"problem": dict(ground_truth)}
        if "inputs" in ground_truth and "outputs" in ground_truth:
            return {"problem": {"input_output": dict(ground_truth)}}
        if "task_id" in ground_truth:
            return {"task_id": ground_truth["task_id"]}
    raise ValueError("ground_truth: expected a TACO row (with input_output), its input_output "
                     f"({{inputs, outputs}}) or a task id, got {type(ground_truth).__name__}")


def to_submission(solution_str: str, ground_truth: Any, extra_info: Any = None) -> dict[str, Any]:
    """The service submission for one model answer: its text as ``output`` (the service judges its
    fenced code) and the problem. ``extra_info`` may carry ``time_limit``/``memory_limit`` for an
    inline problem that has none."""
    submission = {**_problem_of(ground_truth), "output": solution_str}
    if "problem" in submission and isinstance(extra_info, dict):
        for name in ("time_limit", "memory_limit", "fn_name"):
            if name in extra_info and name not in submission["problem"]:
                submission["problem"][name] = extra_info[name]
    return submission


def _score(result: dict[str, Any], se_score: float | None) -> dict[str, Any]:
    if result.get("reward") is None:
        if se_score is None:
            raise RewardUnavailable(f"not judged ({result.get('status')}, verdict {result.get('verdict')}): "
                                    f"{result.get('detail')}")
        score = float(se_score)
    else:
        score = float(result["reward"])
    return {"score": score, "verdict": result.get("verdict") or result.get("status"),
            "tests_passed": int(result.get("tests_passed") or 0), "num_tests": int(result.get("num_tests") or 0)}


def compute_score(data_source: Any, solution_str: str, ground_truth: Any, extra_info: Any = None, *,
                  url: str | None = None, token: str | None = None, reward: str = "binary",
                  checker: str | None = None, se_score: float | None = None) -> dict[str, Any]:
    """One answer's reward (verl's custom reward function signature; ``data_source`` is not
    needed: the problem travels in ``ground_truth``). ``reward``: ``binary`` (1/0) or ``partial``
    (fraction of tests passed); ``checker``: the service's default, ``strict`` or ``taco``."""
    result = _client(url, token).judge([to_submission(solution_str, ground_truth, extra_info)],
                                       checker=checker, reward=reward, include_tests=False)[0]
    return _score(result, se_score)


def compute_score_batch(data_sources: Sequence[Any], solution_strs: Sequence[str], ground_truths: Sequence[Any],
                        extra_infos: Sequence[Any] | None = None, *, url: str | None = None,
                        token: str | None = None, reward: str = "binary", checker: str | None = None,
                        se_score: float | None = None, batch_size: int = 256) -> list[dict[str, Any]]:
    """Many answers' rewards in few requests (verl's batch reward manager calls it with lists)."""
    extras = list(extra_infos) if extra_infos is not None else [None] * len(solution_strs)
    submissions = [to_submission(s, g, e) for s, g, e in zip(solution_strs, ground_truths, extras)]
    client = _client(url, token)
    scores: list[dict[str, Any]] = []
    for start in range(0, len(submissions), batch_size):
        results = client.judge(submissions[start:start + batch_size], checker=checker, reward=reward,
                               include_tests=False)
        scores += [_score(result, se_score) for result in results]
    return scores
