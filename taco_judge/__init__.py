"""taco-judge: a sandboxed judge for machine-generated code on TACO.

The library API is ``Judge``, ``load_problems`` and ``load_generations`` (taco_judge.api,
docs/api.md); they are imported on first use, so ``import taco_judge`` stays cheap.
"""

from __future__ import annotations

from typing import Any

from taco_judge.version import __version__

__all__ = ["Judge", "load_problems", "load_generations", "__version__"]


def __getattr__(name: str) -> Any:
    if name in ("Judge", "load_problems", "load_generations"):
        from taco_judge import api

        return getattr(api, name)
    raise AttributeError(f"module 'taco_judge' has no attribute {name!r}")
