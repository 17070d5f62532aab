"""The problem set shipped in problems/: its references pass, and every shipped sample gets the
verdict it was written to get, through the local jail and through docker."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from taco_judge.problems import open_problems
from taco_judge.spj import load_spj

REPO = Path(__file__).resolve().parents[1]
PROBLEMS = REPO / "problems"
EXPECTED = json.loads((PROBLEMS / "expected_verdicts.json").read_text())


def test_the_set_has_the_promised_shape() -> None:
    problems = list(open_problems(str(PROBLEMS)))
    modes = Counter(p.mode for p in problems)
    assert len(problems) >= 30 and modes["stdin"] >= 20 and modes["call"] >= 8
    assert sum("class Solution" in p.starter_code for p in problems) >= 3
    assert {p.difficulty for p in problems} >= {"EASY", "MEDIUM", "MEDIUM_HARD", "HARD", "VERY_HARD"}
    for p in problems:
        assert len(p.tests) >= 8, p.task_id
        assert len(set(p.solutions)) >= 2, p.task_id
        assert p.time_limit_s and p.memory_limit_mb, p.task_id
    spj = load_spj(PROBLEMS / "output_spj.jsonl")
    assert set(Counter(spj.values())) >= {0, 2, 3}
    generations = json.loads((PROBLEMS / "generations.json").read_text())
    assert {g["task_id"] for g in generations} == {p.task_id for p in problems}
    assert all(len(g["output"]) >= 3 for g in generations)
    verdicts = Counter(v for vs in EXPECTED.values() for v in vs)
    assert set(verdicts) == {"AC", "WA", "TLE", "MLE", "RE", "CE", "OLE"}


@pytest.mark.slow
def test_generator_reproduces_the_shipped_files(tmp_path: Path) -> None:
    script = tmp_path / "build_problems.py"  # it writes next to itself
    script.write_bytes((PROBLEMS / "build_problems.py").read_bytes())
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    for name in ("problems.jsonl", "generations.json", "expected_verdicts.json", "output_spj.jsonl"):
        assert (tmp_path / name).read_bytes() == (PROBLEMS / name).read_bytes(), name


def run_judge(out: Path, sandbox: str) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "taco_judge.cli", "judge", "--problems", str(PROBLEMS), "--generations",
         str(PROBLEMS / "generations.json"), "--out", str(out), "--sandbox", sandbox, "--quiet"],
        capture_output=True, text=True, timeout=900, cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]


def assert_intended_verdicts(results: list[dict]) -> None:
    got = {(r["task_id"], r["sample"]): r for r in results}
    wrong = []
    for task_id, verdicts in EXPECTED.items():
        for sample, verdict in enumerate(verdicts):
            result = got.pop((int(task_id), sample))
            if result["verdict"] != verdict:
                wrong.append(f"task {task_id} sample {sample}: {verdict} intended, got {result['verdict']} "
                             f"({result.get('detail', '')[:120]})")
    assert not wrong, "\n".join(wrong)
    assert not got


@pytest.mark.slow
def test_every_shipped_sample_gets_its_verdict_locally(tmp_path: Path) -> None:
    assert_intended_verdicts(run_judge(tmp_path / "out", "local"))


@pytest.mark.slow
@pytest.mark.docker
def test_every_shipped_sample_gets_its_verdict_in_docker(tmp_path: Path, docker_image: str) -> None:
    assert_intended_verdicts(run_judge(tmp_path / "out", "docker"))


@pytest.mark.slow
def test_problems_validate_passes_on_the_shipped_set() -> None:
    done = subprocess.run([sys.executable, "-m", "taco_judge.cli", "problems", "validate", str(PROBLEMS),
                           "--sandbox", "local", "--quiet"], capture_output=True, text=True, timeout=900, cwd=REPO)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 failing" in done.stdout
