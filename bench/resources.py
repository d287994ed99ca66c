"""Peak RSS and CPU seconds of every process of the stack, read from /proc (no psutil).

A sampler thread reads, every half second, each process of each process group the stack
started (gunicorn masters and their workers, relays, consumers) plus any extra pids it is
given (PostgreSQL backends of the bench's database). It keeps each pid's last CPU reading and
its peak RSS, so a worker that exits (gunicorn recycles them) still counts, up to the last
half second of its life.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from shared.messaging.pacing import cpu_stall_us, stalled_share

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass
class ProcSample:
    """What we know of one pid: its group, CPU seconds so far, RSS now and at its peak."""

    group: str
    cpu: float
    rss_kb: int
    peak_kb: int


def _stat(pid: int) -> tuple[int, float] | None:
    """(process group, user+system CPU seconds) of `pid`, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            raw = handle.read().decode(errors="replace")
    except OSError:
        return None
    # The command name may hold spaces and parentheses: fields start after the last ')'.
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[2]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _memory(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in KiB; zeros when the process is gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith(b"VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


def all_pids() -> list[int]:
    """Every pid in /proc."""
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def process_cpu(pid: int) -> float:
    """CPU seconds `pid` has used so far (0 when it is gone)."""
    stat = _stat(pid)
    return stat[1] if stat else 0.0


class Sampler(threading.Thread):
    """Samples the process groups `groups()` names (name -> pgid) and `extra()` pids."""

    def __init__(
        self,
        groups: Callable[[], dict[str, int]],
        extra: Callable[[], dict[int, str]] | None = None,
        interval: float = 0.5,
    ) -> None:
        super().__init__(name="bench-sampler", daemon=True)
        self.groups = groups
        self.extra = extra or (lambda: {})
        self.interval = interval
        self.samples: dict[int, ProcSample] = {}
        self._lock = threading.Lock()
        self._halt = threading.Event()

    def run(self) -> None:
        """Sample until stopped."""
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def stop(self) -> None:
        """Stop sampling, after one last reading."""
        self._halt.set()
        self.join(5)
        self.sample()

    def sample(self) -> None:
        """Read every pid of every watched group once."""
        by_pgid = {pgid: name for name, pgid in self.groups().items()}
        extra = self.extra()
        readings: dict[int, tuple[str, float, int, int]] = {}
        for pid in all_pids():
            stat = _stat(pid)
            if stat is None:
                continue
            group = by_pgid.get(stat[0]) or extra.get(pid)
            if group is None:
                continue
            rss, hwm = _memory(pid)
            readings[pid] = (group, stat[1], rss, hwm)
        with self._lock:
            for pid, (group, cpu, rss, hwm) in readings.items():
                known = self.samples.get(pid)
                # A recycled pid number in another group is another process: start afresh.
                if known is None or known.group != group or cpu < known.cpu:
                    self.samples[pid] = ProcSample(group, cpu, rss, max(rss, hwm))
                else:
                    known.cpu, known.rss_kb = cpu, rss
                    known.peak_kb = max(known.peak_kb, rss, hwm)

    def cpu_snapshot(self) -> dict[int, tuple[str, float]]:
        """pid -> (group, CPU seconds), sampled now; diff two of these for a window."""
        self.sample()
        with self._lock:
            return {pid: (s.group, s.cpu) for pid, s in self.samples.items()}

    def peaks(self) -> dict[str, tuple[int, int]]:
        """group -> (peak RSS of its largest single process in KiB, processes seen)."""
        with self._lock:
            result: dict[str, tuple[int, int]] = {}
            for sample in self.samples.values():
                peak, count = result.get(sample.group, (0, 0))
                result[sample.group] = (max(peak, sample.peak_kb), count + 1)
            return result

    def current_rss(self) -> dict[str, int]:
        """group -> RSS now of its largest process, KiB (the idle baseline right after start)."""
        self.sample()
        with self._lock:
            result: dict[str, int] = {}
            for pid, sample in self.samples.items():
                if os.path.exists(f"/proc/{pid}"):
                    result[sample.group] = max(result.get(sample.group, 0), sample.rss_kb)
            return result


def cpu_used(
    before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]
) -> dict[str, float]:
    """CPU seconds per group between two snapshots (a pid born in between counts from 0)."""
    used: dict[str, float] = {}
    for pid, (group, cpu) in after.items():
        start = before.get(pid)
        base = start[1] if start is not None and start[0] == group else 0.0
        used[group] = used.get(group, 0.0) + max(cpu - base, 0.0)
    return used


@dataclass
class Measured:
    """A finished child process: exit status, its own CPU seconds and its output."""

    code: int
    cpu_s: float
    out: str
    err: str


def _children_cpu() -> float:
    """CPU seconds of this process's reaped children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(argv: list[str], env: dict[str, str] | None = None) -> Measured:
    """Run `argv` to the end, with the CPU it used; killed if we are interrupted.

    The CPU is the growth of this process's reaped-children usage while it ran: nothing else
    the bench started ends meanwhile (the stack's processes run on; wrk and pgbench run alone).
    """
    before = _children_cpu()
    process = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = process.communicate()  # reads both pipes, so the child never blocks
    except BaseException:
        process.kill()
        process.wait()
        raise
    return Measured(process.returncode, _children_cpu() - before, out, err)


@dataclass(frozen=True)
class HostCpu:
    """The machine's CPU counters from /proc/stat (all CPUs, in clock ticks)."""

    busy: int  # user, nice, system, irq, softirq: work done on this machine
    steal: int  # time the hypervisor gave to other guests while we wanted to run
    total: int
    # Linux PSI: µs in which some task waited for a CPU (what the workers' pacing follows).
    stall_us: int | None = None
    at: float = 0.0  # monotonic seconds of the reading

    @classmethod
    def now(cls) -> HostCpu:
        """The counters as they are now."""
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
        user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
        # guest time is already counted in user (and guest_nice in nice): not added again.
        busy = user + nice + system + irq + softirq
        return cls(busy, steal, busy + idle + iowait + steal, cpu_stall_us(), time.monotonic())

    def share_since(self, start: HostCpu) -> dict[str, float]:
        """Busy and stolen shares of all CPUs' time since `start` (0..1 each), and the CPU
        pressure: the share of that wall time in which some task waited for a CPU."""
        total = max(self.total - start.total, 1)
        shares = {
            "busy": round((self.busy - start.busy) / total, 3),
            "steal": round((self.steal - start.steal) / total, 3),
        }
        wall = self.at - start.at
        if self.stall_us is not None and start.stall_us is not None and wall > 0:
            shares["pressure"] = round(stalled_share(self.stall_us - start.stall_us, wall), 3)
        return shares
