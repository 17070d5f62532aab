"""The docker jail's image: its name (which carries the runner's content hash), its build and its check.

Building needs a source checkout: the Dockerfile and ``build-base.sh`` live in the repository's
``sandbox/`` folder, next to this package, and are not part of the wheel.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from taco_judge import runner_files
from taco_judge.errors import SandboxUnavailable

log = logging.getLogger(__name__)

IMAGE_REPOSITORY = "taco-judge-sandbox"
OFFLINE_BASE = "taco-judge-base:bookworm"
REGISTRY_BASE = "python:3.11-slim"
RUNNER_LABEL = "taco-judge.runner-sha256"
REBUILD_HINT = "run `taco-judge sandbox build --offline` (or `taco-judge sandbox build` where a registry is reachable)"
SANDBOX_DIR = Path(__file__).resolve().parents[1] / "sandbox"

LogFn = Callable[[str], None]


def _default_log(line: str) -> None:
    log.info("%s", line)


def runner_sources() -> list[Path]:
    """The programs that run inside the jail (``runners/``, packaged as taco_judge._runner)."""
    paths = runner_files.runner_sources()
    for path in paths:
        if not path.is_file():
            raise SandboxUnavailable(f"runner program {path} not found; reinstall taco-judge (pip install -e .)")
    return paths


def runner_sha256() -> str:
    """Content hash of the in-jail programs; the runner reports the same value in its hello."""
    runner_sources()
    return runner_files.runner_sha256()


def runner_hash() -> str:
    """Short content hash of the runner (12 hex chars) used in the image tag."""
    return runner_sha256()[:12]


def image_tag() -> str:
    """The image that matches this runner: a changed runner never runs in a stale image."""
    return f"{IMAGE_REPOSITORY}:{runner_hash()}"


def docker_client(timeout_s: int = 60, max_pool_size: int = 32) -> Any:
    """A docker SDK client for the local engine; SandboxUnavailable when there is none."""
    try:
        import docker
    except ImportError as exc:
        raise SandboxUnavailable("the docker Python SDK is not installed; run `pip install docker`") from exc
    try:
        client = docker.from_env(timeout=timeout_s, max_pool_size=max_pool_size)
        client.ping()
    except Exception as exc:
        raise SandboxUnavailable(f"no Docker engine reachable ({_one_line(exc)}); start dockerd or use --sandbox local") from exc
    return client


def engine_available(client: Any = None) -> tuple[bool, str]:
    """Whether a Docker engine answers, and a one-line reason (its version, or why not)."""
    try:
        client = client or docker_client(timeout_s=10)
        version = client.version()
    except SandboxUnavailable as exc:
        return False, str(exc)
    except Exception as exc:
        return False, f"Docker engine error: {_one_line(exc)}"
    return True, f"Docker engine {version.get('Version', '?')} (API {version.get('ApiVersion', '?')})"


@dataclass(frozen=True)
class ImageStatus:
    """Whether the sandbox image for this runner exists, and what to do when it does not."""

    present: bool  # an image with the expected tag exists
    current: bool  # ... and its runner label matches this runner's source
    tag: str
    message: str


def check_image(client: Any = None) -> ImageStatus:
    """Look for the image matching this runner; the message says exactly how to rebuild."""
    import docker.errors

    client = client or docker_client()
    tag = image_tag()
    try:
        image = client.images.get(tag)
    except docker.errors.ImageNotFound:
        older = [t for img in client.images.list(name=IMAGE_REPOSITORY) for t in img.tags]
        if older:
            message = f"sandbox image {tag} missing (found {', '.join(sorted(older))}, built for another runner); {REBUILD_HINT}"
        else:
            message = f"sandbox image {tag} missing; {REBUILD_HINT}"
        return ImageStatus(present=False, current=False, tag=tag, message=message)
    except docker.errors.APIError as exc:
        raise SandboxUnavailable(f"cannot inspect sandbox image {tag}: {_one_line(exc)}") from exc
    label = (image.labels or {}).get(RUNNER_LABEL)
    if label != runner_sha256():
        return ImageStatus(True, False, tag, f"sandbox image {tag} holds a different runner ({label}); {REBUILD_HINT}")
    return ImageStatus(True, True, tag, f"sandbox image {tag} is current")


def require_image(client: Any = None) -> str:
    """The current image's tag, or SandboxUnavailable saying how to build it."""
    status = check_image(client)
    if not status.current:
        raise SandboxUnavailable(status.message)
    return status.tag


def build_base(force: bool = False, log: LogFn = _default_log) -> str:
    """Build the offline base image with ``sandbox/build-base.sh`` (debootstrap; needs root); returns its tag."""
    script = _sandbox_dir() / "build-base.sh"
    command = ["bash", str(script), "--tag", OFFLINE_BASE] + (["--force"] if force else [])
    log(f"building the offline base image {OFFLINE_BASE} ({' '.join(command)})")
    try:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    except OSError as exc:
        raise SandboxUnavailable(f"cannot run {script}: {exc}") from exc
    tail: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        line = line.rstrip("\n")
        log(line)
        tail = (tail + [line])[-5:]
    if proc.wait() != 0:
        reason = next((t for t in reversed(tail) if "error" in t.lower()), tail[-1] if tail else "no output")
        raise SandboxUnavailable(f"{script.name} failed (exit {proc.returncode}): {reason}")
    return OFFLINE_BASE


def build_image(
    offline: bool,
    base: str | None = None,
    client: Any = None,
    log: LogFn = _default_log,
    force_base: bool = False,
) -> str:
    """Build the sandbox image for this runner and return its tag.

    ``offline``: build (or reuse) the debootstrap base first and use it as BASE (unless ``base``
    names another local image). Otherwise BASE is ``base`` or python:3.11-slim from a registry.
    """
    import docker.errors

    client = client or docker_client(timeout_s=600)
    if offline and base is None:
        base = build_base(force=force_base, log=log)
    base = base or REGISTRY_BASE
    tag = image_tag()
    sha = runner_sha256()
    log(f"building {tag} FROM {base}")
    with tempfile.TemporaryDirectory(prefix="taco-judge-build-") as context:
        shutil.copyfile(_sandbox_dir() / "Dockerfile", os.path.join(context, "Dockerfile"))
        for source in runner_sources():
            Path(context, source.name).write_bytes(source.read_bytes())
        try:
            stream = client.api.build(
                path=context,
                tag=tag,
                buildargs={"BASE": base, "RUNNER_SHA256": sha},
                rm=True,
                forcerm=True,
                decode=True,
            )
            for chunk in stream:
                if "error" in chunk:
                    hint = "" if offline else "; without a registry use --offline"
                    raise SandboxUnavailable(f"docker build of {tag} FROM {base} failed: {_one_line(chunk['error'])}{hint}")
                text = chunk.get("stream") or chunk.get("status")
                if text and text.strip():
                    log(text.rstrip())
        except docker.errors.APIError as exc:
            raise SandboxUnavailable(f"docker build of {tag} failed: {_one_line(exc)}") from exc
    status = check_image(client)
    if not status.current:
        raise SandboxUnavailable(f"built {tag} but it does not check out: {status.message}")
    log(f"built {tag}")
    _remove_older_images(client, tag, log)
    return tag


def _remove_older_images(client: Any, keep: str, log: LogFn) -> None:
    """Drop images built for earlier runners; one still used by a container stays (no force)."""
    try:
        older = [t for img in client.images.list(name=IMAGE_REPOSITORY) for t in img.tags if t != keep]
    except Exception:
        return
    for old in older:
        try:
            client.images.remove(old, noprune=False)
            log(f"removed {old} (built for an earlier runner)")
        except Exception as exc:
            log(f"kept {old}: {_one_line(exc)}")


def _sandbox_dir() -> Path:
    if not (SANDBOX_DIR / "Dockerfile").is_file():
        raise SandboxUnavailable(
            f"{SANDBOX_DIR}/Dockerfile not found: building the sandbox image needs a source checkout of taco-judge"
        )
    return SANDBOX_DIR


def _one_line(exc: object) -> str:
    text = " ".join(str(exc).split())
    return text[:300] if text else type(exc).__name__
