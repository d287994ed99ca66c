"""Outbox relay of order_service (several may run at once). Every OUTBOX_SWEEP_SECONDS it
also re-sends the last event of orders stuck awaiting the stock service (stuck_orders.py)
and folds the day's changes into the report rollups (reports/rollup.py), so their change
log stays short when nobody reads reports.

Run: `python -m order_service.messaging.relay`.
"""

from __future__ import annotations

import logging
import sys

from sqlalchemy import Connection

from order_service.config import OrderSettings
from order_service.models import SCHEMA, outbox
from order_service.reports.rollup import fold_report_changes
from order_service.stuck_orders import resend_stuck_orders
from shared.messaging.worker import run_relay

log = logging.getLogger("pedidos.orders.relay")


def sweep(conn: Connection) -> int:
    """Stuck orders re-sent (their count), then the rollups folded — never rebuilt here: a
    rebuild takes seconds per year of orders, and publishing must not wait for it."""
    resent = resend_stuck_orders(conn)
    if resent:
        log.warning("events without an answer re-queued for publishing", extra={"rows": resent})
    fold_report_changes(conn, rebuild=False)
    return resent


def main() -> int:
    return run_relay(OrderSettings.from_env(), outbox_table=outbox, schema=SCHEMA, sweep=sweep)


if __name__ == "__main__":
    sys.exit(main())
