"""A run's own files are out of a program's reach: the run folder and its store are the judge's.

The results of a run name expected tokens (a WA's detail quotes the token it wanted), so a
later sample that could read them would copy answers. Here a real ``taco-judge judge`` run puts
its folder in a world-readable parent, judges a wrong sample of a secret problem first (its
detail holds the token), then a thief that knows the exact path of the run folder tries to
list and read every file in it while the run is writing them. The thief's problem expects
``NONE``: it is accepted only when it could open nothing, and it prints what it could open
otherwise, so the test fails with the leak named.
"""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

THIEF = """
import os
OUT = {out!r}
TOKEN_PREFIX = 'tacorunsecret'
got = []
try:
    names = os.listdir(OUT)
    got.append('listed:' + ','.join(sorted(names)))
except OSError:
    names = []
for name in set(names) | {{'results.sqlite', 'results.sqlite-wal', 'results.jsonl', 'metrics.json', 'run.json'}}:
    try:
        with open(os.path.join(OUT, name), 'rb') as f:
            data = f.read()
        got.append('read:' + name + (':token' if TOKEN_PREFIX.encode() in data else ''))
    except OSError:
        pass
print(' '.join(sorted(got)) or 'NONE')
"""


def _row(outputs: list[str], name: str) -> dict:
    return {
        "question": name, "solutions": "[]", "starter_code": "", "name": name, "source": "test",
        "input_output": json.dumps({"inputs": ["\n"] * len(outputs), "outputs": outputs}),
        "difficulty": "EASY", "raw_tags": "[]", "tags": "[]", "skill_types": "[]", "url": "",
        "time_limit": "2 seconds", "memory_limit": "256 megabytes",
    }


@pytest.mark.parametrize("sandbox", ["local", pytest.param("docker", marks=pytest.mark.docker)])
def test_a_program_cannot_read_the_runs_own_files(sandbox: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if sandbox == "docker":
        request.getfixturevalue("docker_image")  # skips (fails in CI) without the engine or the image
    parent = Path(tempfile.mkdtemp(prefix="taco-run-files-", dir="/var/tmp"))
    try:
        parent.chmod(0o755)  # anyone may look inside the parent: only the run folder's own mode protects it
        out = parent / "run"
        token = "tacorunsecret" + tmp_path.name[-8:]
        problems = tmp_path / "problems.jsonl"
        problems.write_text(json.dumps(_row([token + "\n"], "secret")) + "\n" + json.dumps(_row(["NONE\n"], "thief")) + "\n")
        thief = THIEF.format(out=str(out))
        generations = tmp_path / "gen.json"
        generations.write_text(json.dumps([
            {"task_id": 0, "output": ["print('not the secret')"]},
            {"task_id": 1, "output": [thief, thief]},
        ]))
        done = subprocess.run(
            [sys.executable, "-m", "taco_judge.cli", "judge", "--problems", str(problems), "--generations",
             str(generations), "--out", str(out), "--sandbox", sandbox, "--jobs", "1"],
            capture_output=True, text=True, timeout=600, cwd=REPO,
        )
        assert done.returncode == 0, done.stderr
        results = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
        verdicts = {(r["task_id"], r["sample"]): r for r in results}
        assert verdicts[(0, 0)]["verdict"] == "WA"
        assert token in json.dumps(verdicts[(0, 0)]), "the run's results name the expected token (what a thief wants)"
        for sample in (0, 1):
            thief_result = verdicts[(1, sample)]
            assert thief_result["verdict"] == "AC", f"the thief on {sandbox} reached the run's files: {json.dumps(thief_result)[:600]}"
        assert stat.S_IMODE(out.stat().st_mode) == 0o700
        store = out / "results.sqlite"
        assert stat.S_IMODE(store.stat().st_mode) & 0o077 == 0
    finally:
        shutil.rmtree(parent, ignore_errors=True)
