"""What the user sees and keeps: the closing summary tables, live progress, metrics.json and results.jsonl."""

from __future__ import annotations

import json
import math
import os
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from taco_judge.errors import UserError
from taco_judge.metrics import PERCENTILES
from taco_judge.problems import task_sort_key
from taco_judge.verdict import SampleResult, Verdict

VERDICT_STYLES = {
    "AC": "green",
    "WA": "red",
    "TLE": "yellow",
    "MLE": "magenta",
    "RE": "red",
    "CE": "bright_red",
    "OLE": "cyan",
    "SE": "bold white on red",
}
LOUD = "bold white on red"  # an incomplete run, SE samples: lines nobody may miss


# ----------------------------------------------------------------------------------------------
# Files


def write_metrics(path: str | os.PathLike[str], metrics: dict[str, Any]) -> None:
    """Write metrics.json atomically: readers see the old file or the new one, never a torn one."""
    text = json.dumps(metrics, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    with atomic_writer(Path(path)) as handle:
        handle.write(text)


def write_results(path: str | os.PathLike[str], samples: Iterable[SampleResult]) -> None:
    """Write results.jsonl atomically: one JSON object per sample, in (task_id, sample) order."""
    ordered = sorted(samples, key=lambda s: (task_sort_key(s.task_id), s.sample))
    with atomic_writer(Path(path)) as handle:
        for result in ordered:
            handle.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")


@contextmanager
def atomic_writer(path: Path) -> Iterator[IO[str]]:
    """A text handle on a temporary file beside ``path`` that replaces ``path`` on success."""
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.fchmod(fd, 0o644)  # mkstemp makes it 0600; results are ordinary files others may read
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise UserError(
            f"cannot write {path}: {exc.strerror or exc}; choose a writable output directory"
        ) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


# ----------------------------------------------------------------------------------------------
# Closing summary


def render_summary(metrics: dict[str, Any], console: Console) -> None:
    """Print the end-of-run tables: pass@k, verdict mix, difficulties, rates, resources, caveats.

    Reads only the keys documented in docs/metrics.md and tolerates missing ones, so a
    metrics.json from an older run still renders.
    """
    counts = metrics.get("counts", {})
    console.rule("taco-judge summary")
    warnings = _loud_lines(metrics)
    for line in warnings:
        console.print(line, style=LOUD, highlight=False)
    expected = _expected_samples(metrics)
    samples = _plural(counts.get("samples", 0), "sample")
    if expected is not None and expected != counts.get("samples", 0):
        samples = f"{counts.get('samples', 0)} of {expected} samples"
    console.print(
        f"{_plural(counts.get('tasks', 0), 'task')}, {samples}, "
        f"{_plural(counts.get('tests', 0), 'test')} run; {counts.get('scored_tasks', 0)} scored",
        highlight=False,
    )
    console.print(_pass_at_k_table(metrics))
    console.print(_verdict_table(metrics))
    difficulty = metrics.get("by_difficulty") or {}
    if difficulty:
        table, footnotes = _group_table("By difficulty", "difficulty", difficulty, metrics)
        console.print(table)
        for line in footnotes:
            console.print(line, highlight=False)
    rates = [
        f"{name.upper()} rate {_pct(metrics[f'{name}_rate'])}"
        for name in ("tle", "mle", "re", "ole", "se")
        if f"{name}_rate" in metrics
    ]
    if rates:
        console.print("  ".join(rates), highlight=False)
    resources = metrics.get("resources") or {}
    if resources.get("accepted_samples"):
        console.print(_resources_table(resources))
    for line in _score_lines(metrics):
        console.print(line, highlight=False)
    for note in _notes(metrics):
        console.print(note, highlight=False)
    if _expected_samples(metrics) is not None:  # the last line too: a long summary scrolls the first away
        console.print(warnings[0], style=LOUD, highlight=False)


def _expected_samples(metrics: dict[str, Any]) -> int | None:
    """The run's selected samples when ``run.complete`` says it is incomplete, else None."""
    run = metrics.get("run")
    if not isinstance(run, dict) or run.get("complete", True):
        return None
    expected = run.get("samples_expected")
    return int(expected) if isinstance(expected, int) else -1


def _loud_lines(metrics: dict[str, Any]) -> list[str]:
    """What must not be missed, first: an incomplete run, SE samples."""
    lines = []
    counts = metrics.get("counts") or {}
    expected = _expected_samples(metrics)
    if expected is not None:
        judged = counts.get("samples", 0)
        of = f"{judged} of {expected} samples judged" if expected >= 0 else f"only {_plural(judged, 'sample')} judged"
        lines.append(f"INCOMPLETE RUN: {of}; the numbers cover only those.")
        lines.append("Judge into the same --out folder again to finish the run.")
    se = metrics.get("se") or {}
    if se.get("samples"):
        lines.append(
            f"SE: {_plural(se['samples'], 'sample')} in {_plural(se.get('tasks', 0), 'task')}: judge or jail "
            "failures, not the programs' fault."
        )
        lines.append("Left out of n for pass@k (never counted as failures); judge again to retry them.")
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100.0 * value:.1f}%"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _requested_ks(metrics: dict[str, Any]) -> list[int]:
    return metrics.get("ks") or sorted(
        int(key.split("@", 1)[1]) for key in metrics if key.startswith("pass@")
    )


def _shown_ks(metrics: dict[str, Any]) -> list[int]:
    """The requested k the run can estimate: some scored task has at least k judged samples.

    A k no task reaches would be a row of dashes (the default 1,10,100 on a one-sample run);
    ``_notes`` says once which k are missing and why.
    """
    coverage = {item["k"]: item for item in metrics.get("pass_at_k", [])}
    return [
        k for k in _requested_ks(metrics)
        if f"pass@{k}" in metrics or k not in coverage or coverage[k].get("tasks")
    ]


def _pass_at_k_table(metrics: dict[str, Any]) -> Table:
    """pass@k of the run's checker; with ``--compare``, each other checker's beside it, with the
    number of tasks it is over (a checker that ignores special judges scores unjudgeable tasks too)."""
    ks = _shown_ks(metrics)
    coverage = {item["k"]: item for item in metrics.get("pass_at_k", [])}
    checkers = metrics.get("by_checker") or {}
    compared = list(checkers) if len(checkers) > 1 else []
    # The head is the run's own checker's (by_checker lists it first): name it, do not repeat it.
    title = f"pass@k (unbiased estimator, {compared[0]} checker)" if compared else "pass@k (unbiased estimator)"
    others = compared[1:]
    table = Table(title=title, title_justify="left")
    table.add_column("k", justify="right")
    table.add_column("pass@k", justify="right")
    table.add_column("tasks", justify="right")
    table.add_column("left out (n<k)", justify="right")
    for name in others:
        table.add_column(f"pass@k ({name})", justify="right")
        table.add_column(f"tasks ({name})", justify="right")
    for k in ks:
        item = coverage.get(k, {})
        value = metrics.get(f"pass@{k}", item.get("value"))
        shown = _pct(value)
        if f"pass@{k}" not in metrics and value is not None:
            shown += " *"  # not every task has k samples: no TACO-compatible key
        row = [str(k), shown, str(item.get("tasks", "-")), str(item.get("tasks_left_out", "-"))]
        for name in others:
            entry = checkers[name]
            partial = {i["k"]: i for i in entry.get("pass_at_k", [])}.get(k, {})
            checker_value = entry.get(f"pass@{k}")
            if checker_value is None:
                checker_value = partial.get("value")
                row.append(_pct(checker_value) + (" *" if checker_value is not None else ""))
            else:
                row.append(_pct(checker_value))
            row.append(str(partial.get("tasks", "-")))
        table.add_row(*row)
    return table


def _verdict_table(metrics: dict[str, Any]) -> Table:
    verdicts = metrics.get("verdicts") or {}
    tests = metrics.get("tests_verdicts") or {}
    total = sum(verdicts.values())
    total_tests = sum(tests.values())
    table = Table(title="Verdicts", title_justify="left")
    table.add_column("verdict")
    table.add_column("samples", justify="right")
    table.add_column("% samples", justify="right")
    table.add_column("tests", justify="right")
    table.add_column("% tests", justify="right")
    for verdict in Verdict:
        count = verdicts.get(verdict.value, 0)
        test_count = tests.get(verdict.value, 0)
        table.add_row(
            f"[{VERDICT_STYLES[verdict.value]}]{verdict.value}[/]",
            str(count),
            _pct(count / total) if total else "-",
            str(test_count),
            _pct(test_count / total_tests) if total_tests else "-",
        )
    return table


def _share(count: int, total: int) -> str:
    """A whole-number percentage for a table cell: blank for none, "<1" for a trace."""
    if not count or not total:
        return ""
    value = 100.0 * count / total
    return "<1" if value < 0.5 else f"{value:.0f}"


def _group_table(
    title: str, label: str, groups: dict[str, dict[str, Any]], metrics: dict[str, Any]
) -> tuple[Table, list[str]]:
    """A breakdown table and its footnotes.

    pass@k and the verdict columns cover the same samples: those of the group's scored tasks.
    Unjudgeable tasks get a column of their own (when there are any), never a silent WA.
    """
    first_k = (metrics.get("ks") or [1])[0]

    def scored(entry: dict[str, Any]) -> dict[str, int]:
        return entry.get("scored_verdicts") or entry.get("verdicts") or {}

    show_samples = any(
        entry.get("scored_samples", entry.get("samples", 0)) != entry.get("scored_tasks", entry.get("tasks", 0))
        for entry in groups.values()
    )
    show_unjudged = any(entry.get("unjudgeable_tasks") for entry in groups.values())
    verdicts = [v.value for v in Verdict if any(scored(e).get(v.value) for e in groups.values())]
    table = Table(title=f"{title} (verdicts: % of samples)", title_justify="left")
    table.add_column(label)
    table.add_column("tasks", justify="right")
    if show_unjudged:
        table.add_column("unjudged", justify="right")
    if show_samples:
        table.add_column("samples", justify="right")
    table.add_column(f"pass@{first_k}", justify="right")
    for name in verdicts:
        table.add_column(f"[{VERDICT_STYLES[name]}]{name}[/]", justify="right")
    for name, entry in groups.items():
        counts = scored(entry)
        total = sum(counts.values())
        row = [_escape(name), str(entry.get("tasks", 0))]
        if show_unjudged:
            row.append(str(entry.get("unjudgeable_tasks", 0) or ""))
        if show_samples:
            row.append(str(total))
        row.append(_pct(entry.get(f"pass@{first_k}")))
        row.extend(_share(counts.get(v, 0), total) for v in verdicts)
        table.add_row(*row)
    notes = []
    if show_unjudged:
        notes.append(
            f"unjudged: tasks with several valid answers and no checker program, left out of "
            f"pass@{first_k} and of the verdict shares (see Unjudgeable below)."
        )
    return table, notes


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(str(text))


def _resources_table(resources: dict[str, Any]) -> Table:
    table = Table(
        title=f"Resources of accepted samples (n={resources['accepted_samples']}, worst test each)",
        title_justify="left",
    )
    table.add_column("measure")
    for p in PERCENTILES:
        table.add_column(f"p{p}", justify="right")
    table.add_column("max", justify="right")
    rows = (
        ("CPU time / limit", "cpu_time_ratio", _pct),
        ("peak memory / limit", "peak_memory_ratio", _pct),
        ("CPU seconds", "cpu_s", lambda v: "-" if v is None else f"{v:.3f}"),
        ("peak MB", "peak_mb", lambda v: "-" if v is None else f"{v:.1f}"),
    )
    for title, key, fmt in rows:
        stats = resources.get(key) or {}
        table.add_row(title, *(fmt(stats.get(f"p{p}")) for p in PERCENTILES), fmt(stats.get("max")))
    return table


def _score_lines(metrics: dict[str, Any]) -> list[str]:
    """The code-capability score, the tasks it covers and how it averaged difficulty groups."""
    score = metrics.get("score")
    if not isinstance(score, dict) or score.get("correctness") is None:
        return []

    def interval(key: str) -> str:
        ci = score.get(f"{key}_ci95") or []
        return f" [{ci[0]:.1f}, {ci[1]:.1f}]" if len(ci) == 2 else ""

    tasks, all_tasks = score.get("tasks", 0), (metrics.get("counts") or {}).get("tasks", 0)
    cover = f"{tasks} of {all_tasks} tasks" if all_tasks and all_tasks != tasks else _plural(tasks, "task")
    lines = [
        f"Score: correctness {score['correctness']:.1f}{interval('correctness')}, "
        f"composite {score['composite']:.1f}{interval('composite')} (95% CI)"
    ]
    groups = score.get("by_difficulty") or {}
    levels = [label for label in score.get("levels") or [] if label in groups]
    where = f"  over {cover} ({score.get('checker', '?')} verdicts); "
    averaging = score.get("averaging")
    if averaging == "tasks":
        lines.append(where + "mean over tasks: no difficulty labels")
    elif averaging == "levels_and_unlabelled_tasks" and levels:
        unknown_weight = sum(e.get("weight", 0.0) for label, e in groups.items() if label not in levels)
        weight = _pct(groups[levels[0]].get("weight"))
        lines.append(where + (f"{levels[0]} weighs {weight}," if len(levels) == 1
                              else f"{len(levels)} difficulty levels weigh {weight} each,"))
        lines.append(
            f"  {_plural(score.get('unlabelled_tasks', 0), 'unlabelled task')} {_pct(unknown_weight)} together "
            "(one task each; docs/metrics.md)"
        )
    elif levels:
        lines.append(where + f"mean over {_plural(len(levels), 'difficulty level')}")
    else:
        lines.append(where.rstrip("; "))
    return lines


def _notes(metrics: dict[str, Any]) -> list[str]:
    notes = []
    ks = metrics.get("ks") or []
    shown = _shown_ks(metrics)
    hidden = [k for k in ks if k not in shown]
    if hidden:
        most = max((item.get("k", 0) for item in metrics.get("pass_at_k", []) if item.get("tasks")), default=0)
        notes.append(
            "pass@" + ", pass@".join(map(str, hidden)) + f" not shown: no task has {min(hidden)} or more "
            + (f"judged samples (at most {most})." if most else "judged samples.")
        )
    starred = [k for k in shown if f"pass@{k}" not in metrics]
    if starred:
        notes.append(
            "* pass@" + ", pass@".join(map(str, starred)) + ": some scored tasks have fewer than k "
            "judged samples, so the TACO-compatible key is absent; the value shown averages the "
            "tasks with n >= k."
        )
    unjudgeable = metrics.get("unjudgeable") or {}
    if unjudgeable.get("tasks"):
        bounds = unjudgeable.get("pass@k_bounds") or {}
        first = bounds.get(f"pass@{ks[0]}") if ks else None
        extra = ""
        if first and first.get("low") is not None:
            extra = (
                f"; counting them in, pass@{ks[0]} lies between "
                f"{_pct(first['low'])} and {_pct(first['high'])}"
            )
        notes.append(
            f"Unjudgeable: {_plural(unjudgeable['tasks'], 'task')} with several valid answers and "
            f"no checker program ({_plural(unjudgeable.get('samples', 0), 'sample')} differing "
            f"from the one expected answer) left out of pass@k{extra}."
        )
    count = metrics.get("disagreements_count", 0)
    checkers = list(metrics.get("by_checker") or {})
    if len(checkers) > 1:
        notes.append(
            f"Checkers {' vs '.join(checkers)}: {_plural(count, 'sample')} passed by one and failed "
            "by another"
            + (" (listed in metrics.json 'disagreements')." if count else ".")
        )
    return notes


def print_files(console: Console, files: Iterable[tuple[str, str | os.PathLike[str]]]) -> None:
    """The files a command wrote, one "label: path" line each, never wrapped inside a path (rich
    would break a long one at 80 columns on a pipe; the terminal's own soft wrap keeps it one line
    to copy)."""
    for label, path in files:
        console.print(f"{label}: {path}", highlight=False, markup=False, soft_wrap=True)


# ----------------------------------------------------------------------------------------------
# Live progress


def format_duration(seconds: float) -> str:
    """Short human duration: 42s, 1m20s, 2h05m."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{(seconds % 3600) // 60:02d}m"


class ProgressReporter:
    """Live progress of a judging run, safe to advance from worker threads.

    On a terminal: a rich progress bar with samples done/total, verdict counts and ETA. Otherwise
    (CI logs, files): a plain line at every 5% of the samples or every 10 s, whichever comes
    first, and one at the end. With ``quiet``: nothing.
    """

    def __init__(
        self,
        total_samples: int,
        console: Console,
        quiet: bool = False,
        *,
        log_every_s: float = 10.0,
        log_every_fraction: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = max(0, int(total_samples))
        self.console = console
        self.quiet = quiet
        self.live = console.is_terminal and not quiet
        self._clock = clock
        self._log_every_s = log_every_s
        self._log_step = max(1, math.ceil(self.total * log_every_fraction))
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._done = 0
        self._started_at = clock()
        self._last_logged_done = 0
        self._last_logged_at = self._started_at
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    @property
    def done(self) -> int:
        """Samples reported so far."""
        return self._done

    @property
    def counts(self) -> dict[str, int]:
        """Sample verdict counts so far, in verdict order, zeros left out."""
        with self._lock:
            return {v.value: self._counts[v.value] for v in Verdict if self._counts[v.value]}

    def __enter__(self) -> ProgressReporter:
        self._started_at = self._last_logged_at = self._clock()
        if self.live:
            self._progress = Progress(
                TextColumn("judging"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[verdicts]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self.console,
            )
            self._progress.start()
            self._task = self._progress.add_task("judging", total=self.total, verdicts="")
        elif not self.quiet:
            self.console.print(f"judging {self.total} samples", markup=False, highlight=False)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        elif not self.quiet and not self.live:
            with self._lock:
                if self._done != self._last_logged_done or exc_type is not None:
                    self._log_line(self._clock())

    def advance(self, result: SampleResult) -> None:
        """Count one judged sample and refresh the bar or, when due, print a progress line."""
        with self._lock:
            self._done += 1
            self._counts[result.verdict.value] += 1
            if self.quiet:
                return
            if self._progress is not None and self._task is not None:
                self._progress.update(self._task, advance=1, verdicts=self._counts_text())
                return
            if self.live:
                return
            now = self._clock()
            if (
                self._done - self._last_logged_done >= self._log_step
                or now - self._last_logged_at >= self._log_every_s
                or self._done == self.total
            ):
                self._log_line(now)

    def _counts_text(self) -> str:
        return ", ".join(
            f"{v.value} {self._counts[v.value]}" for v in Verdict if self._counts[v.value]
        )

    def _log_line(self, now: float) -> None:
        """Print one plain progress line; the caller holds the lock."""
        elapsed = now - self._started_at
        if self._done and self.total > self._done:
            eta = format_duration(elapsed / self._done * (self.total - self._done))
        elif self._done >= self.total:
            eta = "0s"
        else:
            eta = "?"
        counts = self._counts_text()
        self.console.print(
            f"judged {self._done}/{self.total} samples"
            + (f" ({counts})" if counts else "")
            + f" elapsed {format_duration(elapsed)} ETA {eta}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        self._last_logged_done = self._done
        self._last_logged_at = now
