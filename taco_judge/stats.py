"""Statistics the reports rest on: the unbiased pass@k estimator, percentiles, and bootstrap
confidence intervals over problems (seeded: the same results always give the same interval)."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

BOOTSTRAP_SEED = 20240501  # fixed: the same results always give the same interval
def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased estimate of P(at least one of k samples passes) from n samples with c passing.

    The estimator of Chen et al. 2021, 1 - C(n-c, k) / C(n, k), in its product form so that large
    n does not overflow: 1 - prod_{i=n-c+1}^{n} (1 - k/i).
    """
    for name, value in (("n", n), ("c", c), ("k", k)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"pass_at_k: {name} must be an int, got {value!r}")
    if k < 1:
        raise ValueError(f"pass_at_k: k must be >= 1, got {k}")
    if not 0 <= c <= n:
        raise ValueError(f"pass_at_k: need 0 <= c <= n, got n={n}, c={c}")
    if k > n:
        raise ValueError(f"pass_at_k: k={k} is larger than the number of samples n={n}")
    if n - c < k:
        return 1.0
    return 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))


@functools.lru_cache(maxsize=1 << 16)
def cached_pass_at_k(n: int, c: int, k: int) -> float:
    # Tasks of one run share few (n, c) pairs; pass_at_k list covers every k up to max n.
    return pass_at_k(n, c, k)


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile with linear interpolation between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of an empty sequence")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile: p must be in [0, 100], got {p}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100.0
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Estimate:
    """A mean pass@k over problems with its bootstrap confidence interval."""

    value: float | None
    ci95: tuple[float, float] | None
    tasks: int  # problems with at least k judged samples: the ones the mean is over

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "ci95": list(self.ci95) if self.ci95 else None, "tasks": self.tasks}


def bootstrap_pass_at_k(
    counts: Sequence[tuple[int, int]],
    ks: Sequence[int],
    *,
    resamples: int = 1000,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> dict[int, Estimate]:
    """Mean pass@k over problems for each k, with a percentile-bootstrap CI over problems.

    ``counts`` holds one (n, c) per problem. A resample draws problems with replacement (the
    same draws for every k, so a curve's intervals are consistent); problems with n < k are
    left out of pass@k, as in metrics.json. The fixed ``seed`` makes the same results always
    give the same interval.
    """
    ks = validate_ks(ks)
    table, mask = _pass_table(counts, ks)
    return _bootstrap_means(table, mask, ks, resamples, seed, level)


def bootstrap_pass_at_k_delta(
    pairs: Sequence[tuple[tuple[int, int], tuple[int, int]]],
    ks: Sequence[int],
    *,
    resamples: int = 1000,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> dict[int, Estimate]:
    """pass@k of B minus pass@k of A on the problems both judged, with a paired bootstrap CI.

    ``pairs`` holds ((n_a, c_a), (n_b, c_b)) per shared problem; a problem counts for k when both
    runs have at least k judged samples of it. Pairing (the same problems drawn for A and B)
    removes the between-problem variance that two separate intervals would double-count.
    """
    ks = validate_ks(ks)
    table_a, mask_a = _pass_table([a for a, _ in pairs], ks)
    table_b, mask_b = _pass_table([b for _, b in pairs], ks)
    mask = mask_a * mask_b
    return _bootstrap_means((table_b - table_a) * mask, mask, ks, resamples, seed, level)


def _bootstrap_means(table: Any, mask: Any, ks: Sequence[int], resamples: int, seed: int,
                     level: float) -> dict[int, Estimate]:
    """Per k (a column): the mean of ``table`` over the problems (rows) ``mask`` keeps, and its
    percentile-bootstrap interval over problems drawn with replacement (one draw for all ks)."""
    import numpy as np

    if resamples < 1:
        raise ValueError(f"resamples must be >= 1, got {resamples}")
    weights = _bootstrap_weights(table.shape[0], resamples, seed)
    with np.errstate(invalid="ignore", divide="ignore"):
        boot = (weights @ table) / (weights @ mask)  # nan where a resample drew no kept problem
    out: dict[int, Estimate] = {}
    for j, k in enumerate(ks):
        tasks = int(mask[:, j].sum())
        if tasks == 0:
            out[k] = Estimate(None, None, 0)
            continue
        value = float(table[:, j].sum() / tasks)
        out[k] = Estimate(value, percentile_interval(boot[:, j], value, level), tasks)
    return out


def _pass_table(counts: Sequence[tuple[int, int]], ks: Sequence[int]) -> tuple[Any, Any]:
    """(problems x ks) pass@k values (0 where n < k) and the 0/1 mask of where n >= k."""
    import numpy as np

    table = np.zeros((len(counts), len(ks)))
    mask = np.zeros((len(counts), len(ks)))
    for i, (n, c) in enumerate(counts):
        for j, k in enumerate(ks):
            if n >= k:
                table[i, j] = cached_pass_at_k(n, c, k)
                mask[i, j] = 1.0
    return table, mask


def _bootstrap_weights(problems: int, resamples: int, seed: int) -> Any:
    """(resamples x problems) multiplicities of each problem in each resample."""
    import numpy as np

    rng = np.random.default_rng(seed)
    if problems == 0:
        return np.zeros((resamples, 0))
    picks = rng.integers(0, problems, size=(resamples, problems))
    weights = np.zeros((resamples, problems))
    np.add.at(weights, (np.arange(resamples)[:, None], picks), 1.0)
    return weights


def percentile_interval(values: Any, point: float, level: float) -> tuple[float, float]:
    """The central ``level`` percentile interval of the finite resamples, widened to hold ``point``.

    For a mean the bootstrap distribution centres on the estimate, so the interval holds it; with
    a handful of problems the distribution is so discrete that rounding could leave the estimate a
    hair outside, and an interval that excludes its own estimate is never what anyone means.
    """
    import numpy as np

    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return (point, point)
    tail = 100.0 * (1.0 - level) / 2.0
    low, high = (float(x) for x in np.percentile(finite, [tail, 100.0 - tail]))
    return (min(low, point), max(high, point))


def validate_ks(ks: Sequence[int]) -> tuple[int, ...]:
    out = []
    for k in ks:
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k values must be positive integers, got {k!r}")
        out.append(k)
    if not out:
        raise ValueError("at least one k is needed for pass@k")
    return tuple(sorted(set(out)))
