"""One self-contained HTML report (inline SVG plots, inline JS/CSS, works offline) for one or more runs.

``load_run(DIR)`` reads a run directory; ``write_html(path, runs, problems=...)`` writes the page;
``write_html_for_dirs`` does both for ``taco-judge report DIR --html FILE``. Every piece of text
from a run (program output, stderr, test data, names) is escaped: it is hostile by assumption.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import math
import os
import re
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taco_judge.errors import ProblemsError, UserError
from taco_judge.metrics import NO_SKILL, difficulty_sort_key, task_sort_key
from taco_judge.problems import TaskId, TaskMeta, normalize_task_id, open_problems
from taco_judge.verdict import SampleResult, Verdict

if TYPE_CHECKING:
    from taco_judge.problems import Problem

log = logging.getLogger(__name__)

TRUNCATE_CHARS = 2048  # input, expected, output, stderr and details are cut to this many characters
MAX_FAILURES_PER_TASK = 10  # failing samples listed per (run, task); the rest are only counted
MAX_DISAGREEMENTS = 500  # checker disagreements listed per run; metrics.json keeps up to 1000
VERDICT_COLORS: dict[str, str] = {
    "AC": "#59a14f",
    "WA": "#e15759",
    "TLE": "#f28e2b",
    "MLE": "#b07aa1",
    "RE": "#9c755f",
    "CE": "#8c8c8c",
    "OLE": "#76b7b2",
    "SE": "#333333",
}
RUN_COLORS: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#7f7f7f",
)
# Histogram bins of usage / limit: 1-2-5 steps, so "how close to the limit" reads at a glance.
RATIO_EDGES: tuple[float, ...] = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, math.inf)
RATIO_LABELS: tuple[str, ...] = ("<1%", "1-2%", "2-5%", "5-10%", "10-20%", "20-50%", "50-100%", ">100%")

OutputKey = tuple[TaskId, int, int]  # (task_id, sample, test index)


@dataclass(frozen=True)
class RunData:
    """One run as the report sees it.

    ``records`` are results.jsonl objects (``SampleResult.to_json()`` shape; ``from_results``
    also takes SampleResult objects). ``metrics`` is the run's metrics.json. ``tasks`` optionally
    gives per-task difficulty and skills (problems passed to ``write_html`` fill the gaps).
    ``outputs`` optionally maps (task_id, sample, test index) to what the program printed (or
    returned, as text) on that test: results.jsonl does not keep program output, so the report
    shows it only when a caller (e.g. the results store) supplies it.
    """

    name: str
    records: tuple[dict[str, Any], ...]
    metrics: dict[str, Any]
    tasks: Mapping[TaskId, TaskMeta] = field(default_factory=dict)
    outputs: Mapping[OutputKey, str | bytes] = field(default_factory=dict)

    @classmethod
    def from_results(
        cls,
        name: str,
        results: Iterable[SampleResult | Mapping[str, Any]],
        metrics: Mapping[str, Any],
        tasks: Mapping[TaskId, TaskMeta] | None = None,
        outputs: Mapping[OutputKey, str | bytes] | None = None,
    ) -> RunData:
        """A RunData from SampleResult objects or results.jsonl records (mixed is fine)."""
        records = tuple(
            r.to_json() if isinstance(r, SampleResult) else dict(r) for r in results
        )
        return cls(name, records, dict(metrics), dict(tasks or {}), dict(outputs or {}))


def load_run(directory: str | os.PathLike[str], name: str | None = None) -> RunData:
    """Read ``results.jsonl`` and ``metrics.json`` from a run directory (``judge --out DIR``).

    ``name`` defaults to the directory's name. Raises UserError (one line naming the file) when
    a file is missing or is not what ``taco-judge judge`` writes.
    """
    folder = Path(directory)
    results_path = folder / "results.jsonl"
    metrics_path = folder / "metrics.json"
    for path in (results_path, metrics_path):
        if not path.is_file():
            raise UserError(f"{path}: not found; pass a directory written by taco-judge judge --out DIR")
    records: list[dict[str, Any]] = []
    try:
        with results_path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise UserError(
                        f"{results_path}:{number}: invalid JSON ({exc.msg}); re-run the judge or restore the file"
                    ) from None
                if not isinstance(record, dict) or "task_id" not in record or "verdict" not in record:
                    raise UserError(
                        f"{results_path}:{number}: not a results.jsonl record (needs task_id and verdict)"
                    )
                records.append(record)
        try:
            metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise UserError(
                f"{metrics_path}: invalid JSON ({exc.msg} at line {exc.lineno}); re-run the judge or restore the file"
            ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{folder}: cannot read the run: {exc}") from None
    if not isinstance(metrics, dict):
        raise UserError(f"{metrics_path}: not a metrics.json object; re-run the judge or restore the file")
    return RunData(name or folder.resolve().name, tuple(records), metrics)


def write_html_for_dirs(
    path: str | os.PathLike[str],
    directories: Sequence[str | os.PathLike[str]],
    problems: str | None = None,
    *,
    split: str | None = None,
) -> None:
    """``taco-judge report DIR... --html FILE``: load each run, find the problems, write the page.

    ``problems`` is an ``open_problems`` spec; without it the first run's recorded
    ``metrics.run.problems`` is used when it is a local path that still exists (no download is
    started for a report), else the page is written without test inputs and expected outputs.
    """
    names = [Path(d).resolve().name for d in directories]
    clash = len(set(names)) < len(names)  # runs/a/out and runs/b/out: tell them apart by path
    runs = [load_run(d, str(d) if clash else None) for d in directories]
    source: Iterable[Problem] | None = None
    spec = problems
    if spec is None:
        recorded = next((r.metrics.get("run", {}).get("problems") for r in runs if r.metrics.get("run")), None)
        if isinstance(recorded, str) and Path(recorded.rsplit(":", 1)[0]).expanduser().exists():
            spec = recorded
    if spec is not None:
        try:
            source = open_problems(spec, split=split)
        except ProblemsError:
            if problems is not None:
                raise
            log.info("problems %s recorded in the run cannot be opened; report without test data", spec)
    write_html(path, runs, problems=source)


def check_html_path(path: str | os.PathLike[str]) -> None:
    """Fail fast, before any work or output, when the report could not be written to ``path``.

    Raises UserError (one line naming the path) when it is a directory or its folder cannot be
    created or written; creates the folder as ``write_html`` would, and leaves no file behind.
    """
    target = Path(path)
    if target.is_dir():
        raise UserError(f"--html {target}: is a directory; give a file name, e.g. {target / 'report.html'}")
    probe = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.probe")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(probe, "x", encoding="utf-8"):
            pass
        probe.unlink()
    except OSError as exc:
        raise UserError(f"--html {target}: cannot write there ({exc.strerror or exc}); choose a writable path") from None


def write_html(
    path: str | os.PathLike[str],
    runs: Sequence[RunData],
    *,
    problems: Iterable[Problem] | None = None,
    title: str = "taco-judge report",
    max_failures_per_task: int = MAX_FAILURES_PER_TASK,
    truncate_chars: int = TRUNCATE_CHARS,
    comparison: Mapping[str, Any] | None = None,
) -> None:
    """Write the report for ``runs`` to ``path`` (atomically: the old file or the whole new one).

    ``problems`` (e.g. ``open_problems(spec)``) supplies names, difficulty, skills and the
    input / expected output of every first failing test; it is read once, keeping only what the
    page shows. ``comparison`` (a sweep.json document) adds the sweep's table of labels and
    pass@k with confidence intervals. Raises UserError when ``path`` cannot be written.
    """
    text = render_html(
        runs,
        problems=problems,
        title=title,
        max_failures_per_task=max_failures_per_task,
        truncate_chars=truncate_chars,
        comparison=comparison,
    )
    target = Path(path)
    # Not mkstemp: its 0600 mode would make a report meant for sharing private; "x" honours umask.
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror or exc}; choose a writable path") from None
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


# ----------------------------------------------------------------------------------------------
# Model: what the page shows, computed from the runs (and problems when given)


@dataclass
class _TaskInfo:
    task_id: TaskId
    name: str = ""
    difficulty: str = ""
    skills: tuple[str, ...] = ()
    num_tests: int | None = None
    mode: str = ""
    tests: dict[int, tuple[str, str]] = field(default_factory=dict)  # index -> (input, expected)


@dataclass(frozen=True)
class _Failure:
    run: int
    sample: int
    verdict: str
    test: int | None  # index of the first failing test; None for CE / SE without tests
    detail: str
    stderr_tail: str
    got: str | None


@dataclass
class _TaskRun:
    verdicts: Counter[str] = field(default_factory=Counter)
    n: int = 0  # judged (non-SE) samples
    c: int = 0
    unjudgeable: bool = False
    failures: list[_Failure] = field(default_factory=list)
    failures_total: int = 0

    @property
    def pass1(self) -> float | None:
        return None if self.unjudgeable or self.n == 0 else self.c / self.n


def _record_task_id(record: Mapping[str, Any]) -> TaskId:
    return normalize_task_id(record["task_id"])


def _first_failing(record: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for test in record.get("tests") or ():
        if test.get("verdict") != Verdict.AC.value:
            return test
    return None


def _as_text(value: Any) -> str:
    """Test data / output as display text: strings as they are, other values as JSON."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):
        return repr(value)


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n... [{len(text) - limit} more characters not shown]"


def _collect(
    runs: Sequence[RunData],
    problems: Iterable[Problem] | None,
    max_failures: int,
    limit: int,
) -> tuple[list[TaskId], dict[TaskId, _TaskInfo], list[dict[TaskId, _TaskRun]]]:
    per_run: list[dict[TaskId, _TaskRun]] = []
    wanted_tests: dict[TaskId, set[int]] = {}
    for r, run in enumerate(runs):
        table: dict[TaskId, _TaskRun] = {}
        for record in sorted(run.records, key=lambda x: (task_sort_key(_record_task_id(x)), x.get("sample", 0))):
            tid = _record_task_id(record)
            entry = table.setdefault(tid, _TaskRun())
            verdict = str(record.get("verdict"))
            entry.verdicts[verdict] += 1
            if verdict != Verdict.SE.value:
                entry.n += 1
                entry.c += verdict == Verdict.AC.value
            entry.unjudgeable = entry.unjudgeable or bool(record.get("unjudgeable"))
            if verdict == Verdict.AC.value:
                continue
            entry.failures_total += 1
            if len(entry.failures) >= max_failures:
                continue
            sample = int(record.get("sample", 0))
            test = _first_failing(record)
            index = int(test["test"]) if test is not None and "test" in test else None
            got = run.outputs.get((tid, sample, index)) if index is not None else None
            entry.failures.append(
                _Failure(
                    run=r,
                    sample=sample,
                    verdict=verdict,
                    test=index,
                    detail=_clip(_as_text((test or {}).get("detail") or record.get("detail") or ""), limit),
                    stderr_tail=_clip(_as_text((test or {}).get("stderr_tail") or ""), limit),
                    got=None if got is None else _clip(_as_text(got), limit),
                )
            )
            if index is not None:
                wanted_tests.setdefault(tid, set()).add(index)
        per_run.append(table)

    task_ids = sorted({tid for table in per_run for tid in table}, key=task_sort_key)
    infos = {tid: _TaskInfo(task_id=tid) for tid in task_ids}
    for run in runs:
        for tid, meta in run.tasks.items():
            info = infos.get(normalize_task_id(tid))
            if info is not None:
                info.difficulty = info.difficulty or meta.difficulty
                info.skills = info.skills or tuple(meta.skills)
                info.mode = info.mode or meta.mode
    for run in runs:
        for record in run.records:
            info = infos[_record_task_id(record)]
            if info.num_tests is None and isinstance(record.get("num_tests"), int):
                info.num_tests = record["num_tests"]
    if problems is not None:
        remaining = set(task_ids)
        for problem in problems:
            info = infos.get(problem.task_id)
            if info is None:
                continue
            info.name = problem.name or info.name
            info.difficulty = problem.difficulty or info.difficulty
            info.skills = tuple(problem.skills) or info.skills
            info.num_tests = len(problem.tests)
            info.mode = problem.mode
            for index in sorted(wanted_tests.get(problem.task_id, ())):
                if 0 <= index < len(problem.tests):
                    case = problem.tests[index]
                    info.tests[index] = (_clip(_as_text(case.input), limit), _clip(_as_text(case.expected), limit))
            remaining.discard(problem.task_id)
            if not remaining:
                break
    return task_ids, infos, per_run


# ----------------------------------------------------------------------------------------------
# Escaping


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _esc(value: Any) -> str:
    """Text safe in HTML content and in quoted attributes.

    Control characters become visible symbols (U+2400 block: a CR shows as a CR sign), lone
    surrogates become U+FFFD, then &, <, >, " and ' are escaped. Nothing a program prints can
    open a tag, close a script or start an attribute.
    """
    text = value if isinstance(value, str) else str(value)
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    text = _CONTROL.sub(lambda m: "\u2421" if m.group() == "\x7f" else chr(0x2400 + ord(m.group())), text)
    return html.escape(text, quote=True)


def _pct(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{100.0 * value:.{digits}f}%"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


# ----------------------------------------------------------------------------------------------
# SVG plots (hand-written; no plotting library, nothing external)


_FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def _svg(plot_id: str, width: float, height: float, label: str, body: list[str]) -> str:
    return (
        f'<svg id="{plot_id}" class="plot" xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{_esc(label)}" {_FONT}>'
        + "".join(body)
        + "</svg>"
    )


def _y_axis(x0: float, x1: float, y_of: Any, ticks: Sequence[float], fmt: Any) -> list[str]:
    out = []
    for t in ticks:
        y = y_of(t)
        out.append(f'<line class="grid" x1="{x0:.1f}" x2="{x1:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{x0 - 6:.1f}" y="{y + 4:.1f}" text-anchor="end">{_esc(fmt(t))}</text>')
    return out


def _legend(items: Sequence[tuple[str, str]], x: float, y: float) -> tuple[list[str], float]:
    """Legend swatches laid out in rows from (x, y); returns the SVG and the height used."""
    out = ['<g class="legend">']
    cx, cy, row_h = x, y, 16.0
    for label, color in items:
        width = 26 + 7 * min(len(label), 40)
        if cx + width > x + 640 and cx > x:
            cx, cy = x, cy + row_h
        out.append(f'<rect x="{cx:.1f}" y="{cy:.1f}" width="10" height="10" fill="{color}"/>')
        out.append(f'<text x="{cx + 14:.1f}" y="{cy + 9:.1f}">{_esc(label[:40])}</text>')
        cx += width
    out.append("</g>")
    return out, cy - y + row_h


def _run_color(index: int) -> str:
    return RUN_COLORS[index % len(RUN_COLORS)]


def _k_ticks(k_max: int, log_scale: bool) -> list[int]:
    if log_scale:
        ticks, base = [], 1
        while base <= k_max:
            ticks.extend(t for t in (base, 2 * base, 5 * base) if t <= k_max)
            base *= 10
        return ticks
    step = next(s for s in (1, 2, 5, 10, 20, 50) if k_max / s <= 10)
    return [1] + [k for k in range(step, k_max + 1, step) if k != 1]


def _curve_points(run: RunData) -> int:
    return sum(1 for e in run.metrics.get("pass_at_k") or () if e.get("value") is not None)


def _pass_at_k_section(runs: Sequence[RunData]) -> str:
    """The pass@k curves, or, when no run has two points (one sample per task), what it measured."""
    if any(_curve_points(run) > 1 for run in runs):
        return (
            '<p class="sub">Unbiased pass@k for k = 1..n. Hollow points average only the tasks with at least k samples.</p>'
            + _pass_at_k_plot(runs)
        )
    values = []
    for i, run in enumerate(runs):
        first = next((e for e in run.metrics.get("pass_at_k") or () if e.get("k") == 1), {})
        who = f"{i + 1}. {run.name}: " if len(runs) > 1 else ""
        values.append(f"{_esc(who)}pass@1 <b>{_pct(first.get('value'))}</b> over {int(first.get('tasks') or 0)} tasks")
    return (
        f'<p id="passk-single">{"; ".join(values)}. Every task has one judged sample, so pass@1 is the only pass@k '
        "this run can estimate; a pass@k curve needs several samples per task.</p>"
    )


def _pass_at_k_plot(runs: Sequence[RunData]) -> str:
    series = []
    for run in runs:
        points = sorted(
            (int(e["k"]), float(e["value"]), int(e.get("tasks_left_out") or 0), int(e.get("tasks") or 0))
            for e in run.metrics.get("pass_at_k") or ()
            if e.get("value") is not None
        )
        series.append(points)
    k_max = max((p[0] for pts in series for p in pts), default=1)
    log_scale = k_max > 20
    width, height = 720.0, 300.0
    left, right, top, bottom = 56.0, 20.0, 16.0, 40.0
    legend, legend_h = _legend([(run.name, _run_color(i)) for i, run in enumerate(runs)], left, height)
    total_h = height + legend_h + 6

    def x_of(k: float) -> float:
        if k_max <= 1:
            return (left + width - right) / 2
        frac = math.log(k) / math.log(k_max) if log_scale else (k - 1) / (k_max - 1)
        return left + frac * (width - left - right)

    def y_of(v: float) -> float:
        return top + (1.0 - v) * (height - top - bottom)

    body = _y_axis(left, width - right, y_of, (0, 0.25, 0.5, 0.75, 1.0), lambda v: f"{100 * v:.0f}%")
    for k in _k_ticks(k_max, log_scale):
        x = x_of(k)
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{height - bottom:.1f}" y2="{height - bottom + 4:.1f}" stroke="#666"/>')
        body.append(f'<text x="{x:.1f}" y="{height - bottom + 16:.1f}" text-anchor="middle">{k}</text>')
    body.append(
        f'<text x="{(left + width - right) / 2:.1f}" y="{height - 6:.1f}" text-anchor="middle">'
        f'k{" (log scale)" if log_scale else ""}</text>'
    )
    for i, (run, points) in enumerate(zip(runs, series)):
        color = _run_color(i)
        body.append(f'<g class="series" data-run="{_esc(run.name)}" data-points="{len(points)}">')
        if len(points) > 1:
            coords = " ".join(f"{x_of(k):.1f},{y_of(v):.1f}" for k, v, _, _ in points)
            body.append(f'<polyline points="{coords}" fill="none" stroke="{color}" stroke-width="2"/>')
        radius = 3.5 if len(points) <= 30 else 1.5  # 200 points of radius 3.5 would merge into a bar
        for k, v, left_out, tasks in points:
            fill = "#fff" if left_out else color
            note = f"; {left_out} tasks with n < k left out" if left_out else ""
            body.append(
                f'<circle class="point" cx="{x_of(k):.1f}" cy="{y_of(v):.1f}" r="{radius}" fill="{fill}" '
                f'stroke="{color}" stroke-width="1.5"><title>{_esc(run.name)}: pass@{k} = {_pct(v, 2)} '
                f"over {tasks} tasks{_esc(note)}</title></circle>"
            )
        body.append("</g>")
    body.extend(legend)
    return _svg("plot-passk", width, total_h, "pass@k curves per run", body)


def _levels(runs: Sequence[RunData]) -> list[str]:
    labels = {label for run in runs for label in (run.metrics.get("by_difficulty") or {})}
    return sorted(labels, key=difficulty_sort_key)


def _verdict_mix_plot(runs: Sequence[RunData]) -> str:
    levels = _levels(runs)
    left, top, bottom, right = 56.0, 16.0, 48.0, 20.0
    gap_bar = 4.0
    bar_w = 40.0 if len(runs) == 1 else max(6.0, min(24.0, 120.0 / len(runs)))
    group_w = len(runs) * (bar_w + gap_bar) - gap_bar
    slot = max(group_w + 24.0, (720.0 - left - right) / max(1, len(levels)))
    width = left + right + max(1, len(levels)) * slot
    height = 300.0
    verdicts = [v.value for v in Verdict]
    legend, legend_h = _legend([(v, VERDICT_COLORS[v]) for v in verdicts], left, height)

    def y_of(v: float) -> float:
        return top + (1.0 - v) * (height - top - bottom)

    body = _y_axis(left, width - right, y_of, (0, 0.25, 0.5, 0.75, 1.0), lambda v: f"{100 * v:.0f}%")
    for g, level in enumerate(levels):
        gx = left + g * slot + (slot - group_w) / 2
        body.append(
            f'<text x="{gx + group_w / 2:.1f}" y="{height - bottom + 30:.1f}" text-anchor="middle">{_esc(level)}</text>'
        )
        for r, run in enumerate(runs):
            entry = (run.metrics.get("by_difficulty") or {}).get(level) or {}
            # The samples pass@1 is over: unjudgeable tasks' "WA" is no verdict on the program.
            counts = entry.get("scored_verdicts") or entry.get("verdicts") or {}
            total = sum(int(counts.get(v, 0)) for v in verdicts)
            unjudged = int(entry.get("unjudgeable_tasks") or 0)
            x = gx + r * (bar_w + gap_bar)
            body.append(f'<g class="bar" data-run="{_esc(run.name)}" data-level="{_esc(level)}" data-samples="{total}" '
                        f'data-unjudged-tasks="{unjudged}">')
            acc = 0
            for v in verdicts:
                count = int(counts.get(v, 0))
                if not count:
                    continue
                y1, y0 = y_of(acc / total), y_of((acc + count) / total)
                body.append(
                    f'<rect class="seg" data-verdict="{v}" x="{x:.1f}" y="{y0:.1f}" width="{bar_w:.1f}" '
                    f'height="{y1 - y0:.1f}" fill="{VERDICT_COLORS[v]}"><title>{_esc(run.name)}, {_esc(level)}: '
                    f"{v} {count} of {total} samples ({_pct(count / total)})"
                    + (f"; {unjudged} unjudgeable tasks left out" if unjudged else "")
                    + "</title></rect>"
                )
                acc += count
            if not total and unjudged:  # an empty slot would look like a missing level
                body.append(f'<text class="unjudged" x="{x + bar_w / 2:.1f}" y="{y_of(0.5):.1f}" text-anchor="middle" '
                            f'fill="#666">{unjudged} unjudgeable</text>')
            if len(runs) > 1:
                body.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 13:.1f}" text-anchor="middle" fill="{_run_color(r)}">{r + 1}</text>')
            body.append("</g>")
    body.extend(legend)
    return _svg("plot-verdicts", width, height + legend_h + 6, "verdict mix per difficulty", body)


def _accepted_ratios(run: RunData) -> tuple[list[float], list[float]]:
    cpu, memory = [], []
    for record in run.records:
        tests = record.get("tests") or ()
        limits = record.get("limits") or {}
        if record.get("verdict") != Verdict.AC.value or not tests:
            continue
        if limits.get("time_limit_s"):
            cpu.append(max(float(t.get("cpu_s", 0.0)) for t in tests) / float(limits["time_limit_s"]))
        if limits.get("memory_mb"):
            memory.append(max(float(t.get("peak_mb", 0.0)) for t in tests) / float(limits["memory_mb"]))
    return cpu, memory


def _histogram(values: Sequence[float]) -> list[int]:
    counts = [0] * (len(RATIO_EDGES) - 1)
    for value in values:
        for b in range(len(counts)):
            if value < RATIO_EDGES[b + 1] or b == len(counts) - 1:
                counts[b] += 1
                break
    return counts


def _ratio_plot(plot_id: str, what: str, runs: Sequence[RunData], values: Sequence[Sequence[float]]) -> str:
    hists = [_histogram(v) for v in values]
    fractions = [[c / len(v) if v else 0.0 for c in h] for h, v in zip(hists, values)]
    top_fraction = max((f for fs in fractions for f in fs), default=0.0)
    step = next(st for st in (0.05, 0.1, 0.2, 0.25, 0.5) if math.ceil(top_fraction / st - 1e-9) <= 5)
    y_max = step * max(1, math.ceil(top_fraction / step - 1e-9))
    width, height = 720.0, 260.0
    left, right, top, bottom = 56.0, 20.0, 16.0, 40.0
    bins = len(RATIO_LABELS)
    slot = (width - left - right) / bins
    bar_w = (slot - 8) / max(1, len(runs))
    legend, legend_h = _legend([(run.name, _run_color(i)) for i, run in enumerate(runs)], left, height)

    def y_of(v: float) -> float:
        return top + (1.0 - v / y_max) * (height - top - bottom)

    ticks = [step * i for i in range(round(y_max / step) + 1)]
    body = _y_axis(left, width - right, y_of, ticks, lambda v: f"{100 * v:.0f}%")
    for b, label in enumerate(RATIO_LABELS):
        body.append(f'<text x="{left + (b + 0.5) * slot:.1f}" y="{height - bottom + 16:.1f}" text-anchor="middle">{label}</text>')
    body.append(
        f'<text x="{(left + width - right) / 2:.1f}" y="{height - 6:.1f}" text-anchor="middle">'
        f"{_esc(what)} of each accepted sample's worst test, relative to its limit</text>"
    )
    for r, run in enumerate(runs):
        body.append(f'<g class="series" data-run="{_esc(run.name)}" data-samples="{len(values[r])}">')
        for b, (count, frac) in enumerate(zip(hists[r], fractions[r])):
            x = left + b * slot + 4 + r * bar_w
            y = y_of(frac)
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{max(bar_w - 1, 1):.1f}" '
                f'height="{height - bottom - y:.1f}" fill="{_run_color(r)}"><title>{_esc(run.name)}: '
                f"{count} of {len(values[r])} accepted samples at {RATIO_LABELS[b]} of the limit</title></rect>"
            )
        body.append("</g>")
    body.extend(legend)
    return _svg(plot_id, width, height + legend_h + 6, f"{what} relative to the limit", body)


def _skills_plot(runs: Sequence[RunData]) -> str:
    skills: list[str] = []
    for run in runs:
        for skill in run.metrics.get("by_skill") or {}:
            if skill not in skills:
                skills.append(skill)
    skills.sort()
    label_w = min(240.0, 16.0 + 6.5 * max((len(s) for s in skills), default=4))
    bar_h, gap = 14.0 if len(runs) == 1 else max(6.0, 28.0 / len(runs)), 8.0
    row_h = len(runs) * bar_h + gap
    left, right, top = label_w, 70.0, 20.0
    width = 720.0
    height = top + len(skills) * row_h + 24
    legend, legend_h = _legend([(run.name, _run_color(i)) for i, run in enumerate(runs)], 56.0, height)

    def x_of(v: float) -> float:
        return left + v * (width - left - right)

    body = []
    for t in (0, 0.25, 0.5, 0.75, 1.0):
        x = x_of(t)
        body.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4:.1f}" y2="{height - 20:.1f}" stroke="#ddd"/>')
        body.append(f'<text x="{x:.1f}" y="{top - 6:.1f}" text-anchor="middle">{100 * t:.0f}%</text>')
    for s, skill in enumerate(skills):
        y0 = top + s * row_h
        shown = skill if len(skill) <= 34 else skill[:33] + "\u2026"
        body.append(
            f'<text x="{left - 6:.1f}" y="{y0 + len(runs) * bar_h / 2 + 4:.1f}" text-anchor="end">'
            f"<title>{_esc(skill)}</title>{_esc(shown)}</text>"
        )
        for r, run in enumerate(runs):
            entry = (run.metrics.get("by_skill") or {}).get(skill) or {}
            value = entry.get("pass@1")
            if value is None:
                continue
            y = y0 + r * bar_h
            body.append(
                f'<rect class="bar" data-run="{_esc(run.name)}" data-skill="{_esc(skill)}" x="{left:.1f}" '
                f'y="{y:.1f}" width="{max(x_of(value) - left, 0.5):.1f}" height="{bar_h - 1:.1f}" '
                f'fill="{_run_color(r)}"><title>{_esc(run.name)}, {_esc(skill)}: pass@1 {_pct(value)} over '
                f'{entry.get("scored_tasks", "?")} tasks</title></rect>'
            )
            body.append(f'<text x="{x_of(value) + 4:.1f}" y="{y + bar_h - 3:.1f}">{_pct(value)}</text>')
    body.extend(legend)
    return _svg("plot-skills", width, height + legend_h + 6, "pass@1 per skill", body)


# ----------------------------------------------------------------------------------------------
# Tables and failure details


def _runs_table(runs: Sequence[RunData]) -> str:
    verdicts = [v.value for v in Verdict]
    head = "".join(f"<th>{v}</th>" for v in verdicts)
    rows = []
    for i, run in enumerate(runs):
        m = run.metrics
        counts = m.get("counts") or {}
        ks = m.get("ks") or []
        heads = ", ".join(f"pass@{k} {_pct(m.get(f'pass@{k}'))}" for k in ks if m.get(f"pass@{k}") is not None)
        info = m.get("run") or {}
        source = " / ".join(str(info[key]) for key in ("problems", "generations") if info.get(key))
        complete = "" if info.get("complete", True) else " (incomplete run)"
        cells = "".join(f"<td>{int((m.get('verdicts') or {}).get(v, 0))}</td>" for v in verdicts)
        rows.append(
            f'<tr><td><span class="swatch" style="background:{_run_color(i)}"></span>{i + 1}. {_esc(run.name)}'
            f'{_esc(complete)}<div class="sub">{_esc(source)}</div></td>'
            f"<td>{int(counts.get('tasks', 0))}</td><td>{int(counts.get('samples', 0))}</td>"
            f"<td>{_esc(heads or '-')}</td>{cells}</tr>"
        )
    return (
        '<table id="runs"><thead><tr><th>run</th><th>tasks</th><th>samples</th><th>pass@k (TACO keys)</th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _banners(runs: Sequence[RunData]) -> str:
    """What nobody may miss, above everything: incomplete runs, SE samples."""
    out = []
    for i, run in enumerate(runs):
        m = run.metrics
        info = m.get("run") or {}
        judged = int((m.get("counts") or {}).get("samples", 0))
        who = f"{i + 1}. {run.name}: " if len(runs) > 1 else ""
        if isinstance(info, dict) and not info.get("complete", True):
            expected = info.get("samples_expected")
            of = f"{judged} of {int(expected)} samples judged" if isinstance(expected, int) else f"only {judged} samples judged"
            out.append(
                f'<div class="banner" data-kind="incomplete" data-run="{i}"><b>{_esc(who)}INCOMPLETE RUN</b>: '
                f"{_esc(of)}; every number on this page covers only those. Judge into the same --out folder "
                "again to finish the run.</div>"
            )
        se = m.get("se") or {}
        if se.get("samples"):
            out.append(
                f'<div class="banner" data-kind="se" data-run="{i}"><b>{_esc(who)}SE: {_plural(int(se["samples"]), "sample")}</b> in '
                f"{_plural(int(se.get('tasks', 0)), 'task')} hit judge or jail failures, not the programs' fault; they are left "
                "out of n for pass@k (never counted as failures). Judge again to retry them.</div>"
            )
    return "".join(out)


def _coverage(runs: Sequence[RunData]) -> str:
    """Per run, which tasks the numbers cover: unjudgeable tasks left out, with the range they span."""
    out = []
    for i, run in enumerate(runs):
        m = run.metrics
        counts = m.get("counts") or {}
        unj = m.get("unjudgeable") or {}
        if not unj.get("tasks"):
            continue
        who = f"{i + 1}. {run.name}: " if len(runs) > 1 else ""
        ks = m.get("ks") or [1]
        bound = (unj.get("pass@k_bounds") or {}).get(f"pass@{ks[0]}") or {}
        span = ""
        if bound.get("low") is not None:
            span = (f" Counting them in, pass@{ks[0]} would lie between {_pct(bound['low'])} (all of them wrong) and "
                    f"{_pct(bound['high'])} (all right).")
        out.append(
            f'<p class="cover" data-run="{i}" data-unjudgeable="{int(unj["tasks"])}">{_esc(who)}pass@k and the score cover '
            f"<b>{int(counts.get('scored_tasks', 0))} of {int(counts.get('tasks', 0))} tasks</b>: "
            f"{_plural(int(unj['tasks']), 'task')} {'is' if unj['tasks'] == 1 else 'are'} unjudgeable (several valid "
            f"answers and no checker program; {_plural(int(unj.get('samples', 0)), 'sample')} differing from the one "
            f"expected answer) and left out.{_esc(span)}</p>"
        )
    return "".join(out)


def _compared(run: RunData) -> list[str]:
    checkers = run.metrics.get("by_checker") or {}
    return list(checkers) if len(checkers) > 1 else []


def _checkers_section(runs: Sequence[RunData], row_of: Mapping[TaskId, int]) -> str:
    """``--compare``: pass@k under each checker, and every sample the checkers disagree on."""
    verdicts = [v.value for v in Verdict]
    parts = []
    for i, run in enumerate(runs):
        names = _compared(run)
        if not names:
            continue
        m = run.metrics
        checkers = m["by_checker"]
        ks = [k for k in (m.get("ks") or [1])
              if any(e.get("k") == k and e.get("tasks") for c in checkers.values() for e in c.get("pass_at_k") or ())]
        who = f"{i + 1}. {run.name}" if len(runs) > 1 else ""
        if who:
            parts.append(f"<h3>{_esc(who)}</h3>")
        head = "".join(f"<th>pass@{k}</th><th>tasks</th>" for k in ks) + "".join(f"<th>{v}</th>" for v in verdicts)
        rows = []
        for name in names:
            entry = checkers[name]
            coverage = {e.get("k"): e for e in entry.get("pass_at_k") or ()}
            cells = "".join(
                f"<td><b>{_pct(coverage.get(k, {}).get('value'))}</b></td><td>{int(coverage.get(k, {}).get('tasks') or 0)}</td>"
                for k in ks
            )
            cells += "".join(f"<td>{int((entry.get('verdicts') or {}).get(v, 0))}</td>" for v in verdicts)
            rows.append(f'<tr data-checker="{_esc(name)}"><td>{_esc(name)}</td>{cells}</tr>')
        parts.append(
            '<p class="sub">Each checker judged the same executions. A checker that honours special judges '
            "(strict) leaves out the tasks it cannot judge; taco scores every task, as TACO&rsquo;s reference "
            "evaluator does (docs/checkers.md).</p>"
            f'<table class="checkers" data-run="{i}"><thead><tr><th>checker</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        listed = m.get("disagreements") or []
        count = int(m.get("disagreements_count") or len(listed))
        shown = listed[:MAX_DISAGREEMENTS]
        title = f"Disagreements: {_plural(count, 'sample')} passed by one checker and failed by another"
        if not shown:
            parts.append(f'<h3 id="disagreements-{i}">{_esc(title)}</h3>')
        else:
            body = []
            for d in shown:
                tid = normalize_task_id(d.get("task_id"))
                t = row_of.get(tid)
                task = f'<a href="#row-{t}">{_esc(tid)}</a>' if t is not None else _esc(tid)
                cells = "".join(
                    f'<td><span class="chip v-{_esc(d.get(n))}">{_esc(d.get(n, "-"))}</span></td>' for n in names
                )
                body.append(f"<tr><td>{task}</td><td>{_esc(d.get('sample', ''))}</td>{cells}</tr>")
            more = count - len(shown)
            parts.append(
                f'<details id="disagreements-{i}"{" open" if len(shown) <= 20 else ""}><summary><b>{_esc(title)}</b> '
                '<span class="sub">(each task links to its row in the problems table)</span></summary>'
                f'<table class="disagreements" data-run="{i}" data-count="{count}"><thead><tr><th>task</th><th>sample</th>'
                + "".join(f"<th>{_esc(n)}</th>" for n in names)
                + f"</tr></thead><tbody>{''.join(body)}</tbody></table>"
                + (f'<p class="sub">{more} more in metrics.json &ldquo;disagreements&rdquo;.</p>' if more else "")
                + "</details>"
            )
    return "".join(parts)


def _estimate_cell(est: Mapping[str, Any] | None, signed: bool = False) -> str:
    if not est or est.get("value") is None:
        return "<td>-</td>"
    fmt = (lambda v: f"{100.0 * v:+.1f}") if signed else (lambda v: f"{100.0 * v:.1f}")
    ci = est.get("ci95") or [None, None]
    interval = f' <span class="sub">[{fmt(ci[0])}, {fmt(ci[1])}]</span>' if ci[0] is not None else ""
    return f"<td><b>{fmt(est['value'])}</b>{interval}</td>"


def _comparison_table(document: Mapping[str, Any]) -> str:
    """The sweep's comparison (sweep.json): labels, pass@k with bootstrap CIs, paired differences."""
    ks = list(document.get("ks") or [])
    keys = list(document.get("label_keys") or [])
    runs = list(document.get("runs") or [])
    first = f"pass@{ks[0]}" if ks else None
    head = "".join(f"<th>{_esc(key)}</th>" for key in keys) + "".join(f"<th>pass@{k} [95% CI]</th>" for k in ks)
    if len(runs) > 1 and first:
        head += f"<th>&Delta; {first} vs {_esc(document.get('baseline'))} [95% CI]</th>"
    rows = []
    for i, run in enumerate(runs):
        cells = "".join(f"<td>{_esc(run.get('labels', {}).get(key, ''))}</td>" for key in keys)
        cells += "".join(_estimate_cell((run.get("pass_at_k") or {}).get(f"pass@{k}")) for k in ks)
        if len(runs) > 1 and first:
            cells += _estimate_cell((run.get("vs_baseline") or {}).get(first), signed=True) if i else "<td>-</td>"
        rows.append(f"<tr><td>{i + 1}. {_esc(run.get('name'))}</td>{cells}</tr>")
    return (
        '<p class="sub">pass@k in %, with the percentile-bootstrap 95% interval over problems; &Delta; is the paired '
        "difference from the first run on the problems both judged (docs/metrics.md, sweep.json).</p>"
        f'<table id="comparison"><thead><tr><th>run</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _score_table(runs: Sequence[RunData]) -> str:
    rows = []
    for i, run in enumerate(runs):
        s = run.metrics.get("score")
        if not isinstance(s, dict):
            rows.append(f"<tr><td>{i + 1}. {_esc(run.name)}</td><td colspan=\"9\">no score in metrics.json (written by an older taco-judge)</td></tr>")
            continue
        res = s.get("resource") or {}
        fr = res.get("failure_rates") or {}
        ci = s.get("correctness_ci95") or [None, None]
        cci = s.get("composite_ci95") or [None, None]
        cpu = res.get("cpu_time_ratio") or {}
        mem = res.get("peak_memory_ratio") or {}
        all_tasks = int((run.metrics.get("counts") or {}).get("tasks", 0))
        tasks = int(s.get("tasks") or 0)
        rows.append(
            f"<tr><td>{i + 1}. {_esc(run.name)}</td>"
            f'<td class="cover">{tasks} of {all_tasks}' + (f' <span class="sub">({all_tasks - tasks} left out)</span>' if all_tasks > tasks else "") + "</td>"
            f"<td>{_esc(_averaging_text(s))}</td>"
            f"<td><b>{_num(s.get('correctness'), 1)}</b> <span class=\"sub\">[{_num(ci[0], 1)}, {_num(ci[1], 1)}]</span></td>"
            f"<td><b>{_num(s.get('composite'), 1)}</b> <span class=\"sub\">[{_num(cci[0], 1)}, {_num(cci[1], 1)}]</span></td>"
            f"<td>{_pct(s.get('penalty'))}</td>"
            f"<td>{int(res.get('failures') or 0)}: TLE {_pct(fr.get('TLE'))}, MLE {_pct(fr.get('MLE'))}, RE {_pct(fr.get('RE'))}</td>"
            f"<td>{_pct(cpu.get('p50'))} / {_pct(cpu.get('p95'))}</td>"
            f"<td>{_pct(mem.get('p50'))} / {_pct(mem.get('p95'))}</td>"
            f"<td>{_esc(s.get('checker', ''))}</td></tr>"
        )
    return (
        '<table id="score"><thead><tr><th>run</th><th>tasks scored</th><th>averaging</th><th>correctness [95% CI]</th><th>composite [95% CI]</th>'
        "<th>penalty</th><th>failures: TLE / MLE / RE share</th><th>accepted CPU / limit p50 / p95</th>"
        "<th>accepted memory / limit p50 / p95</th><th>checker</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _averaging_text(score: Mapping[str, Any]) -> str:
    """How correctness averaged the difficulty groups, in words (``score.averaging``)."""
    groups = score.get("by_difficulty") or {}
    levels = [label for label in score.get("levels") or () if label in groups]
    averaging = score.get("averaging")
    if averaging == "tasks":
        return "mean over tasks (no difficulty labels)"
    if averaging == "levels_and_unlabelled_tasks" and levels:
        unknown = sum(float(e.get("weight") or 0.0) for label, e in groups.items() if label not in levels)
        weight = _pct(groups[levels[0]].get("weight"))
        labelled = f"{levels[0]} {weight}" if len(levels) == 1 else f"{len(levels)} difficulty levels {weight} each"
        return f"{labelled}, {_plural(int(score.get('unlabelled_tasks') or 0), 'unlabelled task')} {_pct(unknown)}"
    if levels:
        return f"mean over {_plural(len(levels), 'difficulty level')}"
    return "-"


def _difficulty_rank(label: str) -> int:
    return difficulty_sort_key(label)[0]


def _problems_table(
    runs: Sequence[RunData], task_ids: Sequence[TaskId], infos: Mapping[TaskId, _TaskInfo], per_run: Sequence[Mapping[TaskId, _TaskRun]]
) -> str:
    head = [
        '<th data-key="task" data-type="num"><button type="button">task</button></th>',
        '<th data-key="name"><button type="button">name</button></th>',
        '<th data-key="difficulty" data-type="num"><button type="button">difficulty</button></th>',
        '<th data-key="skills"><button type="button">skills</button></th>',
        '<th data-key="tests" data-type="num"><button type="button">tests</button></th>',
    ]
    for r, run in enumerate(runs):
        tag = f"{r + 1}. {run.name}" if len(runs) > 1 else "pass@1"
        head.append(f'<th data-key="r{r}-pass1" data-type="num"><button type="button">{_esc(tag if len(runs) == 1 else "pass@1 " + tag)}</button></th>')
        head.append(f'<th data-key="r{r}-failures" data-type="num"><button type="button">{_esc("samples" if len(runs) == 1 else "samples " + str(r + 1))}</button></th>')
    rows = []
    for t, tid in enumerate(task_ids):
        info = infos[tid]
        cells = [
            f'<td data-sort="{t}"><a href="#task-{t}">{_esc(tid)}</a></td>',
            f"<td>{_esc(info.name)}</td>",
            f'<td data-sort="{_difficulty_rank(info.difficulty) if info.difficulty else 99}">{_esc(info.difficulty or "-")}</td>',
            f'<td class="skills">{_esc(", ".join(info.skills))}</td>',
            f'<td data-sort="{"" if info.num_tests is None else info.num_tests}">{"-" if info.num_tests is None else info.num_tests}</td>',
        ]
        for r in range(len(runs)):
            entry = per_run[r].get(tid)
            if entry is None:
                cells.append('<td data-sort="">-</td><td data-sort="">-</td>')
                continue
            p1 = entry.pass1
            shown = "unjudgeable" if entry.unjudgeable else _pct(p1)
            cells.append(f'<td data-sort="{"" if p1 is None else f"{p1:.6f}"}">{shown}</td>')
            chips = []
            if entry.verdicts.get("AC"):
                chips.append(f'<span class="chip v-AC">{entry.verdicts["AC"]} AC</span>')
            for f in entry.failures:
                where = "" if f.test is None else f" t{f.test}"
                chips.append(
                    f'<a class="chip v-{_esc(f.verdict)}" href="#f-{r}-{t}-{f.sample}" '
                    f'title="sample {f.sample}: {_esc(f.verdict)}{where}">s{f.sample} {_esc(f.verdict)}</a>'
                )
            hidden = entry.failures_total - len(entry.failures)
            if hidden:
                chips.append(f'<a class="more" href="#task-{t}">+{hidden} more</a>')
            cells.append(f'<td data-sort="{entry.failures_total}">{"".join(chips)}</td>')
        rows.append(f'<tr id="row-{t}" data-task="{_esc(tid)}" data-order="{t}">{"".join(cells)}</tr>')
    return (
        '<table id="problems" class="sortable"><thead><tr>'
        + "".join(head)
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _failure_sections(
    runs: Sequence[RunData], task_ids: Sequence[TaskId], infos: Mapping[TaskId, _TaskInfo], per_run: Sequence[Mapping[TaskId, _TaskRun]]
) -> str:
    out = []
    for t, tid in enumerate(task_ids):
        info = infos[tid]
        failures = [f for r in range(len(runs)) for f in (per_run[r].get(tid).failures if per_run[r].get(tid) else ())]
        hidden = sum(e.failures_total - len(e.failures) for e in (per_run[r].get(tid) for r in range(len(runs))) if e)
        if not failures and not hidden:
            continue
        title = f"task {tid}" + (f": {info.name}" if info.name else "") + (f" ({info.difficulty})" if info.difficulty else "")
        parts = [f'<section class="task" id="task-{t}"><h3>{_esc(title)}</h3>']
        by_test: dict[int | None, list[_Failure]] = {}
        for f in failures:
            by_test.setdefault(f.test, []).append(f)
        for index in sorted(by_test, key=lambda i: (i is None, i or 0)):
            if index is None:
                parts.append('<div class="test"><h4>no test ran (compile error or judge failure)</h4>')
            else:
                parts.append(f'<div class="test" id="test-{t}-{index}"><h4>test {index}</h4>')
                data = info.tests.get(index)
                if data is not None:
                    parts.append(
                        f'<div class="io"><div><div class="label">input</div><pre>{_esc(data[0])}</pre></div>'
                        f'<div><div class="label">expected</div><pre>{_esc(data[1])}</pre></div></div>'
                    )
                else:
                    parts.append('<p class="sub">input and expected output: pass the problems to the report (taco-judge report --problems) to show them</p>')
            for f in by_test[index]:
                run_name = runs[f.run].name
                parts.append(
                    f'<div class="failure" id="f-{f.run}-{t}-{f.sample}"><div class="head">'
                    f'<span class="chip v-{_esc(f.verdict)}">{_esc(f.verdict)}</span> '
                    f"{_esc(run_name)} &middot; sample {f.sample}"
                    + ("" if index is None else f" &middot; first failing test {index}")
                    + "</div>"
                )
                if f.detail:
                    parts.append(f'<div class="label">detail</div><pre>{_esc(f.detail)}</pre>')
                if f.got is not None:
                    parts.append(f'<div class="label">got (program output)</div><pre>{_esc(f.got)}</pre>')
                elif index is not None:
                    parts.append('<div class="sub">program output not recorded (results.jsonl keeps the first difference, in the detail)</div>')
                if f.stderr_tail:
                    parts.append(f'<div class="label">stderr (end)</div><pre>{_esc(f.stderr_tail)}</pre>')
                parts.append("</div>")
            parts.append("</div>")
        if hidden:
            parts.append(f'<p class="sub">{hidden} more failing samples not listed here (see results.jsonl)</p>')
        parts.append("</section>")
        out.append("".join(parts))
    return "".join(out) or "<p>No failing samples.</p>"


# ----------------------------------------------------------------------------------------------
# Page


_CSS = """
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}h3{font-size:15px}h4{font-size:13px;margin:8px 0}
table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f4f4f4}th button{font:inherit;font-weight:600;background:none;border:0;cursor:pointer;padding:0}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
.sub{color:#666;font-size:12px}.swatch{display:inline-block;width:10px;height:10px;margin-right:4px}
.chip{display:inline-block;padding:0 4px;margin:1px;border-radius:3px;color:#fff;font-size:11px;text-decoration:none;white-space:nowrap}
.v-AC{background:#59a14f}.v-WA{background:#e15759}.v-TLE{background:#f28e2b}.v-MLE{background:#b07aa1}.v-RE{background:#9c755f}
.v-CE{background:#8c8c8c}.v-OLE{background:#76b7b2}.v-SE{background:#333}.more{font-size:11px;margin-left:4px}
pre{background:#f7f7f7;border:1px solid #e4e4e4;padding:4px 6px;max-height:240px;overflow:auto;white-space:pre-wrap;word-break:break-all;font-size:12px;margin:2px 0 6px}
.io{display:flex;gap:12px}.io>div{flex:1;min-width:0}.label{font-size:11px;color:#555;font-weight:600}
.failure .head{font-size:13px;margin-bottom:2px}.failure{border-left:3px solid #ccc;padding-left:8px;margin:6px 0 10px}.failure:target{border-left-color:#4e79a7;background:#eef4fb}
section.task{content-visibility:auto;contain-intrinsic-size:auto 600px;border:1px solid #e4e4e4;padding:6px 12px;margin:10px 0}.plot{display:block;margin:8px 0}
.skills{max-width:260px}
details{margin:8px 0}summary{cursor:pointer}
.banner{background:#b00020;color:#fff;padding:8px 12px;margin:8px 0;font-size:15px;border-radius:3px}
"""

# Runs first, in <head>: records any later error on <body data-errors>, so a headless check sees it.
_ERROR_JS = """window.__tjErrors=[];window.addEventListener("error",function(e){window.__tjErrors.push(String(e.message||e));if(document.body){document.body.setAttribute("data-errors",window.__tjErrors.join(" | "));}});"""

# Sorting of table.sortable by clicking a header (or #sort=KEY[:desc] in the URL); marks the
# page ready at the end. Reads only the DOM: no data from the runs is ever inside a script.
_MAIN_JS = """(function(){"use strict";
function value(cell,numeric){var raw=cell?(cell.hasAttribute("data-sort")?cell.getAttribute("data-sort"):cell.textContent):"";
if(numeric){if(raw===""){return null;}var x=parseFloat(raw);return isNaN(x)?null:x;}return raw.toLowerCase();}
function sortBy(table,key,dir){var heads=table.tHead.rows[0].cells,col=-1;
for(var i=0;i<heads.length;i++){if(heads[i].getAttribute("data-key")===key){col=i;}}if(col<0){return false;}
var numeric=heads[col].getAttribute("data-type")==="num",body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=value(a.cells[col],numeric),y=value(b.cells[col],numeric),c=0;
if(x===null||y===null){c=(x===null)-(y===null);}else{c=x<y?-1:(x>y?1:0);if(dir==="desc"){c=-c;}}
return c||(parseInt(a.getAttribute("data-order"),10)-parseInt(b.getAttribute("data-order"),10));});
for(var j=0;j<rows.length;j++){body.appendChild(rows[j]);}
for(var h=0;h<heads.length;h++){heads[h].removeAttribute("aria-sort");}
heads[col].setAttribute("aria-sort",dir==="desc"?"descending":"ascending");table.setAttribute("data-sorted",key+":"+dir);return true;}
function fromHash(){var m=/^#sort=([A-Za-z0-9_-]+)(?::(asc|desc))?$/.exec(location.hash);if(!m){return;}
var tables=document.querySelectorAll("table.sortable");for(var i=0;i<tables.length;i++){sortBy(tables[i],m[1],m[2]||"asc");}}
try{var tables=document.querySelectorAll("table.sortable");
Array.prototype.forEach.call(tables,function(table){Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th){
var button=th.querySelector("button");if(!button){return;}button.addEventListener("click",function(){
var dir=th.getAttribute("aria-sort")==="ascending"?"desc":"asc",key=th.getAttribute("data-key");sortBy(table,key,dir);
try{history.replaceState(null,"","#sort="+key+":"+dir);}catch(ignored){}});});});
fromHash();window.addEventListener("hashchange",fromHash);document.body.setAttribute("data-ready","1");}
catch(e){window.__tjErrors.push(String(e&&e.message||e));document.body.setAttribute("data-errors",window.__tjErrors.join(" | "));}
})();"""


def _csp() -> str:
    """Only this page's two scripts may run (by hash); nothing may be fetched from anywhere."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii") + "'"
        for js in (_ERROR_JS, _MAIN_JS)
    )
    return f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {hashes}"


def render_html(
    runs: Sequence[RunData],
    *,
    problems: Iterable[Problem] | None = None,
    title: str = "taco-judge report",
    max_failures_per_task: int = MAX_FAILURES_PER_TASK,
    truncate_chars: int = TRUNCATE_CHARS,
    comparison: Mapping[str, Any] | None = None,
) -> str:
    """The report as one HTML document (see ``write_html``)."""
    if not runs:
        raise ValueError("the report needs at least one run")
    task_ids, infos, per_run = _collect(runs, problems, max_failures_per_task, truncate_chars)
    row_of = {tid: t for t, tid in enumerate(task_ids)}
    cpu_values, mem_values = zip(*(_accepted_ratios(run) for run in runs))
    has_skills = any(set(run.metrics.get("by_skill") or ()) - {NO_SKILL} for run in runs)
    sections = [
        f"<h1>{_esc(title)}</h1>",
        _banners(runs),
        "<h2>Runs</h2>",
        _runs_table(runs),
        _coverage(runs),
        *(["<h2>Sweep comparison</h2>", _comparison_table(comparison)] if comparison else []),
        "<h2>Code-capability score</h2>",
        (
            '<p class="sub">correctness = 100 &times; pass@1 averaged over difficulty levels (each labelled level '
            "weighs the same; unlabelled tasks weigh one task each, see &ldquo;averaging&rdquo;); composite = "
            "correctness &times; (1 &minus; penalty), penalty = weighted share of samples ending in TLE, MLE "
            "or RE (README, &ldquo;Code-capability score&rdquo;; docs/metrics.md).</p>"
        ),
        _score_table(runs),
        *(["<h2>Checkers compared</h2>", _checkers_section(runs, row_of)] if any(_compared(r) for r in runs) else []),
        "<h2>pass@k</h2>",
        _pass_at_k_section(runs),
        "<h2>Verdict mix per difficulty</h2>",
        '<p class="sub">Share of samples per verdict' + (", one bar per run (numbered as in the runs table)" if len(runs) > 1 else "")
        + (", over the samples pass@1 is over: unjudgeable tasks are left out" if any((r.metrics.get("unjudgeable") or {}).get("tasks") for r in runs) else "")
        + ".</p>",
        _verdict_mix_plot(runs),
        "<h2>CPU time and memory of accepted samples</h2>",
        _ratio_plot("plot-cpu", "CPU time", runs, cpu_values),
        _ratio_plot("plot-memory", "peak memory", runs, mem_values),
        "<h2>pass@1 per skill</h2>",
        _skills_plot(runs) if has_skills else '<p id="skills-none">No task has skill labels (TACO\'s skill_types), so there is no per-skill breakdown.</p>',
        "<h2>Problems</h2>",
        (
            '<p class="sub">Click a column header to sort (or open the page with #sort=COLUMN or '
            "#sort=COLUMN:desc). Each failing sample links to its first failing test.</p>"
        ),
        _problems_table(runs, task_ids, infos, per_run),
        "<h2>Failing samples</h2>",
        _failure_sections(runs, task_ids, infos, per_run),
    ]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{_csp()}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{_CSS}</style><script>{_ERROR_JS}</script></head>\n<body>"
        + "\n".join(sections)
        + f"\n<script>{_MAIN_JS}</script></body></html>\n"
    )
