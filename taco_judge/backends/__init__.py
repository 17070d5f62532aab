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
    if name == "auto":  # one line says which jail it picked
        try:
            backend = _load("docker")(**options)
        except SandboxUnavailable as exc:
            log.warning("--sandbox auto: docker is unavailable (%s); judging with the local sandbox", exc)
            return _load("local")(**options)
        log.info("--sandbox auto: judging in docker (%s)", getattr(getattr(backend, "spec", None), "image", "docker"))
        return backend
    if name not in BACKENDS:
        raise SandboxUnavailable(f"--sandbox {name!r}: choose one of {', '.join(CHOICES)}")
    return _load(name)(**options)
