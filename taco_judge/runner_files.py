"""Where the in-jail programs live (the runner, its two modules, its jail set-up), and their content hash,
which names the sandbox image and is part of every stored execution's key."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path


def _runner_dir() -> Path:
    return Path(str(resources.files("taco_judge._runner")))


def runner_path() -> Path:
    """Path of runners/python_runner.py (shipped in the wheel as taco_judge._runner)."""
    return _runner_dir() / "python_runner.py"


def jail_init_path() -> Path:
    """Path of runners/jail_init.py, which sets the jail up and then becomes the runner."""
    return _runner_dir() / "jail_init.py"


# Every file that runs inside the jail, in hash order (python_runner.py's IN_JAIL_FILES).
IN_JAIL_FILES = ("jail_init.py", "python_runner.py", "runner_child.py", "runner_jail.py")


def runner_sources() -> list[Path]:
    """The in-jail programs: jail_init.py, the runner, and the two modules it imports."""
    return [_runner_dir() / name for name in IN_JAIL_FILES]


def runner_sha256() -> str:
    """Content hash of the in-jail programs (``IN_JAIL_FILES``, in order): the runner reports it in
    its hello, the sandbox image is tagged with it, execution keys hold it."""
    digest = hashlib.sha256()
    for path in runner_sources():
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
