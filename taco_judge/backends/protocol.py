"""Host side of the runner wire protocol: JSON lines over a byte transport.

See runners/python_runner.py for the runner side. The runner never sees expected outputs;
it returns raw observations, which ``observation_from_wire`` turns into ``Observation``.
"""

from __future__ import annotations

import abc
import base64
import json
import os
import selectors
import time
from typing import Any

from taco_judge.backends.base import LoadResult, RunnerSession
from taco_judge.errors import InfrastructureError
from taco_judge.verdict import Limits, Observation

# Seconds the runner may take beyond a test's own wall backstop before the host gives up on it.
PROTOCOL_SLACK_S = 20.0
MAX_LINE_BYTES = 1 << 30


class Transport(abc.ABC):
    """A bidirectional byte stream to one runner."""

    @abc.abstractmethod
    def send(self, data: bytes) -> None: ...

    @abc.abstractmethod
    def recv_line(self, timeout_s: float) -> bytes:
        """One newline-terminated line (without the newline); InfrastructureError on EOF/timeout."""

    @abc.abstractmethod
    def close(self) -> None: ...


class FdTransport(Transport):
    """Transport over two file descriptors (the pipes of a runner subprocess)."""

    def __init__(self, write_fd: int, read_fd: int) -> None:
        self._wfd = write_fd
        self._rfd = read_fd
        self._buf = bytearray()
        self._sel = selectors.DefaultSelector()
        self._sel.register(read_fd, selectors.EVENT_READ)

    def send(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            while view:
                n = os.write(self._wfd, view)
                view = view[n:]
        except OSError as exc:
            raise InfrastructureError(f"runner pipe closed while sending: {exc}") from exc

    def recv_line(self, timeout_s: float) -> bytes:
        deadline = time.monotonic() + timeout_s
        while True:
            nl = self._buf.find(b"\n")
            if nl >= 0:
                line = bytes(self._buf[:nl])
                del self._buf[: nl + 1]
                return line
            if len(self._buf) > MAX_LINE_BYTES:
                raise InfrastructureError("runner sent an oversized message")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise InfrastructureError(f"runner did not answer within {timeout_s:.0f} s")
            if not self._sel.select(remaining):
                continue
            try:
                chunk = os.read(self._rfd, 1 << 20)
            except OSError as exc:
                raise InfrastructureError(f"runner pipe failed: {exc}") from exc
            if not chunk:
                raise InfrastructureError("runner exited unexpectedly (EOF on its output)")
            self._buf += chunk

    def close(self) -> None:
        self._sel.close()
        for fd in (self._wfd, self._rfd):
            try:
                os.close(fd)
            except OSError:
                pass


class RunnerClient:
    """Request/response calls to one runner."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def call(self, request: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        self.transport.send(json.dumps(request, separators=(",", ":")).encode() + b"\n")
        line = self.transport.recv_line(timeout_s)
        try:
            reply = json.loads(line)
        except ValueError as exc:
            raise InfrastructureError(f"runner sent a malformed reply: {line[:200]!r}") from exc
        if not isinstance(reply, dict):
            raise InfrastructureError(f"runner sent a malformed reply: {line[:200]!r}")
        if reply.get("ok") is False and "error" in reply:
            raise InfrastructureError(f"runner error: {reply['error']}")
        return reply


def observation_from_wire(obs: dict[str, Any]) -> Observation:
    """Build an Observation from the runner's ``obs`` object."""
    return Observation(
        stdout=base64.b64decode(obs.get("stdout_b64", "")),
        stderr_tail=obs.get("stderr_tail", ""),
        exit_code=obs.get("exit_code"),
        signal=obs.get("signal"),
        cpu_s=float(obs.get("cpu_s", 0.0)),
        wall_s=float(obs.get("wall_s", 0.0)),
        peak_rss_mb=float(obs.get("peak_rss_mb", 0.0)),
        stdout_truncated=bool(obs.get("stdout_truncated", False)),
        stderr_truncated=bool(obs.get("stderr_truncated", False)),
        wall_timeout=bool(obs.get("wall_timeout", False)),
        cpu_timeout=bool(obs.get("cpu_timeout", False)),
        oom_killed=bool(obs.get("oom_killed", False)),
        exc_type=obs.get("exc_type"),
        missing_function=bool(obs.get("missing_function", False)),
        returned=bool(obs.get("returned", False)),
        return_value=obs.get("return_value"),
        error=f"runner: {obs['setup_error']}" if obs.get("setup_error") else None,
    )


class ProtocolSession(RunnerSession):
    """A RunnerSession that talks the wire protocol; subclasses own the runner's lifetime."""

    sandbox_uid: int | None = None
    # RLIMIT_NPROC counts a uid's processes host-wide: right when the jail's uid is its own,
    # wrong when several jails share one (docker bounds processes with a pids cgroup instead).
    nproc_rlimit: bool = True

    def __init__(self, client: RunnerClient) -> None:
        self.client = client
        self._mode = "stdin"
        self._limits = Limits()
        self._healthy = True
        self.hello: dict[str, Any] = client.call({"op": "hello"}, timeout_s=60.0)

    @property
    def healthy(self) -> bool:
        return self._healthy

    def _call(self, request: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        try:
            return self.client.call(request, timeout_s)
        except InfrastructureError:
            self._healthy = False
            raise

    def load(self, code: str, mode: str, fn_name: str | None, preamble: str, limits: Limits) -> LoadResult:
        self._mode = mode
        self._limits = limits
        reply = self._call(
            {
                "op": "load",
                "code": code,
                "mode": mode,
                "fn_name": fn_name,
                "preamble": preamble,
                "limits": limits.to_runner(),
                "sandbox_uid": self.sandbox_uid,
                "nproc_rlimit": self.nproc_rlimit,
            },
            timeout_s=60.0,
        )
        if reply.get("ok"):
            return LoadResult(ok=True)
        return LoadResult(ok=False, compile_error=str(reply.get("compile_error", "does not compile")))

    def run_test(self, test_input: Any) -> Observation:
        if self._mode == "call":
            request: dict[str, Any] = {"op": "test", "args": test_input}
        else:
            data = test_input.encode("utf-8") if isinstance(test_input, str) else bytes(test_input)
            request = {"op": "test", "stdin_b64": base64.b64encode(data).decode("ascii")}
        reply = self._call(request, timeout_s=self._limits.wall_backstop_s + PROTOCOL_SLACK_S)
        if "obs" not in reply:
            self._healthy = False
            raise InfrastructureError(f"runner reply without observation: {str(reply)[:200]}")
        obs = observation_from_wire(reply["obs"])
        if obs.error:  # the runner could not set the test up: the jail's fault, retried by the executor
            self._healthy = False
            raise InfrastructureError(obs.error)
        return obs

    def reset(self) -> None:
        reply = self._call({"op": "reset"}, timeout_s=60.0)
        if not reply.get("clean", True):
            # Something survived the clean-up: this jail must not judge anything else.
            self._healthy = False
