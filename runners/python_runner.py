#!/usr/bin/env python3
"""taco-judge runner: runs untrusted Python programs inside a jail, one forked child per test.

Standard library only; runners/jail_init.py sets the jail up, then becomes this program. It returns
raw observations (output, exit status, CPU and wall time, peak memory) and never sees expected
outputs: the host judges, and decodes the status records a program could have forged. Processes
(docs/runner-protocol.md): the zygote (pid 1, warm: numpy and the preambles loaded) never handles a
program; it forks one job per run request; the job forks one child per test (runner_child.py),
which confines itself and becomes the program; runner_jail.py accounts for and clears the jail.
A job's memory comes from the zygote, never from an earlier program.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import json
import os
import _signal  # the C functions under `signal`, without its enum wrapping
import select
import selectors
import signal
import stat
import sys
import time
import traceback

from runner_child import (MIB, THREADS_ENV, child_main, child_rlimits, job_environment, program_main,
                          stream_names, write_all)
from runner_jail import Jail, cpu_wait_s, empty_tree, proc_ticks, resident_mb, tmpfs_used

POLL_S = 0.02  # CPU and memory polling interval while a test runs
# The wall backstop counts wall time the program was not waiting for a CPU, so a loaded machine
# does not turn a program's verdict into TLE; past this many times the backstop, in plain wall
# time, it stops anyway (a judge must end).
WALL_HARD_FACTOR = 6
SOLUTION_FILE = "solution.py"
WORK_DIR = "work"  # each test's working dir, under the work root
JOB_NEXT, JOB_STOP = 0, 4  # a job's exit status: fork the next job / the host is gone or said exit
# One encoder for every reply: json.dumps with separators builds a new one per call (a dozen Python
# calls, whose copy-on-write faults a job pays after every fork).
_encode_json = json.JSONEncoder(separators=(",", ":")).encode
IN_JAIL_FILES = ("jail_init.py", "python_runner.py", "runner_child.py", "runner_jail.py")
os.environ.update(THREADS_ENV, NUMEXPR_NUM_THREADS="1")  # before numpy loads: single-threaded everywhere


def _version() -> str:
    """Content hash of the in-jail programs, as the host computes it (taco_judge.runner_files)."""
    digest = hashlib.sha256()
    for name in IN_JAIL_FILES:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), name), "rb") as f:
            digest.update(hashlib.sha256(f.read()).digest())
    return digest.hexdigest()


RUNNER_VERSION = _version()


def read_exactly(fd: int, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = os.read(fd, n - len(data))
        if not chunk:
            break
        data += chunk
    return data


# ---------------------------------------------------------------- the job: one run request


class Job:
    """Serves one ``run`` request: its tests one by one, each in a fresh dir, streamed to the host."""

    def __init__(self, runner: "Runner", request: dict) -> None:
        self.runner, self.jail, self.request = runner, runner.jail, request
        self.limits = request["limits"]
        self.counter = 0
        self.dirty: list[str] = []
        cpu_rlimit, rlimits = child_rlimits(self.limits, self.jail.uid is not None and self.jail.nproc_rlimit)
        namespace, streams = runner.namespace(request.get("preamble") or "")
        self.run = {
            "code": request["code"], "mode": request.get("mode", "stdin"), "fn_name": request.get("fn_name"),
            "sandbox_uid": self.jail.uid, "cpu_rlimit": cpu_rlimit, "rlimits": rlimits,
            "namespace": namespace, "stream_names": streams, "entry": request.get("entry", "auto"),
            "module_name": request.get("module_name"), "pre_call": request.get("pre_call"),
            "resolve_only": bool(request.get("resolve_only")),
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
            # The next test's child is forked before this reply (this test and its rerun are over:
            # nothing of them is measured any more), so its set-up overlaps the host's round trip.
            # (Forking after the reply measured no better on 2 cores: the fork, the host and the
            # child then compete for them.)
            ahead = self.prepare(tests[index + 1], self.request) if index < len(tests) - 1 else None
            self.runner.reply({"test": index, "obs": obs, "await": wait}, blobs)
            if wait:
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
        run["main"] = program_main(run)
        fds = {"stdin": stdin, "go": pipes["go"][0], **{n: w for n, (_, w) in pipes.items() if n != "go"}}
        gc.freeze()  # what the job holds stays out of the child's collections: fewer copy-on-write faults
        pid = os.fork()
        if pid == 0:
            os.close(pipes["go"][1])
            child_main(run, test if mode == "call" else (), fds)
        for fd in fds.values():
            os.close(fd)
        reads = {n: r for n, (r, _) in pipes.items() if n != "go"}
        return {"pid": pid, "dir": workdir, "go": pipes["go"][1], "pipes": reads}

    def execute(self, test, options: dict, ahead: dict | None = None) -> tuple[dict, list[bytes]]:
        """Run one test and observe it: the raw facts and their byte blobs (stdout, stderr, the
        status records after ``S``, the output file)."""
        prepared = ahead or self.prepare(test, options)
        pid = prepared["pid"]
        ready = read_exactly(prepared["pipes"]["status"], 2)  # confined: its set-up is not the program's CPU
        oom_before = self.jail.oom_kills()
        files_before = tmpfs_used(self.jail.work_root)
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
        files_mb = max(0, tmpfs_used(self.jail.work_root) - files_before) / MIB  # memory too, on a tmpfs
        file_data, file_truncated = self.read_output_file(prepared["dir"], options.get("output_file"))
        empty_tree(prepared["dir"])
        if os.path.lexists(prepared["dir"]):
            self.dirty.append(f"{prepared['dir']} not removed")
        oom_after = self.jail.oom_kills()
        trusted, rest = split_status(ready + out["status"])
        if "started" not in trusted:
            return trusted, []
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        obs = {
            "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None, "signal": sig,
            "cpu_s": round(max(0.0, cpu), 6), "wall_s": round(wall, 6),
            "peak_mb": round(rusage.ru_maxrss / 1024.0, 3), "files_mb": round(files_mb, 3),
            "oom_killed": oom_before is not None and oom_after is not None and oom_after > oom_before,
            **flags, "file_truncated": file_truncated,
            "sizes": [len(out["stdout"]), len(out["stderr"]), len(rest), -1 if file_data is None else len(file_data)],
        }
        obs["cpu_timeout"] = obs["cpu_timeout"] or sig == signal.SIGXCPU or cpu > self.limits["time_limit_s"]
        return obs, [out["stdout"], out["stderr"], rest, file_data or b""]

    def supervise(self, pid: int, started: float, cpu_before: float, pipes: dict):
        """Collect the child's output until it exits, enforcing the output cap, the CPU limit (of
        every process in the jail), the wall backstop and memory."""
        limits = self.limits
        caps = {"stdout": limits["output_bytes"], "stderr": limits["stderr_bytes"],
                "status": limits["output_bytes"] + 4096}
        out = {name: bytearray() for name in pipes}
        flags = dict.fromkeys(("stdout_truncated", "stderr_truncated", "status_truncated", "cpu_timeout",
                               "wall_timeout", "memory_exceeded"), False)
        names = {fd: name for name, fd in pipes.items()}
        # epoll itself, not selectors: per test, its objects cost the job ~25 more copy-on-write faults
        poller = select.epoll(len(names) + 1)
        for fd in names:
            os.set_blocking(fd, False)
            poller.register(fd, select.EPOLLIN)
        pidfd = os.pidfd_open(pid)
        poller.register(pidfd, select.EPOLLIN)
        cpu_cap = limits["time_limit_s"] * 1.05 + 0.05
        first_poll = cpu_cap / max(1, os.cpu_count() or 1)  # before this, CPU cannot be over the limit
        waited_before, waited = cpu_wait_s(pid), 0.0
        killed = exited = False
        drain_until = None
        next_poll = 0.0  # /proc and the cgroup are read at most every POLL_S, not on every chunk of output
        while True:
            now = time.monotonic()
            if not killed and now >= next_poll:
                next_poll = now + POLL_S
                wall = now - started
                waited = max(waited, cpu_wait_s(pid) - waited_before)  # (0.0 once the process is gone)
                own_wall = wall - waited  # not waiting for a CPU: running, sleeping or blocked
                flags["wall_timeout"] = (own_wall > limits["wall_limit_s"]
                                         or wall > WALL_HARD_FACTOR * limits["wall_limit_s"])
                # Memory used past the limit stops the program at once (the verdict is MLE anyway:
                # its peak is over); the cgroup, or the address-space backstop, bounds the rest.
                flags["memory_exceeded"] = resident_mb(pid) > limits["memory_mb"]
                if now - started >= first_poll:
                    cpu = self.jail.cpu_s(pid) - cpu_before
                    if self.jail.cpu_file is None:
                        cpu += sum(proc_ticks(str(pid)) or (0, 0)) / os.sysconf("SC_CLK_TCK")
                    flags["cpu_timeout"] = cpu > cpu_cap
            if not killed and any(flags[k] for k in ("wall_timeout", "cpu_timeout", "memory_exceeded",
                                                     "stdout_truncated")):
                self.jail.kill_scope(pid)
                killed = True
            if exited:
                if drain_until is None:  # whatever still holds its pipes dies now (it is a zombie: no pid reuse)
                    self.jail.kill_scope(pid)
                    drain_until = now + 1.0
                if not names or now > drain_until:
                    break
            for fd, _ in poller.poll(POLL_S if killed else max(0.0, next_poll - time.monotonic())):
                if fd == pidfd:
                    exited = True
                    poller.unregister(pidfd)
                    continue
                try:
                    chunk = os.read(fd, 1 << 16)
                except BlockingIOError:
                    continue
                name = names.get(fd)
                if not chunk:
                    poller.unregister(fd)
                    del names[fd]
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
        poller.close()
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


def split_status(data: bytes) -> tuple[dict, bytes]:
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
        self.preambles: dict[str, tuple[dict, tuple[tuple[str, int], ...]]] = {}

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
        write_all(self.proto_out, _encode_json(obj).encode() + b"\n" + b"".join(blobs))

    def namespace(self, preamble: str) -> tuple[dict, tuple[tuple[str, int], ...]]:
        """Globals after the preamble, run line by line (a missing module only drops its names), and
        which of them are the standard streams (``stream_names``). Kept by the zygote for the hello's
        preambles: a job then only looks them up."""
        if preamble not in self.preambles:
            namespace: dict = {"__builtins__": __builtins__}
            for line in preamble.splitlines():
                if line.strip():
                    try:
                        exec(compile(line, "<preamble>", "exec"), namespace)
                    except ImportError:
                        pass
            namespace.pop("__builtins__", None)
            self.preambles[preamble] = namespace, stream_names(namespace)
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
        """A job process: answer requests until one run is served (docs/runner-protocol.md, "Processes")."""
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
    finishing: dict[int, int] = {}  # job pid -> the write end of its successor's "reaped" pipe

    def fork_job() -> tuple[int, int]:
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            for fd in (control_r, wake_r, wake_w, ready_w):
                os.close(fd)
            signal.set_wakeup_fd(-1)
            for signum in (signal.SIGCHLD, signal.SIGTERM):
                # signal.signal's own enum conversions cost a job ~40 copy-on-write faults
                _signal.signal(int(signum), _signal.SIG_DFL)
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

    def release(ready_w: int) -> None:  # the job it belongs to may run tests now
        os.write(ready_w, b"r")
        os.close(ready_w)

    current, ready_w = fork_job()
    release(ready_w)
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
                release(finishing.pop(pid))
            elif pid != current:
                continue  # an orphan the program left
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == JOB_STOP:
                return
            if pid == current:  # ended without handing over (a hello-only stream, a crash): a fresh one
                current, ready_w = fork_job()
                release(ready_w)


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
    # Every job's environment, which its test children start with (only HOME and TMPDIR can differ
    # for a test, in a dir of its own): set once here, not in every job.
    job_environment(os.path.join(runner.jail.work_root, WORK_DIR), os.environ.get("PYTHONHASHSEED"))
    for preamble in request.get("preambles") or ():
        runner.namespace(preamble)
    runner.reply(runner.describe(bool(request.get("packages"))))
    try:
        zygote(runner)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
