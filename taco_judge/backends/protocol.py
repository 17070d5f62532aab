"""Host side of the runner wire protocol (docs/runner-protocol.md): JSON lines plus byte blobs.

One ``run`` request per plan carries the program and every test input; the runner answers each
test with an observation line followed by its blobs (stdout, stderr, the status records after
``S``, the output file), waits for ``next``/``stop`` when asked to, and ends with ``done``. The
runner never sees expected outputs; the status records are the program's to write, so they are
read here with size, element and nesting limits before anything is built.
"""

from __future__ import annotations

import abc
import base64
import json
import os
import selectors
import time
from typing import Any, Callable, Sequence

from taco_judge.backends.base import RunOutcome, RunnerSession
from taco_judge.errors import InfrastructureError
from taco_judge.plans import Plan
from taco_judge.values import MalformedValue, parse_value
from taco_judge.verdict import Limits, Observation

# Seconds the runner may take beyond a test's own wall backstop before the host gives up on it.
PROTOCOL_SLACK_S = 20.0
HELLO_TIMEOUT_S = 60.0
MAX_LINE_BYTES = 1 << 20  # an observation line is small: the bulk travels as counted blobs


class Transport(abc.ABC):
    """A bidirectional byte stream to one runner."""

    @abc.abstractmethod
    def send(self, data: bytes) -> None: ...

    @abc.abstractmethod
    def recv_some(self, timeout_s: float) -> bytes:
        """Whatever arrived (at least one byte); InfrastructureError on EOF or timeout."""

    @abc.abstractmethod
    def close(self) -> None: ...


class Reader:
    """Lines and counted blobs from a transport, buffered."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.buf = bytearray()

    def line(self, deadline: float) -> bytes:
        scanned = 0
        while True:
            nl = self.buf.find(b"\n", scanned)
            if nl >= 0:
                line = bytes(self.buf[:nl])
                del self.buf[: nl + 1]
                return line
            scanned = len(self.buf)
            if scanned > MAX_LINE_BYTES:
                raise InfrastructureError("runner sent an oversized message line")
            self.buf += self.transport.recv_some(_remaining(deadline))

    def exactly(self, size: int, deadline: float) -> bytes:
        while len(self.buf) < size:
            self.buf += self.transport.recv_some(_remaining(deadline))
        data = bytes(self.buf[:size])
        del self.buf[:size]
        return data


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise InfrastructureError("runner did not answer in time")
    return left


class FdTransport(Transport):
    """Transport over two file descriptors (the pipes of a runner subprocess)."""

    def __init__(self, write_fd: int, read_fd: int) -> None:
        self._wfd = write_fd
        self._rfd = read_fd
        self._sel = selectors.DefaultSelector()
        self._sel.register(read_fd, selectors.EVENT_READ)

    def send(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self._wfd, view):]
        except OSError as exc:
            raise InfrastructureError(f"runner pipe closed while sending: {exc}") from exc

    def recv_some(self, timeout_s: float) -> bytes:
        if not self._sel.select(timeout_s):
            raise InfrastructureError(f"runner did not answer within {timeout_s:.0f} s")
        try:
            chunk = os.read(self._rfd, 1 << 20)
        except OSError as exc:
            raise InfrastructureError(f"runner pipe failed: {exc}") from exc
        if not chunk:
            raise InfrastructureError("runner exited unexpectedly (EOF on its output)")
        return chunk

    def close(self) -> None:
        self._sel.close()
        for fd in (self._wfd, self._rfd):
            try:
                os.close(fd)
            except OSError:
                pass


def parse_status(data: bytes, truncated: bool) -> dict[str, Any]:
    """The status records a test left after ``S`` (the program could write them all): read with
    limits; anything the runner does not write makes ``status_error`` (RE, the program's doing)."""
    info: dict[str, Any] = {}
    if truncated:
        return {"status_error": f"oversized status record (over {len(data)} bytes)"}
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()  # what the last newline ends
    for line in lines:
        tag, _, body = line.partition(b" ")
        try:
            if tag == b"L" and not body:
                info["loaded"] = True
            elif tag == b"M" and not body:
                info["missing_function"] = True
            elif tag == b"O" and not body:
                info["exc_type"] = "MemoryError"
            elif tag == b"X":
                name = json.loads(body)
                if not isinstance(name, str):
                    raise MalformedValue("an exception name that is not text")
                info["exc_type"] = name[:200]
            elif tag == b"R":
                info["return_value"] = parse_value(body)
                info["returned"] = True
            else:
                raise MalformedValue(f"unknown record {line[:20]!r}")
        except (MalformedValue, ValueError, RecursionError) as exc:
            return {"status_error": f"forged or oversized status record: {exc}"}
    return info


def observation_from_wire(obs: dict[str, Any], blobs: list[bytes]) -> Observation:
    """An Observation from the runner's ``obs`` object and its four blobs."""
    stdout, stderr, status, output_file = blobs
    info = parse_status(status, bool(obs.get("status_truncated")))
    return Observation(
        stdout=stdout,
        stderr_tail=stderr.decode("utf-8", "replace"),
        exit_code=obs.get("exit_code"),
        signal=obs.get("signal"),
        cpu_s=float(obs.get("cpu_s", 0.0)),
        wall_s=float(obs.get("wall_s", 0.0)),
        peak_mb=float(obs.get("peak_mb", 0.0)),
        files_mb=float(obs.get("files_mb", 0.0)),
        stdout_truncated=bool(obs.get("stdout_truncated")),
        stderr_truncated=bool(obs.get("stderr_truncated")),
        wall_timeout=bool(obs.get("wall_timeout")),
        cpu_timeout=bool(obs.get("cpu_timeout")),
        oom_killed=bool(obs.get("oom_killed")),
        memory_exceeded=bool(obs.get("memory_exceeded")),
        exc_type=info.get("exc_type"),
        missing_function=bool(info.get("missing_function")),
        loaded=bool(info.get("loaded")),
        returned=bool(info.get("returned")),
        return_value=info.get("return_value"),
        status_error=info.get("status_error"),
        output_file=None if obs["sizes"][3] < 0 else output_file,
        output_file_truncated=bool(obs.get("file_truncated")),
    )


class ProtocolSession(RunnerSession):
    """A RunnerSession that speaks the wire protocol; subclasses own the runner's lifetime.

    ``settings`` go in the hello, which the runner's zygote reads before anything else: the
    sandbox uid, whether the jail's cgroup counters are its own, the preambles to keep warm.
    """

    def __init__(self, transport: Transport, settings: dict[str, Any]) -> None:
        self.transport = transport
        self.reader = Reader(transport)
        self._healthy = True
        self.hello = self._request({"op": "hello", **settings}, HELLO_TIMEOUT_S)
        if self.hello.get("ok") is not True:
            raise InfrastructureError(f"runner refused the hello: {str(self.hello)[:200]}")

    @property
    def healthy(self) -> bool:
        return self._healthy

    def _send(self, request: dict[str, Any]) -> None:
        try:
            self.transport.send(json.dumps(request, separators=(",", ":")).encode() + b"\n")
        except InfrastructureError:
            self._healthy = False
            raise

    def _reply(self, deadline: float) -> dict[str, Any]:
        try:
            line = self.reader.line(deadline)
        except InfrastructureError:
            self._healthy = False
            raise
        try:
            reply = json.loads(line)
        except ValueError:
            reply = None
        if not isinstance(reply, dict):
            self._healthy = False
            raise InfrastructureError(f"runner sent a malformed reply: {line[:200]!r}")
        if "error" in reply:
            self._healthy = False
            raise InfrastructureError(f"runner error: {reply['error']}")
        return reply

    def _request(self, request: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        self._send(request)
        return self._reply(time.monotonic() + timeout_s)

    def _blobs(self, obs: dict[str, Any], deadline: float) -> Observation:
        sizes = obs.get("sizes")
        if not (isinstance(sizes, list) and len(sizes) == 4 and all(isinstance(n, int) for n in sizes)):
            self._healthy = False
            raise InfrastructureError(f"runner sent an observation without blob sizes: {str(obs)[:200]}")
        try:
            blobs = [self.reader.exactly(max(0, n), deadline) for n in sizes]
        except InfrastructureError:
            self._healthy = False
            raise
        return observation_from_wire(obs, blobs)

    def run(self, plan: Plan, inputs: Sequence[Any], limits: Limits, *, early_stop: bool,
            decide: Callable[[int, Observation], bool] | None = None) -> RunOutcome:
        self.prepare(limits)
        tests = [{"$b64": base64.b64encode(t).decode()} if isinstance(t, (bytes, bytearray)) else t for t in inputs]
        self._send({"op": "run", **plan.to_wire(), "limits": limits.to_wire(), "tests": tests,
                    "early_stop": early_stop})
        per_test = limits.wall_backstop_s * (2 if plan.rerun_on_error else 1) + PROTOCOL_SLACK_S
        observations: list[Observation] = []
        compile_error: str | None = None
        started_any = False
        while True:
            try:
                reply = self._reply(time.monotonic() + per_test)
            except InfrastructureError as exc:
                exc.code_ran = True  # a test may have been running: the program could be the cause
                raise
            if reply.get("done"):
                if not reply.get("clean", True):  # something outlived a test: judge nothing else here
                    self._healthy = False
                return RunOutcome(compile_error, tuple(observations), bool(reply.get("clean", True)))
            if "setup_error" in reply:
                self._healthy = False
                raise InfrastructureError(f"runner: {reply['setup_error']}", code_ran=started_any)
            if "compile_error" in reply:
                compile_error = str(reply["compile_error"])
                continue
            if "compiled" in reply:
                continue
            if "obs" not in reply:
                self._healthy = False
                raise InfrastructureError(f"runner sent an unexpected reply: {str(reply)[:200]}")
            started_any = True
            deadline = time.monotonic() + per_test
            obs = self._blobs(reply["obs"], deadline)
            rerun = reply["obs"].get("rerun")
            if isinstance(rerun, dict):
                obs = _with_rerun(obs, self._blobs(rerun, deadline))
            observations.append(obs)
            go_on = decide(len(observations) - 1, obs) if decide is not None else True
            if reply.get("await"):
                self._send({"op": "next" if go_on else "stop"})

    def prepare(self, limits: Limits) -> None:
        """Hook for jails that size themselves per run (docker: the memory cgroup)."""


def _with_rerun(obs: Observation, rerun: Observation) -> Observation:
    from dataclasses import replace

    return replace(obs, rerun=rerun)
