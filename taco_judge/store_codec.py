"""How the store packs what it keeps: payloads with a one-byte codec (raw or zlib), and an
execution's observations as rows plus content-addressed stdout blobs."""

from __future__ import annotations

import json
import zlib
from typing import Any

from taco_judge.executions import Execution, sha256_hex

# stdout of a test whose output hit the cap (verdict OLE whatever it holds): only its start is kept.
OLE_STDOUT_KEEP_BYTES = 64 * 1024
# stdout longer than this goes to the content-addressed ``blobs`` table (identical outputs of
# many programs are stored once); shorter stdout stays in its observation row.
INLINE_STDOUT_BYTES = 1024
_COMPRESS_FROM_BYTES = 64

FACTS = ("exit_code", "signal", "cpu_s", "wall_s", "peak_mb", "files_mb", "stdout_truncated", "stderr_truncated",
          "wall_timeout", "cpu_timeout", "oom_killed", "memory_exceeded", "exc_type", "missing_function", "loaded",
          "returned", "status_error", "output_file_truncated")


def pack(data: bytes) -> bytes:
    """One codec byte (r raw, z zlib) and the payload."""
    if len(data) >= _COMPRESS_FROM_BYTES:
        packed = zlib.compress(data, 6)
        if len(packed) < len(data):
            return b"z" + packed
    return b"r" + data


def unpack(blob: bytes | None) -> bytes:
    if blob is None:
        return b""
    codec, payload = bytes(blob[:1]), blob[1:]
    if codec == b"z":
        return zlib.decompress(payload)
    if codec == b"r":
        return bytes(payload)
    raise ValueError(f"unknown codec {codec!r}")


def pack_text(text: str) -> bytes:
    return pack(text.encode("utf-8", "surrogatepass"))


def unpack_text(blob: bytes | None) -> str:
    return unpack(blob).decode("utf-8", "surrogatepass")


def encode_observations(execution: Execution) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Observation rows (a test's rerun is its run 1) and stdout blobs of an execution, compressed
    (done before taking the lock)."""
    digest = execution.key.digest
    rows: list[tuple[Any, ...]] = []
    blobs: list[tuple[Any, ...]] = []
    for index, first in enumerate(execution.observations):
        for run, obs in enumerate((first, first.rerun) if first.rerun is not None else (first,)):
            stdout = obs.stdout[:OLE_STDOUT_KEEP_BYTES] if obs.stdout_truncated else obs.stdout
            packed = pack(stdout)
            inline, ref = packed, None
            if len(stdout) > INLINE_STDOUT_BYTES:
                ref = sha256_hex(stdout)
                blobs.append((ref, len(stdout), packed))
                inline = None
            facts = json.dumps({name: getattr(obs, name) for name in FACTS}, separators=(",", ":"))
            value = None if obs.return_value is None else pack_text(json.dumps(obs.return_value))
            output = None if obs.output_file is None else pack(obs.output_file)
            rows.append((digest, index, run, inline, ref, len(obs.stdout), pack_text(obs.stderr_tail), facts, value,
                         output))
    return rows, blobs
