"""Consumer of stock replies and alerts (queue order_service.stock_events).

Run: `python -m order_service.messaging.consumer`.
"""

from __future__ import annotations

import sys

from order_service.app import create_app
from order_service.config import OrderSettings
from order_service.messaging.handlers import HANDLERS
from order_service.models import db, processed_messages
from shared.events import ORDER_STOCK_EVENTS_QUEUE
from shared.messaging.worker import run_consumer


def main() -> int:
    settings = OrderSettings.from_env()
    return run_consumer(
        settings,
        app=create_app(settings),
        db=db,
        queue=ORDER_STOCK_EVENTS_QUEUE,
        handlers=HANDLERS,
        inbox_table=processed_messages,
    )


if __name__ == "__main__":
    sys.exit(main())
