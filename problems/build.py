"""Assemble the shipped problems (problems/src/<NN-slug>/) into TACO-format files next to this script.

    python3 problems/build.py

Stdlib only and deterministic (each tests.py seeds its own random.Random), so the output is the same
byte for byte on every run. Expected outputs come from running each problem's first solution in-process.
"""

from __future__ import annotations

import copy
import io
import json
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = "taco-judge-original"
VERDICTS = ("AC", "WA", "TLE", "MLE", "RE", "CE", "OLE")
SPJ_NAMES = {0: "-", 2: "2 (case-insensitive)", 3: "3 (float, 1e-6)"}
README_MARKER = "<!-- Everything below this line is written by build.py. -->\n"


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # byte-exact: no newline translation


def load(folder: Path) -> dict:
    """One problem folder as a dict: problem.toml plus the statement, tests, solutions and samples it names."""
    p = tomllib.loads(read(folder / "problem.toml"))
    p["body"] = read(folder / "statement.md")
    tests_py = folder / "tests.py"
    ns = {"__name__": "tests", "__file__": str(tests_py)}
    exec(compile(read(tests_py), str(tests_py), "exec"), ns)  # noqa: S102 -- our own test generator
    p["tests"] = ns["generate"]()
    p["refs"] = [read(folder / rel) for rel in p["solutions"]]
    p["samples"] = [(s["verdict"], read(folder / s["file"])) for s in p["samples"]]
    for verdict, _ in p["samples"]:
        if verdict not in VERDICTS:
            sys.exit(f"{folder}/problem.toml: verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    return p


def run_stdin(code: str, text: str) -> str:
    """Run a standalone stdin program in-process and return what it printed."""
    old_in, old_out = sys.stdin, sys.stdout
    sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8")
    sys.stdout = out = io.StringIO()
    try:
        exec(compile(code, "<reference>", "exec"), {"__name__": "__main__"})  # noqa: S102 -- our own reference
    finally:
        sys.stdin, sys.stdout = old_in, old_out
    text = out.getvalue()
    return text if text.endswith("\n") else text + "\n"


def run_call(code: str, fn_name: str, args: list) -> list:
    """Define the reference function (or class Solution) in-process, call it; TACO wraps the value in a list."""
    ns = {"__name__": "__main__"}
    exec(compile(code, "<reference>", "exec"), ns)  # noqa: S102 -- our own reference
    fn = getattr(ns["Solution"](), fn_name) if "Solution" in ns else ns[fn_name]
    return [json.loads(json.dumps(fn(*copy.deepcopy(args))))]  # tuples -> lists, as the judge compares them


def examples(p: dict, outputs: list) -> str:
    """The examples appended to the statement: the first 2 tests (stdin) or 4 calls (call-based)."""
    if p["mode"] == "stdin":
        parts = ["-----Examples-----", ""]
        for inp, out in list(zip(p["tests"], outputs))[:2]:
            parts += ["Input", inp.rstrip("\n"), "", "Output", out.rstrip("\n"), "", ""]
        return "\n".join(parts).rstrip("\n") + "\n"
    lines = ["Examples:", ""]
    for args, out in list(zip(p["tests"], outputs))[:4]:
        lines.append(f"    {p['call_repr']}({', '.join(repr(a) for a in args)}) -> {out[0]!r}")
    return "\n".join(lines) + "\n"


def model_b_samples(p: dict) -> list:
    """The second made-up "model" of sweep.toml: the second solution in a markdown fence (AC), then the
    first model's failing samples, padded to its sample count with its first failing sample again (or its
    later samples when none fails)."""
    samples = p["samples"]
    failing = [s for s in samples if s[0] != "AC"]
    code = p["refs"][1]
    b = [("AC", "```python\n" + code + ("" if code.endswith("\n") else "\n") + "```")] + failing
    filler = failing[:1] or samples[1:]
    while len(b) < len(samples):
        b.append(filler[(len(b) - 1 - len(failing)) % len(filler)])
    return b[:len(samples)]


def row(p: dict, question: str, io_obj: dict) -> str:
    return json.dumps({
        "question": question, "solutions": json.dumps(p["refs"]), "starter_code": p.get("starter_code", ""),
        "input_output": json.dumps(io_obj), "difficulty": p["difficulty"], "raw_tags": json.dumps(p["raw_tags"]),
        "name": p["name"], "source": SOURCE, "tags": json.dumps(p["tags"]), "skill_types": json.dumps(p["skill_types"]),
        "url": "", "Expected Auxiliary Space": p["auxiliary_space"], "time_limit": p["time_limit"], "date": p["date"],
        "picture_num": "0", "memory_limit": p["memory_limit"], "Expected Time Complexity": p["time_complexity"],
    })


def verdicts_text(verdicts: dict) -> str:
    return "{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in verdicts.items()) + "\n}\n"


def readme(problems: list[dict], folders: list[Path], verdicts: dict) -> str:
    """README.md: its hand-written part (up to the marker line) kept, then the summary and the table."""
    old = read(HERE / "README.md")
    if README_MARKER not in old:
        sys.exit(f"{HERE / 'README.md'}: the line {README_MARKER.strip()!r} is missing; put it back at the end")
    counts = [v for vs in verdicts.values() for v in vs]
    calls = [p for p in problems if p["mode"] == "call"]
    leet = sum(1 for p in calls if p["starter_code"].startswith("class Solution"))
    lines = [
        "## Problems", "",
        f"{len(problems)} problems: {len(problems) - len(calls)} stdin, {len(calls)} call-based (of which {leet} are "
        "LeetCode-style `class Solution` methods).",
        "Sample verdicts across `generations.json`: " + ", ".join(f"{v} {counts.count(v)}" for v in VERDICTS) + ".", "",
        "| id | folder | name | mode | fn_name | difficulty | time limit | tests | skills | spj case |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for task_id, (p, folder) in enumerate(zip(problems, folders)):
        lines.append(
            f"| {task_id} | [{folder.name}](src/{folder.name}/) | {p['name']} | {p['mode']} | {p.get('fn_name', '-')} "
            f"| {p['difficulty']} | {p['time_limit']} | {len(p['tests'])} | {', '.join(p['skill_types'])} "
            f"| {SPJ_NAMES[p['spj_case']]} |"
        )
    return old[:old.index(README_MARKER) + len(README_MARKER)] + "\n" + "\n".join(lines) + "\n"


def main() -> None:
    folders = sorted(child for child in (HERE / "src").iterdir() if child.is_dir())
    for task_id, folder in enumerate(folders):
        if not folder.name.startswith(f"{task_id:02d}-"):
            sys.exit(f"{folder}: expected a name starting with {task_id:02d}- (folders are numbered 00, 01, ... "
                     "without gaps: the number is the task id)")
    problems = [load(folder) for folder in folders]
    rows, spj, generations, verdicts, generations_b, verdicts_b = [], [], [], {}, [], {}
    for task_id, p in enumerate(problems):
        if p["mode"] == "stdin":
            outputs = [run_stdin(p["refs"][0], text) for text in p["tests"]]
            io_obj = {"inputs": p["tests"], "outputs": outputs}
            fmt = "Use Standard Input format"
        else:
            outputs = [run_call(p["refs"][0], p["fn_name"], args) for args in p["tests"]]
            io_obj = {"fn_name": p["fn_name"], "inputs": p["tests"], "outputs": outputs}
            fmt = "Use Call-Based format"
        question = p["body"] + examples(p, outputs)
        rows.append(row(p, question, io_obj))
        spj.append(json.dumps({"idx": task_id, "special_judge": p["spj_case"] != 0, "case": p["spj_case"]},
                              separators=(",", ":")))
        prompt = "\nQUESTION:\n" + question + p.get("starter_code", "") + fmt + "\nANSWER:\n"
        for gens, verds, samples in ((generations, verdicts, p["samples"]),
                                     (generations_b, verdicts_b, model_b_samples(p))):
            gens.append({"task_id": task_id, "prompt": prompt, "output": [code for _, code in samples]})
            verds[str(task_id)] = [v for v, _ in samples]
    files = {
        "problems.jsonl": "\n".join(rows) + "\n",
        "output_spj.jsonl": "\n".join(spj) + "\n",
        "generations.json": json.dumps(generations, indent=4) + "\n",
        "expected_verdicts.json": verdicts_text(verdicts),
        "generations_b.json": json.dumps(generations_b, indent=4) + "\n",
        "expected_verdicts_b.json": verdicts_text(verdicts_b),
        "README.md": readme(problems, folders, verdicts),
    }
    for name, text in files.items():
        (HERE / name).write_bytes(text.encode("utf-8"))


if __name__ == "__main__":
    main()
