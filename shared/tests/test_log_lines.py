"""One JSON line per log call: the service, the request's ids, the extras; lean records too."""

from __future__ import annotations

import io
import json
import logging

import pytest

from shared.logging import (
    configure_logging,
    correlation_id_var,
    request_id_var,
    skip_unlogged_record_fields,
)


@pytest.fixture
def lines(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    configure_logging("test_service")
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_pedidos", False)]:
        root.removeHandler(handler)


def test_a_line_carries_the_service_the_ids_and_the_extra_fields(lines):
    request = request_id_var.set("req-1")
    correlation = correlation_id_var.set(None)
    try:
        logging.getLogger("pedidos.http").info(
            "request", extra={"method": "POST", "status": 201, "duration_ms": 1.5}
        )
    finally:
        request_id_var.reset(request)
        correlation_id_var.reset(correlation)

    (line,) = lines()
    assert line.pop("ts")
    assert line == {
        "level": "INFO",
        "logger": "pedidos.http",
        "message": "request",
        "service": "test_service",
        "request_id": "req-1",
        "correlation_id": None,
        "method": "POST",
        "status": 201,
        "duration_ms": 1.5,
    }


def test_lean_records_print_the_same_line(lines, monkeypatch):
    for name in ("_srcfile", "logThreads", "logProcesses", "logMultiprocessing"):
        monkeypatch.setattr(logging, name, getattr(logging, name))  # restored after the test
    log = logging.getLogger("pedidos.http")
    log.info("before", extra={"status": 200})
    skip_unlogged_record_fields()
    record = log.makeRecord("pedidos.http", logging.INFO, "f", 1, "after", None, None)
    log.info("after", extra={"status": 200})

    before, after = lines()
    assert {k: v for k, v in before.items() if k not in ("ts", "message")} == {
        k: v for k, v in after.items() if k not in ("ts", "message")
    }
    assert record.thread is None and record.process is None
    assert logging._srcfile is None  # no stack walk per call
