"""The service's wire format: a ``POST /v1/judge`` body read into a ``JudgeRequest`` (every bad
field a ``WireError`` naming it), and each sample's result as the JSON it answers with.

Pure: no web framework, no jail. docs/service.md describes every field.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from taco_judge.errors import ProblemsError
from taco_judge.problems import Problem, normalize_task_id, parse_memory_limit, parse_time_limit, problem_from_row
from taco_judge.submissions import extract_code
from taco_judge.verdict import SampleResult, Verdict

CHECKERS = ("strict", "taco")  # what a request may ask for (``both`` answers one verdict: not offered)
REWARDS = ("binary", "partial")
REQUEST_FIELDS = ("submissions", "checker", "reward", "include_tests", "stream", "deadline_s")
SUBMISSION_FIELDS = ("task_id", "problem", "code", "output")
_MISSING_LIMIT = frozenset({"", "none", "null", "nan", "n/a"})


class WireError(Exception):
    """A request the service refuses: HTTP ``status``, the ``field`` at fault (a JSON path like
    ``submissions[2].code``, or None for the whole body) and what to do, in one line."""

    def __init__(self, status: int, field: str | None, message: str, *, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.status = status
        self.field = field
        self.headers = dict(headers or {})

    def to_json(self) -> dict[str, Any]:
        return {"error": {"status": self.status, "field": self.field, "message": str(self)}}


@dataclass(frozen=True)
class Item:
    """One submission of a request: the problem it answers and the code to judge.

    ``problem`` is None for a loaded problem (``task_id``); ``invalid`` is why an ``output``
    holds no code (judged CE without running, as ``judge --skip-invalid`` does).
    """

    index: int
    task_id: int | str
    problem: Problem | None
    problem_key: str | None  # content hash of an inline problem's row (to reuse its decoding)
    code: str
    raw: str
    invalid: str | None = None


@dataclass(frozen=True)
class JudgeRequest:
    items: tuple[Item, ...]
    checker: str | None
    reward: str
    include_tests: bool
    stream: bool
    deadline_s: float | None


def parse_body(body: bytes) -> Any:
    """The body as JSON. Bytes that are not UTF-8 survive as lone surrogates, so validation can
    name the field that holds them instead of refusing the whole body at once."""
    text = body.decode("utf-8", errors="surrogateescape")
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise WireError(400, None, f"the body is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
                                   "send a JSON object like {\"submissions\": [...]}") from None
    except RecursionError:
        raise WireError(400, None, "the body nests too deeply to read; send a flat JSON object") from None


def _not_utf8(text: str) -> str | None:
    """Why ``text`` is not UTF-8 text (it holds lone surrogates: invalid bytes or \\ud800 escapes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text[exc.start]
        if 0xDC80 <= ord(bad) <= 0xDCFF:
            return f"is not valid UTF-8 (byte 0x{ord(bad) - 0xDC00:02x} at character {exc.start})"
        return f"is not valid UTF-8 (lone surrogate \\u{ord(bad):04x} at character {exc.start})"
    return None


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _unknown_fields(data: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
    for key in data:
        if key not in known:
            raise WireError(422, f"{where}{key}" if where else key,
                            f"unknown field; known fields: {', '.join(known)}")


def _flag(data: Mapping[str, Any], name: str, default: bool) -> bool:
    value = data.get(name, default)
    if not isinstance(value, bool):
        raise WireError(422, name, f"expected true or false, got {_type_name(value)}")
    return value


def parse_request(data: Any, *, lookup: Callable[[int | str], Problem | None], max_samples: int,
                  problems_loaded: str) -> JudgeRequest:
    """Validate a decoded body. ``lookup`` finds a loaded problem by task id; ``problems_loaded``
    says what is loaded, for the error about an unknown task id."""
    if not isinstance(data, dict):
        raise WireError(422, None, f"the body must be a JSON object with \"submissions\", got {_type_name(data)}")
    _unknown_fields(data, REQUEST_FIELDS, "")
    submissions = data.get("submissions")
    if submissions is None:
        raise WireError(422, "submissions", "missing; give a list of {\"task_id\" or \"problem\", \"code\"} objects")
    if not isinstance(submissions, list):
        raise WireError(422, "submissions", f"expected a list, got {_type_name(submissions)}")
    if not submissions:
        raise WireError(422, "submissions", "is empty; give at least one submission")
    if len(submissions) > max_samples:
        raise WireError(413, "submissions", f"{len(submissions)} samples in one request, more than this service "
                                            f"takes ({max_samples}); split the batch")
    checker = data.get("checker")
    if checker is not None and checker not in CHECKERS:
        raise WireError(422, "checker", f"unknown checker {checker!r}; choose one of {', '.join(CHECKERS)}")
    reward = data.get("reward", "binary")
    if reward not in REWARDS:
        raise WireError(422, "reward", f"unknown reward {reward!r}; choose one of {', '.join(REWARDS)}")
    deadline = data.get("deadline_s")
    if deadline is not None:
        if isinstance(deadline, bool) or not isinstance(deadline, (int, float)) or not deadline > 0:
            raise WireError(422, "deadline_s", f"expected a number of seconds > 0, got {deadline!r}")
        deadline = float(deadline)
    inline: dict[str, tuple[str, Problem]] = {}
    items = tuple(_item(i, entry, lookup, problems_loaded, inline) for i, entry in enumerate(submissions))
    return JudgeRequest(items=items, checker=checker, reward=reward, include_tests=_flag(data, "include_tests", True),
                        stream=_flag(data, "stream", False), deadline_s=deadline)


def _item(index: int, entry: Any, lookup: Callable[[int | str], Problem | None], problems_loaded: str,
          inline: dict[str, tuple[str, Problem]]) -> Item:
    where = f"submissions[{index}]"
    if not isinstance(entry, dict):
        raise WireError(422, where, f"expected an object with \"task_id\" or \"problem\" and \"code\", got {_type_name(entry)}")
    _unknown_fields(entry, SUBMISSION_FIELDS, f"{where}.")
    has_code, has_output = "code" in entry, "output" in entry
    if has_code == has_output:
        raise WireError(422, f"{where}.code", "give exactly one of \"code\" (the program, judged as written) or "
                                              "\"output\" (a model's answer, its fenced code judged)")
    name = "code" if has_code else "output"
    raw = entry[name]
    if not isinstance(raw, str):
        raise WireError(422, f"{where}.{name}", f"expected a string, got {_type_name(raw)}")
    bad = _not_utf8(raw)
    if bad:
        raise WireError(422, f"{where}.{name}", f"{bad}; send the program as UTF-8 text")
    code, invalid = raw, None
    if name == "output":
        code = extract_code(raw)
        if not code.strip():
            invalid = "output is empty (no code)" if not raw.strip() else "output has an empty code block"

    has_id, has_problem = "task_id" in entry, "problem" in entry
    if has_id == has_problem:
        raise WireError(422, f"{where}.task_id", "give exactly one of \"task_id\" (a loaded problem) or "
                                                 "\"problem\" (a TACO row inline)")
    if has_id:
        raw_id = entry["task_id"]
        if isinstance(raw_id, bool) or not isinstance(raw_id, (int, str)):
            raise WireError(422, f"{where}.task_id", f"expected an integer or a string, got {_type_name(raw_id)}")
        task_id = normalize_task_id(raw_id)
        if lookup(task_id) is None:
            raise WireError(422, f"{where}.task_id", f"task {task_id!r} is not a loaded problem ({problems_loaded}); "
                                                     "check the id, or send the problem inline as \"problem\"")
        return Item(index, task_id, None, None, code, raw, invalid)
    key, problem = _inline_problem(entry["problem"], f"{where}.problem", inline)
    return Item(index, problem.task_id, problem, key, code, raw, invalid)


def _inline_problem(row: Any, where: str, seen: dict[str, tuple[str, Problem]]) -> tuple[str, Problem]:
    """A TACO row sent in the request, decoded by the loader's own ``problem_from_row`` (rows
    repeated in one request are decoded once)."""
    if not isinstance(row, dict):
        raise WireError(422, where, f"expected a TACO row (an object with input_output), got {_type_name(row)}")
    try:
        key = hashlib.sha256(json.dumps(row, sort_keys=True, ensure_ascii=True).encode()).hexdigest()
    except (TypeError, ValueError, RecursionError) as exc:
        raise WireError(422, where, f"cannot be read ({type(exc).__name__}: {exc})") from None
    if key in seen:
        return seen[key]
    for name in ("input_output", "time_limit", "memory_limit", "fn_name", "starter_code"):
        value = row.get(name)
        if isinstance(value, str) and _not_utf8(value):
            raise WireError(422, f"{where}.{name}", f"{_not_utf8(value)}; send it as UTF-8 text")
    row = dict(row)
    if "fn_name" in row:  # a convenience: TACO keeps fn_name inside input_output
        row = _move_fn_name(row, where)
    for name, parse, example in (("time_limit", parse_time_limit, "\"1 second\" or \"1000 ms\""),
                                 ("memory_limit", parse_memory_limit, "\"256 megabytes\"")):
        value = row.get(name)
        if value is None or (isinstance(value, str) and value.strip().lower() in _MISSING_LIMIT):
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or parse(value) is None:
            raise WireError(422, f"{where}.{name}", f"cannot read {value!r} as a limit; write it like {example}, or leave it out")
    if "task_id" not in row:
        row["task_id"] = "inline"
    elif isinstance(row["task_id"], bool) or not isinstance(row["task_id"], (int, str)):
        raise WireError(422, f"{where}.task_id", f"expected an integer or a string, got {_type_name(row['task_id'])}")
    try:
        problem = problem_from_row(row, 0, where)
    except ProblemsError as exc:
        message = str(exc).split(": ", 1)[-1] if str(exc).startswith(where) else str(exc)
        field = where + (".input_output" if "input_output" in message else "")
        raise WireError(422, field, message) from None
    except RecursionError:
        raise WireError(422, f"{where}.input_output", "nests too deeply to read") from None
    for test in problem.tests:  # the tests go to the runner as UTF-8: no lone surrogates in them
        for part, value in (("input", test.input), ("output", test.expected)):
            bad = _first_not_utf8(value)
            if bad:
                raise WireError(422, f"{where}.input_output", f"test {test.index} {part} {bad}; send it as UTF-8 text")
    seen[key] = (key, problem)
    return key, problem


def _first_not_utf8(value: Any) -> str | None:
    """Why some text inside ``value`` (strings, lists, dicts) is not UTF-8, or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            bad = _not_utf8(item)
            if bad:
                return bad
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return None


def _move_fn_name(row: dict[str, Any], where: str) -> dict[str, Any]:
    fn_name = row.pop("fn_name")
    if fn_name is None:
        return row
    if not isinstance(fn_name, str):
        raise WireError(422, f"{where}.fn_name", f"expected a string, got {_type_name(fn_name)}")
    io = row.get("input_output")
    if isinstance(io, str):
        try:
            io = json.loads(io)
        except ValueError:
            return row  # problem_from_row names the broken input_output
    if not isinstance(io, dict):
        return row
    if io.get("fn_name") not in (None, fn_name):
        raise WireError(422, f"{where}.fn_name", f"{fn_name!r} differs from input_output's fn_name "
                                                 f"{io['fn_name']!r}; give one")
    row["input_output"] = {**io, "fn_name": fn_name}
    return row


# ------------------------------------------------------------------------------------ results


def tests_passed(result: SampleResult) -> int:
    return sum(1 for test in result.tests if test.verdict is Verdict.AC)


def reward_of(result: SampleResult, reward: str) -> float | None:
    """1/0 for a pass (``binary``), or the fraction of tests passed (``partial``); None for SE:
    the jail failed, so the program earned nothing either way."""
    if result.verdict is Verdict.SE:
        return None
    if reward == "partial" and result.num_tests:
        return tests_passed(result) / result.num_tests
    return 1.0 if result.passed else 0.0


def result_json(index: int, result: SampleResult, *, reward: str, include_tests: bool) -> dict[str, Any]:
    """One judged sample as the service answers it: ``SampleResult.to_json`` (the fields of
    results.jsonl) plus its index in the request, its status, reward and tests passed."""
    out = result.to_json()
    out.pop("sample", None)
    if not include_tests:
        out.pop("tests", None)
    out.setdefault("detail", "")
    return {"index": index, "status": "judged", "reward": reward_of(result, reward),
            "tests_passed": tests_passed(result), **out}


def not_judged_json(index: int, task_id: int | str, status: str, detail: str) -> dict[str, Any]:
    """A sample the service gave up on without a verdict (``deadline``: the request's deadline
    passed first). Not a fail: verdict, passed and reward are null."""
    return {"index": index, "status": status, "task_id": task_id, "verdict": None, "passed": None,
            "reward": None, "detail": detail}
