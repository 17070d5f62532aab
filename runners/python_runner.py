#!/usr/bin/env python3
"""taco-judge runner: runs untrusted Python programs inside a jail, one forked child per test.

Standard library only; everything that runs next to untrusted code after the jail is set up
(runners/jail_init.py sets it up). docs/runner-protocol.md describes the wire protocol and the
processes. The runner never receives expected outputs: it returns raw observations (output, exit
status, CPU and wall time, peak memory) and the host judges them.

The zygote (pid 1 of the jail) is warm (numpy and the preambles loaded) and never handles a
program. It forks one job process per run request; the job forks one child per test, which
drops its privileges, applies the limits and becomes the program. A test child inherits its
job's memory, and a job's memory never held an earlier program.
"""

from __future__ import annotations

import atexit
import base64
import decimal
import fractions
import gc
import hashlib
import json
import math
import os
import random
import resource
import selectors
import signal
import stat
import sys
import threading
import time
import traceback
import types

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"  # numeric libraries single-threaded, in the runner and every child

def _version() -> str:
    """Content hash of the in-jail programs (jail_init.py and this file), as the host computes it."""
    digest = hashlib.sha256()
    for name in ("jail_init.py", os.path.basename(__file__)):
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), name), "rb") as f:
            digest.update(hashlib.sha256(f.read()).digest())
    return digest.hexdigest()


RUNNER_VERSION = _version()
MIB = 1024 * 1024
STATUS_FD = 3  # in the test child: the status channel (docs/runner-protocol.md, "Status channel")
POLL_S = 0.02  # CPU and memory polling interval while a test runs
RUNNER_PROCESSES = 2  # the zygote and the job: all that is left in the jail once a test is over
SOLUTION_FILE = "solution.py"
WORK_DIR = "work"  # each test's working dir, under the work root
JOB_NEXT, JOB_STOP = 0, 4  # a job's exit status: fork the next job / the host is gone or said exit
TRACEBACK_LIMIT = 1000  # CPython's own default
CHILD_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8",
             "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_INT_JSON_BITS = 13000  # ints beyond this travel as hex: JSON's decimal form has a 4300-digit cap


# ---------------------------------------------------------------- helpers


def encode_value(value, depth: int = 0):
    """Tagged JSON for a return value, so tuples, sets and non-str keys survive (taco_judge/values.py)."""
    if depth > 200:
        return {"$opaque": type(value).__name__, "$repr": "<too deep>"}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return {"$int": hex(value)} if abs(value).bit_length() > _INT_JSON_BITS else int(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return {"$float": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
    if isinstance(value, list):
        return [encode_value(v, depth + 1) for v in value]
    for kind, tag in ((tuple, "$tuple"), (frozenset, "$frozenset"), (set, "$set")):
        if isinstance(value, kind):
            return {tag: [encode_value(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode_value(v, depth + 1) for k, v in value.items()}
        return {"$dict": [[encode_value(k, depth + 1), encode_value(v, depth + 1)] for k, v in value.items()]}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": bytes(value).hex()}
    if isinstance(value, fractions.Fraction):
        return {"$fraction": [value.numerator, value.denominator]}
    if isinstance(value, decimal.Decimal):
        return {"$float": "nan"} if value.is_nan() else {"$decimal": str(value)}
    if type(value).__module__ == "numpy":  # arrays and scalars: their list or Python-number form
        convert = getattr(value, "tolist", None) or getattr(value, "item", None)
        if callable(convert):
            return encode_value(convert(), depth + 1)
    try:
        text = repr(value)[:1000]
    except Exception:
        text = "<unrepresentable>"
    return {"$opaque": type(value).__name__, "$repr": text}


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def drop_privileges(uid: int) -> None:
    """Become ``uid`` (gid ``uid``, no groups): every capability goes with root."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def set_limit(which: int, value: int) -> None:
    try:
        resource.setrlimit(which, (value, value))
    except (ValueError, OSError):
        _, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY and value > hard:
            resource.setrlimit(which, (hard, hard))


def read_counter(path: str | None, key: bytes | None = None) -> int | None:
    """An integer counter file, or the ``key N`` line of a flat-keyed one; None when unreadable."""
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            data = f.read()
        if key is None:
            return int(data)
        for line in data.splitlines():
            name, _, value = line.partition(b" ")
            if name == key:
                return int(value)
    except (OSError, ValueError):
        pass
    return None


def proc_ticks(pid: str) -> tuple[int, int] | None:
    """(utime + stime, cutime + cstime) of a process, in clock ticks; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
    except (OSError, IndexError, ValueError):
        return None


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
                continue
            levels.pop()
            if names:
                os.chdir("..")
                try:
                    os.rmdir(names.pop())
                except OSError:
                    pass
    except OSError:
        pass
    finally:
        os.fchdir(home)
        os.close(home)
    try:
        os.rmdir(top)
    except OSError:
        pass


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


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _killpg(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
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
        base = "/sys/fs/cgroup/" if v2 else "/sys/fs/cgroup/%s/"
        self.cpu_file, self.cpu_key, self.cpu_scale = (
            (base + "cpu.stat", b"usage_usec", 1e-6) if v2 else (base % "cpuacct" + "cpuacct.usage", None, 1e-9))
        self.oom_file = base + "memory.events" if v2 else base % "memory" + "memory.oom_control"
        self.pids_file = base + "pids.current" if v2 else base % "pids" + "pids.current"
        limit_file = base + "memory.max" if v2 else base % "memory" + "memory.limit_in_bytes"
        own = bool(hello.get("cgroup"))  # the host says whether the counters here are the jail's own
        self.cpu_file = self.cpu_file if own and read_counter(self.cpu_file, self.cpu_key) is not None else None
        self.oom_file = self.oom_file if own and read_counter(self.oom_file, b"oom_kill") is not None else None
        self.pids_file = self.pids_file if own and read_counter(self.pids_file) is not None else None
        self.memory_cgroup = own and os.path.exists(limit_file)  # else the job polls the test's memory
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

    def kill_all(self, pid: int) -> None:
        """SIGKILL everything the program may have started: the whole jail but pid 1 and this job
        (a pid namespace of its own), else every process of the sandbox uid, else ``pid``'s group."""
        if self.is_init:
            try:
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                pass  # nothing but the runner is left
        elif self.uid is not None and os.geteuid() == 0:
            helper = os.fork()
            if helper == 0:
                try:
                    drop_privileges(self.uid)
                    os.kill(-1, signal.SIGKILL)
                finally:
                    os._exit(0)
            os.waitpid(helper, 0)
        else:
            _killpg(pid)

    def clear(self, pid: int, timeout_s: float = 2.0) -> list[str]:
        """Kill until only the runner is left (pid 1 reaps the orphans); what survived."""
        deadline = time.monotonic() + timeout_s
        while True:
            self.kill_all(pid)
            _reap()
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


# ---------------------------------------------------------------- the test child


def child_main(run: dict, test_args, fds: dict) -> None:
    """In the forked child: confine, wait for 'go', compile, run the program. Never returns.

    Status records on fd 3: ``E msg`` (the runner's own set-up failed), ``W`` (confined, waiting),
    ``K`` (compiling), ``C msg`` (does not compile), ``S`` (the program has control: what follows may
    be the program's own writing, and the host reads it so).
    """
    try:
        os.setsid()
        for target, name in ((0, "stdin"), (1, "stdout"), (2, "stderr"), (STATUS_FD, "status")):
            os.dup2(fds[name], target)
        go = fds["go"]  # > STATUS_FD: fds 3 and 4 of the runner hold the protocol, so pipes come after
        os.closerange(STATUS_FD + 1, go)
        os.closerange(go + 1, 1 << 16)
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")  # the out-of-memory killer picks the program, never the runner
        limits = run["limits"]
        cpu = max(1, math.ceil(limits["time_limit_s"]))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu + 1, cpu + 2))
        memory = int(limits["memory_mb"]) * MIB
        with open("/proc/self/statm") as f:
            address_space = int(f.read().split()[0]) * resource.getpagesize()
        for which, value in ((resource.RLIMIT_CORE, 0), (resource.RLIMIT_FSIZE, limits["file_size_bytes"]),
                             (resource.RLIMIT_NOFILE, limits["max_open_files"]),
                             (resource.RLIMIT_STACK, min(memory, 64 * MIB)),
                             # A backstop only: the memory cgroup (or the job's poll) enforces memory
                             # used; address space reserved and never touched (thread stacks, malloc
                             # arenas) costs nothing.
                             (resource.RLIMIT_AS, address_space + 4 * memory + 1024 * MIB)):
            set_limit(which, int(value))
        if run["sandbox_uid"] is not None:
            if run["nproc_rlimit"]:  # right only when the uid is this jail's own
                set_limit(resource.RLIMIT_NPROC, int(limits["max_processes"]))
            drop_privileges(run["sandbox_uid"])
        os.chdir(run["dir"])  # after the drop: the dir is the sandbox uid's, mode 0700
        os.environ.clear()
        os.environ.update(CHILD_ENV, HOME=run["dir"], TMPDIR=run["dir"])
        if run["hash_seed"] is not None:  # a python the program starts hashes as the runner does
            os.environ["PYTHONHASHSEED"] = run["hash_seed"]
        module = _fresh_process(run)
        write_all(STATUS_FD, b"W\n")
        if os.read(go, 1) != b"g":
            os._exit(0)  # forked ahead for a test the host did not ask for
        os.close(go)
        write_all(STATUS_FD, b"K\n")
    except BaseException as exc:
        _record(b"E", f"child set-up failed: {type(exc).__name__}: {exc}")
        os._exit(125)
    try:
        code = compile(run["code"], run["path"], "exec", dont_inherit=True)
    except (SyntaxError, ValueError, MemoryError, RecursionError, OverflowError) as exc:
        line = f" (line {exc.lineno})" if isinstance(exc, SyntaxError) else ""
        _record(b"C", f"{type(exc).__name__}: {getattr(exc, 'msg', None) or exc}{line}")
        os._exit(125)
    write_all(STATUS_FD, b"S\n")
    os._exit(0 if run["mode"] == "compile" else _run_program(run, code, module, test_args))


def _record(tag: bytes, text: str = "") -> None:
    try:
        write_all(STATUS_FD, tag + (b" " + json.dumps(text).encode() if text else b"") + b"\n")
    except BaseException:
        pass


def _fresh_process(run: dict) -> types.ModuleType:
    """Make this child look like a fresh ``python3 solution.py`` process; returns its __main__."""
    old = {id(sys.stdin): 0, id(sys.stdout): 1, id(sys.stderr): 2}
    sys.stdin = sys.__stdin__ = open(0, "r", encoding="utf-8", newline="\n", closefd=False)
    sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8", newline="\n", closefd=False)
    sys.stderr = sys.__stderr__ = open(2, "w", buffering=1, encoding="utf-8", errors="backslashreplace",
                                       newline="\n", closefd=False)
    streams = (sys.stdin, sys.stdout, sys.stderr)
    sys.argv = [run["path"]]
    sys.path[0] = run["dir"]
    sys.set_int_max_str_digits(0)  # judges run Python without 3.11's cap; the CPU limit bounds the cost
    atexit._clear()  # only the program's own exit handlers run at its exit
    random.seed()
    name = run["module_name"] or "__main__"
    module = types.ModuleType(name)
    for key, value in run["namespace"].items():  # the preamble's `stdin = sys.stdin` follows the new streams
        module.__dict__[key] = streams[old[id(value)]] if id(value) in old else value
    module.__dict__.update(__name__=name, __file__=run["path"], __builtins__=__builtins__, __cached__=None)
    sys.modules["__main__"] = module
    return module


def _run_program(run: dict, code, module: types.ModuleType, test_args) -> int:
    """Execute the program (in call mode, then call its function); returns the exit code.

    Records after ``S``: ``L`` (call mode: module executed, function found), ``R json`` (the value
    returned), ``M`` (no such function), ``X name`` (uncaught exception), ``O`` (MemoryError).
    """
    exit_code = 0
    try:
        try:
            exec(code, module.__dict__)
            if run["mode"] == "call":
                func = _entry(module.__dict__, run["fn_name"], run["entry"])
                if func is None:
                    write_all(STATUS_FD, b"M\n")
                    sys.stderr.write(f"no function named {run['fn_name']!r} (top level or in class Solution)\n")
                    return 1
                if run["pre_call"]:
                    exec(run["pre_call"], module.__dict__)
                write_all(STATUS_FD, b"L\n")
                if run["resolve_only"]:
                    return 0
                value = func(*test_args)
                write_all(STATUS_FD, b"R " + json.dumps(encode_value(value), separators=(",", ":")).encode() + b"\n")
        except SystemExit as exc:
            exit_code = _exit_code_of(exc)
    except MemoryError:
        os.write(STATUS_FD, b"O\n")
        exit_code = 1
    except BaseException as exc:
        _record(b"X", type(exc).__name__)
        try:
            tb = exc.__traceback__
            while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
                tb = tb.tb_next  # the runner's own frames are noise to the reader
            traceback.print_exception(type(exc), exc, _last_entries(tb, TRACEBACK_LIMIT))
        except BaseException:
            pass
        exit_code = 1
    # Interpreter shutdown as CPython does it: non-daemon threads, atexit handlers, stdio flush.
    for step in (threading._shutdown, atexit._run_exitfuncs):
        try:
            step()
        except BaseException:
            pass
    for stream in dict.fromkeys((sys.stdout, sys.__stdout__, sys.stderr, sys.__stderr__)):
        try:
            if stream is not None and not stream.closed:
                stream.flush()
        except BaseException:
            exit_code = exit_code or 120  # CPython's exit status when flushing stdout fails
    return exit_code


def _last_entries(tb, limit: int):
    """The traceback from its ``limit``-th last entry (traceback's own ``limit`` walks every frame:
    seconds for a RecursionError at depth 10**6, which would turn RE into TLE)."""
    entries = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    return entries[-limit] if len(entries) > limit else (entries[0] if entries else None)


def _exit_code_of(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    try:
        sys.stderr.write(f"{exc.code}\n")
    except BaseException:
        pass
    return 1


def _entry(namespace: dict, fn_name, entry: str):
    """The function to call: ``solution``: a method of a fresh ``Solution()``; ``module``: a top-level
    name; ``auto``: the first when ``class Solution`` has it, else the second."""
    if not isinstance(fn_name, str) or not fn_name:
        return None
    solution = namespace.get("Solution")
    if entry == "solution" or (entry == "auto" and isinstance(solution, type) and hasattr(solution, fn_name)):
        return None if solution is None else getattr(solution(), fn_name, None)
    func = namespace.get(fn_name)
    return func if callable(func) else None


# ---------------------------------------------------------------- the job: one run request


class Job:
    """Serves one ``run`` request: its tests one by one, each in a fresh dir, streamed to the host."""

    def __init__(self, runner: "Runner", request: dict) -> None:
        self.runner = runner
        self.jail = runner.jail
        self.request = request
        self.limits = request["limits"]
        self.counter = 0
        self.dirty: list[str] = []
        self.run = {
            "code": request["code"], "mode": request.get("mode", "stdin"), "fn_name": request.get("fn_name"),
            "limits": self.limits, "sandbox_uid": self.jail.uid, "nproc_rlimit": self.jail.nproc_rlimit,
            "namespace": runner.namespace(request.get("preamble") or ""), "entry": request.get("entry", "auto"),
            "module_name": request.get("module_name"), "pre_call": request.get("pre_call"),
            "resolve_only": bool(request.get("resolve_only")), "hash_seed": os.environ.get("PYTHONHASHSEED"),
        }

    def serve(self) -> bool:
        """Run the tests, replying per test; False when the host went away mid-run."""
        tests = self.request.get("tests") or []
        if not tests:  # nothing to run: still say whether it compiles
            obs, _ = self.execute(None, dict(self.request, mode="compile"))
            self.runner.reply({key: obs[key] for key in ("setup_error", "compile_error") if key in obs}
                              or {"compiled": True})
            return True
        ahead = None
        for index, test in enumerate(tests):
            obs, blobs = self.test(test, ahead)
            if "setup_error" in obs or "compile_error" in obs:
                self.runner.reply({"test": index, **obs})
                return True
            wait = bool(self.request.get("early_stop")) and index < len(tests) - 1
            self.runner.reply({"test": index, "obs": obs, "await": wait}, blobs)
            ahead = None
            if wait:
                ahead = self.prepare(tests[index + 1], self.request)  # forked while the host decides
                answer = self.runner.read_request()
                if answer is None or answer.get("op") != "next":
                    os.close(ahead["go"])  # EOF, not 'g': it exits without running anything
                    self.finish(ahead)
                    return answer is not None
        return True

    def test(self, test, ahead: dict | None) -> tuple[dict, list[bytes]]:
        """One test; with ``rerun_on_error``, the reference evaluator's rerun when the program exited
        non-zero (not when it ran out of time or output)."""
        obs, blobs = self.execute(test, self.request, ahead)
        rerun = self.request.get("rerun_on_error")
        if rerun and "exit_code" in obs and (obs["exit_code"] != 0 or obs["signal"] is not None) and not (
                obs["cpu_timeout"] or obs["wall_timeout"] or obs["stdout_truncated"]):
            obs["rerun"], more = self.execute(test, dict(self.request, **rerun))
            blobs = blobs + more
        return obs, blobs

    def prepare(self, test, options: dict) -> dict:
        """A fresh dir holding the program file (and the input file), then a child that waits for 'go'."""
        # The same path for every test (tracebacks, __file__ and outputs are reproducible); it was
        # emptied after the previous test, and a leftover is cleared or, failing that, avoided.
        workdir = os.path.join(self.jail.work_root, WORK_DIR)
        if os.path.lexists(workdir):
            empty_tree(workdir)
        if os.path.lexists(workdir):
            self.counter += 1
            self.dirty.append(f"{workdir} could not be emptied")
            workdir = os.path.join(self.jail.work_root, f"{WORK_DIR}-{os.getpid()}-{self.counter}")
        os.mkdir(workdir, 0o700)
        path = os.path.join(workdir, SOLUTION_FILE)
        files = {path: self.run["code"].encode("utf-8", "surrogatepass")}
        mode = options.get("mode", self.run["mode"])
        data = b""
        if mode == "stdin":  # text, or {"$b64": ...} for raw bytes
            data = base64.b64decode(test["$b64"]) if isinstance(test, dict) else test.encode("utf-8", "surrogatepass")
        if options.get("input_file"):
            files[os.path.join(workdir, options["input_file"])] = data
        for name, content in files.items():
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            write_all(fd, content)
            os.close(fd)
            if self.jail.uid is not None:
                os.chown(name, self.jail.uid, self.jail.uid)
        if self.jail.uid is not None:
            os.chown(workdir, self.jail.uid, self.jail.uid)
        stdin = os.memfd_create("stdin", 0)
        if options.get("stdin", "data") == "data":
            write_all(stdin, data)
            os.lseek(stdin, 0, os.SEEK_SET)
        pipes = {name: os.pipe() for name in ("stdout", "stderr", "status", "go")}
        run = dict(self.run, dir=workdir, path=path, mode=mode)
        fds = {"stdin": stdin, "go": pipes["go"][0], **{n: w for n, (_, w) in pipes.items() if n != "go"}}
        gc.freeze()  # what the job holds stays out of the child's collections: fewer copy-on-write faults
        pid = os.fork()
        if pid == 0:
            os.close(pipes["go"][1])
            child_main(run, test if mode == "call" else (), fds)
        for fd in fds.values():
            os.close(fd)
        numpy = sys.modules.get("numpy")
        if numpy is not None:  # the next child starts from a fresh, unpredictable state (off its path)
            numpy.random.seed()
        reads = {n: r for n, (r, _) in pipes.items() if n != "go"}
        return {"pid": pid, "dir": workdir, "go": pipes["go"][1], "pipes": reads}

    def execute(self, test, options: dict, ahead: dict | None = None) -> tuple[dict, list[bytes]]:
        """Run one test and observe it: the raw facts and their byte blobs (stdout, stderr, the
        status records after ``S``, the output file)."""
        prepared = ahead or self.prepare(test, options)
        pid = prepared["pid"]
        ready = _read_exactly(prepared["pipes"]["status"], 2)  # confined: its set-up is not the program's CPU
        oom_before = self.jail.oom_kills()
        files_before = _tmpfs_used(self.jail.work_root)
        cpu_before = self.jail.cpu_s(pid)
        started = time.monotonic()
        if ready == b"W\n":
            os.write(prepared["go"], b"g")
        os.close(prepared["go"])
        out, rusage, status, flags = self.supervise(pid, started, cpu_before, prepared["pipes"])
        wall = time.monotonic() - started
        self.dirty += self.finish(prepared, remove=False)
        cpu = self.jail.cpu_s(pid) - cpu_before
        if self.jail.cpu_file is None:  # the scan left the (now reaped) child out: its rusage is its part
            cpu += rusage.ru_utime + rusage.ru_stime
        files_mb = max(0, _tmpfs_used(self.jail.work_root) - files_before) / MIB  # memory too, on a tmpfs
        file_data, file_truncated = self.read_output_file(prepared["dir"], options.get("output_file"))
        empty_tree(prepared["dir"])
        if os.path.lexists(prepared["dir"]):
            self.dirty.append(f"{prepared['dir']} not removed")
        oom_after = self.jail.oom_kills()
        trusted, rest = _split_status(ready + out["status"])
        if "started" not in trusted:
            return trusted, []
        exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        obs = {
            "exit_code": exit_code, "signal": sig, "cpu_s": round(max(0.0, cpu), 6), "wall_s": round(wall, 6),
            "peak_mb": round(rusage.ru_maxrss / 1024.0, 3), "files_mb": round(files_mb, 3),
            "oom_killed": oom_before is not None and oom_after is not None and oom_after > oom_before,
            **flags, "file_truncated": file_truncated,
            "sizes": [len(out["stdout"]), len(out["stderr"]), len(rest), -1 if file_data is None else len(file_data)],
        }
        obs["cpu_timeout"] = obs["cpu_timeout"] or sig == signal.SIGXCPU or cpu > self.limits["time_limit_s"]
        return obs, [out["stdout"], out["stderr"], rest, file_data or b""]

    def supervise(self, pid: int, started: float, cpu_before: float, pipes: dict):
        """Collect the child's output until it exits, enforcing the output cap, the CPU limit (of
        every process in the jail), the wall backstop and, without a memory cgroup, memory."""
        limits = self.limits
        caps = {"stdout": limits["output_bytes"], "stderr": limits["stderr_bytes"],
                "status": limits["output_bytes"] + 4096}
        out = {name: bytearray() for name in pipes}
        flags = dict.fromkeys(("stdout_truncated", "stderr_truncated", "status_truncated", "cpu_timeout",
                               "wall_timeout", "memory_exceeded"), False)
        names = {fd: name for name, fd in pipes.items()}
        sel = selectors.DefaultSelector()
        for fd in names:
            os.set_blocking(fd, False)
            sel.register(fd, selectors.EVENT_READ)
        pidfd = os.pidfd_open(pid)
        sel.register(pidfd, selectors.EVENT_READ)
        cpu_cap = limits["time_limit_s"] * 1.05 + 0.05
        first_poll = cpu_cap / max(1, os.cpu_count() or 1)  # before this, CPU cannot be over the limit
        killed = exited = False
        drain_until = None
        while True:
            now = time.monotonic()
            if not killed:
                flags["wall_timeout"] = now - started > limits["wall_limit_s"]
                # Memory used past the limit stops the program at once (the verdict is MLE anyway:
                # its peak is over); the cgroup, or the address-space backstop, bounds the rest.
                flags["memory_exceeded"] = _resident_mb(pid) > limits["memory_mb"]
                if now - started >= first_poll:
                    cpu = self.jail.cpu_s(pid) - cpu_before
                    if self.jail.cpu_file is None:
                        cpu += sum(proc_ticks(str(pid)) or (0, 0)) / os.sysconf("SC_CLK_TCK")
                    flags["cpu_timeout"] = cpu > cpu_cap
                if any(flags[k] for k in ("wall_timeout", "cpu_timeout", "memory_exceeded", "stdout_truncated")):
                    self.jail.kill_all(pid)
                    killed = True
            if exited:
                if drain_until is None:  # whatever still holds its pipes dies now (it is a zombie: no pid reuse)
                    self.jail.kill_all(pid)
                    drain_until = now + 1.0
                if not names or now > drain_until:
                    break
            for key, _ in sel.select(POLL_S):
                if key.fd == pidfd:
                    exited = True
                    sel.unregister(pidfd)
                    continue
                try:
                    chunk = os.read(key.fd, 1 << 16)
                except BlockingIOError:
                    continue
                name = names.get(key.fd)
                if not chunk:
                    sel.unregister(key.fd)
                    del names[key.fd]
                    continue
                buf = out[name]
                if name == "stderr":
                    buf += chunk
                    if len(buf) > caps[name]:
                        del buf[: len(buf) - caps[name]]  # its tail is what explains a crash
                        flags["stderr_truncated"] = True
                elif len(buf) + len(chunk) > caps[name]:
                    buf += chunk[: caps[name] - len(buf)]
                    flags[f"{name}_truncated"] = True
                else:
                    buf += chunk
        sel.close()
        os.close(pidfd)
        _, status, rusage = os.wait4(pid, 0)
        return {k: bytes(v) for k, v in out.items()}, rusage, status, flags

    def finish(self, prepared: dict, remove: bool = True) -> list[str]:
        """After a test: nothing it started outlives it; its pipes close; what survived."""
        left = self.jail.clear(prepared["pid"])
        try:
            os.waitpid(prepared["pid"], 0)
        except ChildProcessError:
            pass
        for fd in prepared["pipes"].values():
            os.close(fd)
        if remove:
            empty_tree(prepared["dir"])
        return left

    def read_output_file(self, workdir: str, name: str | None) -> tuple[bytes | None, bool]:
        """The program's output file: a regular file, never followed through a symlink, capped."""
        if not name:
            return None, False
        try:
            fd = os.open(os.path.join(workdir, name), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return None, False
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None, False
            cap = self.limits["output_bytes"]
            data = os.read(fd, cap + 1)
            return data[:cap], len(data) > cap
        finally:
            os.close(fd)


def _read_exactly(fd: int, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = os.read(fd, n - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _tmpfs_used(path: str) -> int:
    """Bytes in use on the filesystem of ``path`` (the work root: a tmpfs in both jails)."""
    info = os.statvfs(path)
    return (info.f_blocks - info.f_bfree) * info.f_frsize


def _resident_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / MIB
    except (OSError, IndexError, ValueError):
        return 0.0


def _split_status(data: bytes) -> tuple[dict, bytes]:
    """The runner-written prefix of a test's status records, and the rest: after ``S`` the program
    may have written anything, so it goes to the host as bytes, to be read there with its limits."""
    if data.startswith(b"E "):
        return {"setup_error": _message(data[2:])}, b""
    if not data.startswith(b"W\nK\n"):
        return {"setup_error": f"the test child died during set-up ({data[:40]!r})"}, b""
    rest = data[4:]
    if rest.startswith(b"S\n"):
        return {"started": True}, rest[2:]
    if rest.startswith(b"C "):
        return {"compile_error": _message(rest[2:])}, b""
    return {"compile_error": "the compiler crashed or ran out of its limits on this program"}, b""


def _message(data: bytes) -> str:
    try:
        return str(json.loads(data.split(b"\n", 1)[0]))[:2000]
    except ValueError:
        return data[:200].decode("utf-8", "replace")


# ---------------------------------------------------------------- protocol and processes


class Runner:
    """The protocol stream, and what every job inherits from the zygote."""

    def __init__(self, proto_in: int, proto_out: int) -> None:
        self.proto_in, self.proto_out = proto_in, proto_out
        self.inbuf = bytearray()
        self.jail: Jail | None = None
        self.preambles: dict[str, dict] = {}

    def read_request(self) -> dict | None:
        """The next request (a JSON object on one line); None at the end of the stream."""
        while True:
            nl = self.inbuf.find(b"\n")
            if nl < 0:
                chunk = os.read(self.proto_in, 1 << 20)
                if not chunk:
                    return None
                self.inbuf += chunk
                continue
            line = bytes(self.inbuf[:nl])
            del self.inbuf[: nl + 1]
            try:
                request = json.loads(line)
            except ValueError:
                request = None
            if isinstance(request, dict):
                return request
            self.reply({"error": "malformed request: not a JSON object"})

    def reply(self, obj: dict, blobs: list[bytes] = ()) -> None:
        write_all(self.proto_out, json.dumps(obj, separators=(",", ":")).encode() + b"\n" + b"".join(blobs))

    def namespace(self, preamble: str) -> dict:
        """Globals after the preamble, run line by line (a missing module only drops its names)."""
        if preamble not in self.preambles:
            namespace: dict = {"__builtins__": __builtins__}
            for line in preamble.splitlines():
                if line.strip():
                    try:
                        exec(compile(line, "<preamble>", "exec"), namespace)
                    except ImportError:
                        pass
            namespace.pop("__builtins__", None)
            self.preambles[preamble] = namespace
        return self.preambles[preamble]

    def describe(self, packages: bool) -> dict:
        info = {"ok": True, "runner_version": RUNNER_VERSION, "python": sys.version.split()[0],
                "executable": sys.executable, "numpy": getattr(sys.modules.get("numpy"), "__version__", None),
                "uid": os.geteuid(), "sandbox_uid": self.jail.uid, "hash_seed": os.environ.get("PYTHONHASHSEED"),
                "work_root": self.jail.work_root, **self.jail.describe()}
        if packages:
            from importlib import metadata
            info["packages"] = sorted({f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()})
        return info

    def job_main(self, ready_fd: int, control_fd: int) -> int:
        """A job process: answer requests until one run is served."""
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            numpy.random.seed()  # every job starts from a fresh state, not the zygote's
        while True:
            request = self.read_request()
            if request is None or request.get("op") == "exit":
                return JOB_STOP
            if request.get("op") == "hello":
                self.reply(self.describe(bool(request.get("packages"))))
                continue
            if request.get("op") != "run":
                self.reply({"error": f"unknown op {request.get('op')!r}"})
                continue
            os.read(ready_fd, 1)  # the previous job is reaped: its exit is in nobody's test CPU
            job = Job(self, request)
            try:
                alive = job.serve()
                job.dirty += self.jail.survivors()
            except Exception as exc:
                self.reply({"error": f"run failed: {type(exc).__name__}: {exc}"})
                return JOB_STOP
            os.write(control_fd, b"n")  # tests over: the zygote forks the next job now
            self.reply({"done": True, "clean": not job.dirty, "leftovers": job.dirty[:20]})
            return JOB_NEXT if alive else JOB_STOP


def zygote(runner: Runner) -> None:
    """pid 1: one job at a time (the next is forked as soon as the current one's tests are over,
    and starts its own once the current one is reaped); reaps every orphan."""
    control_r, control_w = os.pipe()
    wake_r, wake_w = os.pipe()
    for fd in (control_r, wake_r, wake_w):
        os.set_blocking(fd, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    sel = selectors.DefaultSelector()
    for fd in (control_r, wake_r):
        sel.register(fd, selectors.EVENT_READ)
    gc.freeze()  # the warm heap stays out of every child's collections
    finishing: dict[int, int] = {}  # job pid -> the write end of its successor's "reaped" pipe (-1: none)

    def fork_job() -> tuple[int, int]:
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            for fd in (control_r, wake_r, wake_w, ready_w):
                os.close(fd)
            signal.set_wakeup_fd(-1)
            for signum in (signal.SIGCHLD, signal.SIGTERM):
                signal.signal(signum, signal.SIG_DFL)
            status = 1
            try:
                status = runner.job_main(ready_r, control_w)
            except (BrokenPipeError, KeyboardInterrupt):
                status = JOB_STOP
            except BaseException:
                traceback.print_exc()
            os._exit(status)
        os.close(ready_r)
        return pid, ready_w

    current, ready_w = fork_job()
    os.write(ready_w, b"r")
    os.close(ready_w)
    while True:
        for key, _ in sel.select():
            try:
                data = os.read(key.fd, 1 << 12)
            except BlockingIOError:
                continue
            if key.fd == control_r and data:  # the current job's tests are over: its successor
                previous = current
                current, ready_w = fork_job()
                finishing[previous] = ready_w
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                break
            if pid in finishing:  # a job that handed over: its successor may run tests now
                ready_w = finishing.pop(pid)
                os.write(ready_w, b"r")
                os.close(ready_w)
            elif pid != current:
                continue  # an orphan the program left
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == JOB_STOP:
                return
            if pid == current:  # ended without handing over (a hello-only stream, a crash): a fresh one
                current, ready_w = fork_job()
                os.write(ready_w, b"r")
                os.close(ready_w)


def main() -> None:
    # The protocol moves to private fds (3 and 4); 0 and 1 become /dev/null.
    proto_in, proto_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))  # pid 1 ignores default-action signals
    for name in ("numpy", "numpy.random"):
        try:
            __import__(name)
        except Exception:  # numpy is optional: the preamble then lacks `np`
            pass
    runner = Runner(proto_in, proto_out)
    request = runner.read_request()  # the zygote reads the hello only: the session's settings
    if request is None or request.get("op") != "hello":
        return
    runner.jail = Jail(request)
    for preamble in request.get("preambles") or ():
        runner.namespace(preamble)
    runner.reply(runner.describe(bool(request.get("packages"))))
    try:
        zygote(runner)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
