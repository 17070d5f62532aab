"""The HTML report's plots: hand-written inline SVG (no plotting library, nothing external)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from taco_judge.problems import difficulty_sort_key
from taco_judge.report.markup import esc, pct
from taco_judge.report.model import RATIO_EDGES, RATIO_LABELS, RUN_COLORS, VERDICT_COLORS, RunData
from taco_judge.verdict import Verdict

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


# ----------------------------------------------------------------------------------------------
# SVG plots (hand-written; no plotting library, nothing external)


_FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def _svg(plot_id: str, width: float, height: float, label: str, body: list[str]) -> str:
    return (
        f'<svg id="{plot_id}" class="plot" xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{esc(label)}" {_FONT}>'
        + "".join(body)
        + "</svg>"
    )


def _y_axis(x0: float, x1: float, y_of: Any, ticks: Sequence[float], fmt: Any) -> list[str]:
    out = []
    for t in ticks:
        y = y_of(t)
        out.append(f'<line class="grid" x1="{x0:.1f}" x2="{x1:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{x0 - 6:.1f}" y="{y + 4:.1f}" text-anchor="end">{esc(fmt(t))}</text>')
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
        out.append(f'<text x="{cx + 14:.1f}" y="{cy + 9:.1f}">{esc(label[:40])}</text>')
        cx += width
    out.append("</g>")
    return out, cy - y + row_h


def run_color(index: int) -> str:
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


def pass_at_k_section(runs: Sequence[RunData]) -> str:
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
        values.append(f"{esc(who)}pass@1 <b>{pct(first.get('value'))}</b> over {int(first.get('tasks') or 0)} tasks")
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
    legend, legend_h = _legend([(run.name, run_color(i)) for i, run in enumerate(runs)], left, height)
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
        color = run_color(i)
        body.append(f'<g class="series" data-run="{esc(run.name)}" data-points="{len(points)}">')
        if len(points) > 1:
            coords = " ".join(f"{x_of(k):.1f},{y_of(v):.1f}" for k, v, _, _ in points)
            body.append(f'<polyline points="{coords}" fill="none" stroke="{color}" stroke-width="2"/>')
        radius = 3.5 if len(points) <= 30 else 1.5  # 200 points of radius 3.5 would merge into a bar
        for k, v, left_out, tasks in points:
            fill = "#fff" if left_out else color
            note = f"; {left_out} tasks with n < k left out" if left_out else ""
            body.append(
                f'<circle class="point" cx="{x_of(k):.1f}" cy="{y_of(v):.1f}" r="{radius}" fill="{fill}" '
                f'stroke="{color}" stroke-width="1.5"><title>{esc(run.name)}: pass@{k} = {pct(v, 2)} '
                f"over {tasks} tasks{esc(note)}</title></circle>"
            )
        body.append("</g>")
    body.extend(legend)
    return _svg("plot-passk", width, total_h, "pass@k curves per run", body)


def _levels(runs: Sequence[RunData]) -> list[str]:
    labels = {label for run in runs for label in (run.metrics.get("by_difficulty") or {})}
    return sorted(labels, key=difficulty_sort_key)


def verdict_mix_plot(runs: Sequence[RunData]) -> str:
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
            f'<text x="{gx + group_w / 2:.1f}" y="{height - bottom + 30:.1f}" text-anchor="middle">{esc(level)}</text>'
        )
        for r, run in enumerate(runs):
            entry = (run.metrics.get("by_difficulty") or {}).get(level) or {}
            # The samples pass@1 is over: unjudgeable tasks' "WA" is no verdict on the program.
            counts = entry.get("scored_verdicts") or entry.get("verdicts") or {}
            total = sum(int(counts.get(v, 0)) for v in verdicts)
            unjudged = int(entry.get("unjudgeable_tasks") or 0)
            x = gx + r * (bar_w + gap_bar)
            body.append(f'<g class="bar" data-run="{esc(run.name)}" data-level="{esc(level)}" data-samples="{total}" '
                        f'data-unjudged-tasks="{unjudged}">')
            acc = 0
            for v in verdicts:
                count = int(counts.get(v, 0))
                if not count:
                    continue
                y1, y0 = y_of(acc / total), y_of((acc + count) / total)
                body.append(
                    f'<rect class="seg" data-verdict="{v}" x="{x:.1f}" y="{y0:.1f}" width="{bar_w:.1f}" '
                    f'height="{y1 - y0:.1f}" fill="{VERDICT_COLORS[v]}"><title>{esc(run.name)}, {esc(level)}: '
                    f"{v} {count} of {total} samples ({pct(count / total)})"
                    + (f"; {unjudged} unjudgeable tasks left out" if unjudged else "")
                    + "</title></rect>"
                )
                acc += count
            if not total and unjudged:  # an empty slot would look like a missing level
                body.append(f'<text class="unjudged" x="{x + bar_w / 2:.1f}" y="{y_of(0.5):.1f}" text-anchor="middle" '
                            f'fill="#666">{unjudged} unjudgeable</text>')
            if len(runs) > 1:
                body.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 13:.1f}" text-anchor="middle" fill="{run_color(r)}">{r + 1}</text>')
            body.append("</g>")
    body.extend(legend)
    return _svg("plot-verdicts", width, height + legend_h + 6, "verdict mix per difficulty", body)


def accepted_ratios(run: RunData) -> tuple[list[float], list[float]]:
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


def ratio_plot(plot_id: str, what: str, runs: Sequence[RunData], values: Sequence[Sequence[float]]) -> str:
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
    legend, legend_h = _legend([(run.name, run_color(i)) for i, run in enumerate(runs)], left, height)

    def y_of(v: float) -> float:
        return top + (1.0 - v / y_max) * (height - top - bottom)

    ticks = [step * i for i in range(round(y_max / step) + 1)]
    body = _y_axis(left, width - right, y_of, ticks, lambda v: f"{100 * v:.0f}%")
    for b, label in enumerate(RATIO_LABELS):
        body.append(f'<text x="{left + (b + 0.5) * slot:.1f}" y="{height - bottom + 16:.1f}" text-anchor="middle">{label}</text>')
    body.append(
        f'<text x="{(left + width - right) / 2:.1f}" y="{height - 6:.1f}" text-anchor="middle">'
        f"{esc(what)} of each accepted sample's worst test, relative to its limit</text>"
    )
    for r, run in enumerate(runs):
        body.append(f'<g class="series" data-run="{esc(run.name)}" data-samples="{len(values[r])}">')
        for b, (count, frac) in enumerate(zip(hists[r], fractions[r])):
            x = left + b * slot + 4 + r * bar_w
            y = y_of(frac)
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{max(bar_w - 1, 1):.1f}" '
                f'height="{height - bottom - y:.1f}" fill="{run_color(r)}"><title>{esc(run.name)}: '
                f"{count} of {len(values[r])} accepted samples at {RATIO_LABELS[b]} of the limit</title></rect>"
            )
        body.append("</g>")
    body.extend(legend)
    return _svg(plot_id, width, height + legend_h + 6, f"{what} relative to the limit", body)


def skills_plot(runs: Sequence[RunData]) -> str:
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
    legend, legend_h = _legend([(run.name, run_color(i)) for i, run in enumerate(runs)], 56.0, height)

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
            f"<title>{esc(skill)}</title>{esc(shown)}</text>"
        )
        for r, run in enumerate(runs):
            entry = (run.metrics.get("by_skill") or {}).get(skill) or {}
            value = entry.get("pass@1")
            if value is None:
                continue
            y = y0 + r * bar_h
            body.append(
                f'<rect class="bar" data-run="{esc(run.name)}" data-skill="{esc(skill)}" x="{left:.1f}" '
                f'y="{y:.1f}" width="{max(x_of(value) - left, 0.5):.1f}" height="{bar_h - 1:.1f}" '
                f'fill="{run_color(r)}"><title>{esc(run.name)}, {esc(skill)}: pass@1 {pct(value)} over '
                f'{entry.get("scored_tasks", "?")} tasks</title></rect>'
            )
            body.append(f'<text x="{x_of(value) + 4:.1f}" y="{y + bar_h - 3:.1f}">{pct(value)}</text>')
    body.extend(legend)
    return _svg("plot-skills", width, height + legend_h + 6, "pass@1 per skill", body)
