"""The problem set shipped in problems/: the committed files are what problems/build.py builds from
problems/src/, its references pass, and every shipped sample gets the verdict it was written to get,
through the local jail and through docker."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
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


BUILT = ("problems.jsonl", "output_spj.jsonl", "generations.json", "expected_verdicts.json", "generations_b.json",
         "expected_verdicts_b.json", "README.md")


def test_every_problem_folder_is_complete() -> None:
    """What build.py reads is all there: folders numbered by task id, every file named, nothing left out."""
    folders = sorted(child for child in (PROBLEMS / "src").iterdir() if child.is_dir())
    assert [f.name[:3] for f in folders] == [f"{i:02d}-" for i in range(len(folders))]
    assert len(folders) == len(EXPECTED)
    for folder in folders:
        meta = tomllib.loads((folder / "problem.toml").read_text())
        named = set(meta["solutions"]) | {s["file"] for s in meta["samples"]}
        present = {str(f.relative_to(folder)) for f in folder.rglob("*") if f.is_file()}
        assert present == named | {"problem.toml", "statement.md", "tests.py"}, folder.name
        assert [s["verdict"] for s in meta["samples"]] == EXPECTED[str(int(folder.name[:2]))], folder.name
        slug = folder.name[3:]
        seeds = re.findall(r"random\.Random\(([^)]*)\)", (folder / "tests.py").read_text())
        assert all(seed == json.dumps(slug) for seed in seeds), f"{folder.name}: seed tests with the slug {slug!r}"


@pytest.mark.slow
def test_build_reproduces_the_shipped_files(tmp_path: Path) -> None:
    # build.py writes next to itself: run a copy of it and its inputs, then compare with what is committed
    shutil.copytree(PROBLEMS / "src", tmp_path / "src")
    for name in ("build.py", "README.md"):  # README.md: build.py keeps its hand-written part, rewrites the rest
        shutil.copyfile(PROBLEMS / name, tmp_path / name)
    done = subprocess.run([sys.executable, str(tmp_path / "build.py")], capture_output=True, text=True, timeout=600,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    for name in BUILT:
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
