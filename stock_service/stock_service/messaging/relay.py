"""Outbox relay of stock_service (several may run at once). Every half
STOCK_FALLS_WINDOW_SECONDS it also announces the falls of free stock whose window has passed
(catalogue_events.py).

Run: `python -m stock_service.messaging.relay`.
"""

from __future__ import annotations

import sys

from sqlalchemy import Connection

from shared.messaging.worker import run_relay
from stock_service.catalogue_events import announce_stock_falls
from stock_service.config import StockSettings
from stock_service.models import SCHEMA, outbox


def main() -> int:
    settings = StockSettings.from_env()
    window = settings.stock_falls_window

    def sweep(conn: Connection) -> int:
        return announce_stock_falls(conn, window=window)

    return run_relay(
        settings, outbox_table=outbox, schema=SCHEMA, sweep=sweep, sweep_interval=window / 2
    )


if __name__ == "__main__":
    sys.exit(main())
