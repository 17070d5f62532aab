"""Where the runner program lives, and its content hash (which names the sandbox image)."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path


def runner_path() -> Path:
    """Path of runners/python_runner.py (shipped in the wheel as taco_judge._runner)."""
    return Path(str(resources.files("taco_judge._runner").joinpath("python_runner.py")))


def runner_sha256() -> str:
    """Content hash of the runner: the runner reports the same value in its hello."""
    return hashlib.sha256(runner_path().read_bytes()).hexdigest()
