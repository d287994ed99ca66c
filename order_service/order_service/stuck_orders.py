"""Orders waiting for the stock service's reply for too long: a warning for /ready.

An order is `awaiting` from its creation (or item change) until the stock service answers,
usually within a second. One still awaiting after STUCK_AFTER (5 minutes) means the event or
its reply did not get through: the relay cannot publish, the stock consumer is down, or the
message is in a DLQ (docs/operations.md says what to do).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func, select

from order_service.domain.orders import StockStatus
from order_service.models import Order
from shared import clock
from shared.config import env_int
from shared.service_app import BacklogReport, cached_report

STUCK_AFTER = timedelta(seconds=env_int("STUCK_ORDER_SECONDS", 300))
# Orders created in this window are looked at, through the index on created_at: a probe every
# few seconds must not scan a million orders (and an order stuck longer was warned about for
# a week already). Read at most every CACHE seconds.
LOOK_BACK = timedelta(days=7)
CACHE_SECONDS = 30.0


def stuck_orders_report(db: SQLAlchemy) -> BacklogReport:
    """How many live orders await a stock reply past STUCK_AFTER, and the oldest's wait."""

    def report() -> Mapping[str, Any]:
        now = clock.now()
        try:
            count, oldest = db.session.execute(
                select(func.count(), func.min(Order.updated_at)).where(
                    Order.deleted_at.is_(None),
                    Order.created_at >= now - LOOK_BACK,
                    Order.stock_status == StockStatus.AWAITING,
                    Order.updated_at < now - STUCK_AFTER,
                )
            ).one()
        finally:
            db.session.rollback()
        return {
            "awaiting_stock_over_seconds": int(STUCK_AFTER.total_seconds()),
            "count": count,
            "oldest_seconds": round((now - oldest).total_seconds()) if oldest else 0,
        }

    return cached_report(report, CACHE_SECONDS)
