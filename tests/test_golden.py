"""Golden copy of a judge run on the shipped problems: results.jsonl and metrics.json must not
change when code moves. What a run measures (CPU, wall, memory, and the numbers quoted in TLE/MLE
details) and the run's own record (paths, timing, environment) are masked; everything else —
verdicts, per-test verdicts, details, pass@k, the score — is compared exactly.

After a change that is meant to alter the output, write the golden files again with
``TACO_JUDGE_WRITE_GOLDEN=1 python -m pytest tests/test_golden.py`` and review their diff.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
PROBLEMS = REPO / "problems"
GOLDEN = Path(__file__).resolve().parent / "golden"
MEASURED = {"cpu_s", "wall_s", "peak_mb", "files_mb"}
MEASURED_VERDICTS = {"TLE", "MLE", "OLE"}  # their details quote measured numbers
_NUMBER = re.compile(r"\d+(\.\d+)?")

pytestmark = pytest.mark.slow


def _mask_detail(verdict: str, detail: str) -> str:
    return _NUMBER.sub("#", detail) if verdict in MEASURED_VERDICTS else detail


def normalized_results(path: Path) -> list[dict[str, Any]]:
    rows = []
    for line in path.read_text().splitlines():
        row = json.loads(line)
        for test in row.get("tests", []):
            for key in MEASURED & test.keys():
                test[key] = "#"
            if "detail" in test:
                test["detail"] = _mask_detail(test["verdict"], test["detail"])
        if "detail" in row:
            row["detail"] = _mask_detail(row["verdict"], row["detail"])
        rows.append(row)
    return sorted(rows, key=lambda r: (str(r["task_id"]), r["sample"]))


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 10)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def normalized_metrics(path: Path) -> dict[str, Any]:
    metrics = json.loads(path.read_text())
    metrics.pop("run", None)  # paths, wall time, the interpreter: this machine's, not the judge's
    metrics.pop("resources", None)  # percentiles of measured CPU and memory
    if isinstance(metrics.get("score"), dict):
        metrics["score"].pop("resource", None)
    return _rounded(metrics)


def test_a_judge_run_on_the_shipped_problems_matches_its_golden_copy(tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = subprocess.run(
        [sys.executable, "-m", "taco_judge", "judge", "--problems", str(PROBLEMS / "problems.jsonl"),
         "--generations", str(PROBLEMS / "generations.json"), "--spj", str(PROBLEMS / "output_spj.jsonl"),
         "--compare", "both", "--sandbox", "local", "--jobs", "2", "--quiet", "--out", str(out)],
        capture_output=True, text=True, timeout=900, cwd=REPO, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = normalized_results(out / "results.jsonl")
    metrics = normalized_metrics(out / "metrics.json")
    if os.environ.get("TACO_JUDGE_WRITE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        (GOLDEN / "problems.results.jsonl").write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in results))
        (GOLDEN / "problems.metrics.json").write_text(json.dumps(metrics, indent=1, sort_keys=True) + "\n")
        pytest.skip("golden files written; review `git diff tests/golden`")
    golden_results = [json.loads(line) for line in (GOLDEN / "problems.results.jsonl").read_text().splitlines()]
    assert len(results) == len(golden_results)
    for got, want in zip(results, golden_results):
        assert got == want, f"task {want['task_id']} sample {want['sample']}"
    assert metrics == json.loads((GOLDEN / "problems.metrics.json").read_text())
