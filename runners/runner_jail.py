"""taco-judge jail scope: the runner's view of its jail, for accounting and clean-up.

Standard library only; runs inside the jail, imported by python_runner.py. It reads the jail's
counters (cgroup CPU, OOM kills, process count; else /proc), kills everything a test may have
started (one helper: ``Jail.kill_scope``), checks that nothing survived, and wipes a test's dir.
"""

from __future__ import annotations

import os
import resource
import signal
import time

from runner_child import MIB, drop_privileges

PAGE_SIZE = resource.getpagesize()
RUNNER_PROCESSES = 2  # the zygote and the job: all that is left in the jail once a test is over


def read_small(path: str) -> bytes:
    """A small /proc or cgroup file's bytes in one read (no buffered file object: these are read
    several times per test, on its critical path). Raises OSError."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        return os.read(fd, 1 << 16)
    finally:
        os.close(fd)


def read_counter(path: str | None, key: bytes | None = None) -> int | None:
    """An integer counter file, or the ``key N`` line of a flat-keyed one; None when unreadable."""
    try:
        data = read_small(path)  # type: ignore[arg-type]  (None: TypeError, below)
        if key is None:
            return int(data)
        for line in data.splitlines():
            name, _, value = line.partition(b" ")
            if name == key:
                return int(value)
    except (OSError, ValueError, TypeError):
        pass
    return None


def proc_ticks(pid: str) -> tuple[int, int] | None:
    """(utime + stime, cutime + cstime) of a process, in clock ticks; None when it is gone."""
    try:
        fields = read_small(f"/proc/{pid}/stat").rsplit(b")", 1)[1].split()
        return int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
    except (OSError, IndexError, ValueError):
        return None


def cpu_wait_s(pid: int) -> float:
    """Seconds a process has spent runnable but waiting for a CPU (its schedstat run delay): on a
    loaded machine that time is the machine's, not the program's; 0.0 where the kernel keeps none."""
    try:
        return int(read_small(f"/proc/{pid}/schedstat").split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def resident_mb(pid: int) -> float:
    try:
        return int(read_small(f"/proc/{pid}/statm").split()[1]) * PAGE_SIZE / MIB
    except (OSError, IndexError, ValueError):
        return 0.0


def tmpfs_used(path: str) -> int:
    """Bytes in use on the filesystem of ``path`` (the work root: a tmpfs in both jails)."""
    info = os.statvfs(path)
    return (info.f_blocks - info.f_bfree) * info.f_frsize


def empty_tree(top: str) -> None:
    """Delete ``top`` and all under it: iterative, moving the cwd down and up (no recursion,
    path-length or fd-per-level limit), never following a symlink. The runner is root with
    CAP_DAC_OVERRIDE and CAP_FOWNER, so no mode the program set can stop it."""
    home = os.open("/", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.chdir(top)
        levels = [_clear_cwd()]  # per level: the subdirs of that level's dir still to visit
        names: list[str] = []  # from top down to the cwd
        while levels:
            if levels[-1]:
                name = levels[-1].pop()
                try:
                    os.chmod(name, 0o700)
                    os.chdir(name)
                except OSError:
                    continue
                names.append(name)
                levels.append(_clear_cwd())
            else:
                levels.pop()
                if names:
                    os.chdir("..")
                    _ignore_oserror(os.rmdir, names.pop())
    except OSError:
        pass
    finally:
        os.fchdir(home)
        os.close(home)
    _ignore_oserror(os.rmdir, top)


def _clear_cwd() -> list[str]:
    """Unlink every entry of the cwd but its subdirs, which are returned."""
    subdirs = []
    try:
        with os.scandir(".") as entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        subdirs.append(entry.name)
                    else:
                        os.unlink(entry.name)
                except OSError:
                    pass
    except OSError:
        pass
    return subdirs


def _ignore_oserror(func, *args) -> None:
    try:
        func(*args)
    except OSError:
        pass


# ---------------------------------------------------------------- the jail: accounting and clean-up


class Jail:
    """The runner's view of its jail: cgroup counters, its pid namespace, the sandbox uid."""

    def __init__(self, hello: dict) -> None:
        self.is_init = os.getpid() == 1
        self.uid = hello.get("sandbox_uid")
        self.nproc_rlimit = bool(hello.get("nproc_rlimit"))
        self.work_root = os.environ.get("TACO_JUDGE_WORK_ROOT") or "/tmp"
        v2 = os.path.exists("/sys/fs/cgroup/cgroup.controllers")
        own = bool(hello.get("cgroup"))  # the host says whether the counters here are the jail's own

        def counter(v2_name: str, v1_name: str, key: bytes | None = None) -> str | None:
            path = "/sys/fs/cgroup/" + (v2_name if v2 else v1_name)
            return path if own and read_counter(path, key) is not None else None

        self.cpu_key, self.cpu_scale = (b"usage_usec", 1e-6) if v2 else (None, 1e-9)
        self.cpu_file = counter("cpu.stat", "cpuacct/cpuacct.usage", self.cpu_key)
        self.oom_file = counter("memory.events", "memory/memory.oom_control", b"oom_kill")
        self.pids_file = counter("pids.current", "pids/pids.current")
        # Descriptive only: the job polls every test's resident memory either way.
        self.memory_cgroup = own and os.path.exists(
            "/sys/fs/cgroup/" + ("memory.max" if v2 else "memory/memory.limit_in_bytes"))
        self.cgroup = ("v2" if v2 else "v1") if self.cpu_file else None

    def describe(self) -> dict:
        accounting = "cgroup" if self.cpu_file else ("pid namespace" if self.is_init else "test process")
        return {"pid_ns": self.is_init, "cgroup": self.cgroup, "memory_cgroup": self.memory_cgroup,
                "oom_counter": self.oom_file, "cpu_accounting": accounting}

    def cpu_s(self, child: int) -> float:
        """CPU seconds of the jail but this job (a counter: only its growth means anything).

        The cgroup counts every process, even children auto-reaped under SIGCHLD=SIG_IGN; without
        one, a /proc scan of the pid namespace (``child`` not counted: its rusage is added at exit)
        misses those (docs/security.md)."""
        if self.cpu_file is not None:
            mine = resource.getrusage(resource.RUSAGE_SELF)
            return (read_counter(self.cpu_file, self.cpu_key) or 0) * self.cpu_scale - mine.ru_utime - mine.ru_stime
        ticks = 0
        for entry in os.listdir("/proc") if self.is_init else ():
            if entry.isdigit() and int(entry) not in (os.getpid(), child):
                times = proc_ticks(entry)
                if times is not None:
                    ticks += times[1] if entry == "1" else sum(times)
        return ticks / os.sysconf("SC_CLK_TCK")

    def oom_kills(self) -> int | None:
        return read_counter(self.oom_file, b"oom_kill")

    def kill_scope(self, pid: int) -> None:
        """SIGKILL everything the program may have started: the whole jail but pid 1 and this job
        (a pid namespace of its own), else every process of the sandbox uid, else ``pid``'s group."""
        if self.is_init:
            _ignore_oserror(os.kill, -1, signal.SIGKILL)  # ESRCH: nothing but the runner is left
        elif self.uid is not None and os.geteuid() == 0:
            helper = os.fork()  # kill(-1) as the sandbox uid reaches exactly that uid's processes
            if helper == 0:
                try:
                    drop_privileges(self.uid)
                    os.kill(-1, signal.SIGKILL)
                finally:
                    os._exit(0)
            os.waitpid(helper, 0)
        else:
            _ignore_oserror(os.killpg, pid, signal.SIGKILL)

    def clear(self, pid: int, timeout_s: float = 2.0) -> list[str]:
        """Kill until only the runner is left (pid 1 reaps the orphans); what survived."""
        deadline = time.monotonic() + timeout_s
        while True:
            self.kill_scope(pid)
            try:
                while os.waitpid(-1, os.WNOHANG)[0]:
                    pass
            except ChildProcessError:
                pass
            left = self.survivors()
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.0002)

    def survivors(self) -> list[str]:
        if self.pids_file is not None and self.is_init:
            count = read_counter(self.pids_file)
            return [] if count is not None and count <= RUNNER_PROCESSES else [f"{count} processes in the jail"]
        if not self.is_init and self.uid is None:
            return []  # nothing tells the program's processes apart: only its process group was killed
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or entry in ("1", str(os.getpid())):
                continue
            try:
                with open(f"/proc/{entry}/status") as f:
                    fields = dict(line.split(":", 1) for line in f if ":" in line)
            except OSError:
                continue
            if not fields.get("State", "").strip().startswith("Z") and (
                    self.is_init or int(fields.get("Uid", "-1").split()[0]) == self.uid):
                found.append(f"pid {entry} ({fields.get('Name', '?').strip()})")
        return found


