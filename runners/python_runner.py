#!/usr/bin/env python3
"""taco-judge runner: runs untrusted Python submissions inside a jail, one forked child per test.

Standard library only. It reads JSON-line requests on stdin and answers on stdout (the wire
protocol is described in docs/runner-protocol.md). It never receives expected outputs: it returns
raw observations (output, exit status, CPU/wall time, peak memory), and the host judges them.

Per test it forks from this already-warm interpreter (numpy and the preamble's imports are loaded
once), so a test costs about a fork instead of an interpreter start. The first process (the
zygote) never handles a submission: each one is served by a job process forked from it, so the
memory a test inherits holds nothing of any earlier submission.
"""

from __future__ import annotations

import atexit
import base64
import decimal
import errno
import fractions
import hashlib
import json
import linecache
import math
import os
import random
import resource
import selectors
import signal
import sys
import tempfile
import threading
import time
import traceback
import types

# Keep numeric libraries single-threaded: forked children inherit this, and it keeps the
# address-space baseline (and so the memory limit's meaning) small and predictable.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

RUNNER_VERSION = hashlib.sha256(open(__file__, "rb").read()).hexdigest()
SOLUTION_FILENAME = "<solution>"
MIB = 1024 * 1024
STATUS_FD = 3  # in the child: where the runner-side wrapper reports exceptions and return values
POLL_S = 0.02  # CPU-time polling interval while a test runs


def _warm_imports() -> None:
    """Import what submissions commonly import, once, before any fork."""
    # numpy.random too: every test child reseeds it, which would otherwise import it per test
    # (numpy 2 loads it lazily), and a sandbox uid may be unable to read numpy's files.
    for name in ("numpy", "numpy.random"):
        try:
            __import__(name)
        except Exception:  # numpy is optional in the image; the preamble then lacks `np`
            pass


# ---------------------------------------------------------------- value encoding (call mode)


# Ints up to this size travel as JSON numbers: well inside the 4300-digit int/str cap (14284 bits).
_INT_JSON_BITS = 13000


def encode_value(value, depth: int = 0):
    """Tagged JSON for a return value, so tuples, sets and non-str keys survive (see values.py)."""
    if depth > 200:
        return {"$opaque": type(value).__name__, "$repr": "<too deep>"}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        if abs(value).bit_length() > _INT_JSON_BITS:
            # Beyond CPython's int/str digit cap the runner's and the host's JSON cannot carry it;
            # hexadecimal has no cap.
            return {"$int": hex(value)}
        return int(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return {"$float": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
    if isinstance(value, list):
        return [encode_value(v, depth + 1) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode_value(v, depth + 1) for v in value]}
    if isinstance(value, frozenset):
        return {"$frozenset": [encode_value(v, depth + 1) for v in value]}
    if isinstance(value, set):
        return {"$set": [encode_value(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode_value(v, depth + 1) for k, v in value.items()}
        return {"$dict": [[encode_value(k, depth + 1), encode_value(v, depth + 1)] for k, v in value.items()]}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": bytes(value).hex()}
    if isinstance(value, fractions.Fraction):
        return {"$fraction": [value.numerator, value.denominator]}
    if isinstance(value, decimal.Decimal):
        if value.is_nan():  # sNaN raises on ==; any NaN equals nothing, like float('nan')
            return {"$float": "nan"}
        return {"$decimal": str(value)}
    item = getattr(value, "item", None)  # numpy scalars behave like Python numbers
    tolist = getattr(value, "tolist", None)
    if type(value).__module__ == "numpy" and callable(tolist):
        return encode_value(tolist(), depth + 1)
    if callable(item) and type(value).__module__ == "numpy":
        return encode_value(item(), depth + 1)
    try:
        text = repr(value)[:1000]
    except Exception:
        text = "<unrepresentable>"
    return {"$opaque": type(value).__name__, "$repr": text}


# ---------------------------------------------------------------- the child (one test)


def _set_limit(which: int, value: int) -> None:
    try:
        resource.setrlimit(which, (value, value))
    except (ValueError, OSError):
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY and value > hard:
            resource.setrlimit(which, (hard, hard))


def _address_space_now() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()


def _child_main(job: "Job", fds: dict, test_args) -> None:
    """Runs in the forked child: confine, then run the submission. Never returns.

    A failure of the runner's own set-up is reported on the status pipe as ``setup_error``,
    which the host turns into SE: it must never look like the submission's runtime error.
    """
    status_fd = fds["status"]
    try:
        os.setsid()
        os.dup2(fds["stdin"], 0)
        os.dup2(fds["stdout"], 1)
        os.dup2(fds["stderr"], 2)
        os.dup2(fds["status"], STATUS_FD)
        os.closerange(STATUS_FD + 1, 65536)
        # The out-of-memory killer must pick the submission, never the runner (pid 1 in docker).
        try:
            with open("/proc/self/oom_score_adj", "w") as f:
                f.write("1000")
        except OSError:
            pass
        limits = job.limits
        cpu = max(1, math.ceil(limits["cpu_s"]))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu + 1, cpu + 2))
        _set_limit(resource.RLIMIT_CORE, 0)
        _set_limit(resource.RLIMIT_FSIZE, int(limits["fsize_bytes"]))
        _set_limit(resource.RLIMIT_NOFILE, int(limits["nofile"]))
        memory = int(limits["memory_mb"]) * MIB
        _set_limit(resource.RLIMIT_STACK, min(memory, 64 * MIB))
        # The limit is on what the submission adds on top of the warm interpreter it inherits.
        _set_limit(resource.RLIMIT_AS, _address_space_now() + memory)
        if job.sandbox_uid is not None:
            if job.nproc_rlimit:
                # Counts the uid's processes host-wide: the host gives each jail its own uid, or
                # (docker) bounds processes with the container's pids cgroup instead.
                _set_limit(resource.RLIMIT_NPROC, int(limits["nproc"]))
            os.setgroups([])
            os.setgid(job.sandbox_uid)
            os.setuid(job.sandbox_uid)
        os.chdir(job.workdir)  # after dropping privileges: the dir is the sandbox uid's, mode 0700
        os.environ.clear()
        os.environ.update(job.child_env)
        _prepare_process(job)
        # From here on the submission runs in this process and may write anything on the status fd;
        # the parent trusts a set-up error only before this line (see _parse_status).
        _write_all(STATUS_FD, _STARTED_STATUS)
    except BaseException as exc:
        message = f"child set-up failed: {type(exc).__name__}: {exc}"
        for fd in (STATUS_FD, status_fd):
            try:
                os.write(fd, (json.dumps({"setup_error": message}) + "\n").encode())
                break
            except Exception:
                continue
        os._exit(125)
    os._exit(_run_submission(job, test_args))


def _status(obj) -> None:
    try:
        data = (json.dumps(obj, separators=(",", ":")) + "\n").encode()
        view = memoryview(data)
        while view:
            view = view[os.write(STATUS_FD, view):]
    except Exception:
        pass


_MEMORY_ERROR_STATUS = b'{"exc_type":"MemoryError"}\n'
_STARTED_STATUS = b'{"started":true}\n'


def _prepare_process(job: "Job") -> None:
    """Make this child look like a fresh ``python3 solution.py`` process."""
    previous = (sys.stdin, sys.stdout, sys.stderr)
    # Built like CPython's own stdio (open() sets .mode/.name, which some programs read).
    sys.stdin = sys.__stdin__ = open(0, "r", encoding="utf-8", newline="\n", closefd=False)
    sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8", newline="\n", closefd=False)
    sys.stderr = sys.__stderr__ = open(
        2, "w", buffering=1, encoding="utf-8", errors="backslashreplace", newline="\n", closefd=False
    )
    # Names the preamble bound to the runner's stdio (TACO's `stdin = sys.stdin`) follow the new streams.
    renamed = {id(previous[0]): sys.stdin, id(previous[1]): sys.stdout, id(previous[2]): sys.stderr}
    sys.argv = ["solution.py"]
    sys.path[0] = job.workdir
    # Judges run Python 3 without 3.11's int/str conversion cap (TACO's tests predate it);
    # the CPU limit already bounds the cost of a huge conversion.
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)
    atexit._clear()  # only the submission's own exit handlers run at its exit
    random.seed()  # CPython reseeds `random` after a fork anyway; this costs ~0.03 ms
    # numpy's global generator was reseeded from OS entropy by the job process after its previous
    # reply (Runner.reseed), off this test's critical path: every test starts from a fresh state.
    linecache.cache[SOLUTION_FILENAME] = (len(job.code), None, job.code.splitlines(True), SOLUTION_FILENAME)
    module = types.ModuleType("__main__")
    module.__dict__.update(job.namespace)
    for name, value in job.namespace.items():
        if id(value) in renamed:
            module.__dict__[name] = renamed[id(value)]
    module.__dict__["__name__"] = "__main__"
    module.__dict__["__builtins__"] = __builtins__
    sys.modules["__main__"] = module


def _run_submission(job: "Job", test_args) -> int:
    """Execute the compiled submission as ``__main__``; returns the process exit code."""
    module = sys.modules["__main__"]
    exit_code = 0
    try:
        try:
            exec(job.compiled, module.__dict__)
            if job.mode == "call":
                func = _find_function(module.__dict__, job.fn_name)
                if func is None:
                    _status({"missing_function": True})
                    sys.stderr.write(f"no function named {job.fn_name!r} (top level or in class Solution)\n")
                    exit_code = 1
                else:
                    value = func(*test_args)
                    _status({"returned": True, "value": encode_value(value)})
        except SystemExit as exc:
            exit_code = _exit_code_of(exc)
    except MemoryError:
        os.write(STATUS_FD, _MEMORY_ERROR_STATUS)
        try:
            sys.stderr.write("MemoryError\n")
        except BaseException:
            pass
        exit_code = 1
    except BaseException as exc:
        _status({"exc_type": type(exc).__name__})
        try:
            tb = exc.__traceback__
            while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
                tb = tb.tb_next  # the runner's own frames are noise to the reader
            traceback.print_exception(type(exc), exc, _last_entries(tb, TRACEBACK_LIMIT))
        except BaseException:
            pass
        exit_code = 1
    # Interpreter shutdown, as CPython does it: wait for non-daemon threads, run atexit handlers
    # (fast-I/O templates print their buffered output there), flush stdio.
    try:
        threading._shutdown()
    except BaseException:
        pass
    try:
        atexit._run_exitfuncs()
    except BaseException:
        pass
    # sys.__stdout__ too: CPython flushes it when it is finalized, and fast-I/O templates write there.
    streams = []
    for stream in (sys.stdout, sys.__stdout__, sys.stderr, sys.__stderr__):
        if stream is not None and all(stream is not s for s in streams):
            streams.append(stream)
    for stream in streams:
        try:
            if stream.closed:
                continue  # closed by the program itself: CPython skips it at exit, without an error
            stream.flush()
        except BaseException:
            if exit_code == 0:
                exit_code = 120  # what CPython does when flushing stdout fails at exit
    return exit_code


TRACEBACK_LIMIT = 1000  # CPython's own default: a traceback shows its last 1000 entries


def _last_entries(tb, limit: int):
    """The traceback from its ``limit``-th last entry on. traceback's own ``limit`` still walks every
    frame, which for a RecursionError at depth 10**6 takes seconds and turns RE into TLE."""
    length = 0
    entry = tb
    while entry is not None:
        length += 1
        entry = entry.tb_next
    for _ in range(length - limit):
        tb = tb.tb_next
    return tb


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


def _find_function(namespace: dict, fn_name: str):
    """TACO's rule: a method of ``class Solution`` when there is one, else a top-level function."""
    if not isinstance(fn_name, str) or not fn_name:
        return None  # no function to call: CE (hasattr(Solution, None) would raise -> RE)
    solution = namespace.get("Solution")
    if isinstance(solution, type) and hasattr(solution, fn_name):
        return getattr(solution(), fn_name)
    func = namespace.get(fn_name)
    return func if callable(func) else None


# ---------------------------------------------------------------- the parent (runner)


class Job:
    """The submission currently loaded: compiled code plus everything a test child needs."""

    def __init__(self, request: dict, workdir: str, namespace: dict, compiled) -> None:
        self.code: str = request["code"]
        self.mode: str = request.get("mode", "stdin")
        self.fn_name: str | None = request.get("fn_name")
        self.limits: dict = request["limits"]
        self.sandbox_uid: int | None = request.get("sandbox_uid")
        self.workdir = workdir
        self.nproc_rlimit: bool = bool(request.get("nproc_rlimit", True))
        self.namespace = namespace
        self.compiled = compiled
        self.child_env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": workdir,
            "TMPDIR": workdir,
            "LANG": "C.UTF-8",
            "PYTHONIOENCODING": "utf-8",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }


JOB_NEXT = 0  # a job process's exit status: the submission is over, fork a fresh one for the next
JOB_STOP = 4  # the host said exit, or closed the protocol stream: the runner stops


class Zygote:
    """The runner's first process (pid 1 in a jail): warm, and it never handles a submission.

    Each submission is served by a job process forked from it, which exits when the submission
    ends. A test child inherits its parent's whole memory, freed heap included; this way that
    memory holds nothing of any earlier submission (its code, inputs or outputs), which a later
    sample could otherwise search for answers.
    """

    def __init__(self, proto_in: int, proto_out: int) -> None:
        self.proto_in = proto_in
        self.proto_out = proto_out
        self.is_init = os.getpid() == 1  # pid 1 of a pid namespace: kill(-1) reaches everything else
        self.work_root = os.environ.get("TACO_JUDGE_WORK_ROOT") or tempfile.gettempdir()
        # Local jail: a tmpfs of our own over /tmp (in our mount namespace), fresh per submission.
        self.private_tmp_mb = int(os.environ.get("TACO_JUDGE_PRIVATE_TMP_MB") or 0)
        if (
            self.private_tmp_mb
            and self.is_init
            and not _python_files_under("/tmp")  # a venv under /tmp must stay visible to imports
            and _mount_tmpfs("/tmp", self.private_tmp_mb)
        ):
            self.work_root = "/tmp"
        else:
            self.private_tmp_mb = 0
        self.oom_file = Runner._find_oom_counter()
        # A request a job process read but left to the next one (a new submission's `load`). Kernel
        # memory: the zygote itself never reads it.
        self.handoff = os.memfd_create("taco-judge-handoff", 0)
        # Job -> zygote: "uid N" asks it to make the standard library importable for uid N.
        self.control_r, self.control_w = os.pipe()
        os.set_blocking(self.control_r, False)
        self.uids_ready: set[int] = set()
        self.stdlib_preloaded = 0

    def run(self) -> None:
        """Fork one job process per submission until the host says exit or goes away."""
        while True:
            pid = self._fork()
            if pid == 0:
                self._job_main()
            status = self._wait_for(pid)
            self._read_control()
            if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == JOB_NEXT):
                return

    @staticmethod
    def _fork() -> int:
        """fork(), waiting a little while the last submission's processes are still being reaped
        (they count against the jail's process limit until then)."""
        for attempt in range(50):
            try:
                return os.fork()
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.ENOMEM):
                    raise
                _reap()
                time.sleep(0.01 * (attempt + 1))
        return os.fork()

    def _job_main(self) -> None:
        status = 1
        try:
            os.close(self.control_r)
            if self.is_init:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
            status = Runner(self).serve()
        except (BrokenPipeError, KeyboardInterrupt):
            status = JOB_STOP
        except BaseException as exc:
            if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
                status = JOB_STOP
            else:
                traceback.print_exc()
        finally:
            os._exit(status)

    @staticmethod
    def _wait_for(pid: int) -> int:
        """Wait for the job process, reaping the orphans (pid 1's duty) meanwhile."""
        while True:
            try:
                got, status = os.waitpid(-1, 0)
            except ChildProcessError:
                return 1 << 8
            if got == pid:
                return status

    def _read_control(self) -> None:
        try:
            data = os.read(self.control_r, 1 << 16)
        except BlockingIOError:
            return
        for line in data.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == b"uid" and parts[1].isdigit():
                self._prepare_uid(int(parts[1]))

    def _prepare_uid(self, uid: int) -> None:
        """If ``uid`` cannot read this interpreter's files (e.g. a Python under /root), import the
        standard library (and numpy's lazily loaded submodules) here, once, so that submissions
        still find them in every job process forked from now on."""
        self.uids_ready.add(uid)
        if self.stdlib_preloaded:
            return
        stdlib = os.path.dirname(os.__file__)
        pid = os.fork()
        if pid == 0:
            try:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
                numpy = sys.modules.get("numpy")
                files = [os.path.join(stdlib, "os.py"), getattr(numpy, "__file__", None) or stdlib]
                os._exit(0 if all(os.access(path, os.R_OK) for path in files) else 1)
            except BaseException:
                os._exit(2)
        _, status = os.waitpid(pid, 0)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
            return
        self.stdlib_preloaded = _preload_stdlib() + _preload_numpy()


class Runner:
    """A job process: serves the protocol for one submission (from its `load` to its `reset`)."""

    def __init__(self, zygote: Zygote) -> None:
        self.zygote = zygote
        self.proto_in = zygote.proto_in
        self.proto_out = zygote.proto_out
        self.inbuf = bytearray(_take_handoff(zygote.handoff))
        self.job: Job | None = None
        self.preambles: dict[str, dict] = {}
        self.work_root = zygote.work_root
        self.is_init = zygote.is_init
        self.private_tmp_mb = zygote.private_tmp_mb
        self.oom_file = zygote.oom_file
        self.stdlib_preloaded = zygote.stdlib_preloaded

    # -- protocol
    def read_line(self) -> bytes | None:
        """The next non-empty request line (without its newline); None at the end of the stream."""
        while True:
            nl = self.inbuf.find(b"\n")
            if nl >= 0:
                line = bytes(self.inbuf[:nl])
                del self.inbuf[: nl + 1]
                if line.strip():
                    return line
                continue
            chunk = os.read(self.proto_in, 1 << 20)
            if not chunk:
                return None
            self.inbuf += chunk

    def reply(self, obj: dict) -> None:
        data = (json.dumps(obj, separators=(",", ":")) + "\n").encode()
        view = memoryview(data)
        while view:
            view = view[os.write(self.proto_out, view):]

    def serve(self) -> int:
        """Serve requests until this submission is over; returns the job process's exit status."""
        loaded = False
        while True:
            line = self.read_line()
            if line is None:
                self.op_reset({})
                return JOB_STOP
            try:
                request = json.loads(line)
                if not isinstance(request, dict):
                    raise ValueError("not a JSON object")
            except ValueError as exc:
                self.reply({"ok": False, "error": f"malformed request: {exc}"})
                continue
            op = request.get("op")
            if op == "exit":
                self.op_reset({})
                return JOB_STOP
            if op == "load":
                uid = request.get("sandbox_uid")
                if loaded or (isinstance(uid, int) and uid not in self.zygote.uids_ready):
                    # A second submission (after a compile error, with no reset in between), or the
                    # zygote must first get ready for this uid: a fresh job process takes it.
                    self.op_reset({})
                    if not loaded:
                        os.write(self.zygote.control_w, f"uid {uid}\n".encode())
                    _hand_off(self.zygote.handoff, line)
                    return JOB_NEXT
                loaded = True
            handler = getattr(self, f"op_{op}", None)
            if handler is None:
                self.reply({"ok": False, "error": f"unknown op {op!r}"})
                continue
            try:
                self.reply(handler(request))
            except Exception as exc:
                self.reply({"ok": False, "error": f"{op} failed: {type(exc).__name__}: {exc}"})
            if op == "reset" and loaded:
                return JOB_NEXT
            if op in ("load", "test"):
                self.reseed()  # after the reply: the next test's child inherits a fresh state

    def reseed(self) -> None:
        """Reseed numpy's global generator from OS entropy, so each forked test child starts from
        a state nobody can predict or share (seeding inside the child cost ~0.6 ms per test)."""
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            try:
                numpy.random.seed()
            except Exception:
                pass

    # -- operations
    def op_hello(self, request: dict) -> dict:
        return {
            "ok": True,
            "runner_version": RUNNER_VERSION,
            "python": sys.version.split()[0],
            "pid_ns": self.is_init,
            "zygote": True,
            "uid": os.geteuid(),
            "numpy": "numpy" in sys.modules,
            "oom_counter": self.oom_file,
            "stdlib_preloaded": self.stdlib_preloaded,
            "private_tmp": bool(self.private_tmp_mb),
        }

    def op_load(self, request: dict) -> dict:
        self.op_reset({})
        code = request["code"]
        error = self._compile_check(code, request)
        if error is not None:
            return {"ok": False, "compile_error": error}
        compiled = compile(code, SOLUTION_FILENAME, "exec", dont_inherit=True)
        namespace = self._preamble_namespace(request.get("preamble") or "")
        workdir = tempfile.mkdtemp(prefix="sub-", dir=self.work_root)
        uid = request.get("sandbox_uid")
        if uid is not None:
            os.chown(workdir, uid, uid)
        self.job = Job(request, workdir, namespace, compiled)
        return {"ok": True}

    def op_test(self, request: dict) -> dict:
        if self.job is None:
            return {"ok": False, "error": "test before load"}
        return {"ok": True, "obs": self.run_one(self.job, request)}

    def op_reset(self, request: dict) -> dict:
        job, self.job = self.job, None
        leftovers = self.kill_leftovers(job.sandbox_uid if job else None)
        if job is not None:
            leftovers += self._wipe(job)
            if self.private_tmp_mb:  # whatever the submission left in /tmp goes with the old tmpfs
                _umount("/tmp")
                if not _mount_tmpfs("/tmp", self.private_tmp_mb):
                    leftovers.append("cannot remount the private /tmp")
            if self.is_init:  # our own IPC namespace (docker ipc none, local unshare --ipc)
                leftovers += _remove_sysv_ipc(job.sandbox_uid)
        return {"ok": True, "clean": not leftovers, "leftovers": leftovers}

    # -- compile
    def _compile_check(self, code: str, request: dict) -> str | None:
        """Compile in a confined child first: a pathological program may crash the compiler."""
        if "\x00" in code:
            return "ValueError: source code string cannot contain null bytes"
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(r)
                memory = int(request["limits"]["memory_mb"]) * MIB
                _set_limit(resource.RLIMIT_AS, _address_space_now() + memory)
                _set_limit(resource.RLIMIT_CPU, 10)
                try:
                    compile(code, SOLUTION_FILENAME, "exec", dont_inherit=True)
                    message = ""
                except SyntaxError as exc:
                    message = f"{type(exc).__name__}: {exc.msg} (line {exc.lineno})"
                except (ValueError, MemoryError, RecursionError) as exc:
                    message = f"{type(exc).__name__}: {exc}"
                os.write(w, ("ok\n" + message).encode("utf-8", "backslashreplace"))
            finally:
                os._exit(0)
        os.close(w)
        out = bytearray()
        while True:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            out += chunk
        os.close(r)
        os.waitpid(pid, 0)
        if not out.startswith(b"ok\n"):
            return "the compiler crashed on this program"
        message = out[3:].decode("utf-8", "replace")
        return message or None

    def _preamble_namespace(self, preamble: str) -> dict:
        """Globals after running the preamble, computed once per preamble text (imports are warm)."""
        cached = self.preambles.get(preamble)
        if cached is not None:
            return cached
        namespace: dict = {"__builtins__": __builtins__}
        for line in preamble.splitlines():
            if not line.strip():
                continue
            try:
                exec(compile(line, "<preamble>", "exec"), namespace)
            except ImportError:
                pass  # e.g. numpy missing from the image: the program simply lacks that name
        namespace.pop("__builtins__", None)
        self.preambles[preamble] = namespace
        return namespace

    # -- one test
    def run_one(self, job: Job, request: dict) -> dict:
        limits = job.limits
        if job.mode == "call":
            args = request.get("args") or []
            stdin_data = b""
        else:
            args = None
            stdin_data = base64.b64decode(request.get("stdin_b64", ""))
        stdin_fd = os.memfd_create("stdin", 0)
        _write_all(stdin_fd, stdin_data)
        os.lseek(stdin_fd, 0, os.SEEK_SET)
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        st_r, st_w = os.pipe()
        oom_before = self._oom_count()
        cpu_base = self._jail_cpu_seconds()
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child_main(job, {"stdin": stdin_fd, "stdout": out_w, "stderr": err_w, "status": st_w}, args)
        for fd in (stdin_fd, out_w, err_w, st_w):
            os.close(fd)
        result = self._supervise(pid, started, out_r, err_r, st_r, limits, job.sandbox_uid, cpu_base)
        self.kill_test_processes(pid, job.sandbox_uid)
        oom_after = self._oom_count()
        result["oom_killed"] = oom_before is not None and oom_after is not None and oom_after > oom_before
        return result

    def _supervise(
        self,
        pid: int,
        started: float,
        out_r: int,
        err_r: int,
        st_r: int,
        limits: dict,
        sandbox_uid: int | None,
        cpu_base: float | None,
    ) -> dict:
        output_cap = int(limits["output_bytes"])
        stderr_cap = int(limits["stderr_bytes"])
        cpu_limit = float(limits["cpu_s"])
        wall_limit = float(limits["wall_s"])
        stdout = bytearray()
        stderr = bytearray()
        status = bytearray()
        stdout_truncated = stderr_truncated = wall_timeout = cpu_timeout = False
        sel = selectors.DefaultSelector()
        for fd in (out_r, err_r, st_r):
            os.set_blocking(fd, False)
            sel.register(fd, selectors.EVENT_READ)
        try:
            pidfd = os.pidfd_open(pid)
            sel.register(pidfd, selectors.EVENT_READ)
        except OSError:
            pidfd = None
        exited = False
        wait_status = None
        killed = False
        cpu_cap = cpu_limit * 1.05 + 0.05
        # The test's processes cannot have used more CPU than wall time x CPUs: until then the
        # (whole-jail /proc scan) CPU poll cannot find a timeout and is skipped.
        first_cpu_poll = cpu_cap / max(1, os.cpu_count() or 1)
        while True:
            elapsed = time.monotonic() - started
            if not killed:
                if elapsed > wall_limit:
                    wall_timeout = True
                elif elapsed >= first_cpu_poll and self._test_cpu_seconds(pid, cpu_base) > cpu_cap:
                    cpu_timeout = True
                if wall_timeout or cpu_timeout or stdout_truncated:
                    _kill_group(pid)
                    killed = True
            events = sel.select(POLL_S)
            for key, _ in events:
                fd = key.fd
                if fd == pidfd:
                    exited = True
                    continue
                try:
                    chunk = os.read(fd, 1 << 16)
                except BlockingIOError:
                    continue
                if not chunk:
                    sel.unregister(fd)
                    continue
                if fd == out_r:
                    room = output_cap - len(stdout)
                    if len(chunk) > room:
                        stdout += chunk[: max(room, 0)]
                        stdout_truncated = True
                    else:
                        stdout += chunk
                elif fd == err_r:
                    stderr += chunk
                    if len(stderr) > stderr_cap:
                        del stderr[: len(stderr) - stderr_cap]
                        stderr_truncated = True
                elif len(status) < output_cap + 1024:
                    status += chunk
            if pidfd is None and not exited:
                done, wait_status = _try_wait(pid)
                exited = done
            if exited:
                break
        # The child is gone (a zombie until wait4 below, so its pid is not reused): anything it
        # left behind, holding the pipes open, dies now rather than after the drain timeout.
        self._kill_others(pid, sandbox_uid)
        deadline = time.monotonic() + 1.0
        while len(sel.get_map()) > (1 if pidfd is not None else 0) and time.monotonic() < deadline:
            for key, _ in sel.select(0.05):
                if key.fd == pidfd:
                    continue
                try:
                    chunk = os.read(key.fd, 1 << 16)
                except BlockingIOError:
                    continue
                if not chunk:
                    sel.unregister(key.fd)
                elif key.fd == out_r and not stdout_truncated:
                    room = output_cap - len(stdout)
                    stdout += chunk[: max(room, 0)]
                    stdout_truncated = len(chunk) > room
                elif key.fd == st_r and len(status) < output_cap + 1024:
                    status += chunk
        if wait_status is None:
            _, wait_status, rusage = os.wait4(pid, 0)
        else:
            rusage = wait_status[1]
            wait_status = wait_status[0]
        wall = time.monotonic() - started
        sel.close()
        for fd in (out_r, err_r, st_r):
            os.close(fd)
        if pidfd is not None:
            os.close(pidfd)
        cpu = rusage.ru_utime + rusage.ru_stime
        if cpu_base is not None:
            # Processes the program started and never waited for (workers it only read a pipe
            # from, orphans pid 1 reaped) are not in the child's rusage, but their CPU is its work.
            cpu += max(0.0, self._jail_cpu_seconds() - cpu_base)  # type: ignore[operator]
        exit_code = os.WEXITSTATUS(wait_status) if os.WIFEXITED(wait_status) else None
        sig = os.WTERMSIG(wait_status) if os.WIFSIGNALED(wait_status) else None
        if sig == signal.SIGXCPU or cpu > cpu_limit:
            cpu_timeout = True
        info = _parse_status(bytes(status))
        value_present = "value" in info
        return {
            "stdout_b64": base64.b64encode(bytes(stdout)).decode("ascii"),
            "stderr_tail": stderr.decode("utf-8", "replace"),
            "exit_code": exit_code,
            "signal": sig,
            "cpu_s": round(cpu, 6),
            "wall_s": round(wall, 6),
            "peak_rss_mb": round(rusage.ru_maxrss / 1024.0, 3),
            "stdout_truncated": stdout_truncated,
            "stderr_truncated": stderr_truncated,
            "wall_timeout": wall_timeout,
            "cpu_timeout": cpu_timeout,
            "exc_type": info.get("exc_type"),
            "missing_function": bool(info.get("missing_function")),
            "returned": bool(info.get("returned")) and value_present,
            "return_value": info.get("value"),
            "setup_error": info.get("setup_error"),
        }

    # -- CPU time of everything a test started
    def _jail_cpu_seconds(self) -> float | None:
        """CPU seconds of every process in our pid namespace except this one (None outside one).

        Live and zombie processes count with their reaped children; pid 1 (the zygote) counts only
        the orphans it reaped. A test's CPU is this sum's growth, so a program cannot hide work in
        processes it never waits for.
        """
        if not self.is_init:
            return None
        me = os.getpid()
        ticks = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == me:
                continue
            times = _proc_times(int(entry))
            if times is not None:
                ticks += times[2] + times[3] if entry == "1" else sum(times)
        return ticks / _CLOCK_TICKS

    def _test_cpu_seconds(self, pid: int, cpu_base: float | None) -> float:
        if cpu_base is None:
            return _cpu_seconds(pid)  # no pid namespace: only the test's own process can be seen
        return self._jail_cpu_seconds() - cpu_base  # type: ignore[operator]

    # -- clean-up
    def _kill_others(self, pid: int, sandbox_uid: int | None) -> None:
        """Kill the test's process group and everything else the submission may have started."""
        _kill_group(pid)
        if self.is_init:
            _kill_all_but_me()
        elif sandbox_uid is not None and os.geteuid() == 0:
            _kill_uid(sandbox_uid)

    def kill_test_processes(self, pid: int, sandbox_uid: int | None) -> None:
        """After a test: nothing the test started may outlive it."""
        self._kill_others(pid, sandbox_uid)
        _reap()

    def kill_leftovers(self, sandbox_uid: int | None) -> list[str]:
        """Kill everything the submission may have left and report what is still alive."""
        if self.is_init:
            _kill_all_but_me()
        elif sandbox_uid is not None and os.geteuid() == 0:
            _kill_uid(sandbox_uid)
        _reap()
        time.sleep(0)  # let the kernel finish exits before looking
        return self._survivors(sandbox_uid)

    def _survivors(self, sandbox_uid: int | None) -> list[str]:
        me = os.getpid()
        found = []
        for _ in range(50):
            found = []
            for entry in os.listdir("/proc"):
                if not entry.isdigit() or int(entry) == me or (self.is_init and entry == "1"):
                    continue  # (pid 1 is the zygote)
                try:
                    with open(f"/proc/{entry}/status") as f:
                        fields = dict(line.split(":", 1) for line in f if ":" in line)
                except OSError:
                    continue
                uid = int(fields.get("Uid", "-1").split()[0])
                state = fields.get("State", "").strip()
                if state.startswith("Z"):
                    continue
                if self.is_init or (sandbox_uid is not None and uid == sandbox_uid):
                    found.append(f"pid {entry} ({fields.get('Name', '?').strip()})")
            if not found:
                return []
            if self.is_init:
                _kill_all_but_me()
            elif sandbox_uid is not None and os.geteuid() == 0:
                _kill_uid(sandbox_uid)
            _reap()
            time.sleep(0.01)
        return found

    def _wipe(self, job: Job) -> list[str]:
        """Delete the submission's working dir, as its own uid when it ran under one; what survived.

        The program may have taken the permissions away from its own dirs, or nested them
        thousands deep: what is left would reach the next submission (same uid), or fill the jail.
        """
        if job.sandbox_uid is not None and os.geteuid() == 0:
            pid = os.fork()
            if pid == 0:
                try:
                    os.setgroups([])
                    os.setgid(job.sandbox_uid)
                    os.setuid(job.sandbox_uid)
                    _empty_tree(job.workdir)
                finally:
                    os._exit(0)
            os.waitpid(pid, 0)
        _empty_tree(job.workdir)  # (the uid's pass emptied it; without a uid of its own, this does)
        try:
            os.rmdir(job.workdir)
        except OSError:
            pass
        return [f"working dir {job.workdir} not removed"] if os.path.lexists(job.workdir) else []

    # -- cgroup OOM counter (docker: the container's memory cgroup)
    @staticmethod
    def _find_oom_counter() -> str | None:
        for path in ("/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control"):
            try:
                with open(path) as f:
                    if "oom_kill" in f.read():
                        return path
            except OSError:
                continue
        return None

    def _oom_count(self) -> int | None:
        if self.oom_file is None:
            return None
        try:
            with open(self.oom_file) as f:
                for line in f:
                    name, _, value = line.partition(" ")
                    if name == "oom_kill":
                        return int(value)
        except (OSError, ValueError):
            return None
        return None


# ---------------------------------------------------------------- helpers


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_times(pid: int) -> tuple[int, int, int, int] | None:
    """utime, stime, cutime, cstime (clock ticks) of a process, from /proc; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return int(fields[11]), int(fields[12]), int(fields[13]), int(fields[14])
    except (OSError, IndexError, ValueError):
        return None


def _cpu_seconds(pid: int) -> float:
    """CPU time of a live process (all its threads), from /proc; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks
    except (OSError, IndexError, ValueError):
        return 0.0


def _try_wait(pid: int):
    try:
        got, status, rusage = os.wait4(pid, os.WNOHANG)
    except ChildProcessError:
        return True, None
    if got == 0:
        return False, None
    return True, (status, rusage)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _kill_all_but_me() -> None:
    try:
        os.kill(-1, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _kill_uid(uid: int) -> None:
    """Kill every process of ``uid``: a child that becomes that uid and signals everything it may."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        except BaseException:
            pass
        os._exit(0)
    os.waitpid(pid, 0)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _empty_tree(top: str) -> None:
    """Delete everything under ``top``, giving its dirs their owner's permissions back first.

    Iterative, moving the cwd down and up the tree (no recursion limit, no path length limit, no
    fd per level), never following a symlink; what cannot be deleted stays for the caller to see.
    """
    here = os.open(".", getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY)  # needs no read permission
    try:
        try:
            os.chmod(top, 0o700)
        except OSError:
            pass
        os.chdir(top)
        levels = [_clear_cwd()]  # per level: the subdirs of that level's dir still to visit
        names: list[str] = []  # the path from top to the cwd
        while levels:
            if levels[-1]:
                name = levels[-1].pop()
                try:
                    os.chmod(name, 0o700)
                    os.chdir(name)
                except OSError:
                    continue  # not ours: it stays
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
        return
    finally:
        os.fchdir(here)
        os.close(here)


def _clear_cwd() -> list[str]:
    """Delete every entry of the current dir but its subdirs, which are returned."""
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


_NOT_PRELOADED = {
    "antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo", "lib2to3", "ensurepip", "venv",
    "pydoc", "pydoc_data", "test", "unittest", "distutils", "_tkinter", "crypt", "nis", "spwd",
    "ossaudiodev", "_crypt", "msilib", "winreg", "winsound", "msvcrt", "nt", "_winapi",
}


def _preload_stdlib() -> int:
    """Import every standard-library module (and the codecs) that imports cleanly; returns a count."""
    import importlib
    import pkgutil

    count = 0
    names = [n for n in sorted(sys.stdlib_module_names) if n not in _NOT_PRELOADED and not n.startswith("_test")]
    for name in names:
        try:
            importlib.import_module(name)
            count += 1
        except Exception:
            pass
    import encodings

    for info in pkgutil.iter_modules(encodings.__path__):
        try:
            importlib.import_module(f"encodings.{info.name}")
        except Exception:
            pass
    return count


# numpy 2 imports these on first attribute access (np.fft, np.polynomial, ...): from files a
# sandbox uid may be unable to read when numpy lives under /root.
_NUMPY_LAZY_SUBMODULES = ("linalg", "fft", "random", "polynomial", "ma", "ctypeslib", "rec", "char", "strings")


def _preload_numpy() -> int:
    """Import numpy's lazily loaded submodules when numpy is loaded; returns a count."""
    if "numpy" not in sys.modules:
        return 0
    import importlib

    count = 0
    for name in _NUMPY_LAZY_SUBMODULES:
        try:
            importlib.import_module(f"numpy.{name}")
            count += 1
        except Exception:
            pass
    return count


_SYSV_IPC = (("shm", "shmctl"), ("msg", "msgctl"), ("sem", "semctl"))


def _sysv_ipc_ids() -> list[tuple[str, int]]:
    found = []
    for kind, _ in _SYSV_IPC:
        try:
            with open(f"/proc/sysvipc/{kind}") as f:
                next(f, None)  # header
                for line in f:
                    fields = line.split()
                    if len(fields) > 1:
                        found.append((kind, int(fields[1])))
        except (OSError, ValueError):
            continue
    return found


def _remove_sysv_ipc(uid: int | None) -> list[str]:
    """Remove System V shared memory, queues and semaphores a submission left; report survivors.

    They outlive processes, so one submission could hand data to the next through them."""
    if not _sysv_ipc_ids():
        return []
    pid = os.fork()
    if pid == 0:
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if uid is not None and os.geteuid() == 0:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            for kind, ident in _sysv_ipc_ids():
                call = dict(_SYSV_IPC)[kind]
                if kind == "sem":
                    getattr(libc, call)(ident, 0, 0)  # IPC_RMID == 0
                else:
                    getattr(libc, call)(ident, 0, None)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    return [f"System V {kind} id {ident}" for kind, ident in _sysv_ipc_ids()]


def _python_files_under(root: str) -> bool:
    """Whether this interpreter or anything on its import path lives below ``root``."""
    prefix = root.rstrip("/") + "/"
    places = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.executable, *sys.path]
    absolute = [p for p in places if isinstance(p, str) and os.path.isabs(p)]  # not path hooks, not ''
    return any(p.startswith(prefix) or os.path.realpath(p).startswith(prefix) for p in absolute)


def _mount_tmpfs(path: str, size_mb: int) -> bool:
    """Mount a fresh tmpfs at ``path`` (needs CAP_SYS_ADMIN in our own mount namespace)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    options = f"size={size_mb}m,mode=0755".encode()
    ms_nosuid, ms_nodev = 2, 4
    return libc.mount(b"tmpfs", path.encode(), b"tmpfs", ms_nosuid | ms_nodev, options) == 0


def _umount(path: str) -> None:
    import ctypes

    mnt_detach = 2
    ctypes.CDLL(None, use_errno=True).umount2(path.encode(), mnt_detach)


def _hand_off(fd: int, line: bytes) -> None:
    """Leave one request line for the next job process (in a memfd the zygote never reads)."""
    os.ftruncate(fd, 0)
    data = memoryview(line + b"\n")
    offset = 0
    while offset < len(data):
        offset += os.pwrite(fd, data[offset:], offset)


def _take_handoff(fd: int) -> bytes:
    """The request line the previous job process left, if any (and empty the memfd)."""
    size = os.fstat(fd).st_size
    chunks = []
    offset = 0
    while offset < size:
        chunk = os.pread(fd, size - offset, offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    os.ftruncate(fd, 0)
    return b"".join(chunks)


def _parse_status(data: bytes) -> dict:
    """The child's status lines, read as untrusted input; later lines win, junk is ignored.

    Lines before ``{"started": true}`` come from the runner's own set-up code: only they may
    report a set-up failure (-> SE). After it the submission shares the process and can write
    anything on the status fd, so what follows may only describe the submission's own fate,
    and only in the shapes the runner itself writes: a forged "set-up error" (SE is left out
    of pass@k) or a malformed return value (which would break the host's checker) is dropped.
    """
    info: dict = {}
    started = False
    for line in data.splitlines():
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if not isinstance(obj, dict):
            continue
        if not started:
            if obj.get("started") is True:
                started = True
            elif isinstance(obj.get("setup_error"), str):
                info["setup_error"] = obj["setup_error"][:2000]
            continue
        if isinstance(obj.get("exc_type"), str):
            info["exc_type"] = obj["exc_type"][:200]
        if obj.get("missing_function") is True:
            info["missing_function"] = True
        if obj.get("returned") is True and "value" in obj:
            if _valid_value(obj["value"]):
                info["returned"], info["value"] = True, obj["value"]
            else:
                info.pop("returned", None)
                info.pop("value", None)
    return info


_MAX_VALUE_DEPTH = 400  # encode_value stops at depth 200 (an opaque "<too deep>"), so real values fit


def _valid_value(value) -> bool:
    """Whether ``value`` is tagged JSON that taco_judge.values.decode turns into a value without error."""
    try:
        _decode_value(value, 0)
    except Exception:  # anything at all: the submission wrote it
        return False
    return True


def _decode_value(value, depth: int):
    """A strict mirror of taco_judge.values.decode (the host's), raising on anything it would choke on."""
    if depth > _MAX_VALUE_DEPTH:
        raise ValueError("too deep")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_decode_value(v, depth + 1) for v in value]
    if not isinstance(value, dict):
        raise TypeError(type(value).__name__)
    if len(value) == 1:
        ((tag, body),) = value.items()
        if tag in ("$tuple", "$set", "$frozenset"):
            if not isinstance(body, list):
                raise TypeError(tag)
            items = [_decode_value(v, depth + 1) for v in body]
            return {"$tuple": tuple, "$set": set, "$frozenset": frozenset}[tag](items)
        if tag == "$float":
            if body not in ("inf", "-inf", "nan"):
                raise ValueError(tag)
            return float(body)
        if tag == "$dict":
            if not isinstance(body, list) or not all(isinstance(p, list) and len(p) == 2 for p in body):
                raise TypeError(tag)
            return {_decode_value(k, depth + 1): _decode_value(v, depth + 1) for k, v in body}
        if tag == "$bytes":
            if not isinstance(body, str):
                raise TypeError(tag)
            return bytes.fromhex(body)
        if tag == "$int":
            if not isinstance(body, str):
                raise TypeError(tag)
            return int(body, 16)
        if tag == "$fraction":
            if not (isinstance(body, list) and len(body) == 2 and all(type(n) is int for n in body)):
                raise TypeError(tag)
            return fractions.Fraction(body[0], body[1])  # ZeroDivisionError for a zero denominator
        if tag == "$decimal":
            if not isinstance(body, str):
                raise TypeError(tag)
            number = decimal.Decimal(body)
            if number.is_snan():  # raises on ==, inside the host's checker
                raise ValueError(tag)
            return number
    if set(value) == {"$opaque", "$repr"}:
        if not (isinstance(value["$opaque"], str) and isinstance(value["$repr"], str)):
            raise TypeError("$opaque")
        return ("$opaque", value["$opaque"], value["$repr"])
    return {k: _decode_value(v, depth + 1) for k, v in value.items()}


def main() -> None:
    # The protocol moves to private fds; fds 0/1 become /dev/null so nothing can reach it by accident.
    proto_in = os.dup(0)
    proto_out = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    _warm_imports()
    zygote = Zygote(proto_in, proto_out)
    if zygote.is_init:
        # As pid 1, default-action signals are ignored; make SIGTERM stop us so `docker stop` works.
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    try:
        zygote.run()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
