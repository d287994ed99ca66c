"""JSON-lines logging; every line carries the service, `request_id` and `correlation_id`."""

from __future__ import annotations

import contextvars
import logging
import sys

from pythonjsonlogger.json import JsonFormatter

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


def configure_logging(service: str, level: str = "INFO") -> None:
    """Send JSON lines to stderr; safe to call more than once (tests build many apps)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
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
