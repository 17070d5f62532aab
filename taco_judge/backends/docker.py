"""The docker jail: one warm, locked-down container per session, the runner as its pid 1.

The host talks to the runner over the container's attached stdin/stdout (no network, no volume).
Each program's tests fork from the warm runner, so a test costs about a fork; the container is
replaced after ``recycle_after`` runs (by a spare started in the background, off the critical
path) or on any anomaly. docs/sandbox.md lists every flag.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import itertools
import json
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
from typing import Any, Callable, Sequence

import psutil
import tenacity

from taco_judge.backends.base import Backend, RunOutcome, RunnerSession
from taco_judge.backends.protocol import ProtocolSession, Transport
from taco_judge.errors import InfrastructureError, SandboxUnavailable
from taco_judge.plans import Plan
from taco_judge.sandbox_image import REBUILD_HINT, docker_client, require_image, runner_sha256
from taco_judge.verdict import Limits, Observation

log = logging.getLogger(__name__)

SANDBOX_UID = 10001  # the submission's uid inside the container (the Dockerfile's `sandbox` user)
# What the root runner needs: chown each test's dir to SANDBOX_UID, kill(-1) what a test leaves,
# setgid/setgroups/setuid to drop each test's child, and (DAC_OVERRIDE, FOWNER) delete whatever the
# program left in its dir whatever modes it set. The child loses every capability when it becomes
# SANDBOX_UID (and enters its 0700 dir only after that).
RUNNER_CAPS = ("CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "SETGID", "SETUID")
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
    tmpfs_inodes: int = 16384  # bounds what a program's files can cost the wipe after its test
    nofile: int = 1024  # hard cap; the runner lowers it per test
    hash_seed: int = 0
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
                "/tmp": f"rw,size={self.tmpfs_mb}m,nr_inodes={self.tmpfs_inodes},mode=0755,nosuid,nodev,noexec",
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
            "environment": {"LANG": "C.UTF-8", "TACO_JUDGE_WORK_ROOT": "/tmp", "PYTHONHASHSEED": str(self.hash_seed)},
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
        self._out = bytearray()  # runner stdout not yet returned
        self._err = bytearray()  # runner stderr: partial line
        self._err_tail = bytearray()
        self._closed = False

    def send(self, data: bytes) -> None:
        try:
            self._sock.sendall(data)
        except OSError as exc:
            raise InfrastructureError(f"{self._name}: sending to the runner failed: {exc}") from exc

    def recv_some(self, timeout_s: float) -> bytes:
        deadline = time.monotonic() + timeout_s
        while not self._out:
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
        data = bytes(self._out)
        self._out.clear()
        return data

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


class _Container(ProtocolSession):
    """One warm runner container: created, attached, started; its runner's hello checked."""

    def __init__(self, backend: "DockerBackend") -> None:
        self._backend = backend
        self.container_id: str | None = None
        self.docker_transport: DockerTransport | None = None
        self.runs = 0
        api = backend.client.api
        spec = backend.spec
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
        backend._register(self.container_id)
        self.memory_mb = spec.memory_mb
        name = f"container {self.container_id[:12]}"
        try:
            # Attach before start: the stream then holds everything the runner ever writes.
            sock = api.attach_socket(self.container_id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
            self.docker_transport = DockerTransport(sock, name)
            api.start(self.container_id)
            settings = {"sandbox_uid": SANDBOX_UID, "nproc_rlimit": False, "cgroup": True,
                        "preambles": list(backend.preambles)}
            super().__init__(self.docker_transport, settings)
        except SandboxUnavailable:
            self.close()
            raise
        except InfrastructureError:
            self.close()
            raise
        except Exception as exc:
            self.close()
            raise _infra(exc, f"cannot start {name}") from exc
        version = self.hello.get("runner_version")
        if version != backend.runner_sha256:
            self.close()
            raise SandboxUnavailable(f"sandbox image {spec.image} runs another runner ({str(version)[:12]}); {REBUILD_HINT}")
        log.debug("started %s", name)

    def prepare(self, limits: Limits) -> None:
        """Size the container's memory cgroup to this run's limit plus the runner's share."""
        if limits.memory_mb == self.memory_mb:
            return
        total = f"{limits.memory_mb + self._backend.spec.overhead_mb}m"
        try:
            self._backend.client.api.update_container(self.container_id, mem_limit=total, memswap_limit=total)
        except Exception as exc:
            self._healthy = False
            raise _infra(exc, f"cannot set the memory limit of container {str(self.container_id)[:12]}") from exc
        self.memory_mb = limits.memory_mb

    def close(self) -> None:
        """Drop the attach stream and remove the container (idempotent, never raises)."""
        self._healthy = False
        if self.docker_transport is not None:
            self.docker_transport.close()
            self.docker_transport = None
        container_id, self.container_id = self.container_id, None
        if container_id is not None:
            self._backend._remove(container_id)


class DockerSession(RunnerSession):
    """A warm runner container, replaced after ``recycle_after`` runs by a spare that was started
    in the background while this one worked, or at once after an anomaly (runner died, protocol
    error, unclean test): a worker keeps its session."""

    def __init__(self, backend: "DockerBackend") -> None:
        self._backend = backend
        self._closed = False
        self._current: _Container | None = _Container(backend)
        self._spare: concurrent.futures.Future[_Container] | None = None
        self.containers_started = 1
        self.spares_used = 0  # replacements that were already running when they were needed
        self.hello = self._current.hello

    @property
    def container_id(self) -> str | None:
        return self._current.container_id if self._current is not None else None

    def run(self, plan: Plan, inputs: Sequence[Any], limits: Limits, *, early_stop: bool,
            decide: Callable[[int, Observation], bool] | None = None) -> RunOutcome:
        if self._closed:
            raise InfrastructureError("session is closed")
        current = self._current
        if current is None or not current.healthy or current.runs >= self._backend.recycle_after:
            current = self._replace()
        current.runs += 1
        if self._spare is None and current.runs >= self._backend.recycle_after - 1:
            self._spare = self._backend.background.submit(_Container, self._backend)
        return current.run(plan, inputs, limits, early_stop=early_stop, decide=decide)

    def _replace(self) -> _Container:
        old, self._current = self._current, None
        if old is not None:
            self._backend.background.submit(old.close)  # removing a container takes a while: not here
        spare, self._spare = self._spare, None
        fresh = None
        if spare is not None:
            try:
                fresh = spare.result()
                self.spares_used += 1
                if not fresh.healthy:
                    fresh.close()
                    fresh = None
            except Exception as exc:  # the spare failed to start: start one now
                log.debug("spare container failed: %s", exc)
        if fresh is None:
            fresh = _Container(self._backend)
        self.containers_started += 1
        self._current = fresh
        self.hello = fresh.hello
        return fresh

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._current is not None:
            self._current.close()
            self._current = None
        if self._spare is not None:
            spare, self._spare = self._spare, None
            spare.add_done_callback(lambda f: f.exception() is None and f.result().close())

    @property
    def healthy(self) -> bool:
        return not self._closed and self._current is not None and self._current.healthy


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
    """A bounded retry policy with exponential backoff for starting a container."""

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



def _facts_path(image_id: str) -> str | None:
    if not image_id.startswith("sha256:") or not all(c in "0123456789abcdef" for c in image_id[7:]):
        return None
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(root, "taco-judge", "image-facts", image_id[7:] + ".json")


def _cached_image_facts(image_id: str) -> dict[str, Any] | None:
    """What a runner of this image said about it before, or None (no cache, unreadable, another shape)."""
    path = _facts_path(image_id)
    try:
        with open(path or "", encoding="utf-8") as f:
            facts = json.load(f)
    except (OSError, ValueError):
        return None
    keys = {"image_id", "python", "executable", "numpy", "packages"}
    if not isinstance(facts, dict) or set(facts) != keys or facts["image_id"] != image_id:
        return None
    return facts


def _keep_image_facts(facts: dict[str, Any]) -> None:
    """Best effort: a cache that cannot be written only costs the next run one container start."""
    path = _facts_path(str(facts["image_id"]))
    if path is None:
        return
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump(facts, f)
        os.replace(temporary, path)
    except OSError as exc:
        log.debug("image facts not cached (%s)", exc)


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
        hash_seed: int = 0,
        preambles: tuple[str, ...] = (),
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
            hash_seed=hash_seed,
            labels=judge_labels(self.run_id),
        )
        self.preambles = preambles
        self.background = concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="taco-judge-docker")
        self._facts: dict[str, Any] | None = None
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

    def describe(self) -> str:
        spec = self.spec
        return (
            f"docker: {spec.image}, no network, read-only root, {spec.tmpfs_mb} MB tmpfs, "
            f"memory cgroup {spec.memory_mb}+{spec.overhead_mb} MB no swap, {spec.cpus:g} CPU, "
            f"pids {spec.pids_limit}, caps {'+'.join(RUNNER_CAPS)}, seccomp (Docker's + the judge's), "
            f"uid {SANDBOX_UID}"
        )

    def _image_facts(self) -> dict[str, Any]:
        """The image's id and what programs run on in it: asked of a runner once per image (an
        image id names its content, so the answer is kept in the user's cache dir for the next run)."""
        if self._facts is None:
            try:
                image_id = str(self.client.images.get(self.spec.image).id)
            except Exception:  # the tag (runner hash) still names it; the id is extra precision
                image_id = "?"
            self._facts = _cached_image_facts(image_id)
            if self._facts is None:
                session = DockerSession(self)
                try:
                    reply = session._current._request({"op": "hello", "packages": True}, 60.0)  # type: ignore[union-attr]
                finally:
                    session.close()
                self._facts = {"image_id": image_id, "python": reply.get("python"),
                               "executable": reply.get("executable"), "numpy": reply.get("numpy"),
                               "packages": reply.get("packages", [])}
                _keep_image_facts(self._facts)
        return self._facts

    def identity(self) -> str:
        facts = self._image_facts()
        return (f"{self.describe()} | image {facts['image_id']} | python {facts['python']} | numpy {facts['numpy']} "
                f"| hash seed {self.spec.hash_seed}")

    def environment(self) -> dict[str, Any]:
        facts = self._image_facts()
        return {"python": facts["python"], "executable": facts["executable"], "numpy": facts["numpy"],
                "packages": facts["packages"], "image": self.spec.image, "image_id": facts["image_id"],
                "hash_seed": self.spec.hash_seed}

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
        self.background.shutdown(wait=True)
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
