"""Clients of ``taco-judge serve`` (sync and async, on httpx): a batch in, results in request order
(or streamed as they finish), retrying a full queue (429) or an unavailable service (503) after
the ``Retry-After`` it sends, and a connection refused (a service restarting) with backoff.

::

    from taco_judge.client import JudgeClient
    with JudgeClient("http://127.0.0.1:8000") as client:
        results = client.judge([{"task_id": 3, "code": "print(input())"}])
        print(results[0]["verdict"], results[0]["reward"])

docs/service.md has the request and result fields. Needs ``pip install 'taco-judge[service]'``.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

import httpx

__all__ = ["JudgeClient", "AsyncJudgeClient", "ServiceError", "URL_ENV", "TOKEN_ENV"]

URL_ENV = "TACO_JUDGE_URL"
TOKEN_ENV = "TACO_JUDGE_TOKEN"
DEFAULT_URL = "http://127.0.0.1:8000"
RETRY_STATUSES = frozenset({429, 503})
NDJSON = "application/x-ndjson"


class ServiceError(Exception):
    """The service refused a request (``status``, the ``field`` it names), or stayed full or
    unreachable through every retry."""

    def __init__(self, status: int | None, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.field = field


def _retry_after_s(response: httpx.Response, attempt: int) -> float:
    """The wait a response asks for: Retry-After in seconds or as an HTTP date, else backoff."""
    value = response.headers.get("retry-after", "").strip()
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
                return max(0.0, when.timestamp() - time.time())
            except (TypeError, ValueError):
                pass
    return _backoff_s(attempt)


def _backoff_s(attempt: int) -> float:
    return min(10.0, 0.25 * 2 ** attempt)


def _refusal(response: httpx.Response) -> ServiceError:
    try:
        error = response.json()["error"]
        return ServiceError(response.status_code, error["message"], error.get("field"))
    except (ValueError, KeyError, TypeError):
        return ServiceError(response.status_code, f"HTTP {response.status_code}: {response.text[:300]}")


class _Base:
    def __init__(self, url: str | None, token: str | None, retries: int, max_wait_s: float) -> None:
        self.url = (url or os.environ.get(URL_ENV) or DEFAULT_URL).rstrip("/")
        self.token = token if token is not None else os.environ.get(TOKEN_ENV)
        self.retries = retries
        self.max_wait_s = max_wait_s

    def _headers(self, stream: bool = False) -> dict[str, str]:
        headers = {"content-type": "application/json"}
        if stream:
            headers["accept"] = NDJSON
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        return headers

    @staticmethod
    def _body(submissions: Sequence[Mapping[str, Any]], options: dict[str, Any]) -> bytes:
        body: dict[str, Any] = {"submissions": list(submissions)}
        body.update({key: value for key, value in options.items() if value is not None})
        return json.dumps(body).encode("utf-8")

    def _wait(self, response: httpx.Response | None, attempt: int) -> float:
        """Seconds to wait before try ``attempt + 1``; raises once the retries are spent."""
        if attempt >= self.retries:
            if response is None:
                raise ServiceError(None, f"{self.url}: unreachable after {attempt + 1} tries")
            raise _refusal(response)
        wait = _retry_after_s(response, attempt) if response is not None else _backoff_s(attempt)
        return min(wait, self.max_wait_s)


class JudgeClient(_Base):
    """A synchronous client; safe to share between threads.

    ``url`` defaults to ``$TACO_JUDGE_URL`` (else http://127.0.0.1:8000), ``token`` to
    ``$TACO_JUDGE_TOKEN``; ``retries`` 429/503 answers or refused connections are waited out
    (each wait at most ``max_wait_s``) before ServiceError; ``timeout`` bounds one HTTP request.
    """

    def __init__(self, url: str | None = None, *, token: str | None = None, retries: int = 10,
                 max_wait_s: float = 30.0, timeout: float = 600.0) -> None:
        super().__init__(url, token, retries, max_wait_s)
        self._http = httpx.Client(timeout=timeout)

    def _post(self, body: bytes, stream: bool) -> httpx.Response:
        attempt = 0
        while True:
            try:
                request = self._http.build_request("POST", f"{self.url}/v1/judge", content=body,
                                                   headers=self._headers(stream))
                response = self._http.send(request, stream=stream)
            except httpx.ConnectError:
                time.sleep(self._wait(None, attempt))
                attempt += 1
                continue
            if response.status_code in RETRY_STATUSES:
                response.read()
                response.close()
                time.sleep(self._wait(response, attempt))
                attempt += 1
                continue
            if response.status_code != 200:
                response.read()
                response.close()
                raise _refusal(response)
            return response

    def judge(self, submissions: Sequence[Mapping[str, Any]], *, checker: str | None = None,
              reward: str | None = None, include_tests: bool | None = None,
              deadline_s: float | None = None) -> list[dict[str, Any]]:
        """Judge a batch; one result per submission, in order (fields: docs/service.md)."""
        body = self._body(submissions, {"checker": checker, "reward": reward, "include_tests": include_tests,
                                        "deadline_s": deadline_s})
        response = self._post(body, stream=False)
        return list(response.json()["results"])

    def stream(self, submissions: Sequence[Mapping[str, Any]], *, checker: str | None = None,
               reward: str | None = None, include_tests: bool | None = None,
               deadline_s: float | None = None) -> Iterator[dict[str, Any]]:
        """Judge a batch, yielding each result as it finishes (its ``index`` says which); leaving
        the loop early closes the connection, which cancels the samples still queued."""
        body = self._body(submissions, {"checker": checker, "reward": reward, "include_tests": include_tests,
                                        "deadline_s": deadline_s})
        response = self._post(body, stream=True)
        try:
            for line in response.iter_lines():
                if line.strip():
                    yield json.loads(line)
        finally:
            response.close()

    def health(self) -> dict[str, Any]:
        response = self._http.get(f"{self.url}/healthz")
        return dict(response.json())

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> JudgeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncJudgeClient(_Base):
    """The asyncio client: the same methods as JudgeClient, awaited (``stream`` is an async
    iterator)."""

    def __init__(self, url: str | None = None, *, token: str | None = None, retries: int = 10,
                 max_wait_s: float = 30.0, timeout: float = 600.0) -> None:
        super().__init__(url, token, retries, max_wait_s)
        self._http = httpx.AsyncClient(timeout=timeout)

    async def _post(self, body: bytes, stream: bool) -> httpx.Response:
        attempt = 0
        while True:
            try:
                request = self._http.build_request("POST", f"{self.url}/v1/judge", content=body,
                                                   headers=self._headers(stream))
                response = await self._http.send(request, stream=stream)
            except httpx.ConnectError:
                await asyncio.sleep(self._wait(None, attempt))
                attempt += 1
                continue
            if response.status_code in RETRY_STATUSES:
                await response.aread()
                await response.aclose()
                await asyncio.sleep(self._wait(response, attempt))
                attempt += 1
                continue
            if response.status_code != 200:
                await response.aread()
                await response.aclose()
                raise _refusal(response)
            return response

    async def judge(self, submissions: Sequence[Mapping[str, Any]], *, checker: str | None = None,
                    reward: str | None = None, include_tests: bool | None = None,
                    deadline_s: float | None = None) -> list[dict[str, Any]]:
        body = self._body(submissions, {"checker": checker, "reward": reward, "include_tests": include_tests,
                                        "deadline_s": deadline_s})
        response = await self._post(body, stream=False)
        return list(response.json()["results"])

    async def stream(self, submissions: Sequence[Mapping[str, Any]], *, checker: str | None = None,
                     reward: str | None = None, include_tests: bool | None = None,
                     deadline_s: float | None = None) -> AsyncIterator[dict[str, Any]]:
        body = self._body(submissions, {"checker": checker, "reward": reward, "include_tests": include_tests,
                                        "deadline_s": deadline_s})
        response = await self._post(body, stream=True)
        try:
            async for line in response.aiter_lines():
                if line.strip():
                    yield json.loads(line)
        finally:
            await response.aclose()

    async def health(self) -> dict[str, Any]:
        response = await self._http.get(f"{self.url}/healthz")
        return dict(response.json())

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncJudgeClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
