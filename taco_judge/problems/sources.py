"""Where TACO rows come from (the hub, a load_from_disk folder, parquet, JSONL, a folder of them): every reader yields (origin, row) lazily; ProblemSource turns them into Problems."""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import re
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from taco_judge.errors import ProblemsError, json_problem
from taco_judge.problems.filters import ProblemFilter
from taco_judge.problems.records import Problem
from taco_judge.problems.rows import META_COLUMNS, ProblemMeta, decode_solutions, meta_from_row, problem_from_row

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
        for index, (origin, row) in enumerate(self._reader.rows(META_COLUMNS)):
            meta = meta_from_row(row, index, origin)
            _check_unique(meta.task_id, seen, origin)
            yield meta

    def solution_counts(self) -> Iterator[tuple[ProblemMeta, int]]:
        """(metadata, number of reference solutions) per row, tests not decoded: what
        `problems validate` will run, counted before it runs (its progress total)."""
        seen: dict[int | str, str] = {}
        for index, (origin, row) in enumerate(self._reader.rows((*META_COLUMNS, "solutions"))):
            meta = meta_from_row(row, index, origin)
            _check_unique(meta.task_id, seen, origin)
            yield meta, len(decode_solutions(row.get("solutions"), f"{origin} (task {meta.task_id})"))

    def filtered(self, problem_filter: ProblemFilter) -> Iterator[Problem]:
        """The problems that ``problem_filter`` keeps, still streamed."""
        return (problem for problem in self if problem_filter.matches(problem))


def _check_unique(task_id: int | str, seen: dict[int | str, str], origin: str) -> None:
    """Task ids are unique in a set; ``seen`` maps each to the row that had it first."""
    earlier = seen.get(task_id)
    if earlier is not None:
        here, there = _origin_file(origin), _origin_file(earlier)
        hint = ("; a folder's files are read as one problem set: pass one file with --problems"
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
