"""The service's HTTP routes (FastAPI on any ASGI server): ``POST /v1/judge``, ``GET /healthz``,
``GET /metrics``. Every refusal is JSON ``{"error": {"status", "field", "message"}}``."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from taco_judge.service.core import Batch, JudgeService, result_of
from taco_judge.service.wire import WireError, not_judged_json, result_json

log = logging.getLogger("taco_judge.service")

NDJSON = "application/x-ndjson"
DEADLINE_HEADER = "x-deadline-s"
OPEN_PATHS = frozenset({"/healthz"})  # answered without the token (liveness probes)


def create_app(service: JudgeService) -> Any:
    """The ASGI app answering for ``service`` (bearer token checked, every request counted and
    logged); the server's shutdown closes the service."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await asyncio.get_running_loop().run_in_executor(None, service.close)

    app = FastAPI(title="taco-judge", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:  # unknown path, wrong method
        routes = "POST /v1/judge, GET /healthz, GET /metrics"
        return _error(WireError(exc.status_code, None, f"{request.method} {request.url.path}: {exc.detail}; "
                                                       f"this service answers {routes}"))

    @app.get("/healthz")
    async def healthz() -> Response:
        status, body = service.health()
        return JSONResponse(body, status_code=status)

    @app.get("/metrics")
    async def metrics() -> Response:
        return PlainTextResponse(service.metrics_text(), media_type="text/plain; version=0.0.4")

    @app.post("/v1/judge")
    async def judge(request: Request) -> Response:
        started = time.monotonic()
        try:
            body = await _read_body(request, service.max_body_bytes)
            judge_request = await asyncio.to_thread(service.parse, body)  # a big body must not stall the loop
            deadline = judge_request.deadline_s
            if deadline is None and DEADLINE_HEADER in request.headers:
                deadline = _header_deadline(request.headers[DEADLINE_HEADER])
            batch = await asyncio.to_thread(service.admit, judge_request)
        except WireError as exc:
            return _error(exc)
        n = len(batch.items)
        if judge_request.stream or NDJSON in request.headers.get("accept", ""):
            return _BatchStream(service, batch, _stream(service, batch, deadline),
                                on_end=lambda status: _done(service, request.scope, status, started, n))
        results = await _collect(service, batch, deadline, request)
        if results is None:  # the client left: nobody to answer (counted by _Guard, as any non-200)
            return Response(status_code=499)
        _done(service, request.scope, 200, started, n)
        return JSONResponse({"results": results})

    return _Guard(app, service)


class _Guard:
    """Pure ASGI around the routes (no buffering, so disconnects reach them): the bearer token,
    a JSON 500 for a bug, and the count and log line of every answer but a judge 200 (counted
    when its results are complete)."""

    def __init__(self, app: Any, service: JudgeService) -> None:
        self.app, self.service = app, service

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        status: list[int] = []

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        if self.service.token is not None and scope["path"] not in OPEN_PATHS and \
                not _authorized(scope, self.service.token):
            await _error(WireError(401, "Authorization", "missing or wrong bearer token; send "
                                                         "\"Authorization: Bearer <token>\"",
                                   headers={"WWW-Authenticate": "Bearer"}))(scope, receive, sending)
        else:
            try:
                await self.app(scope, receive, sending)
            except Exception:  # a bug: logged, answered 500 when nothing was sent yet; the service serves on
                log.exception("unexpected error answering %s %s", scope.get("method"), scope["path"])
                if not status:
                    await _error(WireError(500, None, "internal error (logged); the request was not judged"))(
                        scope, receive, sending)
        code = status[0] if status else 500
        if scope["path"] != "/v1/judge" or code != 200:
            _done(self.service, scope, code, started)


def _authorized(scope: Any, token: str) -> bool:
    header = dict(scope.get("headers") or ()).get(b"authorization", b"").decode("latin-1")
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _error(exc: WireError) -> JSONResponse:
    return JSONResponse(exc.to_json(), status_code=exc.status, headers=exc.headers)


def _done(service: JudgeService, scope: Any, status: int, started: float, samples: int | None = None) -> None:
    """Count and log one answered request (a JSON line: method, path, status, seconds, client)."""
    seconds = time.monotonic() - started
    path, method = scope["path"], scope.get("method", "")
    service.telemetry.request_done(path, status, seconds)
    client = scope.get("client")
    fields: dict[str, Any] = {"event": "request", "method": method, "path": path, "status": status,
                              "seconds": round(seconds, 4), "client": client[0] if client else None}
    if samples is not None:
        fields["samples"] = samples
    log.info("%s %s %d", method, path, status, extra={"fields": fields})


def _header_deadline(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise WireError(422, "X-Deadline-S", f"expected a number of seconds > 0, got {text!r}")
    return value


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise WireError(413, None, f"the body is {int(declared)} bytes, more than this service takes ({limit}); "
                                   "send fewer or smaller submissions per request")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise WireError(413, None, f"the body is more than this service takes ({limit} bytes); "
                                       "send fewer or smaller submissions per request")
        chunks.append(chunk)
    return b"".join(chunks)


async def _wait_disconnect(request: Request) -> None:
    """Returns when the client closes the connection (the body is read: nothing else arrives)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


def _answer(batch: Batch, index: int) -> dict[str, Any]:
    """Sample ``index`` as the response carries it: its result, or why it has none."""
    item, future = batch.items[index], batch.futures[index]
    request = batch.request
    result = result_of(future) if future.done() else None
    if result is not None:
        return result_json(index, result, reward=request.reward, include_tests=request.include_tests)
    if future.cancelled() or not future.done():
        detail = ("the request's deadline passed before a worker took it; not judged" if future.cancelled() else
                  "still running when the request's deadline passed; its result is cached, so sending it again "
                  "costs nothing")
        return not_judged_json(index, item.task_id, "deadline", detail)
    return not_judged_json(index, item.task_id, "error", "the judge failed on this sample (logged); not judged")


async def _collect(service: JudgeService, batch: Batch, deadline: float | None,
                   request: Request) -> list[dict[str, Any]] | None:
    """Every sample's answer in request order, waiting at most ``deadline`` seconds; None when the
    client disconnected (its queued samples are cancelled)."""
    waiting = {asyncio.wrap_future(future): i for i, future in enumerate(batch.futures)}
    gone = asyncio.ensure_future(_wait_disconnect(request))
    end = None if deadline is None else batch.received + deadline
    try:
        pending = set(waiting)
        while pending:
            timeout = None if end is None else max(0.0, end - time.monotonic())
            done, pending = await asyncio.wait(pending | {gone}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            if gone in done:
                batch.cancel_queued(service.telemetry, "disconnect")
                return None
            pending.discard(gone)
            if end is not None and time.monotonic() >= end and pending:
                batch.cancel_queued(service.telemetry, "deadline")
                break
    finally:
        gone.cancel()
    return [_answer(batch, i) for i in range(len(batch.items))]


async def _stream(service: JudgeService, batch: Batch, deadline: float | None) -> AsyncIterator[bytes]:
    """One NDJSON line per sample as it finishes, with its ``index``; at the deadline, one line
    for each sample left (status ``deadline``)."""
    waiting = {asyncio.wrap_future(future): i for i, future in enumerate(batch.futures)}
    end = None if deadline is None else batch.received + deadline
    pending = set(waiting)
    while pending:
        timeout = None if end is None else max(0.0, end - time.monotonic())
        done, pending = await asyncio.wait(pending, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        for waiter in sorted(done, key=waiting.__getitem__):
            yield _line(_answer(batch, waiting[waiter]))
        if end is not None and time.monotonic() >= end and pending:
            batch.cancel_queued(service.telemetry, "deadline")
            for waiter in sorted(pending, key=waiting.__getitem__):
                yield _line(_answer(batch, waiting[waiter]))
            return


def _line(entry: dict[str, Any]) -> bytes:
    return (json.dumps(entry, separators=(",", ":")) + "\n").encode()


class _BatchStream(StreamingResponse):
    """The NDJSON response of one batch: however the stream ends (finished, or the client gone),
    what is still queued of the batch is cancelled."""

    def __init__(self, service: JudgeService, batch: Batch, content: AsyncIterator[bytes], *, on_end: Any) -> None:
        super().__init__(content, media_type=NDJSON)
        self._service, self._batch, self._on_end = service, batch, on_end

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        status = 499
        try:
            await super().__call__(scope, receive, send)
            status = 200
        finally:
            cancelled = self._batch.cancel_queued(self._service.telemetry, "disconnect")
            if cancelled:
                status = 499
            self._on_end(status)
