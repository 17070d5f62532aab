"""What to run: one program text and how the runner executes it on a problem's test inputs.

A checker turns a submission into one or more plans (``strict``: the program as written; ``taco``:
the reference evaluator's rewritten programs and reruns). A plan's fingerprint, with the tests,
limits, runner and jail, keys the stored execution (``store.ExecutionKey``).
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Rerun:
    """How the runner runs a test again when the program exited non-zero (the reference's rerun)."""

    stdin: str = "empty"  # "data": the test input on stdin; "empty": nothing
    input_file: str | None = "input.txt"  # also written into the working dir
    output_file: str | None = "output.txt"  # read back after the run


@dataclass(frozen=True)
class Plan:
    """One program and the way it runs; every field is on the wire (docs/runner-protocol.md).

    ``mode``: ``stdin`` (run the file, feed the test input) or ``call`` (run it as a module, then
    call ``fn_name`` with the test's arguments). ``entry`` (call mode): ``auto`` (a method of
    ``class Solution`` when it has one, else a top-level function), ``solution`` or ``module``.
    ``module_name``: the module's ``__name__``. ``pre_call``: code run in the module's namespace
    after it loaded and before the call. ``resolve_only``: load and find the function, do not call.
    """

    code: str
    mode: str = "stdin"
    fn_name: str | None = None
    preamble: str = ""
    stdin: str = "data"
    input_file: str | None = None
    output_file: str | None = None
    entry: str = "auto"
    module_name: str | None = None
    pre_call: str | None = None
    resolve_only: bool = False
    rerun_on_error: Rerun | None = None

    def to_wire(self) -> dict[str, Any]:
        # Field by field, not asdict: that deep-copies every value, the code and preamble included.
        wire = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "rerun_on_error"}
        if self.rerun_on_error is not None:
            wire["rerun_on_error"] = asdict(self.rerun_on_error)
        return wire

    @functools.cached_property
    def sha256(self) -> str:
        """Content hash of everything that decides what running the plan observes."""
        text = json.dumps(self.to_wire(), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return hashlib.sha256(text.encode()).hexdigest()
