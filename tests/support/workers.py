"""Worker processes (relays, consumers) run as subprocesses by tests, stopped with SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STOP_TIMEOUT = 10


@contextmanager
def worker_process(module: str, log_file: Path, **env: str) -> Iterator[subprocess.Popen]:
    """Run `python -m module`; killed at the end if it is still running."""
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", module],
            env={**os.environ, "APP_ENV": "test", "LOG_LEVEL": "INFO", **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=5)


def stop_and_wait(process: subprocess.Popen, log_file: Path) -> float:
    """SIGTERM the process; return how long it took to exit (fails on a non-zero status)."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        status = process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running {STOP_TIMEOUT}s after SIGTERM") from None
    assert status == 0, log_file.read_text()
    return time.monotonic() - started
