"""The docker jail: one warm, locked-down container per session, the runner as its pid 1.

The host talks to the runner over the container's attached stdin/stdout (no network, no volume).
Each submission's tests fork from the warm runner, so a test costs about a fork; the container is
replaced after ``recycle_after`` submissions or on any anomaly. docs/sandbox.md lists every flag.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import selectors
import signal
import socket
import threading
import time
import uuid
import weakref
from dataclasses import dataclass, field
from typing import Any

import psutil
import tenacity

from taco_judge.backends.base import Backend, LoadResult
from taco_judge.backends.protocol import MAX_LINE_BYTES, ProtocolSession, RunnerClient, Transport
from taco_judge.errors import InfrastructureError, SandboxUnavailable
from taco_judge.sandbox_image import REBUILD_HINT, docker_client, require_image, runner_sha256
from taco_judge.verdict import Limits

log = logging.getLogger(__name__)

SANDBOX_UID = 10001  # the submission's uid inside the container (the Dockerfile's `sandbox` user)
# What the root runner needs: chown the work dir to SANDBOX_UID, kill(-1) the submission's processes,
# setgid/setgroups/setuid to drop each test's child. The child loses every capability when it
# becomes SANDBOX_UID (and enters its 0700 work dir only after that).
RUNNER_CAPS = ("CHOWN", "KILL", "SETGID", "SETUID")
LABEL = "taco-judge"
LABEL_RUN = "taco-judge.run"
LABEL_PID = "taco-judge.pid"
LABEL_PID_START = "taco-judge.pid-start"
LABEL_HOST = "taco-judge.host"
# The runner (pid 1) and its short-lived helpers, on top of the submission's own processes and threads.
RUNNER_TASKS = 4
SEND_TIMEOUT_S = 120.0
HELLO_TIMEOUT_S = 60.0
_HEADER = 8  # docker's multiplexed stream frame header: type, 0, 0, 0, uint32 big-endian length
_STDOUT, _STDERR = 1, 2


# ---------------------------------------------------------------- container flags


@dataclass(frozen=True)
class ContainerSpec:
    """Everything that decides how a runner container is confined. Pure data: flags are derived below."""

    image: str
    memory_mb: int = Limits().memory_mb  # the submission's limit; the cgroup gets this + overhead_mb
    overhead_mb: int = 256  # the warm runner (python + numpy) and the tmpfs contents
    cpus: float = 1.0
    pids_limit: int = Limits().max_processes + RUNNER_TASKS
    tmpfs_mb: int = 128
    nofile: int = 1024  # hard cap; the runner lowers it per test
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def cgroup_memory_mb(self) -> int:
        return self.memory_mb + self.overhead_mb

    def host_config_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for the docker SDK's ``create_host_config``."""
        from docker.types import LogConfig, Ulimit

        memory = f"{self.cgroup_memory_mb}m"
        tmpfs_bytes = self.tmpfs_mb * 1024 * 1024
        return {
            "network_mode": "none",  # no interface but lo: nothing to reach
            "ipc_mode": "none",  # private IPC namespace and no /dev/shm (a writable place outside /tmp)
            "read_only": True,
            "tmpfs": {
                # the only writable place; root-owned 0755 (the image's /tmp mode), so the submission can
                # write only the per-submission dir the runner creates and wipes inside it
                "/tmp": f"rw,size={self.tmpfs_mb}m,mode=0755,nosuid,nodev,noexec",
                # POSIX message queues would be a writable place that outlives a submission
                "/dev/mqueue": "ro,size=4k,mode=0555,nosuid,nodev,noexec",
            },
            "mem_limit": memory,
            "memswap_limit": memory,  # equal to mem_limit: no swap
            "pids_limit": self.pids_limit,  # the process limit (counts threads), per container
            "nano_cpus": int(self.cpus * 1e9),
            "cap_drop": ["ALL"],
            "cap_add": list(RUNNER_CAPS),
            "security_opt": ["no-new-privileges:true"],
            "ulimits": [
                Ulimit(name="nofile", soft=self.nofile, hard=self.nofile),
                Ulimit(name="fsize", soft=tmpfs_bytes, hard=tmpfs_bytes),
                Ulimit(name="core", soft=0, hard=0),
            ],
            "log_config": LogConfig(type="none"),  # the protocol stream is not worth storing
            "auto_remove": True,  # the runner exits on stdin EOF (judge gone) -> the container goes too
            "init": False,  # the runner itself is pid 1, so kill(-1) reaches every other process
            "privileged": False,
        }

    def container_config_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``create_container_config`` (besides image and host config)."""
        return {
            "detach": True,
            "stdin_open": True,
            "tty": False,  # so stdout/stderr arrive multiplexed and binary-safe
            "user": "0:0",  # the runner starts as root and drops each test's child to SANDBOX_UID
            "hostname": "sandbox",
            "working_dir": "/tmp",
            "environment": {"LANG": "C.UTF-8", "TACO_JUDGE_WORK_ROOT": "/tmp"},
            "labels": dict(self.labels),
        }


def judge_labels(run_id: str) -> dict[str, str]:
    """Labels naming this judge process, so a later start can remove what a crashed one left."""
    me = psutil.Process()
    return {
        LABEL: "1",
        LABEL_RUN: run_id,
        LABEL_PID: str(me.pid),
        LABEL_PID_START: f"{me.create_time():.2f}",
        LABEL_HOST: socket.gethostname(),
    }


# ---------------------------------------------------------------- transport


class DockerTransport(Transport):
    """The runner's stdin/stdout through a docker attach socket (multiplexed frames; tty off)."""

    def __init__(self, attach_socket: Any, name: str = "container") -> None:
        self._io = attach_socket
        self._sock: socket.socket = getattr(attach_socket, "_sock", attach_socket)
        self._sock.settimeout(SEND_TIMEOUT_S)
        self._name = name
        self._sel = selectors.DefaultSelector()
        self._sel.register(self._sock, selectors.EVENT_READ)
        self._raw = bytearray()  # undecoded frames
        self._out = bytearray()  # runner stdout not yet returned as lines
        self._scanned = 0  # bytes of _out already known to hold no newline
        self._err = bytearray()  # runner stderr: partial line
        self._err_tail = bytearray()
        self._closed = False

    def send(self, data: bytes) -> None:
        try:
            self._sock.sendall(data)
        except OSError as exc:
            raise InfrastructureError(f"{self._name}: sending to the runner failed: {exc}") from exc

    def recv_line(self, timeout_s: float) -> bytes:
        deadline = time.monotonic() + timeout_s
        while True:
            nl = self._out.find(b"\n", self._scanned)
            if nl >= 0:
                line = bytes(self._out[:nl])
                del self._out[: nl + 1]
                self._scanned = 0
                return line
            self._scanned = len(self._out)
            if len(self._out) > MAX_LINE_BYTES:
                raise InfrastructureError(f"{self._name}: runner sent an oversized message")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise InfrastructureError(f"{self._name}: runner did not answer within {timeout_s:.0f} s")
            pending = getattr(self._sock, "pending", None)  # TLS engines: decrypted bytes select() cannot see
            if not (pending and pending()) and not self._sel.select(remaining):
                continue
            try:
                chunk = self._sock.recv(1 << 20)
            except BlockingIOError:
                continue
            except OSError as exc:
                raise InfrastructureError(f"{self._name}: attach stream failed: {exc}") from exc
            if not chunk:
                detail = self.stderr_tail()
                raise InfrastructureError(
                    f"{self._name}: runner stream ended (runner exited or container removed)"
                    + (f"; runner stderr: {detail}" if detail else "")
                )
            self._demux(chunk)

    def _demux(self, chunk: bytes) -> None:
        raw = self._raw
        raw += chunk
        pos = 0
        while len(raw) - pos >= _HEADER:
            kind = raw[pos]
            if kind > 2 or raw[pos + 1 : pos + 4] != b"\0\0\0":
                raise InfrastructureError(f"{self._name}: malformed attach stream (is the container a tty?)")
            length = int.from_bytes(raw[pos + 4 : pos + 8], "big")
            end = pos + _HEADER + length
            if len(raw) < end:
                break
            payload = raw[pos + _HEADER : end]
            if kind == _STDOUT:
                self._out += payload
            elif kind == _STDERR:
                self._stderr(payload)
            pos = end
        del raw[:pos]

    def _stderr(self, payload: bytes | bytearray) -> None:
        self._err += payload
        self._err_tail = (self._err_tail + payload)[-2000:]
        *lines, rest = self._err.split(b"\n")
        for line in lines:
            log.debug("%s runner stderr: %s", self._name, line.decode("utf-8", "replace"))
        self._err = bytearray(rest[-65536:])

    def stderr_tail(self) -> str:
        """The last ~2 KB the runner wrote on stderr (diagnostics for infrastructure errors)."""
        return " ".join(self._err_tail.decode("utf-8", "replace").split())[-500:]

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._sel.close()
        except Exception:
            pass
        for closable in (self._sock, self._io, getattr(self._io, "_response", None)):
            try:
                if closable is not None:
                    closable.close()
            except Exception:
                pass


# ---------------------------------------------------------------- session


def _infra(exc: BaseException, what: str) -> InfrastructureError:
    text = " ".join(str(exc).split())[:300] or type(exc).__name__
    return InfrastructureError(f"{what}: {text}")


class DockerSession(ProtocolSession):
    """A warm runner in one container; replaced by a fresh container when due or after an anomaly.

    ``load`` starts a fresh container first when this one has judged ``recycle_after`` submissions
    or saw an anomaly (runner died, protocol error, unclean reset), so a worker can keep its session.
    """

    nproc_rlimit = False  # every container's submission is uid 10001; the pids cgroup bounds processes

    sandbox_uid = SANDBOX_UID

    def __init__(self, backend: "DockerBackend") -> None:
        self._backend = backend
        self._closed = False
        self.container_id: str | None = None
        self.transport: DockerTransport | None = None
        self.containers_started = 0
        self._jobs = 0
        self._memory_mb = backend.spec.memory_mb
        client = self._start()
        try:
            super().__init__(client)
            self._check_hello()
        except BaseException:
            self._stop()
            raise

    # -- container lifetime
    def _start(self) -> RunnerClient:
        """Create, attach and start one container; returns the protocol client over it."""
        api = self._backend.client.api
        spec = self._backend.spec
        import docker.errors

        try:
            host_config = api.create_host_config(**spec.host_config_kwargs())
            config = api.create_container_config(
                spec.image, None, host_config=host_config, **spec.container_config_kwargs()
            )
            # Close the runner's stdin when our attach connection goes (judge killed): the runner then
            # exits and auto_remove deletes the container, even if no clean-up code of ours ran.
            config["StdinOnce"] = True
            created = api.create_container_from_config(config)
        except docker.errors.ImageNotFound as exc:
            raise SandboxUnavailable(f"sandbox image {spec.image} not found; {REBUILD_HINT}") from exc
        except Exception as exc:
            raise _infra(exc, "cannot create a sandbox container") from exc
        self.container_id = created["Id"]
        self._backend._register(self.container_id)
        self._memory_mb = spec.memory_mb
        name = f"container {self.container_id[:12]}"
        try:
            # Attach before start: the stream then holds everything the runner ever writes.
            sock = api.attach_socket(self.container_id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
            self.transport = DockerTransport(sock, name)
            api.start(self.container_id)
        except Exception as exc:
            self._stop()
            raise _infra(exc, f"cannot start {name}") from exc
        self.containers_started += 1
        self._jobs = 0
        log.debug("started %s", name)
        return RunnerClient(self.transport)

    def _check_hello(self) -> None:
        version = self.hello.get("runner_version")
        if version != self._backend.runner_sha256:
            raise SandboxUnavailable(
                f"sandbox image {self._backend.spec.image} runs another runner ({str(version)[:12]}); {REBUILD_HINT}"
            )

    def _stop(self) -> None:
        """Drop the attach stream and remove the container (idempotent, never raises)."""
        if self.transport is not None:
            self.transport.close()
            self.transport = None
        container_id, self.container_id = self.container_id, None
        if container_id is not None:
            self._backend._remove(container_id)

    def _recycle(self) -> None:
        self._stop()
        self.client = self._start()
        self._healthy = True
        try:
            self.hello = self.client.call({"op": "hello"}, timeout_s=HELLO_TIMEOUT_S)
            self._check_hello()
        except InfrastructureError:
            self._healthy = False
            raise

    # -- RunnerSession
    def load(self, code: str, mode: str, fn_name: str | None, preamble: str, limits: Limits) -> LoadResult:
        if self._closed:
            raise InfrastructureError("session is closed")
        if not self.healthy or self._jobs >= self._backend.recycle_after or self.container_id is None:
            self._recycle()
        if limits.memory_mb != self._memory_mb:
            self._set_memory(limits.memory_mb)
        self._jobs += 1
        # The process limit is the container's pids cgroup: as pid 1 the runner sets no RLIMIT_NPROC,
        # which would count the sandbox uid's processes across every container on the host.
        return super().load(code, mode, fn_name, preamble, limits)

    def _set_memory(self, memory_mb: int) -> None:
        """Move the container's memory cgroup limit to this submission's limit (+ runner overhead)."""
        total = f"{memory_mb + self._backend.spec.overhead_mb}m"
        try:
            self._backend.client.api.update_container(self.container_id, mem_limit=total, memswap_limit=total)
        except Exception as exc:
            self._healthy = False
            raise _infra(exc, f"cannot set the memory limit of container {str(self.container_id)[:12]}") from exc
        self._memory_mb = memory_mb

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._healthy = False
        self._stop()

    @property
    def healthy(self) -> bool:
        return self._healthy and not self._closed


# ---------------------------------------------------------------- backend


_RUN_IDS = itertools.count()
_LIVE_BACKENDS: "weakref.WeakSet[DockerBackend]" = weakref.WeakSet()
_SIGNALS_INSTALLED = False


def _close_all_backends() -> None:
    for backend in list(_LIVE_BACKENDS):
        backend.close()


def _install_exit_hooks() -> None:
    """Remove containers on interpreter exit and on SIGTERM/SIGHUP (Ctrl-C unwinds to atexit anyway)."""
    global _SIGNALS_INSTALLED
    if _SIGNALS_INSTALLED:
        return
    _SIGNALS_INSTALLED = True
    atexit.register(_close_all_backends)
    if threading.current_thread() is not threading.main_thread():
        return

    def _terminate(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)  # unwinds through finally blocks, then atexit runs

    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _terminate)


def infrastructure_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean the jail failed (not the submission): retried, then SE."""
    import docker.errors
    import requests.exceptions

    return (InfrastructureError, docker.errors.APIError, requests.exceptions.ConnectionError)


def infrastructure_retrying(attempts: int = 5, max_wait_s: float = 8.0) -> tenacity.Retrying:
    """A bounded retry policy with exponential backoff for infrastructure failures.

    The judge wraps one whole submission in it; a DockerSession's next ``load`` starts a fresh
    container when the previous attempt broke it::

        for attempt in backend.retrying():
            with attempt:
                result = judge_one(session, problem, submission)
    """

    def _log(state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        log.warning("sandbox infrastructure error (attempt %d of %d): %s", state.attempt_number, attempts, exc)

    return tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(infrastructure_errors()),
        stop=tenacity.stop_after_attempt(attempts),
        wait=tenacity.wait_exponential(multiplier=0.5, max=max_wait_s),
        before_sleep=_log,
        reraise=True,
    )


def cleanup_stale(client: Any) -> list[str]:
    """Remove taco-judge containers on this host whose judge process is gone; returns their ids."""
    removed = []
    host = socket.gethostname()
    try:
        containers = client.api.containers(all=True, filters={"label": f"{LABEL}=1"})
    except Exception as exc:
        log.warning("cannot list stale sandbox containers: %s", exc)
        return removed
    for info in containers:
        labels = info.get("Labels") or {}
        if labels.get(LABEL_HOST, host) != host:
            continue  # another machine's judge on a shared daemon
        if _judge_alive(labels):
            continue
        try:
            client.api.remove_container(info["Id"], force=True)
            removed.append(info["Id"])
        except Exception as exc:
            log.debug("stale container %s: %s", info["Id"][:12], exc)
    if removed:
        log.info("removed %d stale sandbox container(s) left by earlier runs", len(removed))
    return removed


def _judge_alive(labels: dict[str, str]) -> bool:
    try:
        pid = int(labels.get(LABEL_PID, ""))
    except ValueError:
        return False
    try:
        proc = psutil.Process(pid)
        started = labels.get(LABEL_PID_START)
        return started is None or abs(proc.create_time() - float(started)) < 1.0
    except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError):
        return False


class DockerBackend(Backend):
    """Warm runner containers built from the current sandbox image; one per session."""

    name = "docker"

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        image: str | None = None,
        client: Any = None,
        cpus: float = 1.0,
        recycle_after: int = 200,
        tmpfs_mb: int = 128,
        overhead_mb: int = 256,
        retry_attempts: int = 5,
        run_id: str | None = None,
    ) -> None:
        limits = limits or Limits()
        self.client = client or docker_client()
        self.run_id = run_id or f"{os.getpid()}-{next(_RUN_IDS)}-{uuid.uuid4().hex[:8]}"
        self.spec = ContainerSpec(
            image=image or require_image(self.client),
            memory_mb=limits.memory_mb,
            overhead_mb=overhead_mb,
            cpus=cpus,
            pids_limit=limits.max_processes + RUNNER_TASKS,
            tmpfs_mb=tmpfs_mb,
            labels=judge_labels(self.run_id),
        )
        self.runner_sha256 = runner_sha256()  # fixed for the run: editing the runner mid-run changes nothing
        self.recycle_after = recycle_after
        self.retry_attempts = retry_attempts
        self._containers: set[str] = set()
        self._sessions: "weakref.WeakSet[DockerSession]" = weakref.WeakSet()
        self._lock = threading.Lock()
        self._closed = False
        cleanup_stale(self.client)
        _LIVE_BACKENDS.add(self)
        _install_exit_hooks()

    def open_session(self) -> DockerSession:
        """Start one warm runner container; infrastructure failures are retried with backoff."""
        if self._closed:
            raise InfrastructureError("docker backend is closed")
        try:
            for attempt in infrastructure_retrying(self.retry_attempts):
                with attempt:
                    session = DockerSession(self)
        except infrastructure_errors() as exc:
            raise _infra(exc, f"cannot start a sandbox container after {self.retry_attempts} attempts") from exc
        with self._lock:
            self._sessions.add(session)
        return session

    def retrying(self) -> tenacity.Retrying:
        """The retry policy the judge wraps around one submission (see ``infrastructure_retrying``)."""
        return infrastructure_retrying(self.retry_attempts)

    def describe(self) -> str:
        spec = self.spec
        return (
            f"docker: {spec.image}, no network, read-only root, {spec.tmpfs_mb} MB tmpfs, "
            f"memory {spec.memory_mb}+{spec.overhead_mb} MB no swap, {spec.cpus:g} CPU, "
            f"pids {spec.pids_limit}, caps {'+'.join(RUNNER_CAPS)}, uid {SANDBOX_UID}"
        )

    def containers(self) -> list[str]:
        """Ids of the containers this backend started and has not removed yet."""
        with self._lock:
            return sorted(self._containers)

    def close(self) -> None:
        """Remove every container this backend started."""
        self._closed = True
        with self._lock:
            sessions = list(self._sessions)
        for session in sessions:
            session.close()
        for container_id in self.containers():
            self._remove(container_id)
        _LIVE_BACKENDS.discard(self)

    # -- bookkeeping for sessions
    def _register(self, container_id: str) -> None:
        with self._lock:
            self._containers.add(container_id)

    def _remove(self, container_id: str) -> None:
        import docker.errors

        try:
            self.client.api.remove_container(container_id, force=True)
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as exc:
            if exc.status_code != 409:  # 409: auto-remove already in progress
                log.warning("cannot remove sandbox container %s: %s", container_id[:12], exc)
        except Exception as exc:  # daemon gone: the label clean-up at the next start removes it
            log.warning("cannot remove sandbox container %s: %s", container_id[:12], exc)
        with self._lock:
            self._containers.discard(container_id)
