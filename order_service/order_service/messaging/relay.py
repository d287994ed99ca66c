"""Outbox relay of order_service (several may run at once).

Run: `python -m order_service.messaging.relay`.
"""

from __future__ import annotations

import sys

from order_service.config import OrderSettings
from order_service.models import SCHEMA, outbox
from shared.messaging.worker import run_relay


def main() -> int:
    return run_relay(OrderSettings.from_env(), outbox_table=outbox, schema=SCHEMA)


if __name__ == "__main__":
    sys.exit(main())
