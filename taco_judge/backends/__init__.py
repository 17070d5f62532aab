"""Jail backends, found by name. A new jail is a new module plus one line in ``BACKENDS``."""

from __future__ import annotations

import importlib
import logging

from taco_judge.backends.base import Backend
from taco_judge.errors import SandboxUnavailable

log = logging.getLogger(__name__)

# name -> "module:class"
BACKENDS = {
    "local": "taco_judge.backends.local:LocalBackend",
    "docker": "taco_judge.backends.docker:DockerBackend",
}
CHOICES = ("auto", *BACKENDS)


def _load(name: str) -> type[Backend]:
    module_name, _, class_name = BACKENDS[name].partition(":")
    return getattr(importlib.import_module(module_name), class_name)


def make_backend(name: str, **options: object) -> Backend:
    """Open the backend ``name``; ``auto`` means docker when usable, else local with one warning.

    ``options`` are what every backend takes: ``limits`` (the default limits, sizing cgroups),
    ``hash_seed`` (PYTHONHASHSEED of the runner and so of every program) and ``preambles`` (kept
    warm in the runner)."""
    if name == "auto":
        try:
            return _load("docker")(**options)
        except SandboxUnavailable as exc:
            log.warning("docker sandbox unavailable (%s); judging with the local sandbox", exc)
            return _load("local")(**options)
    if name not in BACKENDS:
        raise SandboxUnavailable(f"--sandbox {name!r}: choose one of {', '.join(CHOICES)}")
    return _load(name)(**options)
