"""Batch pacing: a relay or a consumer starts at most one batch per interval.

Every batch pays a fixed price whatever it carries: a transaction and its commit, a round of
publisher confirms or one ack frame, and a wake-up of the worker, of its PostgreSQL backend
and of RabbitMQ. A worker that starts a batch for each event as it arrives pays that price
for every order: at intake rates each batch carried one or two orders, and the
asynchronous half of an order cost more CPU than the request that placed it, crowding the
request path on the same cores (docs/performance.md, session 11).

Pacing keeps the first event of a quiet moment as fast as before — a batch may start at
once when the previous one started more than an interval ago — and only a stream of events
waits: what arrives within the interval after a batch started gathers and goes in the next
one, so each hop adds at most one interval.

The interval follows the CPU: batching trades latency for CPU, worth it only when the CPU
is what is short. Linux's pressure stall information (PSI: the share of time in which some
runnable task waited for a CPU) says so; between BUSY_FROM and BUSY_AT of pressure the
interval grows from the quiet one to the busy one. Where PSI cannot be read (not Linux, or
a kernel without it) the quiet interval applies. docs/decisions.md says why these values.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path

# Seconds; OUTBOX_BATCH_INTERVAL, CONSUMER_BATCH_INTERVAL and BUSY_BATCH_INTERVAL override them.
DEFAULT_RELAY_INTERVAL = 0.005
DEFAULT_CONSUMER_INTERVAL = 0.0
DEFAULT_BUSY_INTERVAL = 0.03
# CPU pressure (0..1): measured here at half the saturating order rate 0.55–0.75, saturated
# 0.92–0.98 (docs/performance.md, session 11).
BUSY_FROM = 0.8
BUSY_AT = 0.95

PSI_FILES = (Path("/proc/pressure/cpu"), Path("/sys/fs/cgroup/cpu.pressure"))


def paced_interval(
    pressure: float | None,
    quiet: float,
    busy: float,
    *,
    busy_from: float = BUSY_FROM,
    busy_at: float = BUSY_AT,
) -> float:
    """The interval for this CPU pressure: `quiet` below `busy_from`, `busy` from `busy_at`."""
    if pressure is None or busy <= quiet or pressure <= busy_from:
        return quiet
    if pressure >= busy_at:
        return busy
    return quiet + (busy - quiet) * (pressure - busy_from) / (busy_at - busy_from)


class CpuPressure:
    """The share of recent wall time in which some task waited for a CPU (Linux PSI).

    Read from the cumulative `some … total=` microseconds, at most once per `every`
    seconds (a small file read), as the change since the previous reading.
    """

    def __init__(
        self,
        files: tuple[Path, ...] = PSI_FILES,
        *,
        every: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.file = next((f for f in files if stall_total(f) is not None), None)
        self.every = every
        self.clock = clock
        self._at = clock()
        self._total = stall_total(self.file) if self.file else None
        self._pressure: float | None = None

    def __call__(self) -> float | None:
        """The pressure over the last sampling period; None where PSI is not available."""
        if self.file is None:
            return None
        now = self.clock()
        if now - self._at >= self.every:
            total = stall_total(self.file)
            if total is not None and self._total is not None:
                self._pressure = stalled_share(total - self._total, now - self._at)
            self._at, self._total = now, total
        return self._pressure


def stall_total(file: Path) -> int | None:
    """Microseconds in which some task waited for a CPU, since boot; None if unreadable."""
    try:
        for line in file.read_text().splitlines():
            if line.startswith("some "):
                return int(line.rpartition("total=")[2])
    except (OSError, ValueError):
        pass
    return None


def stalled_share(stall_us: int, wall_s: float) -> float:
    """The pressure over a period: the share of its wall time some task waited for a CPU."""
    return min(stall_us / 1e6 / wall_s, 1.0)


def cpu_stall_us(files: tuple[Path, ...] = PSI_FILES) -> int | None:
    """The first readable PSI file's `some` total (µs), e.g. for a window's mean pressure."""
    return next((t for t in map(stall_total, files) if t is not None), None)


class BatchPacer:
    """When the next batch may start, given when the last one did (monotonic seconds)."""

    __slots__ = ("quiet", "busy", "pressure", "busy_from", "busy_at", "_last_start")

    def __init__(
        self,
        interval: float,
        *,
        busy_interval: float | None = None,
        pressure: Callable[[], float | None] | None = None,
        busy_from: float = BUSY_FROM,
        busy_at: float = BUSY_AT,
    ) -> None:
        self.quiet = max(interval, 0.0)  # seconds; 0 turns pacing off while the CPU is free
        self.busy = max(busy_interval, 0.0) if busy_interval is not None else self.quiet
        self.pressure = pressure
        self.busy_from, self.busy_at = busy_from, max(busy_at, busy_from)
        self._last_start = -math.inf

    def interval(self) -> float:
        """The interval now: the quiet one, or longer while the CPU is contended."""
        if self.busy <= self.quiet or self.pressure is None:
            return self.quiet
        return paced_interval(
            self.pressure(), self.quiet, self.busy, busy_from=self.busy_from, busy_at=self.busy_at
        )

    def pause(self, now: float) -> float:
        """Seconds to wait before starting a batch at `now` (0.0: start at once)."""
        return max(0.0, self._last_start + self.interval() - now)

    def started(self, now: float) -> None:
        """Record that a batch started at `now`."""
        self._last_start = now
