"""The one table: each figure, its value, the reference measured in the same run, the ratio,
the target and whether it is met; printed, and written as JSON under bench/results/."""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.environment import ROOT

RESULTS = ROOT / "bench" / "results"


@dataclass
class Row:
    """One line of the table (`met` None: informative, no target)."""

    part: str
    figure: str
    value: str
    reference: str = "—"
    ratio: float | None = None
    target: str = "—"
    met: bool | None = None


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of `values`; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(math.ceil(q / 100 * len(ordered)), 1)
    return ordered[rank - 1]


def ratio(value: float, reference: float) -> float | None:
    """value / reference, or None when either is missing."""
    if not reference or math.isnan(reference) or math.isnan(value):
        return None
    return value / reference


def _met(row: Row) -> str:
    """The "met" cell."""
    return {True: "yes", False: "NO", None: "—"}[row.met]


def render(rows: Sequence[Row]) -> str:
    """The table as fixed-width text (also pasted into docs/performance.md)."""
    header = ("#", "figure", "value", "reference (same run)", "ratio", "target", "met")
    lines = [
        (
            r.part,
            r.figure,
            r.value,
            r.reference,
            "—" if r.ratio is None else f"{r.ratio:.2f}",
            r.target,
            _met(r),
        )
        for r in rows
    ]
    widths = [max(len(str(c)) for c in column) for column in zip(header, *lines, strict=True)]

    def fmt(cells: Sequence[str]) -> str:
        """One table line."""
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([fmt(header), rule, *(fmt(line) for line in lines)])


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    with open("/proc/meminfo") as handle:
        total_kb = int(handle.readline().split()[1])
    with open("/proc/loadavg") as handle:
        load = handle.read().split()[:3]
    return {
        "cpus": len(os.sched_getaffinity(0)),
        "memory_gib": round(total_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_average_at_end": load,
    }


def git_revision() -> str:
    """The commit measured, "+dirty" when tracked files differ from it."""
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def write(rows: Sequence[Row], details: dict[str, Any], *, started: datetime) -> Path:
    """bench/results/latest.json and a timestamped copy; returns the copy's path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    document = {
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": git_revision(),
        "machine": machine(),
        "table": [asdict(r) for r in rows],
        "details": details,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
    stamped = RESULTS / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    stamped.write_text(text)
    (RESULTS / "latest.json").write_text(text)
    return stamped
