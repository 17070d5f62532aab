"""Problems and their tests: records, plus loading TACO rows from the hub, disk, parquet or JSONL."""

from __future__ import annotations

import ast
import contextlib
import gzip
import hashlib
import json
import logging
import math
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from taco_judge.errors import ProblemsError, UserError, json_problem

Mode = Literal["stdin", "call"]


@dataclass(frozen=True)
class TestCase:
    """One hidden test.

    ``input`` is the stdin text (stdin mode) or the decoded argument list (call mode);
    ``expected`` is the raw entry of TACO's ``input_output["outputs"]`` (a string, or for call
    mode any JSON value, usually wrapped in a one-element list). Checkers interpret it.
    """

    __test__ = False  # not a pytest test class

    index: int
    input: Any
    expected: Any


@dataclass(frozen=True)
class Problem:
    """One TACO problem row, decoded."""

    task_id: int | str
    mode: Mode
    tests: tuple[TestCase, ...]
    fn_name: str | None = None
    question: str = ""
    solutions: tuple[str, ...] = ()
    starter_code: str = ""
    difficulty: str = "UNKNOWN"
    skills: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str = ""
    name: str = ""
    url: str = ""
    time_limit_s: float | None = None  # parsed from the row; None when missing/unparseable
    memory_limit_mb: int | None = None
    raw_time_limit: str | None = None
    raw_memory_limit: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def tests_sha256(self) -> str:
        """Content hash of the tests and call convention, for caching and provenance."""
        h = hashlib.sha256()
        h.update(json.dumps([self.mode, self.fn_name], sort_keys=True).encode())
        for t in self.tests:
            h.update(json.dumps([t.input, t.expected], sort_keys=True, default=repr).encode())
        return h.hexdigest()


def normalize_task_id(value: Any) -> int | str:
    """TACO task ids are row indices; generation files write them as ints or digit strings."""
    if isinstance(value, bool):
        raise TypeError("a task id cannot be a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    return text


# ---------------------------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------------------------

_NUMBER = r"(\d+(?:\.\d*)?|\.\d+)"
_TIME_RE = re.compile(
    rf"^(?:time\s*limit\s*[:=]?\s*)?{_NUMBER}\s*(?:(?:-|–|to)\s*{_NUMBER}\s*)?"
    r"(ms|msecs?|milliseconds?|s|secs?|seconds?)?\.?"
    r"(?:\s*(?:per|/)\s*test(?:\s*case)?)?$",
    re.IGNORECASE,
)
_MEMORY_RE = re.compile(
    rf"^(?:memory\s*limit\s*[:=]?\s*)?{_NUMBER}\s*"
    r"(b|bytes?|k|kb|kib|kilobytes?|m|mb|mib|megabytes?|g|gb|gib|gigabytes?)?\.?$",
    re.IGNORECASE,
)
_MEMORY_UNIT_MB = {"b": 1 / 2**20, "k": 1 / 1024, "m": 1.0, "g": 1024.0}
_MISSING_TEXT = frozenset({"", "none", "null", "nan", "n/a"})


def parse_time_limit(text: Any) -> float | None:
    """TACO's ``time_limit`` text ("1 second", "2.5 seconds", "1000 ms", "2 sec") -> seconds.

    A bare number means seconds; a range ("1-2 seconds") gives its upper end. Missing or
    unparseable text ("None", "", "varies") gives None, and the judge then uses its default.
    """
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        match = _TIME_RE.match(str(text).strip())
        if match is None:
            return None
        value = max(float(match.group(1)), float(match.group(2) or 0))
        unit = (match.group(3) or "s").lower()
        if unit.startswith("m"):
            value /= 1000.0
    return value if math.isfinite(value) and value > 0 else None


def parse_memory_limit(text: Any) -> int | None:
    """TACO's ``memory_limit`` text ("256 megabytes", "64 MiB", "1 gigabyte") -> megabytes.

    MB and MiB are treated alike (contest sites mean 2**20 bytes); a bare number means MB;
    fractions round up. Missing or unparseable text gives None (the judge's default applies).
    """
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        match = _MEMORY_RE.match(str(text).strip())
        if match is None:
            return None
        unit = (match.group(2) or "m").lower()
        value = float(match.group(1)) * _MEMORY_UNIT_MB[unit[0]]
    if not math.isfinite(value) or value <= 0:
        return None
    return max(1, math.ceil(value - 1e-9))


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
_META_COLUMNS = ("task_id", "difficulty", "skill_types", "source", "input_output")


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
    return "" if text.lower() in _MISSING_TEXT else text


def _difficulty(value: Any) -> str:
    text = _plain_text(value)
    return _normalize_label(text) if text else "UNKNOWN"


def _normalize_label(text: str) -> str:
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
    if text.lower() in _MISSING_TEXT or text in ("[]", "()"):
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


def _decode_solutions(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        if raw.strip().lower() in _MISSING_TEXT:
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
        solutions=_decode_solutions(row.get("solutions"), where),
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


# ---------------------------------------------------------------------------------------------
# Sources: where rows come from. Every reader yields (origin, row) lazily.
# ---------------------------------------------------------------------------------------------

log = logging.getLogger(__name__)

_PARQUET_BATCH_ROWS = 64
_SPLIT_NAME = re.compile(r"^[A-Za-z][\w.-]*$")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$")
_SHARD_NAME = re.compile(r"^(?P<split>[A-Za-z][A-Za-z0-9_]*)-\d+-of-\d+\.")
_TACO_HUB_ID = "BAAI/TACO"


class _RowReader(Protocol):
    def rows(self, columns: Sequence[str] | None) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """Yield (origin, row); with ``columns``, rows may hold only those keys."""
        ...


def _is_jsonl(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz"))


class _JsonlReader:
    """One TACO row per line (blank lines skipped); ``.gz`` files are decompressed on the fly."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def rows(self, columns: Sequence[str] | None) -> Iterator[tuple[str, Mapping[str, Any]]]:
        opener = gzip.open if self.path.name.lower().endswith(".gz") else open
        try:
            with opener(self.path, "rb") as handle:
                for line_number, raw in enumerate(handle, 1):
                    row = self._decode(raw, line_number)
                    if row is None:
                        continue
                    if columns is not None:
                        row = {key: row[key] for key in columns if key in row}
                    yield f"{self.path} line {line_number}", row
        except (OSError, EOFError, zlib.error) as exc:
            raise ProblemsError(f"{self.path}: cannot read ({exc}); check the file is complete") from exc

    def _decode(self, raw: bytes, line_number: int) -> dict[str, Any] | None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProblemsError(
                f"{self.path} line {line_number}: not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                "re-encode the file as UTF-8"
            ) from None
        if line_number == 1:
            text = text.lstrip("\ufeff")
        if not text.strip():
            return None
        try:
            row = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProblemsError(
                f"{self.path} line {line_number} column {exc.colno}: not valid JSON ({json_problem(exc, line_number)}); "
                "each line must be one TACO row as a JSON object"
            ) from None
        if not isinstance(row, dict):
            raise ProblemsError(
                f"{self.path} line {line_number}: expected a JSON object (one TACO row), got {type(row).__name__}"
            )
        return row


class _ParquetReader:
    """A parquet file read in record batches of a few rows, never as a whole table."""

    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq

        self.path = path
        try:
            self.columns = tuple(pq.ParquetFile(path).schema_arrow.names)
        except Exception as exc:  # pyarrow raises several types for a bad file
            raise ProblemsError(f"{path}: not a readable parquet file ({_one_line(exc)})") from exc

    def rows(self, columns: Sequence[str] | None) -> Iterator[tuple[str, Mapping[str, Any]]]:
        import pyarrow.parquet as pq

        wanted = None if columns is None else [name for name in columns if name in self.columns] or None
        row_number = 0
        parquet = pq.ParquetFile(self.path)
        try:
            for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH_ROWS, columns=wanted):
                for row in batch.to_pylist():
                    yield f"{self.path} row {row_number}", row
                    row_number += 1
        finally:
            parquet.close()


class _DatasetReader:
    """A Hugging Face ``datasets.Dataset`` (Arrow, memory-mapped) iterated row by row."""

    def __init__(self, dataset: Any, label: str) -> None:
        self.dataset = dataset
        self.label = label

    def rows(self, columns: Sequence[str] | None) -> Iterator[tuple[str, Mapping[str, Any]]]:
        dataset = self.dataset
        if columns is not None:
            present = list(getattr(dataset, "column_names", None) or [])
            wanted = [name for name in columns if name in present]
            if wanted:  # selecting no column at all would yield no rows
                dataset = dataset.select_columns(wanted)
        for row_number, row in enumerate(dataset):
            yield f"{self.label} row {row_number}", row


class _ChainReader:
    """Several files read in order as one split: row indices continue across files."""

    def __init__(self, readers: Sequence[_RowReader]) -> None:
        self.readers = tuple(readers)

    def rows(self, columns: Sequence[str] | None) -> Iterator[tuple[str, Mapping[str, Any]]]:
        for reader in self.readers:
            yield from reader.rows(columns)


class ProblemSource:
    """A problem set read lazily: iterate for Problems, ``index()`` for cheap metadata.

    Both passes stream (JSONL line by line, parquet in small record batches, datasets by
    iterating the memory-mapped Arrow table), so memory does not grow with the split size.
    Row positions count from 0 across all files of the source; a row's ``task_id`` field,
    when present, overrides its position. Task ids must be unique (ProblemsError otherwise).
    """

    def __init__(self, description: str, reader: _RowReader) -> None:
        self.description = description
        self._reader = reader

    def __repr__(self) -> str:
        return f"ProblemSource({self.description!r})"

    def __iter__(self) -> Iterator[Problem]:
        seen: dict[int | str, str] = {}
        for index, (origin, row) in enumerate(self._reader.rows(None)):
            problem = problem_from_row(row, index, origin)
            _check_unique(problem.task_id, seen, origin)
            yield problem

    def index(self) -> Iterator[ProblemMeta]:
        """Yield ProblemMeta per row without decoding solutions or tests."""
        seen: dict[int | str, str] = {}
        for index, (origin, row) in enumerate(self._reader.rows(_META_COLUMNS)):
            meta = meta_from_row(row, index, origin)
            _check_unique(meta.task_id, seen, origin)
            yield meta

    def solution_counts(self) -> Iterator[tuple[ProblemMeta, int]]:
        """(metadata, number of reference solutions) per row, tests not decoded: what
        `problems validate` will run, counted before it runs (its progress total)."""
        seen: dict[int | str, str] = {}
        for index, (origin, row) in enumerate(self._reader.rows((*_META_COLUMNS, "solutions"))):
            meta = meta_from_row(row, index, origin)
            _check_unique(meta.task_id, seen, origin)
            yield meta, len(_decode_solutions(row.get("solutions"), f"{origin} (task {meta.task_id})"))

    def filtered(self, problem_filter: ProblemFilter) -> Iterator[Problem]:
        """The problems that ``problem_filter`` keeps, still streamed."""
        return (problem for problem in self if problem_filter.matches(problem))


def _check_unique(task_id: int | str, seen: dict[int | str, str], origin: str) -> None:
    """Task ids are unique in a set; ``seen`` maps each to the row that had it first."""
    earlier = seen.get(task_id)
    if earlier is not None:
        here, there = _origin_file(origin), _origin_file(earlier)
        hint = (f"; a folder's files are read as one problem set: pass one file with --problems"
                if here != there else "; task ids must be unique in a problem set")
        raise ProblemsError(f"{origin}: task id {task_id!r} is used by an earlier row too ({earlier}){hint}")
    seen[task_id] = origin


def _origin_file(origin: str) -> str:
    """The file part of a row's origin ("FILE line 3", "FILE row 3")."""
    return re.sub(r" (line|row) \d+$", "", origin)


def _one_line(exc: BaseException, limit: int = 300) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def open_problems(spec: str, *, split: str | None = None) -> ProblemSource:
    """Open a TACO problem set without reading it.

    ``spec`` is one of:
    - a hub dataset id, optionally with a split: "BAAI/TACO", "BAAI/TACO:train", or the
      shorthand "taco:test" / "taco:train" (split defaults to "test"); loaded with
      ``datasets.load_dataset`` (downloaded once into the datasets cache, then memory-mapped);
    - a ``save_to_disk`` directory (how BAAI DataHub ships TACO), holding a Dataset or a
      DatasetDict (split: the ``split`` option, else "test" if present, else the only split);
      "DIR:train" also selects a split;
    - a parquet file, or a JSONL file (``.jsonl``, ``.jsonl.gz``, ``.ndjson``);
    - a folder of such files. Folder rule: take the ``*.parquet``, ``*.jsonl``, ``*.jsonl.gz``
      and ``*.ndjson`` files directly inside it (not in subfolders), skip any whose name contains
      "spj" or starts with "generation" (TACO's output_spj.jsonl, generation files) and, with a
      warning, any whose first row (JSONL) or schema (parquet) has no ``input_output`` (not TACO
      rows: behaviour vectors, logs), sort by name and read them in order as one split. When every file is a hub-style shard
      ("train-00000-of-00009.parquet"), the shards of one split are taken (the ``split``
      option, else "test" if present, else the only split). A folder with ``dataset_dict.json``
      or ``state.json`` + ``dataset_info.json`` is a ``save_to_disk`` directory instead.

    Raises ProblemsError (one line) when the spec cannot be opened.
    """
    spec = spec.strip()
    path = Path(spec).expanduser()
    if path.exists():
        return _open_local(path, split, spec)
    head, colon, tail = spec.rpartition(":")
    if colon and head and _SPLIT_NAME.match(tail) and Path(head).expanduser().is_dir():
        return _open_local(Path(head).expanduser(), _merge_split(spec, tail, split), spec)
    hub = _hub_spec(spec, split)
    if hub is not None:
        return _open_hub(*hub, spec=spec)
    raise ProblemsError(
        f"{spec}: no such file or directory; pass a TACO parquet/JSONL file, a folder of them, "
        "a save_to_disk directory, or a hub id such as BAAI/TACO or taco:test"
    )


def _merge_split(spec: str, from_spec: str, option: str | None) -> str:
    if option is not None and option != from_spec:
        raise ProblemsError(f"{spec}: names split {from_spec!r} but --split says {option!r}; give the split once")
    return from_spec


def _hub_spec(spec: str, split: str | None) -> tuple[str, str] | None:
    name, colon, tail = spec.partition(":")
    if colon and not _SPLIT_NAME.match(tail):
        return None
    if name.lower() == "taco":
        repo_id = _TACO_HUB_ID
    elif _HUB_ID.match(name) and not name.lower().endswith((".jsonl", ".json", ".parquet", ".gz", ".arrow", ".ndjson")):
        repo_id = name
    else:
        return None
    chosen = _merge_split(spec, tail, split) if colon else (split or "test")
    return repo_id, chosen


HUB_CONNECT_TIMEOUT_S = 3.0
_PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy")
_HUB_LOGGERS = ("huggingface_hub", "datasets", "httpx", "httpcore", "urllib3", "fsspec", "filelock")


def _hub_unreachable() -> str | None:
    """Why the hub cannot be reached (None: it answers, or offline mode or a proxy decides).

    Without this check an offline machine spends ~25 s in the hub client's retries (5, with
    backoff) before the same failure; one TCP connection with a short timeout tells at once.
    """
    import socket
    from urllib.parse import urlsplit

    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE or any(os.environ.get(name) for name in _PROXY_VARIABLES):
        return None
    url = urlsplit(constants.ENDPOINT)
    host = url.hostname or "huggingface.co"
    try:
        socket.create_connection((host, url.port or (80 if url.scheme == "http" else 443)),
                                 timeout=HUB_CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        return f"{host}: {exc.strerror or type(exc).__name__}"
    return None


@contextlib.contextmanager
def _hub_quiet() -> Iterator[None]:
    """The hub client's own retry warnings (printed by its handler and again by ours) stay out
    of the terminal: the one error line says what failed."""
    loggers = [logging.getLogger(name) for name in _HUB_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _open_hub(repo_id: str, split: str, *, spec: str) -> ProblemSource:
    what = f"cannot load {repo_id} (split {split}) from the Hugging Face hub"
    try:
        import datasets
    except ImportError as exc:
        raise ProblemsError(f"{what}: the datasets package is missing ({exc}); pip install datasets") from None
    unreachable = _hub_unreachable()
    if unreachable is not None:
        raise ProblemsError(
            f"{what}: the hub is unreachable ({unreachable}); with a copy in the datasets cache set "
            "HF_HUB_OFFLINE=1 to load it without the network, or download it and pass the directory / parquet file"
        )
    try:
        with _hub_quiet():
            dataset = datasets.load_dataset(repo_id, split=split)
    except Exception as exc:  # network, auth, offline mode, unknown split: all mean "not from the hub"
        offline = "HF_HUB_OFFLINE=1 is set, so only the datasets cache is read; " if _offline_mode() else ""
        raise ProblemsError(
            f"{what}: {_one_line(exc)}; {offline}download it and pass the directory / parquet file instead"
        ) from exc
    label = f"{repo_id}:{split}"
    if _is_dataset_dict(dataset):
        dataset, chosen = _select_split(dataset, split, label)
        label = f"{repo_id}:{chosen}"
    return ProblemSource(label, _DatasetReader(dataset, label))


def _offline_mode() -> bool:
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE)


def _is_dataset_dict(obj: Any) -> bool:
    return isinstance(obj, Mapping) or type(obj).__name__ in ("DatasetDict", "IterableDatasetDict")


def _select_split(splits: Mapping[str, Any], split: str | None, label: str) -> tuple[Any, str]:
    names = sorted(splits.keys())
    if split is not None:
        if split not in splits:
            raise ProblemsError(f"{label}: no split {split!r}; available splits: {', '.join(names)}")
        return splits[split], split
    if "test" in splits:
        return splits["test"], "test"
    if len(names) == 1:
        return splits[names[0]], names[0]
    raise ProblemsError(f"{label}: has splits {', '.join(names)}; choose one with --split")


def _open_local(path: Path, split: str | None, spec: str) -> ProblemSource:
    if path.is_dir():
        if (path / "dataset_dict.json").exists() or ((path / "state.json").exists() and (path / "dataset_info.json").exists()):
            return _open_saved_dataset(path, split)
        return _open_folder(path, split)
    if split is not None:
        raise ProblemsError(f"{spec}: a single file has no splits, but --split {split} was given; drop --split or pass the split's file")
    return ProblemSource(str(path), _file_reader(path))


def _file_reader(path: Path) -> _RowReader:
    if path.name.lower().endswith(".parquet"):
        return _ParquetReader(path)
    if _is_jsonl(path):
        return _JsonlReader(path)
    raise ProblemsError(f"{path}: unsupported problem file type; use .parquet, .jsonl or .jsonl.gz (TACO rows)")


def _open_saved_dataset(path: Path, split: str | None) -> ProblemSource:
    try:
        import datasets

        loaded = datasets.load_from_disk(str(path))
    except Exception as exc:
        raise ProblemsError(f"{path}: cannot load this save_to_disk directory ({_one_line(exc)})") from exc
    label = str(path)
    if _is_dataset_dict(loaded):
        loaded, chosen = _select_split(loaded, split, label)
        label = f"{path}:{chosen}"
    elif split is not None:
        raise ProblemsError(f"{path}: holds a single dataset without splits, but --split {split} was given; drop --split")
    return ProblemSource(label, _DatasetReader(loaded, label))


def _folder_files(path: Path) -> list[Path]:
    files = []
    for child in path.iterdir():
        name = child.name.lower()
        if not child.is_file() or "spj" in name or name.startswith("generation"):
            continue
        if name.endswith(".parquet") or _is_jsonl(child):
            why_not = _not_problem_rows(child)
            if why_not:
                log.warning("%s: skipped, not TACO problem rows (%s)", child, why_not)
                continue
            files.append(child)
    return sorted(files, key=lambda child: child.name)


def _not_problem_rows(path: Path) -> str | None:
    """Why a data file in a problems folder holds no TACO rows (None: it does), from its first
    row or its schema: a TACO row always has ``input_output`` (the tests)."""
    try:
        if path.name.lower().endswith(".parquet"):
            import pyarrow.parquet as pq

            names = pq.read_schema(path).names
        else:
            first = next(iter(_JsonlReader(path).rows(None)), None)
            if first is None:
                return "no rows"
            names = list(first[1])
    except (ProblemsError, OSError, ValueError) as exc:
        return None if isinstance(exc, ProblemsError) else f"unreadable: {exc}"  # a broken TACO file says why later
    if "input_output" in names:
        return None
    return f"no input_output {'column' if path.name.lower().endswith('.parquet') else 'field'}; " \
           f"it has {', '.join(names[:5]) or 'no fields'}"


def _open_folder(path: Path, split: str | None) -> ProblemSource:
    files = _folder_files(path)
    if not files:
        subfolders = sorted(child.name for child in path.iterdir() if child.is_dir())
        hint = f" (subfolders: {', '.join(subfolders[:5])}; pass one of them)" if subfolders else ""
        raise ProblemsError(
            f"{path}: no problem files (*.parquet, *.jsonl, *.jsonl.gz holding TACO rows) in this folder{hint}"
        )
    shard_splits = [_SHARD_NAME.match(child.name) for child in files]
    label = str(path)
    if all(shard_splits):
        by_split: dict[str, list[Path]] = {}
        for child, match in zip(files, shard_splits):
            by_split.setdefault(match.group("split"), []).append(child)  # type: ignore[union-attr]
        files, chosen = _select_split(by_split, split, label)
        label = f"{path}:{chosen}"
    elif split is not None:
        raise ProblemsError(
            f"{path}: files are not named by split (like test-00000-of-00001.parquet), but --split {split} was given; drop --split"
        )
    return ProblemSource(label, _ChainReader([_file_reader(child) for child in files]))


# ---------------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------------

#: TACO's difficulty labels (dataset card and loader), plus UNKNOWN for rows without one.
DIFFICULTY_LABELS = ("EASY", "MEDIUM", "MEDIUM_HARD", "HARD", "VERY_HARD", "UNKNOWN_DIFFICULTY", "UNKNOWN")
#: TACO's skill_types vocabulary (FlagOpen/TACO README and the BAAI/TACO loader).
SKILL_NAMES = (
    "Data structures", "Sorting", "Range queries", "Complete search",
    "Amortized analysis", "Dynamic programming", "Bit manipulation", "Greedy algorithms",
)
_MAX_TASK_ID_RANGE = 10_000_000


def _split_list(text: str | Iterable[str] | None, flag: str) -> list[str]:
    if text is None:
        return []
    parts = text.split(",") if isinstance(text, str) else [part for item in text for part in str(item).split(",")]
    items = [part.strip() for part in parts if part.strip()]
    if not items:
        raise UserError(f"{flag}: no value given; pass a comma-separated list or leave the option out")
    return items


def parse_task_ids(text: str, *, flag: str = "--task-ids") -> set[int]:
    """ "0-99,120" -> {0, ..., 99, 120}. Integers and inclusive ranges only; else UserError."""
    ids: set[int] = set()
    for item in _split_list(text, flag):
        match = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", item)
        if match is None:
            raise UserError(f"{flag}: {item!r} is not a task id or range; use integers and ranges like 0-99,120")
        low = int(match.group(1))
        high = int(match.group(2)) if match.group(2) is not None else low
        if high < low:
            raise UserError(f"{flag}: range {item!r} runs backwards; write it as {high}-{low}")
        if high - low >= _MAX_TASK_ID_RANGE:
            raise UserError(f"{flag}: range {item!r} is larger than {_MAX_TASK_ID_RANGE} ids; narrow it")
        ids.update(range(low, high + 1))
    return ids


@dataclass(frozen=True)
class ProblemFilter:
    """Which problems to judge; an empty criterion keeps everything.

    difficulties: normalized TACO labels; skills and sources: casefolded names; task_ids: a set
    or None. A problem matches when it passes every given criterion; within a list any entry
    may match (a problem with several skill_types matches if one of them is listed).
    """

    difficulties: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    task_ids: frozenset[int | str] | None = None

    @classmethod
    def from_options(
        cls,
        *,
        difficulty: str | None = None,
        skill: str | None = None,
        source: str | None = None,
        task_ids: str | None = None,
    ) -> ProblemFilter:
        """Build from CLI text (``--difficulty EASY,MEDIUM --skill "Sorting,Range queries"``).

        Case-insensitive; "ALL" (as in TACO's loader) means no restriction. Unknown difficulty
        labels or skill names raise UserError listing the valid ones.
        """
        difficulties: set[str] = set()
        for item in _split_list(difficulty, "--difficulty"):
            label = _normalize_label(item)
            if label == "ALL":
                difficulties.clear()
                break
            if label not in DIFFICULTY_LABELS:
                raise UserError(
                    f"--difficulty: unknown label {item!r}; valid labels (case-insensitive): {', '.join(DIFFICULTY_LABELS)}"
                )
            difficulties.add(label)
        skills: set[str] = set()
        known_skills = {name.casefold(): name for name in SKILL_NAMES}
        for item in _split_list(skill, "--skill"):
            key = " ".join(item.split()).casefold()
            if key == "all":
                skills.clear()
                break
            if key not in known_skills:
                raise UserError(f"--skill: unknown skill {item!r}; TACO's skills (case-insensitive): {', '.join(SKILL_NAMES)}")
            skills.add(key)
        sources = {item.casefold() for item in _split_list(source, "--source")}
        ids = None if task_ids is None else frozenset(parse_task_ids(task_ids, flag="--task-ids"))
        return cls(frozenset(difficulties), frozenset(skills), frozenset(sources), ids)

    @property
    def is_empty(self) -> bool:
        """True when the filter keeps every problem."""
        return not (self.difficulties or self.skills or self.sources) and self.task_ids is None

    def matches(self, item: Problem | ProblemMeta) -> bool:
        """Whether a problem (or its index entry) passes every given criterion."""
        if self.task_ids is not None and item.task_id not in self.task_ids:
            return False
        if self.difficulties and _normalize_label(item.difficulty) not in self.difficulties:
            return False
        if self.skills and not any(" ".join(skill.split()).casefold() in self.skills for skill in item.skills):
            return False
        if self.sources and item.source.strip().casefold() not in self.sources:
            return False
        return True


TaskId = int | str


@dataclass(frozen=True)
class TaskMeta:
    """What metrics need to know about a task besides its judged samples.

    ``spj_case`` is TACO's ``output_spj.jsonl`` case: 0 none, 1 several valid answers,
    2 case-insensitive, 3 float tolerance. It is reported, not used to decide anything: a task's
    samples carry the ``unjudgeable`` flag set by the judge.
    """

    task_id: TaskId
    difficulty: str = "UNKNOWN"
    skills: tuple[str, ...] = ()
    source: str = "unknown"
    mode: str = "stdin"
    time_limit_s: float | None = None
    memory_mb: int | None = None
    spj_case: int = 0

    @classmethod
    def from_problem(cls, problem: Problem, spj_case: int = 0) -> TaskMeta:
        """The metadata of a loaded problem (empty fields become the 'unknown' groups)."""
        return cls(
            task_id=problem.task_id,
            difficulty=problem.difficulty or "UNKNOWN",
            skills=tuple(problem.skills),
            source=problem.source or "unknown",
            mode=problem.mode,
            time_limit_s=problem.time_limit_s,
            memory_mb=problem.memory_limit_mb,
            spj_case=spj_case,
        )
