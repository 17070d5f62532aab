"""One TACO row -> Problem: decoding its fields (input_output, solutions, limits, labels), every bad field a ProblemsError naming the row and the field."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from taco_judge.errors import ProblemsError
from taco_judge.problems.records import (
    MISSING_TEXT,
    Mode,
    Problem,
    TestCase,
    normalize_task_id,
    parse_memory_limit,
    parse_time_limit,
)

# ---------------------------------------------------------------------------------------------
# One TACO row -> Problem
# ---------------------------------------------------------------------------------------------

# Row fields that become Problem fields; everything else in a row is kept in Problem.extra.
_PROBLEM_FIELDS = frozenset(
    {
        "task_id", "question", "solutions", "starter_code", "input_output", "difficulty",
        "skill_types", "tags", "source", "name", "url", "time_limit", "memory_limit",
    }
)
# Columns the cheap index pass reads (solutions, the biggest column, is never read there).
META_COLUMNS = ("task_id", "difficulty", "skill_types", "source", "input_output")


@dataclass(frozen=True)
class ProblemMeta:
    """What the cheap index pass knows about a row: enough to filter and count, no tests."""

    task_id: int | str
    difficulty: str
    skills: tuple[str, ...]
    source: str
    mode: Mode
    origin: str = ""


def _plain_text(value: Any) -> str:
    """Metadata text; TACO writes a missing value as the string "None"."""
    if value is None:
        return ""
    text = str(value).strip()
    return "" if text.lower() in MISSING_TEXT else text


def _difficulty(value: Any) -> str:
    text = _plain_text(value)
    return normalize_label(text) if text else "UNKNOWN"


def normalize_label(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip()).upper()


def _text_list(value: Any) -> tuple[str, ...]:
    """A list-valued metadata field (skill_types, tags, raw_tags).

    TACO stores these as JSON text; some re-exports write Python reprs ("['Sorting']") or
    plain comma-separated text. All three are accepted, because a cosmetic field must not
    stop a judge run.
    """
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(item).strip() for item in value if _plain_text(item))
    text = str(value).strip()
    if text.lower() in MISSING_TEXT or text in ("[]", "()"):
        return ()
    decoded: Any = None
    try:
        decoded = json.loads(text)
    except ValueError:
        try:
            decoded = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            decoded = None
    if isinstance(decoded, (list, tuple)):
        return tuple(str(item).strip() for item in decoded if _plain_text(item))
    if isinstance(decoded, str):
        return (decoded.strip(),) if _plain_text(decoded) else ()
    return tuple(part.strip() for part in text.split(",") if _plain_text(part))


def _task_id_of(row: Mapping[str, Any], index: int, origin: str) -> int | str:
    value = row.get("task_id")
    if value is None:
        return index
    try:
        return normalize_task_id(value)
    except TypeError as exc:
        raise ProblemsError(f"{origin}: task_id {value!r} is not usable ({exc}); use an integer or a string") from exc


def _decode_input_output(raw: Any, where: str) -> Mapping[str, Any]:
    if raw is None:
        raise ProblemsError(f"{where}: no input_output field; every problem needs its tests as TACO's input_output JSON")
    if isinstance(raw, (bytes, bytearray)):
        raw = bytes(raw).decode("utf-8", errors="replace")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            detail = f"{exc.msg} at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise ProblemsError(f"{where}: input_output is not valid JSON ({detail}); repair the row or remove it") from None
    if not isinstance(raw, Mapping):
        raise ProblemsError(
            f"{where}: input_output must be a JSON object with inputs and outputs, got {type(raw).__name__}; repair the row or remove it"
        )
    return raw


def _int_keys(mapping: dict[Any, Any]) -> dict[Any, Any]:
    """Undo JSON's int-key -> str-key conversion, as TACO does: all keys convert, or none."""
    try:
        return {int(key): value for key, value in mapping.items()}
    except (TypeError, ValueError):
        return mapping


def decode_solutions(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        if raw.strip().lower() in MISSING_TEXT:
            return ()
        try:
            raw = json.loads(raw)
        except ValueError:
            raise ProblemsError(f"{where}: solutions is not valid JSON (expected a JSON list of programs); repair the row or remove it") from None
    if isinstance(raw, str):
        return (raw,)
    if not isinstance(raw, (list, tuple)):
        raise ProblemsError(f"{where}: solutions must be a list of programs, got {type(raw).__name__}; repair the row or remove it")
    return tuple(item if isinstance(item, str) else str(item) for item in raw)


def problem_from_row(row: Mapping[str, Any], index: int, origin: str) -> Problem:
    """One TACO row -> Problem.

    ``index`` is the row's position in its split (the TACO task id unless the row carries
    ``task_id``); ``origin`` says where the row came from ("file line 7") for error messages.
    JSON-encoded fields (input_output, solutions, skill_types, tags, raw_tags) may be text, as
    in TACO, or already decoded. Call mode when input_output names a non-empty ``fn_name``.
    Stdin inputs given as lists of lines are joined with "\\n" (as TACO does); expected outputs
    stay raw. In call mode each input is the argument list; a first argument that is a dict
    gets its keys turned back into ints when all of them convert (TACO's JSON workaround; unlike
    TACO, the other arguments are kept). Raises ProblemsError for missing or malformed tests.
    """
    task_id = _task_id_of(row, index, origin)
    where = f"{origin} (task {task_id})"
    io = _decode_input_output(row.get("input_output"), where)
    inputs, outputs = io.get("inputs"), io.get("outputs")
    if not isinstance(inputs, list) or not isinstance(outputs, list):
        missing = "inputs" if not isinstance(inputs, list) else "outputs"
        raise ProblemsError(f"{where}: input_output has no {missing!r} list; repair the row or remove it")
    if len(inputs) != len(outputs):
        raise ProblemsError(
            f"{where}: input_output has {len(inputs)} inputs but {len(outputs)} outputs; repair the row or remove it"
        )
    if not inputs:
        raise ProblemsError(f"{where}: input_output has no tests (empty inputs); a problem without tests cannot be judged, remove it")
    fn_name = io.get("fn_name")
    if fn_name is not None and not isinstance(fn_name, str):
        raise ProblemsError(f"{where}: input_output fn_name must be a string, got {type(fn_name).__name__}; repair the row")
    fn_name = fn_name.strip() if fn_name else None
    mode: Mode = "call" if fn_name else "stdin"

    tests = []
    for number, (test_input, expected) in enumerate(zip(inputs, outputs)):
        if mode == "stdin":
            if isinstance(test_input, list) and all(isinstance(line, str) for line in test_input):
                test_input = "\n".join(test_input)
            elif not isinstance(test_input, str):
                raise ProblemsError(
                    f"{where}: test {number} input must be stdin text (a string or a list of lines), "
                    f"got {type(test_input).__name__}; repair the row or remove it"
                )
        else:
            if not isinstance(test_input, list):
                raise ProblemsError(
                    f"{where}: test {number} input must be the argument list for {fn_name}(), "
                    f"got {type(test_input).__name__}; repair the row or remove it"
                )
            if test_input and isinstance(test_input[0], dict):
                test_input = [_int_keys(test_input[0]), *test_input[1:]]
        tests.append(TestCase(index=number, input=test_input, expected=expected))

    extra = {key: value for key, value in row.items() if key not in _PROBLEM_FIELDS}
    if "raw_tags" in extra:
        extra["raw_tags"] = _text_list(extra["raw_tags"])
    raw_time = row.get("time_limit")
    raw_memory = row.get("memory_limit")
    return Problem(
        task_id=task_id,
        mode=mode,
        tests=tuple(tests),
        fn_name=fn_name,
        question=row.get("question") or "",
        solutions=decode_solutions(row.get("solutions"), where),
        starter_code=row.get("starter_code") or "",
        difficulty=_difficulty(row.get("difficulty")),
        skills=_text_list(row.get("skill_types")),
        tags=_text_list(row.get("tags")),
        source=_plain_text(row.get("source")),
        name=_plain_text(row.get("name")),
        url=_plain_text(row.get("url")),
        time_limit_s=parse_time_limit(raw_time),
        memory_limit_mb=parse_memory_limit(raw_memory),
        raw_time_limit=None if raw_time is None else str(raw_time),
        raw_memory_limit=None if raw_memory is None else str(raw_memory),
        extra=extra,
    )


_FN_NAME_KEY = re.compile(r'"fn_name"\s*:\s*')
_JSON_DECODER = json.JSONDecoder()


def _fn_name_from_text(text: str) -> str | None:
    """Find input_output's fn_name without decoding the (possibly huge) test lists.

    A '"fn_name":' whose opening quote is not backslash-escaped is a key: inside a JSON string
    every quote is escaped, so text in test data cannot match.
    """
    for match in _FN_NAME_KEY.finditer(text):
        backslashes = 0
        position = match.start() - 1
        while position >= 0 and text[position] == "\\":
            backslashes += 1
            position -= 1
        if backslashes % 2:
            continue
        try:
            value, _ = _JSON_DECODER.raw_decode(text, match.end())
        except ValueError:
            return None
        return (value.strip() or None) if isinstance(value, str) else None
    return None


def meta_from_row(row: Mapping[str, Any], index: int, origin: str) -> ProblemMeta:
    """The cheap view of a row: id, difficulty, skills, source, mode; tests are not decoded."""
    io = row.get("input_output")
    if isinstance(io, Mapping):
        fn_name = io.get("fn_name")
        fn_name = fn_name.strip() if isinstance(fn_name, str) else None
    elif isinstance(io, (str, bytes, bytearray)):
        fn_name = _fn_name_from_text(io if isinstance(io, str) else bytes(io).decode("utf-8", errors="replace"))
    else:
        fn_name = None
    return ProblemMeta(
        task_id=_task_id_of(row, index, origin),
        difficulty=_difficulty(row.get("difficulty")),
        skills=_text_list(row.get("skill_types")),
        source=_plain_text(row.get("source")),
        mode="call" if fn_name else "stdin",
        origin=origin,
    )
