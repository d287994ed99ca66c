"""What a long-running process (a gunicorn worker, a queue worker) does once start-up is over.

Tuning that pays off over hours of requests or messages and would only get in the way of
short-lived processes: tests, commands, the bench's helpers.
"""

from __future__ import annotations

from shared.heap import tune_gc_after_startup
from shared.logging import skip_unlogged_record_fields


def settle_after_startup() -> None:
    """Skip the log-record fields no line prints, then freeze start-up's objects."""
    skip_unlogged_record_fields()
    tune_gc_after_startup()
