"""The local jail: the runner as a subprocess of the judge, confined by namespaces and rlimits.

For laptops and machines without Docker. The runner starts in a new session, in new network,
pid and mount namespaces when the kernel allows it (so it has no network, and as pid 1 of its
namespace it can kill everything a submission leaves behind); every test child gets rlimits,
a fresh working dir and, when the judge runs as root, an unprivileged uid. What this does not
isolate (the filesystem, for one) is listed in the README's security section.
"""

from __future__ import annotations

import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache

from taco_judge.backends.base import Backend
from taco_judge.backends.protocol import FdTransport, ProtocolSession, RunnerClient
from taco_judge.errors import InfrastructureError
from taco_judge.runner_files import runner_path

log = logging.getLogger(__name__)

# When the judge is root, each local jail runs its submissions under a uid of its own from this
# range (no user has it), so RLIMIT_NPROC bounds that jail's processes and no other.
SANDBOX_UID_RANGE = (1_000_000_000, 1_100_000_000)
PRIVATE_TMP_MB = 256


@dataclass(frozen=True)
class Isolation:
    """How local runners are confined on this machine."""

    prefix: tuple[str, ...]
    sandbox_uid: int | None
    network_isolated: bool
    pid_namespace: bool
    warning: str = ""

    def describe(self) -> str:
        parts = [
            "network namespace" if self.network_isolated else "NO network isolation",
            "pid namespace" if self.pid_namespace else "no pid namespace",
            "a uid of its own per jail" if self.sandbox_uid is not None else "same uid as the judge",
            "private /tmp" if self.pid_namespace else "shared /tmp",
            "rlimits",
        ]
        return "local: " + ", ".join(parts)


def _works(argv: list[str]) -> bool:
    try:
        done = subprocess.run(argv + ["true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@lru_cache(maxsize=1)
def probe_isolation() -> Isolation:
    """Find the strongest confinement this kernel and user allow, once per process."""
    unshare = shutil.which("unshare")
    root = os.geteuid() == 0
    uid = SANDBOX_UID_RANGE[0] if root else None  # the actual uid is drawn per session
    if unshare:
        base = [unshare, "--net", "--ipc", "--pid", "--fork", "--mount-proc", "--kill-child"]
        if root and _works(base):
            return Isolation(tuple(base), uid, True, True)
        user = [unshare, "--user", "--map-root-user", "--net", "--ipc", "--pid", "--fork", "--mount-proc",
                "--kill-child"]
        if _works(user):
            return Isolation(tuple(user), None, True, True)
        net_only = [unshare, "--user", "--map-root-user", "--net"]
        if _works(net_only):
            return Isolation(tuple(net_only), None, True, False)
    reason = "unshare(1) is missing" if not unshare else "this kernel/user may not create namespaces"
    return Isolation(
        (),
        uid,
        False,
        False,
        warning=(
            f"local sandbox: {reason}; submissions can reach the network and leave processes behind "
            "(use --sandbox docker for full isolation)"
        ),
    )


class LocalSession(ProtocolSession):
    """One runner subprocess."""

    def __init__(self, isolation: Isolation, python: str) -> None:
        self.work_root = tempfile.mkdtemp(prefix="taco-judge-")
        os.chmod(self.work_root, 0o711)  # the sandbox uid must reach its own dirs inside
        self.sandbox_uid = None if isolation.sandbox_uid is None else random.randrange(*SANDBOX_UID_RANGE)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "TACO_JUDGE_WORK_ROOT": self.work_root,
        }
        if isolation.pid_namespace:  # it has its own mount namespace too (unshare --mount-proc)
            env["TACO_JUDGE_PRIVATE_TMP_MB"] = str(PRIVATE_TMP_MB)
        for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # machine quirks numpy needs
            if key in os.environ:
                env[key] = os.environ[key]
        self._stderr = tempfile.TemporaryFile()
        argv = [*isolation.prefix, python, "-I", str(runner_path())]
        try:
            self.proc = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                start_new_session=True,
                env=env,
                cwd=self.work_root,
            )
        except OSError as exc:
            shutil.rmtree(self.work_root, ignore_errors=True)
            raise InfrastructureError(f"cannot start the local runner: {exc}") from exc
        assert self.proc.stdin is not None and self.proc.stdout is not None
        transport = FdTransport(self.proc.stdin.fileno(), self.proc.stdout.fileno())
        try:
            super().__init__(RunnerClient(transport))
        except InfrastructureError as exc:
            detail = self.stderr_tail()
            self.close()
            raise InfrastructureError(f"{exc}; runner stderr: {detail}") from exc

    def stderr_tail(self, limit: int = 2000) -> str:
        try:
            self._stderr.seek(0)
            return self._stderr.read()[-limit:].decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""

    def close(self) -> None:
        proc = getattr(self, "proc", None)
        if proc is not None and proc.poll() is None:
            try:
                self.client.call({"op": "exit"}, timeout_s=5.0)
            except Exception:
                pass
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        if proc is not None:
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
        shutil.rmtree(self.work_root, ignore_errors=True)


class LocalBackend(Backend):
    """Runs the runner as a confined subprocess of the judge."""

    name = "local"

    def __init__(self, python: str | None = None) -> None:
        self.python = python or sys.executable
        self.isolation = probe_isolation()
        if self.isolation.warning:
            log.warning(self.isolation.warning)

    def open_session(self) -> LocalSession:
        return LocalSession(self.isolation, self.python)

    def describe(self) -> str:
        return self.isolation.describe()
