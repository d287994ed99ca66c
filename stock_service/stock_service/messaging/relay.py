"""Outbox relay of stock_service (several may run at once).

Run: `python -m stock_service.messaging.relay`.
"""

from __future__ import annotations

import sys

from shared.messaging.worker import run_relay
from stock_service.config import StockSettings
from stock_service.models import SCHEMA, outbox


def main() -> int:
    return run_relay(StockSettings.from_env(), outbox_table=outbox, schema=SCHEMA)


if __name__ == "__main__":
    sys.exit(main())
