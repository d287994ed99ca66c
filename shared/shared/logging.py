"""JSON-lines logging; every line carries the service, `request_id` and `correlation_id`.

Lines are encoded by msgspec (python-json-logger's MsgspecFormatter): compact JSON, ~12 µs a
line less than the standard library's encoder, and every request writes at least one line in
each process it passes (docs/performance.md, session 16).
"""

from __future__ import annotations

import contextvars
import logging
import sys

from pythonjsonlogger.msgspec import MsgspecFormatter

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
correlation_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None
)


class _ContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.request_id = request_id_var.get()
        record.correlation_id = correlation_id_var.get()
        return True


def skip_unlogged_record_fields() -> None:
    """Stop filling the record fields no line of ours prints: caller's file and line, thread,
    process (the Logging HOWTO's "Optimization" switches).

    Finding the caller walks the stack on every call: a sixth of a log call's cost under load.
    For long-running processes only (shared.long_running); tests and commands keep them,
    since pytest's report of captured logs names the file and line.
    """
    logging._srcfile = None  # documented in the HOWTO despite the underscore
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


def configure_logging(service: str, level: str = "INFO") -> None:
    """Send JSON lines to stderr; safe to call more than once (tests build many apps)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        MsgspecFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(service)s "
            "%(request_id)s %(correlation_id)s",
            rename_fields={"asctime": "ts", "levelname": "level", "name": "logger"},
            timestamp=False,
        )
    )
    handler.addFilter(_ContextFilter(service))
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_pedidos", False):
            root.removeHandler(existing)
    handler._pedidos = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
    # pika logs every connection step at INFO; keep its warnings only.
    logging.getLogger("pika").setLevel(logging.WARNING)
