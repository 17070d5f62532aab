"""The local jail: the runner as a subprocess of the judge, confined by namespaces, cgroups, rlimits.

For machines without Docker. The runner starts in new network, ipc, pid and mount namespaces,
where runners/jail_init.py gives it a root of its own: read-only binds of the system and the
interpreter, a private tmpfs work root and /dev, nothing else of the host (no problem sets, no run
folders). When the judge is root, each session also gets a uid of its own and a cgroup (CPU of
every process, memory including tmpfs, process count), and docs/security.md lists what is weaker
without root or without namespaces.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taco_judge.backends.base import Backend
from taco_judge.backends.protocol import FdTransport, ProtocolSession
from taco_judge.errors import InfrastructureError, SandboxUnavailable
from taco_judge.runner_files import jail_init_path, runner_path
from taco_judge.verdict import Limits

log = logging.getLogger(__name__)

# When the judge is root, each local session runs its programs under a uid of its own from this
# range (no user has it), so RLIMIT_NPROC and the uid-wide kill reach that session only.
SANDBOX_UID_RANGE = (1_000_000_000, 1_100_000_000)
WORK_ROOT_MB = 256  # the private /tmp: every test's working dir, wiped after each test
WORK_ROOT_INODES = 16384  # bounds what a program's files can cost the wipe after its test
RUNNER_OVERHEAD_MB = 256  # the memory cgroup holds the runner too (zygote, job) and the tmpfs
RUNNER_TASKS = 4  # the runner's own processes, on top of the program's limit, in the pids cgroup
CGROUP_ROOT = Path("/sys/fs/cgroup")
CGROUP_PARENT = "taco-judge"
PYTHON_ENV = "TACO_JUDGE_LOCAL_PYTHON"
TMP = "/tmp"
UNSHARE = ("--net", "--ipc", "--pid", "--fork", "--mount-proc", "--kill-child")


@dataclass(frozen=True)
class Isolation:
    """How local runners are confined on this machine (probed once)."""

    prefix: tuple[str, ...]  # the unshare command line, () when no namespaces are possible
    root: bool  # the judge is root: a uid per session, cgroups when the kernel has them
    cgroup: str | None  # "v1", "v2" or None
    warning: str = ""

    @property
    def namespaces(self) -> bool:
        return bool(self.prefix)

    def lacks(self) -> list[str]:
        """What this machine's local jail does not give, one line each (docs/security.md)."""
        missing = []
        if not self.namespaces:
            missing += ["no network, pid or mount namespace: programs reach the network, see the host "
                        "filesystem and its /tmp, and can outlive their test"]
        if not self.root:
            missing += ["the judge is not root: programs run as the judge's own user (in a user namespace)"]
        if self.cgroup is None:
            missing += ["no cgroup: CPU of children a program lets the kernel reap (SIGCHLD ignored) is not "
                        "counted, and memory in tmpfs files is not charged"]
        return missing


def _works(argv: list[str]) -> bool:
    try:
        done = subprocess.run(argv + ["true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _cgroup_version() -> str | None:
    """Which cgroup hierarchy the judge (as root) can make session cgroups in."""
    if (CGROUP_ROOT / "cgroup.controllers").exists():
        wanted = {"cpu", "memory", "pids"}
        return "v2" if wanted <= set((CGROUP_ROOT / "cgroup.controllers").read_text().split()) else None
    if all(os.access(CGROUP_ROOT / name, os.W_OK) for name in ("cpuacct", "memory", "pids")):
        return "v1"
    return None


@functools.lru_cache(maxsize=1)
def probe_isolation() -> Isolation:
    """The strongest confinement this kernel and user allow, once per process."""
    unshare = shutil.which("unshare")
    root = os.geteuid() == 0
    cgroup = _cgroup_version() if root else None
    if unshare:
        if root and _works([unshare, *UNSHARE]):
            return Isolation((unshare, *UNSHARE), True, cgroup)
        user = [unshare, "--user", "--map-root-user", *UNSHARE]
        if _works(user):
            return Isolation(tuple(user), root, None)
    reason = "unshare(1) is missing" if not unshare else "this kernel/user may not create namespaces"
    return Isolation((), root, None, warning=(
        f"local sandbox: {reason}; programs can reach the network, read the host's files and leave "
        "processes behind (use --sandbox docker for full isolation)"))


@functools.lru_cache(maxsize=8)
def interpreter_facts(python: str) -> dict[str, Any]:
    """Version, numpy, packages and the directories an interpreter imports from."""
    script = (
        "import sys, json\n"
        "from importlib import metadata\n"
        "try:\n    import numpy; np = numpy.__version__\nexcept Exception:\n    np = None\n"
        "pk = sorted({f\"{d.metadata['Name']}=={d.version}\" for d in metadata.distributions()})\n"
        "print(json.dumps({'python': sys.version.split()[0], 'executable': sys.executable, 'numpy': np,"
        " 'packages': pk, 'dirs': [sys.prefix, sys.base_prefix, sys.exec_prefix] + sys.path[1:]}))\n"
    )
    try:
        done = subprocess.run([python, "-s", "-c", script], capture_output=True, text=True, timeout=60,
                              env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"})
        facts = json.loads(done.stdout)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise SandboxUnavailable(f"local sandbox: cannot run the interpreter {python} ({exc}); "
                                 f"set {PYTHON_ENV} to a working python3") from None
    real = {os.path.realpath(d) for d in facts["dirs"] if isinstance(d, str) and os.path.isabs(d)}
    facts["dirs"] = sorted(d for d in real | {os.path.realpath(os.path.dirname(python))} if os.path.isdir(d))
    return facts


def jail_binds(dirs: list[str], runner_dir: str) -> tuple[list[str], list[str]]:
    """What the local jail binds read-only into its root (the interpreter's dirs and the runner's),
    and which of those binds would land on or above its /tmp.

    jail_init mounts the private /tmp first and binds dirs that live under /tmp inside it (a venv
    in /tmp keeps /tmp private); a bind of /tmp itself (an interpreter, or a link to one, directly
    in /tmp) or of / would lay the host's /tmp, read-only, over the private one.
    """
    binds = sorted(set(dirs) | {runner_dir})
    return binds, [b for b in binds if _covers_tmp(b)]


def _covers_tmp(path: str) -> bool:
    """True when a bind of ``path`` (a directory) lands on or above the jail's /tmp."""
    path = path.rstrip("/") or "/"
    return os.path.isdir(path) and (path == TMP or path == "/" or TMP.startswith(path + "/"))


def choose_interpreter(python: str | None = None) -> str:
    """The interpreter programs run on: the one asked for (argument, then $TACO_JUDGE_LOCAL_PYTHON);
    else the system's python3 when it has numpy (what the docker image has: the same environment
    in both jails); else the judge's own."""
    chosen = python or os.environ.get(PYTHON_ENV)
    if chosen:
        return chosen
    system = "/usr/bin/python3"
    if os.path.exists(system) and interpreter_facts(system).get("numpy"):
        return system
    return sys.executable


class SessionCgroup:
    """The cgroup(s) of one local session (judge as root): created, sized, removed by the host."""

    def __init__(self, version: str, name: str, limits: Limits) -> None:
        self.version = version
        if version == "v2":
            parent = CGROUP_ROOT / CGROUP_PARENT
            parent.mkdir(exist_ok=True)
            for level in (CGROUP_ROOT, parent):
                _write(level / "cgroup.subtree_control", "+cpu +memory +pids")
            self.dirs = {"": parent / name}
        else:
            self.dirs = {ctrl: Path(os.path.realpath(CGROUP_ROOT / ctrl)) / CGROUP_PARENT / name
                         for ctrl in ("cpuacct", "memory", "pids")}
        for path in self.dirs.values():
            path.mkdir(parents=True, exist_ok=True)
        self.memory_mb: int | None = None
        self.set_memory(limits.memory_mb)
        pids = str(limits.max_processes + RUNNER_TASKS)
        _write(self._dir("pids") / "pids.max", pids)
        if version == "v2":
            _write(self._dir("memory") / "memory.swap.max", "0")

    def _dir(self, controller: str) -> Path:
        return self.dirs.get(controller) or self.dirs[""]

    def set_memory(self, memory_mb: int) -> None:
        if memory_mb == self.memory_mb:
            return
        total = (memory_mb + RUNNER_OVERHEAD_MB) * 1024 * 1024
        memory = self._dir("memory")
        if self.version == "v2":
            _write(memory / "memory.max", str(total))
        else:
            swap = memory / "memory.memsw.limit_in_bytes"
            if swap.exists() and self.memory_mb is not None and memory_mb > self.memory_mb:
                _write(swap, str(total))  # memsw >= mem at all times: raise it first
            _write(memory / "memory.limit_in_bytes", str(total))
            if swap.exists():
                _write(swap, str(total))
        self.memory_mb = memory_mb

    def jail_config(self) -> dict[str, Any]:
        """For jail_init: where the runner joins, and where it sees the counters (as in docker)."""
        return {"cgroup_procs": [str(d / "cgroup.procs") for d in self.dirs.values()],
                "cgroups": {str(d): name for name, d in self.dirs.items()}}

    def remove(self) -> None:
        for path in self.dirs.values():
            try:
                path.rmdir()
            except OSError as exc:
                log.debug("cannot remove cgroup %s: %s", path, exc)


def _write(path: Path, value: str) -> None:
    try:
        path.write_text(value)
    except OSError as exc:
        raise InfrastructureError(f"cannot write {path}: {exc.strerror or exc}") from exc


class LocalSession(ProtocolSession):
    """One runner subprocess in its namespaces (and, as root, its uid and cgroup)."""

    def __init__(self, backend: "LocalBackend") -> None:
        isolation = backend.isolation
        self.cgroup: SessionCgroup | None = None
        self.work = tempfile.mkdtemp(prefix="taco-judge-")
        os.chmod(self.work, 0o700)
        uid = random.randrange(*SANDBOX_UID_RANGE) if isolation.root else None
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONHASHSEED": str(backend.hash_seed)}
        for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # machine quirks numpy needs
            if key in os.environ:
                env[key] = os.environ[key]
        jail = [backend.python, "-I", str(jail_init_path())]
        try:
            if isolation.namespaces:
                config: dict[str, Any] = {"root": os.path.join(self.work, "root"), "tmp_mb": WORK_ROOT_MB,
                                          "tmp_inodes": WORK_ROOT_INODES,
                                          "binds": backend.binds}
                os.mkdir(config["root"])
                if isolation.cgroup is not None:
                    self.cgroup = SessionCgroup(isolation.cgroup, os.path.basename(self.work), backend.limits)
                    config.update(self.cgroup.jail_config())
                argv = [*isolation.prefix, *jail, "--local", json.dumps(config)]
                env["TACO_JUDGE_WORK_ROOT"] = "/tmp"
            else:
                os.chmod(self.work, 0o711)  # the sandbox uid reaches its own dirs inside
                argv = jail
                env["TACO_JUDGE_WORK_ROOT"] = self.work
            self._stderr = tempfile.TemporaryFile()
            self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                                         start_new_session=True, env=env, cwd="/")
        except (OSError, InfrastructureError) as exc:
            self._cleanup()
            raise InfrastructureError(f"cannot start the local runner: {exc}") from exc
        assert self.proc.stdin is not None and self.proc.stdout is not None
        settings = {"sandbox_uid": uid, "nproc_rlimit": uid is not None, "cgroup": self.cgroup is not None,
                    "preambles": list(backend.preambles)}
        try:
            super().__init__(FdTransport(self.proc.stdin.fileno(), self.proc.stdout.fileno()), settings)
        except InfrastructureError as exc:
            detail = self.stderr_tail()
            self.close()
            raise InfrastructureError(f"{exc}; runner stderr: {detail}") from exc

    def prepare(self, limits: Limits) -> None:
        if self.cgroup is not None:
            self.cgroup.set_memory(limits.memory_mb)

    def stderr_tail(self, limit: int = 2000) -> str:
        try:
            self._stderr.seek(0)
            return self._stderr.read()[-limit:].decode("utf-8", "replace").strip()
        except (OSError, ValueError, AttributeError):
            return ""

    def close(self) -> None:
        proc = getattr(self, "proc", None)
        if proc is not None:
            if proc.poll() is None:
                try:
                    self.transport.send(b'{"op":"exit"}\n')
                    proc.wait(timeout=5)
                except Exception:
                    pass
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                try:
                    stream.close()  # type: ignore[union-attr]
                except OSError:
                    pass
            self._stderr.close()
        self._cleanup()

    def _cleanup(self) -> None:
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None
        shutil.rmtree(self.work, ignore_errors=True)


class LocalBackend(Backend):
    """Runs the runner as a confined subprocess of the judge."""

    name = "local"

    def __init__(self, limits: Limits | None = None, *, python: str | None = None, hash_seed: int = 0,
                 preambles: tuple[str, ...] = ()) -> None:
        self.limits = limits or Limits()
        self.python = choose_interpreter(python)
        self.facts = interpreter_facts(self.python)
        self.hash_seed = hash_seed
        self.preambles = preambles
        self.isolation = probe_isolation()
        self.binds, covering = jail_binds(self.facts["dirs"], str(runner_path().parent))
        if self.isolation.namespaces and covering:
            # Fail closed: programs would see the host's /tmp and have no writable one (every test SE).
            raise SandboxUnavailable(
                f"local sandbox: the interpreter {self.python} needs {covering[0]} bound into the jail, which "
                f"would show programs the host's /tmp instead of a private one; set {PYTHON_ENV} to a python3 "
                "that does not live directly in /tmp, or use --sandbox docker")
        if self.isolation.warning:
            log.warning(self.isolation.warning)

    def open_session(self) -> LocalSession:
        return LocalSession(self)

    def describe(self) -> str:
        iso = self.isolation
        if iso.namespaces:  # and no bind covers /tmp (refused in __init__)
            fs = "network, pid, ipc and mount namespaces, a root of its own (host files hidden), private /tmp"
        else:
            fs = "NO namespaces (host network, files and /tmp are reachable)"
        parts = [fs,
                 "a uid of its own per session" if iso.root else "the judge's own uid",
                 f"cgroup {iso.cgroup} (CPU of every process, memory, processes)" if iso.cgroup else "no cgroup",
                 "seccomp", "rlimits"]
        return "local: " + ", ".join(parts)

    def identity(self) -> str:
        facts = self.facts
        return f"{self.describe()} | python {facts['python']} {facts['executable']} | numpy {facts['numpy']} | " \
               f"hash seed {self.hash_seed}"

    def environment(self) -> dict[str, Any]:
        facts = self.facts
        return {"python": facts["python"], "executable": facts["executable"], "numpy": facts["numpy"],
                "packages": facts["packages"], "hash_seed": self.hash_seed}

    def weaker_than_usual(self) -> list[str]:
        return self.isolation.lacks()
