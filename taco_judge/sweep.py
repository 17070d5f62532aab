"""A pass@k sweep: many judge runs (models x temperatures x ...) over one problem set, compared.

A sweep file (TOML) lists the runs, each a generation file with free-form labels, and the judge
options they share. Every run is an ordinary run folder (``OUT/runs/NAME``: resumable, readable by
``report`` and ``rejudge``), and all runs share one execution cache (``OUT/cache.sqlite``), so a
program that several runs generated runs once. This module reads the sweep file and turns the
runs' results into the comparison: ``sweep.json``, ``sweep.csv`` and the terminal table, with
bootstrap confidence intervals over problems. ``cli.cmd_sweep`` drives the judging.
"""

from __future__ import annotations

import csv
import json
import math
import re
import tomllib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from taco_judge.errors import UserError
from taco_judge.metrics import NO_SKILL, scored_counts
from taco_judge.problems import TaskId, TaskMeta, difficulty_sort_key
from taco_judge.report import atomic_writer
from taco_judge.score import ScoreWeights
from taco_judge.stats import BOOTSTRAP_SEED, bootstrap_pass_at_k, bootstrap_pass_at_k_delta
from taco_judge.verdict import SampleResult, Verdict

SWEEP_JSON = "sweep.json"
SWEEP_CSV = "sweep.csv"
SWEEP_HTML = "report.html"
CACHE_FILE = "cache.sqlite"
RUNS_DIR = "runs"
DEFAULT_RESAMPLES = 1000
DEFAULT_KS: tuple[int, ...] = (1, 10, 100)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_LABEL_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class _Option:
    """A shared judge option of the sweep file: the TOML types it takes (its key is the judge
    option's name, as in ``commands.judge.JudgeRequest``)."""

    kind: str  # "str", "path", "ids" (str or list), "int", "float", "bool"
    choices: tuple[str, ...] = ()


# Keys of the sweep file that become `taco-judge judge` options of every run. Limits, the checker
# and the problem selection must be the same for all runs, or the comparison compares nothing.
SHARED_OPTIONS: dict[str, _Option] = {
    "problems": _Option("path"),
    "split": _Option("str"),
    "difficulty": _Option("ids"),
    "skill": _Option("ids"),
    "source": _Option("ids"),
    "task_ids": _Option("ids"),
    "compare": _Option("str", ("strict", "taco", "both")),
    "time_limit_s": _Option("float"),
    "memory_mb": _Option("int"),
    "spj": _Option("path"),
    "float_tol": _Option("float"),
    "checker": _Option("path"),
    "preamble": _Option("str", ("taco", "none")),
    "all_tests": _Option("bool"),
    "skip_invalid": _Option("bool"),
    "quarantine": _Option("path"),
    "sandbox": _Option("str"),
    "jobs": _Option("int"),
    "executor": _Option("str"),
    "ray_address": _Option("str"),
}
_RENAMED_KEYS = {"timeout": "time_limit_s", "memory": "memory_mb"}  # names before 0.1
_TOP_KEYS = {"out", "k", "score_weights", "bootstrap_resamples", "runs", *SHARED_OPTIONS}
_RUN_KEYS = {"name", "generations", "labels"}


@dataclass(frozen=True)
class SweepRun:
    """One run of a sweep: a generation file judged into ``OUT/runs/NAME``."""

    name: str
    generations: str
    labels: Mapping[str, str | int | float | bool] = field(default_factory=dict)


@dataclass(frozen=True)
class SweepConfig:
    """A sweep file, read and checked; paths in it are resolved against its folder."""

    path: Path
    out: Path
    runs: tuple[SweepRun, ...]
    options: Mapping[str, Any]  # SHARED_OPTIONS keys -> values (paths made absolute)
    ks: tuple[int, ...]
    score_weights: ScoreWeights
    resamples: int = DEFAULT_RESAMPLES

    @property
    def cache_path(self) -> Path:
        return self.out / CACHE_FILE

    def run_dir(self, run: SweepRun) -> Path:
        return self.out / RUNS_DIR / run.name

    def label_keys(self) -> list[str]:
        """Every label key of the runs, in first-seen order (the columns of the tables)."""
        return list(dict.fromkeys(key for run in self.runs for key in run.labels))

    def judge_options(self, run: SweepRun, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The ``judge`` options of one run, by name (``overrides``: command-line options)."""
        options = {**self.options, **{k: v for k, v in (overrides or {}).items() if v is not None}}
        judged: dict[str, Any] = {
            "generations": run.generations,
            "out": str(self.run_dir(run)),
            "cache": str(self.cache_path),
            "k": tuple(self.ks),
            "score_weights": self.score_weights,
        }
        for key, value in options.items():
            if key == "all_tests":
                judged["early_stop"] = not value
            elif SHARED_OPTIONS[key].kind == "ids" and isinstance(value, list):
                judged[key] = ",".join(str(v) for v in value)
            else:
                judged[key] = value
        return judged


def load_sweep(path: str | Path, *, out: str | None = None) -> SweepConfig:
    """Read and check a sweep file; every problem is a UserError naming the file and the key.

    ``out`` (the command line's ``--out``) wins over the file's ``out``, which is relative to the
    file; without either the sweep goes to ``runs/<file stem>`` under the current folder.
    """
    source = Path(path)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{source}: sweep file not found; give the path of a .toml sweep file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{source}: cannot read the sweep file ({getattr(exc, 'strerror', None) or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{source}: not valid TOML ({exc}); fix the file") from None
    base = source.resolve().parent

    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        renamed = _RENAMED_KEYS.get(unknown[0])
        if renamed:
            raise UserError(f"{source}: key {unknown[0]!r} is now {renamed!r}; rename it in the sweep file")
        raise UserError(
            f"{source}: unknown key {unknown[0]!r}; sweep files take {', '.join(sorted(_TOP_KEYS))}"
        )
    if "problems" not in data:
        raise UserError(f"{source}: no 'problems' key; say which problem set every run is judged on")

    options: dict[str, Any] = {}
    for key, spec in SHARED_OPTIONS.items():
        if key in data:
            options[key] = _option_value(source, key, spec, data[key], base)

    ks = _ks(source, data.get("k", list(DEFAULT_KS)))
    weights = ScoreWeights.from_mapping(_table(source, "score_weights", data.get("score_weights", {})),
                                        origin=f"{source}: [score_weights]")
    resamples = data.get("bootstrap_resamples", DEFAULT_RESAMPLES)
    if isinstance(resamples, bool) or not isinstance(resamples, int) or not 1 <= resamples <= 100_000:
        raise UserError(f"{source}: bootstrap_resamples must be an integer from 1 to 100000, got {resamples!r}")

    runs = _runs(source, data.get("runs"), base)
    if out is not None:
        out_dir = Path(out)
    elif "out" in data:
        if not isinstance(data["out"], str) or not data["out"]:
            raise UserError(f"{source}: 'out' must be a folder path (a string)")
        out_dir = base / data["out"]
    else:
        out_dir = Path(RUNS_DIR) / source.stem
    return SweepConfig(source, out_dir, runs, options, ks, weights, resamples)


def _option_value(source: Path, key: str, spec: _Option, value: Any, base: Path) -> Any:
    kinds = {"str": (str,), "path": (str,), "ids": (str, list), "int": (int,), "float": (int, float), "bool": (bool,)}
    wanted = {"str": "a string", "path": "a path (a string)", "ids": "a string or a list",
              "int": "an integer", "float": "a number", "bool": "true or false"}[spec.kind]
    if (isinstance(value, bool) and spec.kind != "bool") or not isinstance(value, kinds[spec.kind]):
        raise UserError(f"{source}: '{key}' must be {wanted}, got {value!r}")
    if spec.choices and value not in spec.choices:
        raise UserError(f"{source}: '{key}' must be one of {', '.join(spec.choices)}, got {value!r}")
    if spec.kind in ("int", "float") and not (math.isfinite(value) and value > 0):
        raise UserError(f"{source}: '{key}' must be positive, got {value!r}")
    if spec.kind == "ids" and isinstance(value, list):
        if not value or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
            raise UserError(f"{source}: '{key}' must list strings or integers, got {value!r}")
    if spec.kind == "path":
        candidate = base / value
        # A hub id (BAAI/TACO, taco:test) stays as written; a path is relative to the sweep file.
        if candidate.exists() or key != "problems":
            return str(candidate.resolve())
    return value


def _ks(source: Path, value: Any) -> tuple[int, ...]:
    if isinstance(value, str):
        parts: list[Any] = [p.strip() for p in value.split(",") if p.strip()]
        try:
            value = [int(p) for p in parts]
        except ValueError:
            raise UserError(f"{source}: 'k' must list positive integers, e.g. k = [1, 10, 100]") from None
    if (not isinstance(value, list) or not value
            or not all(isinstance(k, int) and not isinstance(k, bool) and k >= 1 for k in value)):
        raise UserError(f"{source}: 'k' must list positive integers, e.g. k = [1, 10, 100], got {value!r}")
    return tuple(sorted(set(value)))


def _table(source: Path, key: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise UserError(f"{source}: '{key}' must be a table, e.g. [{key}]")
    return value


def _runs(source: Path, value: Any, base: Path) -> tuple[SweepRun, ...]:
    if not isinstance(value, list) or not value:
        raise UserError(f"{source}: no runs; add [[runs]] tables with name and generations")
    runs: list[SweepRun] = []
    seen: set[str] = set()
    for number, item in enumerate(value, start=1):
        where = f"{source}: run {number}"
        if not isinstance(item, dict):
            raise UserError(f"{where}: must be a [[runs]] table with name and generations")
        unknown = sorted(set(item) - _RUN_KEYS)
        if unknown:
            raise UserError(f"{where}: unknown key {unknown[0]!r}; a run takes name, generations and labels "
                            "(shared options such as limits go at the top of the file)")
        name = item.get("name")
        if not isinstance(name, str) or not _NAME.match(name):
            raise UserError(f"{where}: 'name' must be letters, digits, '.', '_' or '-' (it names the run's "
                            f"folder), got {name!r}")
        where = f"{source}: run {name!r}"
        if name in seen:
            raise UserError(f"{where}: two runs have this name; give each run its own")
        seen.add(name)
        generations = item.get("generations")
        if not isinstance(generations, str) or not generations:
            raise UserError(f"{where}: 'generations' must be the path of a generation file")
        gen_path = (base / generations).resolve()
        if not gen_path.is_file():
            raise UserError(f"{where}: generation file {gen_path} not found (paths are relative to the sweep file)")
        labels = item.get("labels", {})
        if not isinstance(labels, dict):
            raise UserError(f"{where}: 'labels' must be a table, e.g. labels = {{ model = \"m\", temperature = 0.2 }}")
        for key, label in labels.items():
            if not _LABEL_KEY.match(key):
                raise UserError(f"{where}: label name {key!r} must be a plain word (letters, digits, '_', '.', '-')")
            if isinstance(label, float) and not math.isfinite(label):
                raise UserError(f"{where}: label {key!r} must be finite, got {label!r}")
            if not isinstance(label, (str, int, float, bool)):
                raise UserError(f"{where}: label {key!r} must be a string, number or boolean, got {label!r}")
        runs.append(SweepRun(name, str(gen_path), dict(labels)))
    return tuple(runs)


def select_runs(config: SweepConfig, names: str | None) -> tuple[SweepRun, ...]:
    """The runs named by ``--runs a,b`` (all without it); an unknown name is a UserError."""
    if not names:
        return config.runs
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    known = {run.name: run for run in config.runs}
    for name in wanted:
        if name not in known:
            raise UserError(f"--runs {names}: {config.path} has no run {name!r}; its runs are "
                            f"{', '.join(known)}")
    return tuple(known[name] for name in dict.fromkeys(wanted))


# ---------------------------------------------------------------- comparison


@dataclass(frozen=True)
class JudgedRun:
    """A judged run as the comparison needs it (read back from its run folder)."""

    run: SweepRun
    results: Sequence[SampleResult]
    tasks: Mapping[TaskId, TaskMeta]
    metrics: Mapping[str, Any]
    outputs: Mapping[tuple[TaskId, int, int], bytes | str] = field(default_factory=dict)  # failing tests' output


def summarize(config: SweepConfig, outcomes: Sequence[JudgedRun]) -> dict[str, Any]:
    """The ``sweep.json`` document: per run pass@k (overall, per difficulty, per skill) with
    bootstrap 95% CIs over problems, the pass@k curve for k = 1..n, the score, and each run's
    paired difference from the first run."""
    baseline = outcomes[0] if outcomes else None
    runs = []
    for outcome in outcomes:
        entry = _run_summary(config, outcome)
        if baseline is not None and outcome is not baseline:
            entry["vs_baseline"] = _paired(config, baseline, outcome)
        runs.append(entry)
    return {
        "sweep": str(config.path.resolve()),
        "out": str(config.out.resolve()),
        "ks": list(config.ks),
        "bootstrap": {"resamples": config.resamples, "seed": BOOTSTRAP_SEED, "level": 0.95,
                      "over": "problems (each problem's unbiased pass@k, resampled with replacement)"},
        "score_weights": config.score_weights.by_verdict(),
        "label_keys": list(dict.fromkeys(key for outcome in outcomes for key in outcome.run.labels)),
        "baseline": baseline.run.name if baseline else None,
        "runs": runs,
    }


def _estimates(counts: Sequence[tuple[int, int]], ks: Sequence[int], resamples: int) -> dict[str, Any]:
    return {f"pass@{k}": est.to_json()
            for k, est in bootstrap_pass_at_k(counts, ks, resamples=resamples, seed=BOOTSTRAP_SEED).items()}


def _run_summary(config: SweepConfig, outcome: JudgedRun) -> dict[str, Any]:
    counts = scored_counts(outcome.results)
    max_n = max((n for n, _ in counts.values()), default=0)
    curve_ks = list(range(1, max_n + 1))
    overall = bootstrap_pass_at_k(list(counts.values()), sorted(set(curve_ks) | set(config.ks)),
                                  resamples=config.resamples, seed=BOOTSTRAP_SEED)
    by_difficulty: dict[str, list[TaskId]] = defaultdict(list)
    by_skill: dict[str, list[TaskId]] = defaultdict(list)
    for tid in counts:
        meta = outcome.tasks.get(tid) or TaskMeta(task_id=tid)
        by_difficulty[meta.difficulty or "UNKNOWN"].append(tid)
        for skill in dict.fromkeys(meta.skills or (NO_SKILL,)):
            by_skill[skill].append(tid)

    def groups(members: Mapping[str, list[TaskId]], order: Any) -> dict[str, Any]:
        return {
            label: {"tasks": len(members[label]),
                    **_estimates([counts[t] for t in members[label]], config.ks, config.resamples)}
            for label in sorted(members, key=order)
        }

    verdicts = {v.value: 0 for v in Verdict}
    for result in outcome.results:
        verdicts[result.verdict.value] += 1
    run_info = outcome.metrics.get("run") or {}
    score = outcome.metrics.get("score") or {}
    return {
        "name": outcome.run.name,
        "labels": dict(outcome.run.labels),
        "generations": outcome.run.generations,
        "folder": str(config.run_dir(outcome.run).resolve()),
        "complete": bool(run_info.get("complete")),
        "tasks": len({r.task_id for r in outcome.results}),
        "scored_tasks": len(counts),
        "samples": len(outcome.results),
        "verdicts": verdicts,
        "pass_at_k": {f"pass@{k}": overall[k].to_json() for k in config.ks},
        "curve": [{"k": k, **overall[k].to_json()} for k in curve_ks],
        "by_difficulty": groups(by_difficulty, difficulty_sort_key),
        "by_skill": groups(by_skill, lambda label: (0, label)),
        "score": {
            "correctness": score.get("correctness"),
            "correctness_ci95": score.get("correctness_ci95"),
            "composite": score.get("composite"),
            "composite_ci95": score.get("composite_ci95"),
            "checker": score.get("checker"),
        },
        "store": run_info.get("store"),
    }


def _paired(config: SweepConfig, baseline: JudgedRun, outcome: JudgedRun) -> dict[str, Any]:
    a = scored_counts(baseline.results)
    b = scored_counts(outcome.results)
    shared = [tid for tid in a if tid in b]
    deltas = bootstrap_pass_at_k_delta([(a[t], b[t]) for t in shared], config.ks,
                                       resamples=config.resamples, seed=BOOTSTRAP_SEED)
    return {"baseline": baseline.run.name, "shared_tasks": len(shared),
            **{f"pass@{k}": est.to_json() for k, est in deltas.items()}}


def write_sweep_json(path: Path, document: Mapping[str, Any]) -> None:
    """``sweep.json``, atomically (readers see the old file or the new one)."""
    with atomic_writer(path) as handle:
        handle.write(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


CSV_FIXED = ("run", "group", "label", "k", "value", "ci95_low", "ci95_high", "tasks")


def csv_rows(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per (run, group, k): overall pass@k for k = 1..n (the curve), and per difficulty
    and skill for the sweep's ks; labels as columns so a spreadsheet can pivot on them."""
    keys = list(document.get("label_keys", []))
    rows: list[dict[str, Any]] = []
    for run in document["runs"]:
        common = {"run": run["name"], **{f"label:{key}": run["labels"].get(key, "") for key in keys}}

        def row(group: str, label: str, k: int, est: Mapping[str, Any]) -> dict[str, Any]:
            ci = est.get("ci95") or [None, None]
            return {**common, "group": group, "label": label, "k": k, "value": est.get("value"),
                    "ci95_low": ci[0], "ci95_high": ci[1], "tasks": est.get("tasks")}

        curve_ks = set()
        for point in run["curve"]:
            curve_ks.add(point["k"])
            rows.append(row("overall", "", point["k"], point))
        for name, est in run["pass_at_k"].items():
            k = int(name.split("@", 1)[1])
            if k not in curve_ks:
                rows.append(row("overall", "", k, est))
        for group in ("by_difficulty", "by_skill"):
            for label, entry in run[group].items():
                for name, est in entry.items():
                    if name.startswith("pass@"):
                        rows.append(row(group.removeprefix("by_"), label, int(name.split("@", 1)[1]), est))
    return rows


def write_sweep_csv(path: Path, document: Mapping[str, Any]) -> None:
    """``sweep.csv`` (see ``csv_rows``), atomically."""
    keys = [f"label:{key}" for key in document.get("label_keys", [])]
    with atomic_writer(path) as handle:
        writer = csv.DictWriter(handle, fieldnames=["run", *keys, *CSV_FIXED[1:]], lineterminator="\n")
        writer.writeheader()
        for row in csv_rows(document):
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})


# ---------------------------------------------------------------- terminal


def _with_ci(est: Mapping[str, Any] | None, signed: bool = False) -> str:
    """``39.5`` over ``[36.1, 43.8]`` (two lines, so the table fits a narrow terminal)."""
    if not est or est.get("value") is None:
        return "-"
    value = 100.0 * est["value"]
    text = f"{value:+.1f}" if signed else f"{value:.1f}"
    ci = est.get("ci95")
    if ci:
        low, high = (100.0 * c for c in ci)
        text += f"\n[dim]{low:+.1f}..{high:+.1f}[/dim]" if signed else f"\n[dim]{low:.1f}..{high:.1f}[/dim]"
    return text


def render_comparison(document: Mapping[str, Any], console: Console) -> None:
    """The comparison, as tables narrow enough for a log: the runs (labels, verdict mix, score),
    pass@k with CIs and the difference from the first run, then pass@k per difficulty."""
    runs = document["runs"]
    if not runs:
        console.print("no run of the sweep has results yet", highlight=False)
        return
    ks = document["ks"]
    keys = document.get("label_keys", [])
    first_k = f"pass@{ks[0]}"
    baseline = document.get("baseline")

    # Labels get one column, a "key=value" per line: label columns of their own were cut to
    # "mode…" / "tempe…" at 80 columns next to the verdict counts.
    overview = Table(title=f"Sweep: {len(runs)} runs", pad_edge=False)
    overview.add_column("run", style="bold", no_wrap=True)
    if keys:
        overview.add_column("labels", no_wrap=True)
    overview.add_column("n", justify="right", no_wrap=True)
    shown = [v.value for v in Verdict if any(run["verdicts"].get(v.value) for run in runs)]
    for name in shown:
        overview.add_column(name, justify="right", no_wrap=True)
    overview.add_column("score", justify="right", no_wrap=True)
    for run in runs:
        name = run["name"] + ("" if run["complete"] else "\n(incomplete)")
        score = run["score"].get("composite")
        labels = ["\n".join(f"{key}={run['labels'][key]}" for key in keys if key in run["labels"])] if keys else []
        overview.add_row(name, *labels, str(run["samples"]),
                         *(str(run["verdicts"].get(v, 0)) for v in shown),
                         "-" if score is None else f"{score:.1f}")
    console.print(overview)

    caption = "in %; under each value its bootstrap 95% CI over problems"
    if len(runs) > 1:
        caption += f"; Δ: paired difference from {baseline} on the problems both judged"
    table = Table(title="pass@k", caption=caption)
    table.add_column("run", style="bold", no_wrap=True)
    for k in ks:
        table.add_column(f"pass@{k}", justify="right", no_wrap=True)
    if len(runs) > 1:
        table.add_column(f"Δ {first_k}", justify="right", no_wrap=True)
    for run in runs:
        cells = [run["name"], *(_with_ci(run["pass_at_k"].get(f"pass@{k}")) for k in ks)]
        if len(runs) > 1:
            cells.append(_with_ci(run["vs_baseline"].get(first_k), signed=True) if "vs_baseline" in run else "-")
        table.add_row(*cells)
    console.print(table)

    levels = list(dict.fromkeys(label for run in runs for label in run["by_difficulty"]))
    if levels:
        by_level = Table(title=f"{first_k} by difficulty (%)")
        by_level.add_column("run", style="bold", no_wrap=True)
        for level in levels:
            by_level.add_column(level, justify="right", no_wrap=True)
        for run in runs:
            by_level.add_row(run["name"], *(
                _with_ci(run["by_difficulty"].get(level, {}).get(first_k)) for level in levels
            ))
        console.print(by_level)


def load_outcome(config: SweepConfig, run: SweepRun) -> JudgedRun | None:
    """A run's results read back from its folder (None when it has none yet)."""
    from taco_judge.report.html import load_run  # the report and the store pull in more; only needed here
    from taco_judge.run_folder import open_run_store

    folder = config.run_dir(run)
    if not (folder / "results.jsonl").is_file() or not (folder / "metrics.json").is_file():
        return None
    loaded = load_run(folder)  # a damaged file is a UserError naming it
    try:
        results = [SampleResult.from_json(record) for record in loaded.records]
    except (ValueError, KeyError, TypeError) as exc:
        raise UserError(f"{folder}: cannot read the run's results ({exc}); run `taco-judge report {folder}` "
                        "to re-export them from its store") from None
    metrics = loaded.metrics
    store = open_run_store(folder, create=False)
    try:
        tasks = store.task_metas()
        outputs = store.failing_outputs()
    finally:
        store.close()
    return JudgedRun(run, results, tasks, metrics, outputs)

