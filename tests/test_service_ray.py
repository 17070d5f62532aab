"""`taco-judge serve --executor ray`: the service judging through a Ray instance it starts (local
jail), started for real on 127.0.0.1: its verdicts on the shipped problems are the expected ones,
a Ray worker killed mid-sample costs Ray's retry and not a result, a client that leaves cancels
what is still queued, a retried request replays from the cache, and it stops cleanly (no Ray
process left behind).

Skipped without Ray, failed instead when TACO_JUDGE_REQUIRE_RAY=1 (CI), as in test_ray_executor.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

pytest.importorskip("httpx")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from test_ray_executor import require_ray  # noqa: E402
from test_service import ADD, ADD_ROW, PROBLEMS, Server, _post_in_thread, inline, spin  # noqa: E402

from taco_judge.client import JudgeClient  # noqa: E402

pytestmark = pytest.mark.slow  # each server starts a Ray instance (10 s or more); .ci/run runs them


@pytest.fixture(scope="module")
def ray_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The shipped problems, a local Ray instance of 1 CPU (so work queues up behind it)."""
    require_ray()
    srv = Server(tmp_path_factory.mktemp("serve-ray"), "--executor", "ray", "--jobs", "1",
                 "--problems", str(PROBLEMS / "problems.jsonl"), "--spj", str(PROBLEMS / "output_spj.jsonl"),
                 "--queue-size", "256", "--max-samples", "64")
    yield srv
    srv.stop()


def ray_processes(server: Server) -> list[psutil.Process]:
    """Every process of the server's Ray instance (they live in the server's session)."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if os.getsid(proc.pid) == server.proc.pid and proc.pid != server.proc.pid:
                found.append(proc)
        except (ProcessLookupError, PermissionError):
            continue
    return found


def judging_workers(server: Server) -> list[psutil.Process]:
    return [p for p in ray_processes(server) if (p.info["cmdline"] or [""])[0].startswith("ray::judge_batch")]


def test_verdicts_over_http_through_ray_are_the_expected_ones(ray_server: Server) -> None:
    generations = json.loads((PROBLEMS / "generations.json").read_text())
    keys = [(entry["task_id"], i) for entry in generations for i in range(len(entry["output"]))]
    submissions = [{"task_id": entry["task_id"], "output": output} for entry in generations for output in entry["output"]]
    results = []
    with JudgeClient(ray_server.url) as client:
        for start in range(0, len(submissions), 64):
            results += client.judge(submissions[start:start + 64])
    expected = json.loads((PROBLEMS / "expected_verdicts.json").read_text())
    assert {k: r["verdict"] for k, r in zip(keys, results)} == \
        {(int(task), i): v for task, verdicts in expected.items() for i, v in enumerate(verdicts)}
    assert all(r["status"] == "judged" for r in results)
    health = ray_server.http.get("/healthz").json()
    assert (health["executor"], health["jobs"]) == ("ray", 1)


def test_a_retried_request_is_replayed_without_a_ray_task(ray_server: Server) -> None:
    ray_server.idle()
    body = {"submissions": [inline(spin(0.2, ADD, tag="ray-replay"))]}
    first = ray_server.judge(body).json()["results"][0]
    again = ray_server.judge(body).json()["results"][0]
    assert (first["verdict"], again["verdict"]) == ("AC", "AC")
    assert again["tests"] == first["tests"]  # the same observations (times included): nothing ran again


def test_a_killed_ray_worker_costs_a_retry_not_a_result(ray_server: Server) -> None:
    ray_server.idle()
    row = {**ADD_ROW, "time_limit": "5 seconds"}
    thread, answers = _post_in_thread(ray_server, {"submissions": [inline(spin(1.5, ADD), row)]})
    ray_server.wait_for(lambda h: h["running"] == 1)
    killed = None
    deadline = time.monotonic() + 30
    while killed is None and time.monotonic() < deadline:
        for proc in judging_workers(ray_server):
            proc.send_signal(signal.SIGKILL)
            killed = proc.pid
            break
        time.sleep(0.05)
    assert killed is not None, "no Ray worker was seen judging"
    thread.join(120)
    result = answers[0].json()["results"][0]
    assert (result["status"], result["verdict"]) == ("judged", "AC")
    assert ray_server.metrics()["taco_judge_system_errors_total"] == 0


def test_a_client_that_leaves_cancels_what_is_still_queued(ray_server: Server) -> None:
    ray_server.idle()
    before = ray_server.metrics()
    row = {**ADD_ROW, "time_limit": "10 seconds"}
    body = json.dumps({"submissions": [inline(spin(2.0), row) for _ in range(6)]}).encode()
    sock = socket.create_connection(("127.0.0.1", ray_server.port))
    sock.sendall(b"POST /v1/judge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    # 1 CPU: up to IN_FLIGHT_PER_CPU samples are sent to Ray, the rest wait in the service's queue.
    ray_server.wait_for(lambda h: h["running"] >= 1 and h["queued"] >= 1 and h["running"] + h["queued"] == 6)
    sock.close()
    ray_server.wait_for(lambda h: h["queued"] == 0, timeout=10)
    ray_server.idle()
    after = ray_server.metrics()
    judged = sum(after[k] - before.get(k, 0) for k in after if k.startswith("taco_judge_samples_total{"))
    key = 'taco_judge_samples_cancelled_total{reason="disconnect"}'
    cancelled = after[key] - before.get(key, 0)
    assert judged + cancelled == 6 and cancelled >= 4, (judged, cancelled)


def test_sigterm_stops_the_service_and_its_ray_instance(tmp_path: Path) -> None:
    require_ray()
    srv = Server(tmp_path, "--executor", "ray", "--jobs", "1")
    try:
        assert srv.judge({"submissions": [inline(ADD)]}).json()["results"][0]["verdict"] == "AC"
        assert ray_processes(srv), "the service started no Ray processes"
    finally:
        srv.stop()
    # Shut down gracefully, then ended by the signal, as with the local executor.
    assert srv.proc.returncode == -signal.SIGTERM, srv.log.read_text()[-2000:]
    deadline = time.monotonic() + 30
    while ray_processes(srv) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = ray_processes(srv)
    for proc in left:
        proc.kill()
    assert not left, [p.info["cmdline"] for p in left]


def test_an_unreachable_ray_address_stops_serve_with_one_line() -> None:
    require_ray()
    env = {k: v for k, v in os.environ.items() if k != "TACO_JUDGE_TOKEN"}
    done = subprocess.run([sys.executable, "-m", "taco_judge.cli", "serve", "--sandbox", "local", "--port", "0",
                           "--ray-address", "127.0.0.1:1"], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.strip().splitlines() if not line.startswith("{")]  # JSON logs aside
    assert len(lines) == 1 and lines[0].startswith("taco-judge: error: --ray-address 127.0.0.1:1: nothing answers "
                                                   "there"), done.stderr
