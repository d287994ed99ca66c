"""Outbox relay of order_service (several may run at once). Every OUTBOX_SWEEP_SECONDS it
also re-sends the last event of orders stuck awaiting the stock service (stuck_orders.py).

Run: `python -m order_service.messaging.relay`.
"""

from __future__ import annotations

import sys

from order_service.config import OrderSettings
from order_service.models import SCHEMA, outbox
from order_service.stuck_orders import resend_stuck_orders
from shared.messaging.worker import run_relay


def main() -> int:
    return run_relay(
        OrderSettings.from_env(), outbox_table=outbox, schema=SCHEMA, sweep=resend_stuck_orders
    )


if __name__ == "__main__":
    sys.exit(main())
