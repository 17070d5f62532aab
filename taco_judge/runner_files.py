"""Where the in-jail programs live (the runner and its jail set-up), and their content hash,
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


def runner_sha256() -> str:
    """Content hash of both in-jail programs (jail_init.py, then python_runner.py): the runner
    reports it in its hello, the sandbox image is tagged with it, execution keys hold it."""
    digest = hashlib.sha256()
    for path in (jail_init_path(), runner_path()):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
