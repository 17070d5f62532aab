"""A run folder: its store file, the lock that lets one judge at a time write it, and its privacy
(results name expected tokens; a program in the local jail must not read them)."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from taco_judge.store import STORE_FILE, Store, StoreError

log = logging.getLogger(__name__)

LOCK_FILE = ".taco-judge.lock"
PRIVATE_DIR_MODE = 0o700  # a run's files name expected tokens (failure details): the judge's user only


@contextlib.contextmanager
def run_folder_lock(folder: str | os.PathLike[str]) -> Iterator[None]:
    """One judge or rejudge at a time per run folder; the kernel drops the lock when the process
    dies (SIGKILL included), so a killed run never blocks its resume."""
    path = Path(folder) / LOCK_FILE
    try:
        handle = open(path, "a+b")
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the run folder's lock ({exc.strerror or exc})") from None
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"{folder}: another taco-judge is judging into this folder right now; wait for it to finish "
                "or choose another --out"
            ) from None
        yield
    finally:
        handle.close()


def open_run_store(out_dir: str | os.PathLike[str], *, create: bool = True) -> Store:
    """The store of a run folder."""
    return Store.open(Path(out_dir) / STORE_FILE, create=create)


def make_private(folder: str | os.PathLike[str]) -> None:
    """A run folder readable by the judge's user only: its results name expected tokens, and a
    program in a local jail running as another uid must not read them (docs/security.md)."""
    try:
        os.chmod(folder, PRIVATE_DIR_MODE)
    except OSError as exc:
        log.warning("%s: cannot make the run folder private (%s)", folder, exc.strerror or exc)
