"""Every hostile program of the catalogue, judged on both jails: the verdict it must get, the damage it must not do.

Each program is judged through the real judge path (``SampleJudge.judge``) in a warm session
shared with the other entries, as a judge worker's would be; then an ordinary program is judged
in the same session and must be accepted without seeing any trace of it. An entry the local jail
cannot stop is an expected failure there (strict: if the gap closes, the test says so), and is
listed in README's security section; docker has no such entries.
"""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from taco_judge.verdict import Verdict

from . import catalogue
from .harness import HostileRun, Jail, check_damage, judge_program, open_jail, run_attack

BACKENDS = ("local", "docker")


def _params() -> list:
    params = []
    for entry in catalogue.CATALOGUE:
        for backend in BACKENDS:
            marks = [pytest.mark.docker] if backend == "docker" else []
            if backend == "local" and entry.local_gap is not None:
                marks.append(pytest.mark.xfail(strict=True, reason=entry.local_gap.reason))
            params.append(pytest.param(entry, backend, marks=marks, id=f"{entry.name}-{backend}"))
    return params


@pytest.mark.parametrize(("entry", "backend"), _params())
def test_hostile_program(
    entry: catalogue.Attack, backend: str, hostile_run: HostileRun, jails: dict[str, Jail], request: pytest.FixtureRequest
) -> None:
    jail = open_jail(request, jails, backend)
    try:
        outcome = run_attack(jail, entry, hostile_run)
    finally:
        hostile_run.remove_marked_host_files()
    violations = check_damage(outcome)
    verdict_ok = outcome.judged.verdict in entry.verdicts
    if os.environ.get("TACO_HOSTILE_REPORT"):  # one JSON line per entry, for docs/security.md's table
        with open(os.environ["TACO_HOSTILE_REPORT"], "a") as out:
            out.write(json.dumps({"name": entry.name, "backend": backend, "verdict": str(outcome.judged.verdict),
                                  "violations": violations, "wall_s": round(outcome.judged.wall_s, 2)}) + "\n")
    expected = "/".join(sorted(v.value for v in entry.verdicts))
    assert verdict_ok and not violations, (
        f"{entry.name} on {backend}: must get {expected} and must not do: {entry.damage}\n"
        + "".join(f"  - {v}\n" for v in violations)
        + f"  {outcome.summary()}"
    )


def test_the_catalogue_is_complete() -> None:
    """At least 30 programs, each with a verdict, a damage statement, and no local gap without a reason."""
    assert len(catalogue.CATALOGUE) >= 30
    for entry in catalogue.CATALOGUE:
        assert entry.verdicts and entry.damage and entry.summary
        assert "SE" not in {v.value for v in entry.verdicts}
        assert entry.local_gap is None or entry.local_gap.reason.startswith("local:")


@pytest.mark.parametrize("backend", ["local", pytest.param("docker", marks=pytest.mark.docker)])
def test_a_submission_running_in_another_session_is_out_of_reach(
    backend: str, hostile_run: HostileRun, jails: dict[str, Jail], request: pytest.FixtureRequest
) -> None:
    """Two workers judge at once: the thieves of the catalogue find nothing of the other one's sample."""
    jail = open_jail(request, jails, backend)
    other = Jail(backend, jail.backend)  # another worker on the same backend
    victim = catalogue.render(catalogue.CONCURRENT_VICTIM, hostile_run.values)
    outcome: dict = {}
    worker = threading.Thread(
        target=lambda: outcome.update(victim=judge_program(other, hostile_run.victim_problem(), victim))
    )
    try:
        worker.start()
        time.sleep(1.5)  # the victim has printed its answer and holds it, in memory and in a file
        thieves = {entry.name: entry for entry in catalogue.CATALOGUE if entry.name in ("steal_previous_output", "scan_proc")}
        for name, entry in thieves.items():
            code = catalogue.render(entry.code, hostile_run.values)
            judged = judge_program(jail, hostile_run.problem(entry), code)
            found = [line for obs in judged.observations for line in obs.stderr_tail.splitlines() if line.startswith("FOUND")]
            assert judged.verdict is Verdict.WA and not found, f"{name} on {backend}: {judged.verdict}, {found}"
        worker.join()
        assert outcome["victim"].verdict is Verdict.AC, outcome["victim"].error  # it was really running
        assert outcome["victim"].wall_s > 4.0
    finally:
        worker.join()
        other.replace()
