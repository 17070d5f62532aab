"""The judge service (`taco-judge serve`), started for real on 127.0.0.1 with the local jail: its
verdicts equal `taco-judge judge`'s, overload is a 429 it recovers from, a client that leaves or a
deadline that passes cancels queued work, a killed runner costs a retry and not a result, every
bad input is a 4xx naming its field, and the client and reward adapter work against it."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from conftest import kill_process_tree  # noqa: E402
from taco_judge.client import AsyncJudgeClient, JudgeClient, ServiceError  # noqa: E402
from taco_judge.rewards import RewardUnavailable, compute_score, compute_score_batch  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PROBLEMS = REPO / "problems"
TOKEN = "s3cret-token"
ADD_ROW = {"input_output": json.dumps({"inputs": ["1 2\n", "5 5\n"], "outputs": ["3\n", "10\n"]}),
           "time_limit": "1 second", "memory_limit": "256 megabytes"}
ADD = "a, b = map(int, input().split())\nprint(a + b)\n"


def spin(seconds: float, then: str = "print(3)", tag: str | None = None) -> str:
    """A program that burns ``seconds`` of CPU, then does ``then``; unique (never replayed from the
    service's cache) unless given the same ``tag``."""
    return f"# {tag or uuid.uuid4()}\nimport time\nt = time.process_time()\nwhile time.process_time() - t < {seconds}:\n" \
           f"    pass\n{then}\n"


class Server:
    """`taco-judge serve` in a subprocess on a free loopback port; stopped with SIGTERM."""

    def __init__(self, tmp: Path, *args: str, token: str | None = None) -> None:
        self.log = tmp / "serve.log"
        env = {k: v for k, v in os.environ.items() if k != "TACO_JUDGE_TOKEN"}
        if token:
            env["TACO_JUDGE_TOKEN"] = token  # the token from the environment, as documented
        self.token = token
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "taco_judge.cli", "serve", "--sandbox", "local",
                                          "--port", "0", *args], stdout=subprocess.DEVNULL, stderr=log, env=env,
                                         start_new_session=True)
        deadline = time.monotonic() + 120
        self.port = 0
        while time.monotonic() < deadline and not self.port:
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited {self.proc.returncode}: {self.log.read_text()}")
            for line in self.log.read_text().splitlines():
                if '"listening"' in line:
                    self.port = json.loads(line)["port"]
            time.sleep(0.1)
        assert self.port, self.log.read_text()
        self.url = f"http://127.0.0.1:{self.port}"
        headers = {"authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=self.url, timeout=120, headers=headers)

    def judge(self, body: Any, **kwargs: Any) -> httpx.Response:
        return self.http.post("/v1/judge", content=json.dumps(body).encode(), **kwargs)

    def metrics(self) -> dict[str, float]:
        values = {}
        for line in self.http.get("/metrics").text.splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                values[name] = float(value)
        return values

    def wait_for(self, condition: Any, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            health = self.http.get("/healthz").json()
            if condition(health):
                return health
            assert time.monotonic() < deadline, f"timed out waiting; last /healthz {health}"
            time.sleep(0.05)

    def idle(self) -> None:
        self.wait_for(lambda h: h["queued"] == 0 and h["running"] == 0)

    def runners(self) -> list[psutil.Process]:
        """The local jail's runner sessions (direct children of the server)."""
        return [child for child in psutil.Process(self.proc.pid).children()
                if any("jail_init" in part for part in child.cmdline())]

    def stop(self) -> None:
        self.http.close()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The shipped problems loaded, 2 workers, at most 64 samples and 1 MB per request."""
    srv = Server(tmp_path_factory.mktemp("serve"), "--jobs", "2", "--problems", str(PROBLEMS / "problems.jsonl"),
                 "--spj", str(PROBLEMS / "output_spj.jsonl"), "--max-samples", "64", "--queue-size", "256",
                 "--max-body-mb", "1")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One worker and room for 4 queued samples, behind a bearer token: easy to overload."""
    srv = Server(tmp_path_factory.mktemp("small"), "--jobs", "1", "--queue-size", "4", "--max-samples", "4",
                 token=TOKEN)
    yield srv
    srv.stop()


def inline(code: str, row: dict[str, Any] = ADD_ROW) -> dict[str, Any]:
    return {"problem": row, "code": code}


# ------------------------------------------------------------------------ verdicts


@pytest.mark.slow
def test_verdicts_over_http_equal_the_judge_command_on_the_shipped_problems(server: Server, tmp_path: Path) -> None:
    out = tmp_path / "run"
    cli = subprocess.run([sys.executable, "-m", "taco_judge.cli", "judge", "--problems", str(PROBLEMS / "problems.jsonl"),
                          "--generations", str(PROBLEMS / "generations.json"), "--spj", str(PROBLEMS / "output_spj.jsonl"),
                          "--out", str(out), "--sandbox", "local", "--jobs", "2", "--quiet"],
                         capture_output=True, text=True, timeout=900)
    assert cli.returncode == 0, cli.stderr
    by_cli = {(r["task_id"], r["sample"]): r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}

    generations = json.loads((PROBLEMS / "generations.json").read_text())
    keys = [(entry["task_id"], i) for entry in generations for i in range(len(entry["output"]))]
    submissions = [{"task_id": entry["task_id"], "output": output} for entry in generations for output in entry["output"]]
    results: list[dict[str, Any]] = []
    with JudgeClient(server.url) as client:
        for start in range(0, len(submissions), 64):
            results += client.judge(submissions[start:start + 64])
    assert [r["index"] for r in results] == [i % 64 for i in range(len(submissions))]
    expected = json.loads((PROBLEMS / "expected_verdicts.json").read_text())
    assert {k: r["verdict"] for k, r in zip(keys, results)} == \
        {(int(task), i): v for task, verdicts in expected.items() for i, v in enumerate(verdicts)}
    for key, result in zip(keys, results):
        mine = by_cli[key]
        assert (result["verdict"], result["passed"], result["checker"], result["code_sha256"]) == \
            (mine["verdict"], mine["passed"], mine["checker"], mine["code_sha256"]), key
        assert [t["verdict"] for t in result["tests"]] == [t["verdict"] for t in mine["tests"]], key
        assert result["reward"] == (None if mine["verdict"] == "SE" else float(mine["passed"]))
        assert result["status"] == "judged"


@pytest.mark.slow
def test_an_inline_taco_row_judges_as_its_loaded_problem(server: Server) -> None:
    rows = [json.loads(line) for line in (PROBLEMS / "problems.jsonl").read_text().splitlines()]
    generations = {e["task_id"]: e["output"] for e in json.loads((PROBLEMS / "generations.json").read_text())}
    spj = {json.loads(line)["idx"] for line in (PROBLEMS / "output_spj.jsonl").read_text().splitlines()
           if json.loads(line).get("case")}
    keep = ("input_output", "time_limit", "memory_limit", "starter_code")
    tasks = sorted((len(rows[t]["input_output"]), t) for t in range(len(rows)) if t not in spj)[:3]
    for _, task in tasks:  # one task per request: its tests fill much of the 1 MB body limit
        row = {**{k: rows[task][k] for k in keep if k in rows[task]}, "task_id": task}
        outputs = generations[task]
        by_id = [{"task_id": task, "output": output} for output in outputs]
        by_row = [{"problem": row, "output": output} for output in outputs]
        answer = server.judge({"submissions": by_id + by_row}).json()["results"]
        first, second = answer[:len(by_id)], answer[len(by_id):]
        assert [(r["task_id"], r["verdict"], r["tests_passed"]) for r in first] == \
            [(r["task_id"], r["verdict"], r["tests_passed"]) for r in second]


def test_the_issue_body_answers_in_request_order_with_rewards_and_per_test_facts(server: Server) -> None:
    body = {"submissions": [{"task_id": 3, "code": "print(input())"}, {"problem": ADD_ROW, "code": ADD},
                            {"problem": ADD_ROW, "code": "print(3)"}], "checker": "strict"}
    results = server.judge(body).json()["results"]
    assert [r["index"] for r in results] == [0, 1, 2]
    assert [(r["verdict"], r["passed"], r["reward"]) for r in results[1:]] == [("AC", True, 1.0), ("WA", False, 0.0)]
    assert results[0]["task_id"] == 3 and results[0]["checker"] == "strict"
    test = results[1]["tests"][0]
    assert set(test) >= {"verdict", "cpu_s", "wall_s", "peak_mb"} and test["peak_mb"] > 0
    assert results[1]["limits"]["time_limit_s"] == 1.0 and results[1]["limits"]["memory_mb"] == 256
    assert "WA" in results[2]["detail"] or "expected" in results[2]["detail"]


def test_partial_credit_counts_every_test_and_tests_can_be_left_out(server: Server) -> None:
    third = {"problem": ADD_ROW, "code": "a, b = map(int, input().split())\nprint(3)\n"}  # passes test 0 only
    partial = server.judge({"submissions": [third], "reward": "partial", "include_tests": False}).json()["results"][0]
    assert (partial["verdict"], partial["reward"], partial["tests_passed"], partial["num_tests"]) == ("WA", 0.5, 1, 2)
    assert "tests" not in partial
    binary = server.judge({"submissions": [third]}).json()["results"][0]
    assert binary["reward"] == 0.0 and len(binary["tests"]) == 2


def test_the_taco_checker_can_be_asked_for(server: Server) -> None:
    answer = server.judge({"submissions": [inline(ADD)], "checker": "taco"}).json()["results"][0]
    assert (answer["checker"], answer["verdict"]) == ("taco", "AC")


def test_a_retried_request_replays_what_the_first_try_ran(server: Server) -> None:
    body = {"submissions": [inline(spin(0.2, ADD, tag="retried"))]}
    first = server.judge(body).json()["results"][0]
    again = server.judge(body).json()["results"][0]
    assert first["verdict"] == again["verdict"] == "AC"
    assert first["tests"] == again["tests"]  # the same observations (times included): nothing ran again


def test_an_answer_without_code_is_ce_not_a_refusal(server: Server) -> None:
    results = server.judge({"submissions": [inline(""), {"problem": ADD_ROW, "output": "I cannot solve it."},
                                            {"problem": ADD_ROW, "output": f"Here:\n```python\n{ADD}```\n"}]}).json()
    verdicts = [r["verdict"] for r in results["results"]]
    assert verdicts[2] == "AC" and verdicts[1] == "CE"


# ------------------------------------------------------------------------ streaming


@pytest.mark.slow
def test_ndjson_streams_each_sample_once_as_it_finishes_with_its_index(server: Server) -> None:
    submissions = [inline(spin(1.5, ADD)), inline(ADD), inline("print(0)")]
    whole = server.judge({"submissions": submissions}).json()["results"]
    fresh = [{**s, "code": s["code"] + "# streamed\n"} for s in submissions]  # not replayed from the cache
    with server.http.stream("POST", "/v1/judge", content=json.dumps({"submissions": fresh}).encode(),
                            headers={"accept": "application/x-ndjson"}) as response:
        assert response.headers["content-type"].startswith("application/x-ndjson")
        lines = [json.loads(line) for line in response.iter_lines() if line]
    assert sorted(line["index"] for line in lines) == [0, 1, 2]
    assert lines[-1]["index"] == 0  # the slow one comes last, the others did not wait for it
    assert {line["index"]: line["verdict"] for line in lines} == {r["index"]: r["verdict"] for r in whole}
    with JudgeClient(server.url) as client:
        streamed = list(client.stream(submissions[1:]))
    assert sorted((r["index"], r["verdict"]) for r in streamed) == [(0, "AC"), (1, "WA")]


# ------------------------------------------------------------------------ back-pressure


def _post_in_thread(srv: Server, body: Any) -> tuple[threading.Thread, list[httpx.Response]]:
    answers: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: answers.append(srv.judge(body)), daemon=True)
    thread.start()
    return thread, answers


@pytest.mark.slow
def test_overload_is_429_with_retry_after_and_the_service_recovers(small: Server) -> None:
    small.idle()
    full = {"submissions": [inline(spin(0.4)) for _ in range(4)]}
    thread, answers = _post_in_thread(small, full)
    small.wait_for(lambda h: h["queued"] == 3 and h["running"] == 1)
    refused = small.judge({"submissions": [inline(ADD), inline(ADD)]})  # room for 1
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "queue is full" in refused.json()["error"]["message"]
    thread.join(120)
    assert [r["status"] for r in answers[0].json()["results"]] == ["judged"] * 4
    again = small.judge({"submissions": [inline(ADD)]})
    assert again.status_code == 200 and again.json()["results"][0]["verdict"] == "AC"
    assert small.metrics()['taco_judge_requests_total{path="/v1/judge",code="429"}'] >= 1


@pytest.mark.slow
def test_the_client_waits_out_a_429_and_gets_its_result(small: Server) -> None:
    small.idle()
    thread, _ = _post_in_thread(small, {"submissions": [inline(spin(0.4)) for _ in range(4)]})
    small.wait_for(lambda h: h["queued"] == 3 and h["running"] == 1)
    before = small.metrics().get('taco_judge_requests_total{path="/v1/judge",code="429"}', 0)
    with JudgeClient(small.url, token=TOKEN, retries=50, max_wait_s=0.5) as client:
        results = client.judge([inline(ADD), inline("print(0)")])  # room for 1 until the next sample starts
    assert [r["verdict"] for r in results] == ["AC", "WA"]
    assert small.metrics()['taco_judge_requests_total{path="/v1/judge",code="429"}'] > before
    thread.join(120)


def test_the_async_client_judges_and_streams(small: Server) -> None:
    small.idle()

    async def go() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        async with AsyncJudgeClient(small.url, token=TOKEN) as client:
            judged = await client.judge([inline(ADD), inline("print(1)")])
            streamed = [r async for r in client.stream([inline(ADD)])]
            return judged, streamed

    judged, streamed = asyncio.run(go())
    assert [r["verdict"] for r in judged] == ["AC", "WA"]
    assert [(r["index"], r["verdict"]) for r in streamed] == [(0, "AC")]


@pytest.mark.slow
@pytest.mark.parametrize("stream", [False, True], ids=["json", "ndjson"])
def test_a_client_that_disconnects_cancels_its_queued_samples(small: Server, stream: bool) -> None:
    small.idle()
    before = small.metrics()
    row = {**ADD_ROW, "time_limit": "10 seconds"}
    body = json.dumps({"submissions": [inline(spin(3.0), row) for _ in range(4)], "stream": stream}).encode()
    sock = socket.create_connection(("127.0.0.1", small.port))
    sock.sendall(b"POST /v1/judge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    small.wait_for(lambda h: h["running"] == 1 and h["queued"] == 3)
    sock.close()
    # The queue empties at once, while the sample that had started still runs to its verdict.
    small.wait_for(lambda h: h["queued"] == 0 and h["running"] == 1, timeout=10)
    small.idle()
    after = small.metrics()
    judged = sum(after[k] - before.get(k, 0) for k in after if k.startswith("taco_judge_samples_total{"))
    cancelled = after['taco_judge_samples_cancelled_total{reason="disconnect"}'] - \
        before.get('taco_judge_samples_cancelled_total{reason="disconnect"}', 0)
    assert (judged, cancelled) == (1, 3)


@pytest.mark.slow
@pytest.mark.parametrize("stream", [False, True], ids=["json", "ndjson"])
def test_a_deadline_cancels_queued_samples_and_says_so(small: Server, stream: bool) -> None:
    small.idle()
    before = small.metrics().get('taco_judge_samples_cancelled_total{reason="deadline"}', 0)
    row = {**ADD_ROW, "time_limit": "10 seconds"}
    answer = small.judge({"submissions": [inline(spin(3.0), row) for _ in range(4)], "deadline_s": 1.0,
                          "stream": stream})
    if stream:
        results = sorted((json.loads(line) for line in answer.text.splitlines()), key=lambda r: r["index"])
    else:
        results = answer.json()["results"]
    assert [r["status"] for r in results] == ["deadline"] * 4
    assert all(r["verdict"] is None and r["passed"] is None and r["reward"] is None for r in results)
    assert "still running" in results[0]["detail"]
    assert all("before a worker took it" in r["detail"] for r in results[1:])
    assert small.metrics()['taco_judge_samples_cancelled_total{reason="deadline"}'] - before == 3
    small.idle()
    header = small.judge({"submissions": [inline(ADD)]}, headers={"x-deadline-s": "30"})
    assert header.json()["results"][0]["verdict"] == "AC"


@pytest.mark.slow
def test_a_killed_runner_costs_a_retry_not_a_result(small: Server) -> None:
    small.idle()
    row = {**ADD_ROW, "time_limit": "5 seconds"}
    thread, answers = _post_in_thread(small, {"submissions": [inline(spin(1.5, ADD), row)]})
    small.wait_for(lambda h: h["running"] == 1)
    time.sleep(0.3)  # the program is running now
    runners = small.runners()
    assert len(runners) == 1, runners
    os.killpg(runners[0].pid, signal.SIGKILL)
    thread.join(120)
    result = answers[0].json()["results"][0]
    assert (result["status"], result["verdict"]) == ("judged", "AC")
    assert [r.pid for r in small.runners()] != [runners[0].pid]  # a fresh session judged it
    assert small.metrics()["taco_judge_system_errors_total"] == 0


# ------------------------------------------------------------------------ auth


def test_the_token_guards_everything_but_healthz(small: Server) -> None:
    bare = httpx.Client(base_url=small.url, timeout=30)
    try:
        assert bare.get("/healthz").status_code == 200
        refused = bare.post("/v1/judge", json={"submissions": [inline(ADD)]})
        assert refused.status_code == 401 and refused.json()["error"]["field"] == "Authorization"
        assert bare.get("/metrics").status_code == 401
        wrong = bare.post("/v1/judge", json={"submissions": [inline(ADD)]}, headers={"authorization": "Bearer nope"})
        assert wrong.status_code == 401
    finally:
        bare.close()


@pytest.mark.parametrize(("args", "message"), [
    (["--host", "0.0.0.0"], "--host 0.0.0.0: serving beyond loopback needs a bearer token; pass --token TOKEN or set "
                            "$TACO_JUDGE_TOKEN"),
    (["--queue-size", "8", "--max-samples", "9"], "--max-samples 9: more than --queue-size 8 holds; lower it or "
                                                  "raise --queue-size"),
    (["--executor", "local", "--ray-address", "127.0.0.1:1"], "--ray-address 127.0.0.1:1: only used with "
                                                              "--executor ray; drop --executor local"),
], ids=["beyond loopback without a token", "batch bigger than the queue", "ray address without ray"])
def test_serve_refuses_bad_options_in_one_line(args: list[str], message: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TACO_JUDGE_TOKEN"}
    done = subprocess.run([sys.executable, "-m", "taco_judge.cli", "serve", "--sandbox", "local", *args],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"taco-judge: error: {message}"), done.stderr


# ------------------------------------------------------------------------ hard inputs


def _raw(srv: Server, body: bytes) -> httpx.Response:
    return srv.http.post("/v1/judge", content=body, headers={"content-type": "application/json"})


BAD_INPUTS = [
    ("malformed json", b'{"submissions": [', 400, None, "not valid JSON"),
    ("not an object", b"[1, 2]", 422, None, "JSON object"),
    ("no submissions", b"{}", 422, "submissions", "missing"),
    ("empty submissions", b'{"submissions": []}', 422, "submissions", "empty"),
    ("unknown field", b'{"submissions": [{"task_id": 0, "code": ""}], "checkr": "x"}', 422, "checkr", "unknown field"),
    ("unknown checker", b'{"submissions": [{"task_id": 0, "code": ""}], "checker": "exact"}', 422, "checker",
     "choose one of strict, taco"),
    ("unknown reward", b'{"submissions": [{"task_id": 0, "code": ""}], "reward": "soft"}', 422, "reward", "binary"),
    ("unknown task id", b'{"submissions": [{"task_id": 999, "code": ""}]}', 422, "submissions[0].task_id",
     "not a loaded problem"),
    ("task id a list", b'{"submissions": [{"task_id": [1], "code": ""}]}', 422, "submissions[0].task_id",
     "integer or a string"),
    ("code a number", b'{"submissions": [{"task_id": 0, "code": 5}]}', 422, "submissions[0].code", "a string"),
    ("no code", b'{"submissions": [{"task_id": 0}]}', 422, "submissions[0].code", "exactly one"),
    ("submission a string", b'{"submissions": ["print(1)"]}', 422, "submissions[0]", "expected an object"),
    ("flag a string", b'{"submissions": [{"task_id": 0, "code": ""}], "include_tests": "no"}', 422, "include_tests",
     "true or false"),
    ("bad deadline", b'{"submissions": [{"task_id": 0, "code": ""}], "deadline_s": -1}', 422, "deadline_s", "> 0"),
    ("non-UTF-8 code", b'{"submissions": [{"task_id": 0, "code": "print(\xff)"}]}', 422, "submissions[0].code",
     "not valid UTF-8 (byte 0xff"),
    ("lone surrogate", b'{"submissions": [{"task_id": 0, "code": "\\udc80"}]}', 422, "submissions[0].code",
     "not valid UTF-8"),
    ("inline bad limit", json.dumps({"submissions": [{"problem": {**ADD_ROW, "time_limit": "1 secnd"}, "code": ""}]}).encode(),
     422, "submissions[0].problem.time_limit", "cannot read '1 secnd'"),
    ("inline bad tests", b'{"submissions": [{"problem": {"input_output": "{\\"inputs\\": [1]}"}, "code": ""}]}', 422,
     "submissions[0].problem.input_output", "no 'outputs' list"),
    ("inline test not UTF-8", b'{"submissions": [{"problem": {"input_output": "{\\"inputs\\": [\\"\\\\udc80\\"], '
     b'\\"outputs\\": [\\"1\\"]}"}, "code": ""}]}', 422, "submissions[0].problem.input_output",
     "test 0 input is not valid UTF-8"),
    ("inline not json", b'{"submissions": [{"problem": {"input_output": "{oops"}, "code": ""}]}', 422,
     "submissions[0].problem.input_output", "not valid JSON"),
    ("too many samples", json.dumps({"submissions": [{"task_id": 0, "code": ""}] * 65}).encode(), 413, "submissions",
     "65 samples"),
    ("oversized body", json.dumps({"submissions": [{"task_id": 0, "code": "#" * (2 << 20)}]}).encode(), 413, None,
     "more than this service takes"),
]


@pytest.mark.parametrize(("body", "status", "field", "message"), [case[1:] for case in BAD_INPUTS],
                         ids=[case[0] for case in BAD_INPUTS])
def test_each_bad_input_is_a_4xx_naming_its_field_and_the_service_serves_on(
        server: Server, body: bytes, status: int, field: str | None, message: str) -> None:
    answer = _raw(server, body)
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert (error["status"], error["field"]) == (status, field)
    assert message in error["message"]
    assert "\n" not in error["message"]
    ok = server.judge({"submissions": [inline(ADD)]})
    assert ok.status_code == 200 and ok.json()["results"][0]["verdict"] == "AC"


def test_a_bad_deadline_header_is_a_422(server: Server) -> None:
    answer = server.judge({"submissions": [inline(ADD)]}, headers={"x-deadline-s": "soon"})
    assert answer.status_code == 422 and answer.json()["error"]["field"] == "X-Deadline-S"


def test_the_client_raises_a_refusal_with_its_field(server: Server) -> None:
    with JudgeClient(server.url) as client, pytest.raises(ServiceError) as caught:
        client.judge([{"task_id": 999, "code": ""}])
    assert (caught.value.status, caught.value.field) == (422, "submissions[0].task_id")


# ------------------------------------------------------------------------ health, metrics, logs


def test_healthz_metrics_and_json_logs(server: Server) -> None:
    health = server.http.get("/healthz").json()
    assert health["status"] == "ok" and health["jobs"] == 2 and health["queue_size"] == 256
    text = server.http.get("/metrics").text
    for name in ("taco_judge_queue_depth", "taco_judge_in_flight", "taco_judge_samples_total{verdict=\"AC\"}",
                 "taco_judge_system_errors_total", "taco_judge_samples_per_second",
                 "taco_judge_request_seconds_bucket{le=\"+Inf\"}", "taco_judge_sample_seconds_count"):
        assert name in text, name
    for method, path, status in (("GET", "/v1/judge", 405), ("GET", "/v2/judge", 404)):
        answer = server.http.request(method, path)
        assert answer.status_code == status and "POST /v1/judge" in answer.json()["error"]["message"]
    lines = [json.loads(line) for line in server.log.read_text().splitlines()]
    requests = [line for line in lines if line.get("event") == "request" and line["path"] == "/v1/judge"]
    assert requests and {"status", "seconds", "client", "method"} <= set(requests[-1])


# ------------------------------------------------------------------------ reward adapter


def test_the_reward_adapter_scores_a_model_answer(server: Server) -> None:
    answer = f"Read two numbers and add them.\n\n```python\n{ADD}```\n"
    assert compute_score("taco", answer, ADD_ROW, None, url=server.url)["score"] == 1.0
    io_only = json.loads(ADD_ROW["input_output"])
    assert compute_score("taco", "```python\nprint(3)\n```", json.dumps(io_only), {"time_limit": "1 second"},
                         url=server.url)["score"] == 0.0
    partial = compute_score("taco", "```python\ninput()\nprint(3)\n```", io_only, None, url=server.url,
                            reward="partial")
    assert (partial["score"], partial["verdict"], partial["tests_passed"]) == (0.5, "WA", 1)
    loaded = compute_score("taco", "print(input())", 3, None, url=server.url)
    assert loaded["verdict"] in ("AC", "WA")
    batch = compute_score_batch(["taco"] * 2, [ADD, "print(0)"], [ADD_ROW, ADD_ROW], url=server.url)
    assert [s["score"] for s in batch] == [1.0, 0.0]
    with pytest.raises(ValueError, match="ground_truth"):
        compute_score("taco", ADD, "not json", None, url=server.url)


def test_a_sample_the_service_could_not_judge_is_no_silent_zero() -> None:
    from taco_judge.rewards import _score

    se = {"index": 0, "status": "judged", "verdict": "SE", "reward": None, "detail": "jail failed 3 times: ..."}
    with pytest.raises(RewardUnavailable, match="verdict SE"):
        _score(se, None)
    assert _score(se, 0.0)["score"] == 0.0 and _score(se, 0.0)["verdict"] == "SE"


@pytest.mark.slow
def test_with_a_cache_file_a_killed_service_loses_no_judged_result(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    body = {"submissions": [inline(spin(0.3, ADD)), inline("print(0)")]}
    first = Server(tmp_path, "--jobs", "1", "--cache", str(cache))
    try:
        judged = first.judge(body).json()["results"]
    finally:
        kill_process_tree(first.proc)  # a crash: no shutdown
        first.http.close()
    second = Server(tmp_path, "--jobs", "1", "--cache", str(cache))
    try:
        again = second.judge(body).json()["results"]
    finally:
        second.stop()
    assert [r["verdict"] for r in judged] == ["AC", "WA"]
    assert [r["tests"] for r in again] == [r["tests"] for r in judged]  # replayed from the file: nothing ran
