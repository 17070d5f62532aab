"""taco-judge test child: what a forked test child does before and while it is the program.

Standard library only; runs inside the jail, imported by python_runner.py (the zygote loads it
warm). The child confines itself (session, fds, oom_score_adj, rlimits, the sandbox uid, its dir,
a fresh environment and stdio), waits for the job's ``go``, compiles and runs the program, and
writes status records on fd 3 (docs/runner-protocol.md, "Status channel"). A returned value goes
out encoded; the host decodes it and is the only judge of whether it is valid.
"""

from __future__ import annotations

import atexit
import decimal
import fractions
import json
import math
import os
import random  # warm for programs; CPython reseeds it in every forked child
import resource
import sys
import threading
import traceback
import types

MIB = 1024 * 1024
STATUS_FD = 3  # the status channel (docs/runner-protocol.md, "Status channel")
TRACEBACK_LIMIT = 1000  # CPython's own default
THREADS_ENV = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
CHILD_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8", **THREADS_ENV}
_INT_JSON_BITS = 13000  # ints beyond this travel as hex: JSON's decimal form has a 4300-digit cap


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
        fd = os.open("/proc/self/oom_score_adj", os.O_WRONLY)
        os.write(fd, b"1000")  # the out-of-memory killer picks the program, never the runner
        os.close(fd)
        fd = os.open("/proc/self/statm", os.O_RDONLY)
        address_space = int(os.read(fd, 128).split()[0]) * resource.getpagesize()
        os.close(fd)
        resource.setrlimit(resource.RLIMIT_CPU, run["cpu_rlimit"])
        for which, value in run["rlimits"]:
            if which == resource.RLIMIT_AS:  # on top of what this process already maps
                value += address_space
            set_limit(which, value)
        if run["sandbox_uid"] is not None:
            drop_privileges(run["sandbox_uid"])
        os.chdir(run["dir"])  # after the drop: the dir is the sandbox uid's, mode 0700
        if run["dir"] != os.environ.get("HOME"):  # the job set the rest of the environment (job_environment)
            os.environ.update(HOME=run["dir"], TMPDIR=run["dir"])
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


def child_rlimits(limits: dict, nproc_rlimit: bool) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """The test child's rlimits, computed once per job: RLIMIT_CPU's (soft, hard), then the others
    (RLIMIT_AS: on top of what the child already maps)."""
    cpu = max(1, math.ceil(limits["time_limit_s"]))
    memory = int(limits["memory_mb"]) * MIB
    rlimits = [(resource.RLIMIT_CORE, 0),
               (resource.RLIMIT_FSIZE, int(limits["file_size_bytes"])),
               (resource.RLIMIT_NOFILE, int(limits["max_open_files"])), (resource.RLIMIT_STACK, min(memory, 64 * MIB)),
               # A backstop only: the memory cgroup (or the job's poll) enforces memory used;
               # address space reserved and never touched (thread stacks, malloc arenas) costs nothing.
               (resource.RLIMIT_AS, 4 * memory + 1024 * MIB)]
    if nproc_rlimit:  # right only when the uid is this jail's own
        rlimits.append((resource.RLIMIT_NPROC, int(limits["max_processes"])))
    return (cpu + 1, cpu + 2), rlimits


def job_environment(workdir: str, hash_seed: str | None) -> None:
    """The job's environment becomes what every test child starts with: set once per job, not per
    test (the child changes HOME and TMPDIR only when its dir is not ``workdir``)."""
    os.environ.clear()
    os.environ.update(CHILD_ENV, HOME=workdir, TMPDIR=workdir)
    if hash_seed is not None:  # a python the program starts hashes as the runner does
        os.environ["PYTHONHASHSEED"] = hash_seed


def _record(tag: bytes, text: str = "") -> None:
    try:
        write_all(STATUS_FD, tag + (b" " + json.dumps(text).encode() if text else b"") + b"\n")
    except BaseException:
        pass


def program_main(run: dict) -> types.ModuleType:
    """In the job, just before a test's fork: the program's fresh ``__main__`` (the preamble's
    names in a module of its own), and numpy's global generator in a fresh random state, which the
    child inherits. ``random`` needs nothing: CPython reseeds it from ``os.urandom`` in every forked
    child. Done before the fork, not in the child: there the copy-on-write faults of touching numpy
    and the preamble's objects made these the dearest part of its set-up (about 0.5 of 1.2 ms per
    test)."""
    name = run["module_name"] or "__main__"
    module = types.ModuleType(name)
    module.__dict__.update(run["namespace"])
    module.__dict__.update(__name__=name, __file__=run["path"], __builtins__=__builtins__, __cached__=None)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        fresh_numpy_state(numpy)
    return module


def fresh_numpy_state(numpy) -> None:
    """numpy's legacy global generator (``np.random.rand`` ...) in a state of 624 words from
    ``os.urandom``, as a freshly seeded one is: position 624, no cached Gaussian, and the top bit of
    the first word set, which is all of that word the generator uses (so the state is never the
    all-zero one; ``init_by_array``, which a seed goes through, sets it too). Set directly: a seed
    runs numpy's argument checks, whose ufunc calls cost 0.3 ms a test in copy-on-write faults."""
    key = bytearray(os.urandom(624 * 4))
    key[3] |= 0x80  # little-endian: the first word's top byte
    numpy.random.set_state(("MT19937", numpy.frombuffer(key, dtype="<u4"), 624, 0, 0.0))


def stream_names(namespace: dict) -> tuple[tuple[str, int], ...]:
    """The preamble's names bound to the job's standard streams (``stdin = sys.stdin``), with the
    stream's fd: each child points them at its own fresh streams."""
    fds = {id(sys.stdin): 0, id(sys.stdout): 1, id(sys.stderr): 2}
    return tuple((key, fds[id(value)]) for key, value in namespace.items() if id(value) in fds)


def _fresh_process(run: dict) -> types.ModuleType:
    """Make this child look like a fresh ``python3 solution.py`` process; returns its __main__."""
    sys.stdin = sys.__stdin__ = open(0, "r", encoding="utf-8", newline="\n", closefd=False)
    sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8", newline="\n", closefd=False)
    sys.stderr = sys.__stderr__ = open(2, "w", buffering=1, encoding="utf-8", errors="backslashreplace",
                                       newline="\n", closefd=False)
    streams = (sys.stdin, sys.stdout, sys.stderr)
    sys.argv = [run["path"]]
    sys.path[0] = run["dir"]
    sys.set_int_max_str_digits(0)  # judges run Python without 3.11's cap; the CPU limit bounds the cost
    atexit._clear()  # only the program's own exit handlers run at its exit
    module = run["main"]
    for key, fd in run["stream_names"]:  # the preamble's `stdin = sys.stdin` follows the new streams
        module.__dict__[key] = streams[fd]
    sys.modules["__main__"] = module
    return module


def _run_program(run: dict, code, module: types.ModuleType, test_args) -> int:
    """Execute the program (in call mode, then call its function); returns the exit code.

    Records after ``S``: ``L`` (call mode: module executed, function found), ``R json`` (the value
    returned, encoded: the host decodes and checks it), ``M`` (no such function), ``X name``
    (uncaught exception), ``O`` (MemoryError).
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


def encode_value(value, depth: int = 0):
    """Tagged JSON for a return value, so tuples, sets and non-str keys survive (the host's
    taco_judge/values.py decodes it, and is the only judge of whether it is valid)."""
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

