"""The HTML report's tables (runs, checkers, score, problems) and its failure details."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from taco_judge.problems import TaskId, difficulty_sort_key, normalize_task_id
from taco_judge.report.markup import esc, num, pct, plural
from taco_judge.report.model import MAX_DISAGREEMENTS, Failure, RunData, TaskInfo, TaskRun
from taco_judge.report.svg import run_color
from taco_judge.verdict import Verdict

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


# ----------------------------------------------------------------------------------------------
# Tables and failure details


def runs_table(runs: Sequence[RunData]) -> str:
    verdicts = [v.value for v in Verdict]
    head = "".join(f"<th>{v}</th>" for v in verdicts)
    rows = []
    for i, run in enumerate(runs):
        m = run.metrics
        counts = m.get("counts") or {}
        ks = m.get("ks") or []
        heads = ", ".join(f"pass@{k} {pct(m.get(f'pass@{k}'))}" for k in ks if m.get(f"pass@{k}") is not None)
        info = m.get("run") or {}
        source = " / ".join(str(info[key]) for key in ("problems", "generations") if info.get(key))
        complete = "" if info.get("complete", True) else " (incomplete run)"
        cells = "".join(f"<td>{int((m.get('verdicts') or {}).get(v, 0))}</td>" for v in verdicts)
        rows.append(
            f'<tr><td><span class="swatch" style="background:{run_color(i)}"></span>{i + 1}. {esc(run.name)}'
            f'{esc(complete)}<div class="sub">{esc(source)}</div></td>'
            f"<td>{int(counts.get('tasks', 0))}</td><td>{int(counts.get('samples', 0))}</td>"
            f"<td>{esc(heads or '-')}</td>{cells}</tr>"
        )
    return (
        '<table id="runs"><thead><tr><th>run</th><th>tasks</th><th>samples</th><th>pass@k (TACO keys)</th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def banners(runs: Sequence[RunData]) -> str:
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
                f'<div class="banner" data-kind="incomplete" data-run="{i}"><b>{esc(who)}INCOMPLETE RUN</b>: '
                f"{esc(of)}; every number on this page covers only those. Judge into the same --out folder "
                "again to finish the run.</div>"
            )
        se = m.get("se") or {}
        if se.get("samples"):
            out.append(
                f'<div class="banner" data-kind="se" data-run="{i}"><b>{esc(who)}SE: {plural(int(se["samples"]), "sample")}</b> in '
                f"{plural(int(se.get('tasks', 0)), 'task')} hit judge or jail failures, not the programs' fault; they are left "
                "out of n for pass@k (never counted as failures). Judge again to retry them.</div>"
            )
    return "".join(out)


def coverage(runs: Sequence[RunData]) -> str:
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
            span = (f" Counting them in, pass@{ks[0]} would lie between {pct(bound['low'])} (all of them wrong) and "
                    f"{pct(bound['high'])} (all right).")
        out.append(
            f'<p class="cover" data-run="{i}" data-unjudgeable="{int(unj["tasks"])}">{esc(who)}pass@k and the score cover '
            f"<b>{int(counts.get('scored_tasks', 0))} of {int(counts.get('tasks', 0))} tasks</b>: "
            f"{plural(int(unj['tasks']), 'task')} {'is' if unj['tasks'] == 1 else 'are'} unjudgeable (several valid "
            f"answers and no checker program; {plural(int(unj.get('samples', 0)), 'sample')} differing from the one "
            f"expected answer) and left out.{esc(span)}</p>"
        )
    return "".join(out)


def compared(run: RunData) -> list[str]:
    checkers = run.metrics.get("by_checker") or {}
    return list(checkers) if len(checkers) > 1 else []


def checkers_section(runs: Sequence[RunData], row_of: Mapping[TaskId, int]) -> str:
    """``--compare``: pass@k under each checker, and every sample the checkers disagree on."""
    verdicts = [v.value for v in Verdict]
    parts = []
    for i, run in enumerate(runs):
        names = compared(run)
        if not names:
            continue
        m = run.metrics
        checkers = m["by_checker"]
        ks = [k for k in (m.get("ks") or [1])
              if any(e.get("k") == k and e.get("tasks") for c in checkers.values() for e in c.get("pass_at_k") or ())]
        who = f"{i + 1}. {run.name}" if len(runs) > 1 else ""
        if who:
            parts.append(f"<h3>{esc(who)}</h3>")
        head = "".join(f"<th>pass@{k}</th><th>tasks</th>" for k in ks) + "".join(f"<th>{v}</th>" for v in verdicts)
        rows = []
        for name in names:
            entry = checkers[name]
            coverage = {e.get("k"): e for e in entry.get("pass_at_k") or ()}
            cells = "".join(
                f"<td><b>{pct(coverage.get(k, {}).get('value'))}</b></td><td>{int(coverage.get(k, {}).get('tasks') or 0)}</td>"
                for k in ks
            )
            cells += "".join(f"<td>{int((entry.get('verdicts') or {}).get(v, 0))}</td>" for v in verdicts)
            rows.append(f'<tr data-checker="{esc(name)}"><td>{esc(name)}</td>{cells}</tr>')
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
        title = f"Disagreements: {plural(count, 'sample')} passed by one checker and failed by another"
        if not shown:
            parts.append(f'<h3 id="disagreements-{i}">{esc(title)}</h3>')
        else:
            body = []
            for d in shown:
                tid = normalize_task_id(d.get("task_id"))
                t = row_of.get(tid)
                task = f'<a href="#row-{t}">{esc(tid)}</a>' if t is not None else esc(tid)
                cells = "".join(
                    f'<td><span class="chip v-{esc(d.get(n))}">{esc(d.get(n, "-"))}</span></td>' for n in names
                )
                body.append(f"<tr><td>{task}</td><td>{esc(d.get('sample', ''))}</td>{cells}</tr>")
            more = count - len(shown)
            parts.append(
                f'<details id="disagreements-{i}"{" open" if len(shown) <= 20 else ""}><summary><b>{esc(title)}</b> '
                '<span class="sub">(each task links to its row in the problems table)</span></summary>'
                f'<table class="disagreements" data-run="{i}" data-count="{count}"><thead><tr><th>task</th><th>sample</th>'
                + "".join(f"<th>{esc(n)}</th>" for n in names)
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


def comparison_table(document: Mapping[str, Any]) -> str:
    """The sweep's comparison (sweep.json): labels, pass@k with bootstrap CIs, paired differences."""
    ks = list(document.get("ks") or [])
    keys = list(document.get("label_keys") or [])
    runs = list(document.get("runs") or [])
    first = f"pass@{ks[0]}" if ks else None
    head = "".join(f"<th>{esc(key)}</th>" for key in keys) + "".join(f"<th>pass@{k} [95% CI]</th>" for k in ks)
    if len(runs) > 1 and first:
        head += f"<th>&Delta; {first} vs {esc(document.get('baseline'))} [95% CI]</th>"
    rows = []
    for i, run in enumerate(runs):
        cells = "".join(f"<td>{esc(run.get('labels', {}).get(key, ''))}</td>" for key in keys)
        cells += "".join(_estimate_cell((run.get("pass_at_k") or {}).get(f"pass@{k}")) for k in ks)
        if len(runs) > 1 and first:
            cells += _estimate_cell((run.get("vs_baseline") or {}).get(first), signed=True) if i else "<td>-</td>"
        rows.append(f"<tr><td>{i + 1}. {esc(run.get('name'))}</td>{cells}</tr>")
    return (
        '<p class="sub">pass@k in %, with the percentile-bootstrap 95% interval over problems; &Delta; is the paired '
        "difference from the first run on the problems both judged (docs/metrics.md, sweep.json).</p>"
        f'<table id="comparison"><thead><tr><th>run</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def score_table(runs: Sequence[RunData]) -> str:
    rows = []
    for i, run in enumerate(runs):
        s = run.metrics.get("score")
        if not isinstance(s, dict):
            rows.append(f"<tr><td>{i + 1}. {esc(run.name)}</td><td colspan=\"9\">no score in metrics.json (written by an older taco-judge)</td></tr>")
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
            f"<tr><td>{i + 1}. {esc(run.name)}</td>"
            f'<td class="cover">{tasks} of {all_tasks}' + (f' <span class="sub">({all_tasks - tasks} left out)</span>' if all_tasks > tasks else "") + "</td>"
            f"<td>{esc(_averaging_text(s))}</td>"
            f"<td><b>{num(s.get('correctness'), 1)}</b> <span class=\"sub\">[{num(ci[0], 1)}, {num(ci[1], 1)}]</span></td>"
            f"<td><b>{num(s.get('composite'), 1)}</b> <span class=\"sub\">[{num(cci[0], 1)}, {num(cci[1], 1)}]</span></td>"
            f"<td>{pct(s.get('penalty'))}</td>"
            f"<td>{int(res.get('failures') or 0)}: TLE {pct(fr.get('TLE'))}, MLE {pct(fr.get('MLE'))}, RE {pct(fr.get('RE'))}</td>"
            f"<td>{pct(cpu.get('p50'))} / {pct(cpu.get('p95'))}</td>"
            f"<td>{pct(mem.get('p50'))} / {pct(mem.get('p95'))}</td>"
            f"<td>{esc(s.get('checker', ''))}</td></tr>"
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
        weight = pct(groups[levels[0]].get("weight"))
        labelled = f"{levels[0]} {weight}" if len(levels) == 1 else f"{len(levels)} difficulty levels {weight} each"
        return f"{labelled}, {plural(int(score.get('unlabelled_tasks') or 0), 'unlabelled task')} {pct(unknown)}"
    if levels:
        return f"mean over {plural(len(levels), 'difficulty level')}"
    return "-"


def _difficulty_rank(label: str) -> int:
    return difficulty_sort_key(label)[0]


def problems_table(
    runs: Sequence[RunData], task_ids: Sequence[TaskId], infos: Mapping[TaskId, TaskInfo], per_run: Sequence[Mapping[TaskId, TaskRun]]
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
        head.append(f'<th data-key="r{r}-pass1" data-type="num"><button type="button">{esc(tag if len(runs) == 1 else "pass@1 " + tag)}</button></th>')
        head.append(f'<th data-key="r{r}-failures" data-type="num"><button type="button">{esc("samples" if len(runs) == 1 else "samples " + str(r + 1))}</button></th>')
    rows = []
    for t, tid in enumerate(task_ids):
        info = infos[tid]
        cells = [
            f'<td data-sort="{t}"><a href="#task-{t}">{esc(tid)}</a></td>',
            f"<td>{esc(info.name)}</td>",
            f'<td data-sort="{_difficulty_rank(info.difficulty) if info.difficulty else 99}">{esc(info.difficulty or "-")}</td>',
            f'<td class="skills">{esc(", ".join(info.skills))}</td>',
            f'<td data-sort="{"" if info.num_tests is None else info.num_tests}">{"-" if info.num_tests is None else info.num_tests}</td>',
        ]
        for r in range(len(runs)):
            entry = per_run[r].get(tid)
            if entry is None:
                cells.append('<td data-sort="">-</td><td data-sort="">-</td>')
                continue
            p1 = entry.pass1
            shown = "unjudgeable" if entry.unjudgeable else pct(p1)
            cells.append(f'<td data-sort="{"" if p1 is None else f"{p1:.6f}"}">{shown}</td>')
            chips = []
            if entry.verdicts.get("AC"):
                chips.append(f'<span class="chip v-AC">{entry.verdicts["AC"]} AC</span>')
            for f in entry.failures:
                where = "" if f.test is None else f" t{f.test}"
                chips.append(
                    f'<a class="chip v-{esc(f.verdict)}" href="#f-{r}-{t}-{f.sample}" '
                    f'title="sample {f.sample}: {esc(f.verdict)}{where}">s{f.sample} {esc(f.verdict)}</a>'
                )
            hidden = entry.failures_total - len(entry.failures)
            if hidden:
                chips.append(f'<a class="more" href="#task-{t}">+{hidden} more</a>')
            cells.append(f'<td data-sort="{entry.failures_total}">{"".join(chips)}</td>')
        rows.append(f'<tr id="row-{t}" data-task="{esc(tid)}" data-order="{t}">{"".join(cells)}</tr>')
    return (
        '<table id="problems" class="sortable"><thead><tr>'
        + "".join(head)
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def failure_sections(
    runs: Sequence[RunData], task_ids: Sequence[TaskId], infos: Mapping[TaskId, TaskInfo], per_run: Sequence[Mapping[TaskId, TaskRun]]
) -> str:
    out = []
    for t, tid in enumerate(task_ids):
        info = infos[tid]
        failures = [f for r in range(len(runs)) for f in (per_run[r].get(tid).failures if per_run[r].get(tid) else ())]
        hidden = sum(e.failures_total - len(e.failures) for e in (per_run[r].get(tid) for r in range(len(runs))) if e)
        if not failures and not hidden:
            continue
        title = f"task {tid}" + (f": {info.name}" if info.name else "") + (f" ({info.difficulty})" if info.difficulty else "")
        parts = [f'<section class="task" id="task-{t}"><h3>{esc(title)}</h3>']
        by_test: dict[int | None, list[Failure]] = {}
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
                        f'<div class="io"><div><div class="label">input</div><pre>{esc(data[0])}</pre></div>'
                        f'<div><div class="label">expected</div><pre>{esc(data[1])}</pre></div></div>'
                    )
                else:
                    parts.append('<p class="sub">input and expected output: pass the problems to the report (taco-judge report --problems) to show them</p>')
            for f in by_test[index]:
                run_name = runs[f.run].name
                parts.append(
                    f'<div class="failure" id="f-{f.run}-{t}-{f.sample}"><div class="head">'
                    f'<span class="chip v-{esc(f.verdict)}">{esc(f.verdict)}</span> '
                    f"{esc(run_name)} &middot; sample {f.sample}"
                    + ("" if index is None else f" &middot; first failing test {index}")
                    + "</div>"
                )
                if f.detail:
                    parts.append(f'<div class="label">detail</div><pre>{esc(f.detail)}</pre>')
                if f.got is not None:
                    parts.append(f'<div class="label">got (program output)</div><pre>{esc(f.got)}</pre>')
                elif index is not None:
                    parts.append('<div class="sub">program output not recorded (results.jsonl keeps the first difference, in the detail)</div>')
                if f.stderr_tail:
                    parts.append(f'<div class="label">stderr (end)</div><pre>{esc(f.stderr_tail)}</pre>')
                parts.append("</div>")
            parts.append("</div>")
        if hidden:
            parts.append(f'<p class="sub">{hidden} more failing samples not listed here (see results.jsonl)</p>')
        parts.append("</section>")
        out.append("".join(parts))
    return "".join(out) or "<p>No failing samples.</p>"
