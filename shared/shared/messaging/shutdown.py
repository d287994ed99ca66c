"""Graceful shutdown of a worker: SIGTERM/SIGINT ask it to finish its current unit and exit."""

from __future__ import annotations

import logging
import os
import select
import signal
import threading
from collections.abc import Iterable
from types import FrameType

log = logging.getLogger("pedidos.messaging.shutdown")


class StopSignal:
    """A stop request a worker checks between units of work and can wait on with select().

    Setting it also writes to a pipe, so a worker blocked in select() on its own socket
    (the relay waiting for a NOTIFY) wakes at once instead of at its next timeout.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._read_fd, self._write_fd = os.pipe()
        os.set_blocking(self._read_fd, False)
        os.set_blocking(self._write_fd, False)

    def set(self) -> None:
        """Ask the worker to stop (safe from a signal handler and from another thread)."""
        self._event.set()
        try:
            os.write(self._write_fd, b"x")
        except OSError:  # the pipe is full (already woken) or closed (worker gone)
            pass

    def is_set(self) -> bool:
        """Whether a stop was asked for."""
        return self._event.is_set()

    def fileno(self) -> int:
        """The pipe end that turns readable on stop (for select())."""
        return self._read_fd

    def wait(self, timeout: float, *, also: Iterable[int] = ()) -> list[int]:
        """Sleep up to `timeout`; return early on stop or when a file in `also` is readable."""
        if self.is_set():
            return []
        readable, _, _ = select.select([self._read_fd, *also], [], [], max(timeout, 0))
        return [fd for fd in readable if fd != self._read_fd]

    def install(self, signals: Iterable[signal.Signals] = (signal.SIGTERM, signal.SIGINT)) -> None:
        """Set this on the first signal; a second one stops the process at once."""

        def on_signal(signum: int, _frame: FrameType | None) -> None:
            if self.is_set():
                raise SystemExit(128 + signum)
            log.info("stopping", extra={"signal": signal.Signals(signum).name})
            self.set()

        for signum in signals:
            signal.signal(signum, on_signal)

    def close(self) -> None:
        """Release the pipe (after the worker has stopped)."""
        for fd in (self._read_fd, self._write_fd):
            try:
                os.close(fd)
            except OSError:
                pass
