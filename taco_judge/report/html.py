"""One self-contained HTML report (inline SVG plots, inline JS/CSS, works offline) for one or more runs.

``load_run(DIR)`` reads a run directory; ``write_html(path, runs, problems=...)`` writes the page
(``taco-judge report DIR --html FILE``). Every piece of text from a run (program output, stderr,
test data, names) is escaped: it is hostile by assumption. The page's parts: ``markup`` (escaping
and number formats), ``svg`` (the plots), ``tables`` (tables and failure details).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taco_judge.errors import UserError
from taco_judge.metrics import NO_SKILL
from taco_judge.report.markup import esc
from taco_judge.report.model import MAX_FAILURES_PER_TASK, TRUNCATE_CHARS, RunData, collect
from taco_judge.report.svg import accepted_ratios, pass_at_k_section, ratio_plot, skills_plot, verdict_mix_plot
from taco_judge.report.tables import (
    banners,
    checkers_section,
    compared,
    comparison_table,
    coverage,
    failure_sections,
    problems_table,
    runs_table,
    score_table,
)

if TYPE_CHECKING:
    from taco_judge.problems import Problem

log = logging.getLogger(__name__)




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
    task_ids, infos, per_run = collect(runs, problems, max_failures_per_task, truncate_chars)
    row_of = {tid: t for t, tid in enumerate(task_ids)}
    cpu_values, mem_values = zip(*(accepted_ratios(run) for run in runs))
    has_skills = any(set(run.metrics.get("by_skill") or ()) - {NO_SKILL} for run in runs)
    sections = [
        f"<h1>{esc(title)}</h1>",
        banners(runs),
        "<h2>Runs</h2>",
        runs_table(runs),
        coverage(runs),
        *(["<h2>Sweep comparison</h2>", comparison_table(comparison)] if comparison else []),
        "<h2>Code-capability score</h2>",
        (
            '<p class="sub">correctness = 100 &times; pass@1 averaged over difficulty levels (each labelled level '
            "weighs the same; unlabelled tasks weigh one task each, see &ldquo;averaging&rdquo;); composite = "
            "correctness &times; (1 &minus; penalty), penalty = weighted share of samples ending in TLE, MLE "
            "or RE (README, &ldquo;Code-capability score&rdquo;; docs/metrics.md).</p>"
        ),
        score_table(runs),
        *(["<h2>Checkers compared</h2>", checkers_section(runs, row_of)] if any(compared(r) for r in runs) else []),
        "<h2>pass@k</h2>",
        pass_at_k_section(runs),
        "<h2>Verdict mix per difficulty</h2>",
        '<p class="sub">Share of samples per verdict' + (", one bar per run (numbered as in the runs table)" if len(runs) > 1 else "")
        + (", over the samples pass@1 is over: unjudgeable tasks are left out" if any((r.metrics.get("unjudgeable") or {}).get("tasks") for r in runs) else "")
        + ".</p>",
        verdict_mix_plot(runs),
        "<h2>CPU time and memory of accepted samples</h2>",
        ratio_plot("plot-cpu", "CPU time", runs, cpu_values),
        ratio_plot("plot-memory", "peak memory", runs, mem_values),
        "<h2>pass@1 per skill</h2>",
        skills_plot(runs) if has_skills else '<p id="skills-none">No task has skill labels (TACO\'s skill_types), so there is no per-skill breakdown.</p>',
        "<h2>Problems</h2>",
        (
            '<p class="sub">Click a column header to sort (or open the page with #sort=COLUMN or '
            "#sort=COLUMN:desc). Each failing sample links to its first failing test.</p>"
        ),
        problems_table(runs, task_ids, infos, per_run),
        "<h2>Failing samples</h2>",
        failure_sections(runs, task_ids, infos, per_run),
    ]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{_csp()}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style><script>{_ERROR_JS}</script></head>\n<body>"
        + "\n".join(sections)
        + f"\n<script>{_MAIN_JS}</script></body></html>\n"
    )
