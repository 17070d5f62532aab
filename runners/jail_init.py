#!/usr/bin/env python3
"""taco-judge jail set-up: runs first inside a jail, then becomes the runner (execve).

Standard library only. In every jail it adds a seccomp filter on top of what the jail already has
(Docker's default profile in the docker jail): the kernel objects that outlive a process (POSIX
message queues, System V IPC, keyrings) and new namespaces become unavailable, so nothing a
program creates can reach a later program (docs/security.md lists why each one is there).

In the local jail (``--local CONFIG``, a JSON object the host passes; we are root of fresh mount,
pid, ipc and network namespaces) it first builds the filesystem the runner sees: a new root holding
read-only binds of the system and the interpreter only, private tmpfs for /tmp (the work root) and
/dev, the session's cgroup counters where the docker jail has them, and nothing of the host's data
(problem sets, run folders, home dirs).
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import platform
import struct
import sys

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python_runner.py")

# seccomp: syscall numbers per architecture (audit arch, then name -> number).
ARCHES = {
    "x86_64": (0xC000003E, {
        "mq_open": 240, "mq_unlink": 241, "mq_timedsend": 242, "mq_timedreceive": 243, "mq_notify": 244,
        "mq_getsetattr": 245, "add_key": 248, "request_key": 249, "keyctl": 250, "shmget": 29, "shmat": 30,
        "shmctl": 31, "shmdt": 67, "semget": 64, "semop": 65, "semctl": 66, "semtimedop": 220, "msgget": 68,
        "msgsnd": 69, "msgrcv": 70, "msgctl": 71, "unshare": 272, "setns": 308, "bpf": 321,
        "perf_event_open": 298, "userfaultfd": 323, "io_uring_setup": 425, "clone": 56, "clone3": 435}),
    "aarch64": (0xC00000B7, {
        "mq_open": 180, "mq_unlink": 181, "mq_timedsend": 182, "mq_timedreceive": 183, "mq_notify": 184,
        "mq_getsetattr": 185, "add_key": 217, "request_key": 218, "keyctl": 219, "shmget": 194, "shmat": 196,
        "shmctl": 195, "shmdt": 197, "semget": 190, "semop": 193, "semctl": 191, "semtimedop": 192,
        "msgget": 186, "msgsnd": 189, "msgrcv": 188, "msgctl": 187, "unshare": 97, "setns": 268, "bpf": 280,
        "perf_event_open": 241, "userfaultfd": 282, "io_uring_setup": 425, "clone": 220, "clone3": 435}),
}
CLONE_NEW_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x80
_LD_ABS_W, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000
_X32_BIT = 0x40000000

libc = ctypes.CDLL(None, use_errno=True)


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def seccomp_program(machine: str) -> bytes:
    """The BPF filter: EPERM for the denied calls (clone only with a CLONE_NEW* flag; clone3, whose
    flags it cannot read, ENOSYS so libc falls back to clone), any other ABI refused, else allow."""
    arch, numbers = ARCHES[machine]
    deny = _ERRNO | errno.EPERM
    prog = [_insn(_LD_ABS_W, 4), _insn(_JEQ, arch, 1, 0), _insn(_RET, deny), _insn(_LD_ABS_W, 0)]
    if machine == "x86_64":  # the x32 ABI shares the arch value: its numbers carry this bit
        prog += [_insn(_JGE, _X32_BIT, 0, 1), _insn(_RET, deny)]
    prog += [_insn(_JEQ, numbers["clone3"], 0, 1), _insn(_RET, _ERRNO | errno.ENOSYS)]
    # clone: args[0] (its low word: the flags) decides; the other calls skip these four instructions.
    prog += [_insn(_JEQ, numbers["clone"], 0, 4), _insn(_LD_ABS_W, 16), _insn(_JSET, CLONE_NEW_FLAGS, 0, 1),
             _insn(_RET, deny), _insn(_RET, _ALLOW)]
    for name, number in numbers.items():
        if name not in ("clone", "clone3"):
            prog += [_insn(_JEQ, number, 0, 1), _insn(_RET, deny)]
    prog.append(_insn(_RET, _ALLOW))
    return b"".join(prog)


def apply_seccomp() -> None:
    """Install the filter for this process and everything it starts (no_new_privs first: no setuid
    binary can shed it)."""
    program = ctypes.create_string_buffer(seccomp_program(platform.machine()))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(program.raw) // 8, ctypes.cast(program, ctypes.c_void_p))
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        _fail("prctl(PR_SET_NO_NEW_PRIVS)")
    if libc.prctl(22, 2, ctypes.addressof(fprog), 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
        _fail("prctl(PR_SET_SECCOMP)")


def _fail(what: str) -> None:
    code = ctypes.get_errno()
    raise OSError(code, f"{what}: {os.strerror(code)}")


# ---------------------------------------------------------------- the local jail's filesystem

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
DEVICES = ("null", "zero", "full", "random", "urandom")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = (lambda s: None if s is None else s.encode())
    if libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)) != 0:
        _fail(f"mount {source} on {target}")


def bind(source: str, target: str, writable: bool = False, device: bool = False) -> None:
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        open(target, "a").close()
    mount(source, target, None, MS_BIND | MS_REC)
    flags = MS_BIND | MS_REMOUNT | MS_NOSUID | (0 if device else MS_NODEV) | (0 if writable else MS_RDONLY)
    mount(None, target, None, flags)


def build_root(config: dict) -> None:
    """Join the session's cgroups, make the new root and pivot into it."""
    for procs in config.get("cgroup_procs", ()):
        with open(procs, "w") as f:
            f.write("0")  # this process: the runner and all it starts are counted there
    mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing we mount propagates back to the host
    root = config["root"]
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    os.makedirs(root + "/tmp")  # first: an interpreter that lives under /tmp is bound into it below
    mount("tmpfs", root + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
          f"size={config['tmp_mb']}m,nr_inodes={config['tmp_inodes']},mode=0755")
    for path in ("/usr", "/etc", *config.get("binds", ())):
        if os.path.exists(path) and not os.path.islink(path):
            bind(path, root + path)
    for path in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(path):  # merged-/usr systems: keep the link
            os.symlink(os.readlink(path), root + path)
        elif os.path.isdir(path):
            bind(path, root + path)
    os.makedirs(root + "/dev")
    mount("tmpfs", root + "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755")
    for name in DEVICES:
        bind(f"/dev/{name}", f"{root}/dev/{name}", writable=True, device=True)
    os.symlink("/proc/self/fd", root + "/dev/fd")
    os.makedirs(root + "/proc")
    mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for source, name in config.get("cgroups", {}).items():  # as docker shows a container its own
        bind(source, f"{root}/sys/fs/cgroup/{name}".rstrip("/"))
    os.makedirs(root + "/.old")
    if libc.syscall(155 if platform.machine() == "x86_64" else 41, root.encode(), (root + "/.old").encode()):
        _fail("pivot_root")
    os.chdir("/")
    if libc.umount2(b"/.old", 2) != 0:  # MNT_DETACH: the host's tree is gone from this namespace
        _fail("umount /.old")
    os.rmdir("/.old")
    mount(None, "/", None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--local"]:
        build_root(json.loads(args[1]))
    apply_seccomp()
    # No -E/-I: PYTHONHASHSEED must reach the runner (the host passes an environment of its own).
    os.execv(sys.executable, [sys.executable, "-s", RUNNER])


if __name__ == "__main__":
    try:
        main()
    except OSError as exc:
        print(f"jail set-up failed: {exc}", file=sys.stderr)
        sys.exit(125)
