"""Consumer of order events (queue novos_pedidos).

Run: `python -m stock_service.messaging.consumer`.
"""

from __future__ import annotations

import sys

from shared.events import NEW_ORDERS_QUEUE
from shared.messaging.worker import run_consumer
from stock_service.app import create_app
from stock_service.config import CONSUMER_BATCH_SIZE, CONSUMER_PREFETCH, StockSettings
from stock_service.messaging.handlers import HANDLERS
from stock_service.models import db, processed_messages


def main() -> int:
    settings = StockSettings.from_env()
    return run_consumer(
        settings,
        app=create_app(settings),
        db=db,
        queue=NEW_ORDERS_QUEUE,
        handlers=HANDLERS,
        inbox_table=processed_messages,
        prefetch=CONSUMER_PREFETCH,  # the environment variable of that name overrides it
        batch_size=CONSUMER_BATCH_SIZE,  # likewise
    )


if __name__ == "__main__":
    sys.exit(main())
