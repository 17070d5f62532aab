"""What the service tells its operator: Prometheus counters for ``GET /metrics`` (hand-written text
format, no client library) and JSON-line logs."""

from __future__ import annotations

import bisect
import json
import logging
import threading
import time
from collections import Counter, deque
from typing import Any, Callable

from taco_judge.verdict import Verdict

# Seconds; a request (and a sample, from queued to judged) falls in the first bucket at or above it.
LATENCY_BUCKETS_S = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
RATE_WINDOW_S = 60.0


class Histogram:
    def __init__(self, buckets: tuple[float, ...] = LATENCY_BUCKETS_S) -> None:
        self.buckets = buckets
        self.counts = [0] * (len(buckets) + 1)
        self.total = 0.0
        self.n = 0

    def observe(self, value: float) -> None:
        self.counts[bisect.bisect_left(self.buckets, value)] += 1
        self.total += value
        self.n += 1

    def lines(self, name: str, labels: str = "") -> list[str]:
        out, running = [], 0
        sep = "," if labels else ""
        for bound, count in zip((*self.buckets, float("inf")), self.counts):
            running += count
            le = "+Inf" if bound == float("inf") else f"{bound:g}"
            out.append(f'{name}_bucket{{{labels}{sep}le="{le}"}} {running}')
        suffix = f"{{{labels}}}" if labels else ""
        out += [f"{name}_sum{suffix} {self.total:.6f}", f"{name}_count{suffix} {self.n}"]
        return out


class Telemetry:
    """Counters the service keeps (thread-safe: judged samples are counted from worker threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.started = time.time()
        self.requests: Counter[tuple[str, int]] = Counter()  # (path, status) -> count
        self.verdicts: Counter[str] = Counter()
        self.cancelled: Counter[str] = Counter()  # reason -> samples cancelled before they ran
        self.samples_admitted = 0
        self.request_seconds = Histogram()
        self.sample_seconds = Histogram()
        self._recent: deque[float] = deque()  # when each of the last minute's samples finished

    def request_done(self, path: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(path, status)] += 1
            if path == "/v1/judge":
                self.request_seconds.observe(seconds)

    def admitted(self, n: int) -> None:
        with self._lock:
            self.samples_admitted += n

    def sample_done(self, verdict: Verdict, seconds: float) -> None:
        now = time.monotonic()
        with self._lock:
            self.verdicts[verdict.value] += 1
            self.sample_seconds.observe(seconds)
            self._recent.append(now)
            self._trim(now)

    def sample_cancelled(self, reason: str, n: int = 1) -> None:
        if n:
            with self._lock:
                self.cancelled[reason] += n

    def _trim(self, now: float) -> None:
        while self._recent and self._recent[0] < now - RATE_WINDOW_S:
            self._recent.popleft()

    def samples_per_s(self) -> float:
        """Samples judged per second over the last minute (or since start, when younger)."""
        now = time.monotonic()
        with self._lock:
            self._trim(now)
            span = min(RATE_WINDOW_S, max(1e-3, time.time() - self.started))
            return len(self._recent) / span

    def render(self, gauges: dict[str, tuple[str, float]]) -> str:
        """The Prometheus text exposition: ``gauges`` name -> (help, value) are read at scrape time."""
        lines: list[str] = []

        def family(name: str, kind: str, help_text: str) -> None:
            lines.append(f"# HELP {name} {help_text}")
            lines.append(f"# TYPE {name} {kind}")

        for name, (help_text, value) in gauges.items():
            family(name, "gauge", help_text)
            lines.append(f"{name} {value:g}")
        family("taco_judge_samples_per_second", "gauge", "samples judged per second over the last minute")
        lines.append(f"taco_judge_samples_per_second {self.samples_per_s():.4f}")
        with self._lock:
            family("taco_judge_samples_admitted_total", "counter", "samples accepted into the queue")
            lines.append(f"taco_judge_samples_admitted_total {self.samples_admitted}")
            family("taco_judge_samples_total", "counter", "samples judged, by verdict")
            for verdict in Verdict:
                lines.append(f'taco_judge_samples_total{{verdict="{verdict.value}"}} {self.verdicts[verdict.value]}')
            family("taco_judge_system_errors_total", "counter",
                   "samples the jail failed on after its retries (verdict SE)")
            lines.append(f"taco_judge_system_errors_total {self.verdicts[Verdict.SE.value]}")
            family("taco_judge_samples_cancelled_total", "counter",
                   "samples cancelled before a worker took them, by reason")
            for reason in ("deadline", "disconnect", "shutdown"):
                lines.append(f'taco_judge_samples_cancelled_total{{reason="{reason}"}} {self.cancelled[reason]}')
            family("taco_judge_requests_total", "counter", "HTTP requests answered, by path and status")
            for (path, status), count in sorted(self.requests.items()):
                lines.append(f'taco_judge_requests_total{{path="{path}",code="{status}"}} {count}')
            family("taco_judge_request_seconds", "histogram", "POST /v1/judge latency, received to answered")
            lines += self.request_seconds.lines("taco_judge_request_seconds")
            family("taco_judge_sample_seconds", "histogram", "one sample's latency, queued to judged")
            lines += self.sample_seconds.lines("taco_judge_sample_seconds")
        return "\n".join(lines) + "\n"


class JsonLineFormatter(logging.Formatter):
    """One JSON object per log record: time, level, logger, message and any ``extra={"fields": {}}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(entry, default=str)


def json_logging(level: int = logging.INFO, stream: Any = None) -> Callable[[], None]:
    """Send every log record to stderr as JSON lines; returns a function that undoes it."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLineFormatter())
    root = logging.getLogger()
    previous = (root.handlers[:], root.level)
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("taco_judge").setLevel(level)

    def undo() -> None:
        root.handlers[:], root.level = previous[0], previous[1]

    return undo
