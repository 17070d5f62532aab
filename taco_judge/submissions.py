"""Generation files -> Submission records (TACO generation.json or JSONL), fenced code extracted.

Formats, told apart by content (the first non-blank byte), gzip allowed:
- TACO generation.json: a JSON list of ``{"task_id", "prompt"?, "output": [code, ...]}``;
- JSONL, one task per line: ``{"task_id", "output": [code, ...]}``;
- JSONL, one sample per line: ``{"task_id", "solution": code}``.
Either key works in either layout. A task's samples are numbered 0, 1, ... in order of
appearance in the file, so a task id that appears on several entries or lines gets its samples
appended in order (TACO's own loader would keep only the last entry).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taco_judge.errors import SubmissionsError, json_problem
from taco_judge.problems import normalize_task_id


@dataclass(frozen=True)
class Submission:
    """One generated program for one task.

    ``raw_sha256`` hashes the text as generated, ``code_sha256`` the code that is judged (after
    fence extraction). ``invalid`` is the reason when --skip-invalid turned an input error into
    a warning; the judge reports such a sample as CE without running it.
    """

    task_id: int | str
    sample: int
    code: str
    raw_sha256: str
    code_sha256: str
    origin: str
    invalid: str | None = None


# ---------------------------------------------------------------------------------------------
# Fenced code
# ---------------------------------------------------------------------------------------------

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_FENCE_CLOSE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*$")
_LANGUAGE = re.compile(r"\{?\.?([A-Za-z0-9_+#-]*)")
PYTHON_FENCE_TAGS = frozenset({"python", "python3", "py", "py3", "python2", "py2"})


def _fenced_blocks(raw: str) -> list[tuple[str, str]]:
    """(language tag, content) of every fenced block, Markdown-style.

    A fence is a line of 3+ backticks or tildes (any indentation, an info string after the
    opening one; a backtick fence's info string has no backticks). The block closes at a line of
    the same character, at least as long; an unclosed block runs to the end of the text (a
    generation cut off at max tokens). Content lines lose the opening fence's indentation.
    Exception: when the first fence is untagged, comes after some text and is never closed, it
    is read as the closing fence of a block the prompt opened ("...```python\n" continued by
    the model as "code\n```\nprose"): the block is the text before it.
    """
    lines = raw.split("\n")
    blocks: list[tuple[str, str]] = []
    position = 0
    while position < len(lines):
        opening = _FENCE_OPEN.match(lines[position].rstrip("\r"))
        if opening is None or (opening["fence"][0] == "`" and "`" in opening["info"]):
            position += 1
            continue
        fence = opening["fence"]
        opening_line = position
        indent = len(opening["indent"])
        language = _LANGUAGE.match(opening["info"].strip()).group(1).lower()  # type: ignore[union-attr]
        body: list[str] = []
        position += 1
        while position < len(lines):
            closing = _FENCE_CLOSE.match(lines[position].rstrip("\r"))
            if closing and closing["fence"][0] == fence[0] and len(closing["fence"]) >= len(fence):
                break
            line = lines[position]
            stripped = len(line) - len(line.lstrip(" \t"))
            body.append(line[min(indent, stripped):])
            position += 1
        closed = position < len(lines)
        position += 1
        if not closed and not language and not blocks and "\n".join(lines[:opening_line]).strip():
            body = lines[:opening_line]
        content = "\n".join(body)
        blocks.append((language, content + "\n" if content and not content.endswith("\n") else content))
    return blocks


def extract_code(raw: str) -> str:
    """The code to judge in a generation.

    Rule: find the Markdown fenced blocks (``` or ~~~, see ``_fenced_blocks``; an unclosed
    block runs to the end, except that a lone untagged fence after code closes a block the
    prompt opened, so "code\n```\nprose" judges "code").
    1. Exactly one block tagged Python (python, python3, py, py3, python2, py2; any case) ->
       judge its content, whatever prose or other blocks surround it (an untagged block next to
       it is usually the sample input/output).
    2. No Python-tagged block and exactly one untagged block -> judge that block's content
       (blocks tagged with another language, like ```text or ```bash, are ignored).
    3. Otherwise (no fences, or several candidate blocks such as a draft and a fix) -> judge
       the raw text as is; picking one would be a guess, and stray prose or fences then fail to
       compile (CE).
    """
    if "```" not in raw and "~~~" not in raw:
        return raw
    blocks = _fenced_blocks(raw)
    tagged = [content for language, content in blocks if language and language in PYTHON_FENCE_TAGS]
    if len(tagged) == 1:
        return tagged[0]
    untagged = [content for language, content in blocks if not language]
    if not tagged and len(untagged) == 1:
        return untagged[0]
    return raw


def fence_note(code: str) -> str | None:
    """Why judged code still holds Markdown fences, for the detail of its CE: the generation had
    several candidate blocks (rule 3 of ``extract_code``), or only blocks in another language, so
    its whole text was judged. None when the code holds no fenced block."""
    if "```" not in code and "~~~" not in code:
        return None
    blocks = _fenced_blocks(code)
    if not blocks:
        return None
    tagged = sum(1 for language, _ in blocks if language in PYTHON_FENCE_TAGS)
    untagged = sum(1 for language, _ in blocks if not language)
    if tagged > 1:
        why = f"{tagged} Python code blocks"
    elif not tagged and untagged > 1:
        why = f"{untagged} untagged code blocks"
    elif not tagged and not untagged:
        others = sorted({language for language, _ in blocks})
        why = f"code blocks in {', '.join(others)} only"
    else:
        return None
    return (f"the generation holds {why}, so no block was picked and its whole text was judged as Python; "
            "give one ```python block per sample")


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------

_SKIP_HINT = "or pass --skip-invalid to judge it as CE"
_GZIP_MAGIC = b"\x1f\x8b"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def _line_of(data: bytes | str, offset: int) -> int:
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1  # type: ignore[arg-type]


_ENTRY_SKIPPED = "entry skipped (--skip-invalid)"
_SAMPLE_CE = "judged as CE (--skip-invalid)"


class _EntryReader:
    """Turns entries into Submissions, numbering samples per task, raising or warning."""

    def __init__(self, file: str, known_task_ids: set[int | str] | None, skip_invalid: bool,
                 only: set[int | str] | None = None) -> None:
        self.file = file
        self.known = known_task_ids
        self.skip_invalid = skip_invalid
        self.only = only
        self.attributed = False  # with ``only``: the entry being read is one of those tasks
        self.submissions: list[Submission] = []
        self.warnings: list[str] = []
        self.next_sample: dict[int | str, int] = {}
        self.unknown: dict[int | str, int] = {}  # --skip-invalid: samples skipped per task id not in the set

    def unknown_summary(self) -> str | None:
        """The one warning for every sample skipped because its task is not in the problem set."""
        if not self.unknown:
            return None
        ids = list(self.unknown)
        shown = ", ".join(repr(i) for i in ids[:5]) + (f", ... ({len(ids) - 5} more)" if len(ids) > 5 else "")
        samples = sum(self.unknown.values())
        return (f"{self.file}: {samples} sample(s) of {len(ids)} task id(s) not in the problem set skipped "
                f"(--skip-invalid; they count nowhere): task ids {shown}")

    def fail(self, location: str, reason: str, todo: str, *, skipped: str | None) -> None:
        """Raise "<location>: <reason>; <todo>", or with --skip-invalid, when the problem is
        skippable (``skipped`` says what happens instead), record "<location>: <reason>; <skipped>"."""
        if self.only is not None:
            if not self.attributed and skipped is not None:  # not known to be a wanted task's: go on
                self.warnings.append(f"{location}: {reason}; {skipped.replace(' (--skip-invalid)', '')}")
                return
            raise SubmissionsError(f"{location}: {reason}; {todo.replace(' ' + _SKIP_HINT, '')}")
        if skipped is not None and self.skip_invalid:
            self.warnings.append(f"{location}: {reason}; {skipped}")
            return
        if skipped is not None and "--skip-invalid" not in todo:
            todo += ", or pass --skip-invalid to skip it"
        raise SubmissionsError(f"{location}: {reason}; {todo}")

    def entry(self, entry: Any, location: str, origin: str, forced_invalid: str | None = None) -> None:
        """One JSON object: validate task_id and output/solution, then add its samples."""
        self.attributed = False
        if not isinstance(entry, dict):
            reason = f"expected an object with \"task_id\" and \"output\", got {type(entry).__name__}"
            self.fail(location, reason, "fix the entry", skipped=_ENTRY_SKIPPED)
            return
        raw_id = entry.get("task_id")
        if raw_id is None:
            self.fail(location, "missing \"task_id\"", "every entry needs the task id it answers", skipped=_ENTRY_SKIPPED)
            return
        if isinstance(raw_id, bool) or not isinstance(raw_id, (int, float, str)):
            reason = f"\"task_id\" must be an integer or a string, got {type(raw_id).__name__}"
            self.fail(location, reason, "fix the entry", skipped=_ENTRY_SKIPPED)
            return
        task_id = normalize_task_id(raw_id)
        if self.only is not None:
            if task_id not in self.only:
                return  # another task's entry: not validated, not numbered
            self.attributed = True
        location = f"{location[:-1]}, task {task_id})" if location.endswith(")") else f"{location} (task {task_id})"

        has_output, has_solution = "output" in entry, "solution" in entry
        if has_output and has_solution:
            self.fail(location, "has both \"output\" and \"solution\"", "keep one", skipped=_ENTRY_SKIPPED)
            return
        if has_output:
            outputs = entry["output"]
            if not isinstance(outputs, list):
                reason = f"\"output\" must be a list of code strings, got {type(outputs).__name__}"
                todo = "wrap a single program as [\"...\"] or use \"solution\""
                self.fail(location, reason, todo, skipped=_ENTRY_SKIPPED)
                return
            if not outputs:
                self.fail(location, "\"output\" is an empty list", "give at least one program or drop the entry", skipped=_ENTRY_SKIPPED)
                return
            samples = [(f"{origin} output[{number}]", f"output[{number}]", value) for number, value in enumerate(outputs)]
        elif has_solution:
            samples = [(origin, "\"solution\"", entry["solution"])]
        else:
            reason = "missing \"output\" (a list of programs) or \"solution\" (one program)"
            self.fail(location, reason, "add it or drop the entry", skipped=_ENTRY_SKIPPED)
            return

        entry_invalid = forced_invalid
        if self.known is not None and task_id not in self.known:
            if not self.skip_invalid:
                raise SubmissionsError(
                    f"{location}: unknown task id {task_id!r} (not in the problem set); check that the generations "
                    "belong to this problem set and split, or pass --skip-invalid to skip the samples of such tasks")
            self.unknown[task_id] = self.unknown.get(task_id, 0) + len(samples)
            return  # no problem to judge them on: skipped (one summary warning), not CE
        for sample_origin, what, value in samples:
            self.sample(task_id, value, sample_origin, location, what, entry_invalid)

    def sample(self, task_id: int | str, value: Any, origin: str, location: str, what: str, invalid: str | None) -> None:
        if isinstance(value, str):
            raw = value
            code = extract_code(raw)
            if invalid is None and not code.strip():
                invalid = f"{what} is empty (no code)" if not raw.strip() else f"{what} has an empty code block"
                self.fail(location, invalid, f"regenerate it {_SKIP_HINT}", skipped=_SAMPLE_CE)
        else:
            raw = json.dumps(value, sort_keys=True, default=repr)
            code = ""
            if invalid is None:
                invalid = f"{what} is {type(value).__name__}, not a code string"
                self.fail(location, invalid, f"fix the file {_SKIP_HINT}", skipped=_SAMPLE_CE)
        sample = self.next_sample.get(task_id, 0)
        self.next_sample[task_id] = sample + 1
        self.submissions.append(
            Submission(
                task_id=task_id,
                sample=sample,
                code=code,
                raw_sha256=_sha256(raw),
                code_sha256=_sha256(code),
                origin=origin,
                invalid=invalid,
            )
        )


def load_generations(
    path: str | Path,
    *,
    known_task_ids: Iterable[int | str] | None = None,
    skip_invalid: bool = False,
    only_task_ids: Iterable[int | str] | None = None,
) -> tuple[list[Submission], list[str]]:
    """Read a generations file -> (submissions in file order, warnings).

    ``known_task_ids``: the problem set's ids; others are "unknown task id" (with ``skip_invalid``
    their samples are left out, with one summary warning: there is no problem to judge them on). Errors raise
    SubmissionsError with one line naming the file, the line (JSONL) or entry index and line
    (JSON list), the task id and what to do. With ``skip_invalid``:
    - per-sample problems (empty code, code that is not a string) become
      warnings and the samples get ``invalid=<reason>`` (judged as CE, so n stays right);
    - per-entry problems (no task_id, no or malformed output list) become warnings and the
      entry is skipped; a JSONL line that is not valid JSON (typically a truncated last line)
      is skipped with a warning; a JSONL line with non-UTF-8 bytes is read with replacement
      characters and its samples are marked invalid;
    - whole-file problems (a JSON list that does not parse, a JSON list file that is not UTF-8,
      an empty or unreadable file) still raise.

    ``only_task_ids`` (``audit --submission``: one task's samples): entries of other tasks are
    neither validated nor returned, so an unrelated bad entry stops nothing; a bad entry of one of
    those tasks still raises.
    """
    path = Path(path)
    file = str(path)
    try:
        data = path.read_bytes()
        if data[:2] == _GZIP_MAGIC:
            data = gzip.decompress(data)
    except (OSError, EOFError) as exc:
        raise SubmissionsError(f"{file}: cannot read generations ({exc}); check the path") from exc
    known = None if known_task_ids is None else {normalize_task_id(task_id) for task_id in known_task_ids}
    only = None if only_task_ids is None else {normalize_task_id(task_id) for task_id in only_task_ids}
    collector = _EntryReader(file, known, skip_invalid, only)
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    first = body.lstrip()[:1]
    if not first:
        raise SubmissionsError(f"{file}: the generations file is empty; generate samples first")
    if first == b"[":
        _load_json_list(body, collector)
    elif first == b"{":
        _load_jsonl(body, collector)
    else:
        raise SubmissionsError(
            f"{file} line {_line_of(body, len(body) - len(body.lstrip()))}: not a generations file "
            "(expected a JSON list or JSON lines of {\"task_id\", \"output\"} objects)"
        )
    if not collector.submissions and only is not None:
        return [], collector.warnings  # the caller says which task has no sample
    if not collector.submissions:
        if collector.unknown:
            raise SubmissionsError(f"{file}: no sample belongs to a task of the problem set "
                                   f"({collector.unknown_summary()}); check --problems and --split")
        hint = "" if skip_invalid else " (or pass --skip-invalid to judge what can be read)"
        raise SubmissionsError(f"{file}: no usable samples in the file; check its format{hint}")
    summary = collector.unknown_summary()
    return collector.submissions, collector.warnings + ([summary] if summary else [])


def _load_json_list(data: bytes, collector: _EntryReader) -> None:
    file = collector.file
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionsError(
            f"{file} line {_line_of(data, exc.start)}: not UTF-8 (byte 0x{data[exc.start]:02x} at byte offset {exc.start}); "
            "re-encode the file as UTF-8"
        ) from None
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    line, line_counted_to = 1, 0
    entry_number = 0
    try:
        while True:
            while position < len(text) and text[position] in " \t\r\n":
                position += 1
            if position < len(text) and text[position] == "]" and entry_number == 0:
                position += 1
                break
            line += text.count("\n", line_counted_to, position)
            line_counted_to = position
            value, position = decoder.raw_decode(text, position)
            location = f"{file} entry {entry_number} (line {line})"
            collector.entry(value, location, f"{file} entry {entry_number}")
            entry_number += 1
            while position < len(text) and text[position] in " \t\r\n":
                position += 1
            if position < len(text) and text[position] == ",":
                position += 1
                continue
            if position < len(text) and text[position] == "]":
                position += 1
                break
            raise json.JSONDecodeError("Expecting ',' delimiter or ']'", text, position)
        if text[position:].strip():
            raise json.JSONDecodeError("Extra data after the list", text, position + len(text[position:]) - len(text[position:].lstrip()))
    except json.JSONDecodeError as exc:
        raise SubmissionsError(
            f"{file} line {exc.lineno} column {exc.colno}: not valid JSON ({json_problem(exc)}); fix the file "
            "(a generation.json is a JSON list of {\"task_id\", \"output\": [...]} objects)"
        ) from None
    if entry_number == 0:
        raise SubmissionsError(f"{file}: the JSON list is empty; it needs one {{\"task_id\", \"output\"}} object per task")


def _load_jsonl(data: bytes, collector: _EntryReader) -> None:
    file = collector.file
    offset = 0
    for line_number, raw in enumerate(data.split(b"\n"), 1):
        line_offset, offset = offset, offset + len(raw) + 1
        forced_invalid = None
        collector.attributed = False
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            reason = f"not UTF-8 (byte 0x{raw[exc.start]:02x} at byte offset {line_offset + exc.start})"
            collector.fail(
                f"{file} line {line_number}", reason, "re-encode the file as UTF-8",
                skipped=f"read with replacement characters, its samples {_SAMPLE_CE}",
            )
            text = raw.decode("utf-8", errors="replace")
            forced_invalid = f"line {line_number} is {reason}"
        if not text.strip():
            continue
        try:
            entry = json.loads(text)
        except json.JSONDecodeError as exc:
            collector.fail(
                f"{file} line {line_number} column {exc.colno}",
                f"not valid JSON ({json_problem(exc, line_number)})",
                "fix the line (each line is one {\"task_id\", \"output\"} or {\"task_id\", \"solution\"} object)",
                skipped="line skipped (--skip-invalid), so its samples are missing rather than CE",
            )
            continue
        collector.entry(entry, f"{file} line {line_number}", f"{file} line {line_number}", forced_invalid)


def submission_from_code(task_id: int | str, sample: int, code: str, *, origin: str) -> Submission:
    """A Submission for code that is judged exactly as given (e.g. a problem's reference solution)."""
    digest = _sha256(code)
    return Submission(task_id=task_id, sample=sample, code=code, raw_sha256=digest, code_sha256=digest, origin=origin)
