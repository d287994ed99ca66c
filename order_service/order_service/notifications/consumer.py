"""The notification consumer: `python -m order_service.notifications.consumer`.

Consumes queue `order_service.notifications` (order.status_changed, order.created,
stock.rejected, stock.low) and records who is to hear what (recording.Notifier).
"""

from __future__ import annotations

import sys

from order_service.api import STOCK_EXTENSION
from order_service.app import create_app
from order_service.config import OrderSettings
from order_service.models import db, processed_messages
from order_service.notifications.recording import Notifier
from shared.events import NOTIFICATIONS_QUEUE
from shared.messaging.worker import run_consumer


def main() -> int:
    settings = OrderSettings.from_env()
    app = create_app(settings)
    notifier = Notifier(settings, app.extensions[STOCK_EXTENSION])
    return run_consumer(
        settings,
        app=app,
        db=db,
        queue=NOTIFICATIONS_QUEUE,
        handlers=notifier.handlers(),
        inbox_table=processed_messages,
    )


if __name__ == "__main__":
    sys.exit(main())
