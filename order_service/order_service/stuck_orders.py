"""Orders waiting for the stock service's reply for too long: a warning for /ready.

An order is `awaiting` from its creation (or item change) until the stock service answers,
usually within a second. One still awaiting after STUCK_AFTER (5 minutes) means the event or
its reply did not get through: the relay cannot publish, the stock consumer is down, or the
message is in a DLQ (docs/operations.md says what to do).

The order relay also sweeps them (`resend_stuck_orders`, every OUTBOX_SWEEP_SECONDS): the
order's last order.created/order.items_changed goes out again, unchanged — same event id —
so a message the broker lost (a purged queue, a lost node) is sent again, and one the stock
service did handle is a duplicate its inbox ignores. At most once per STUCK_AFTER per order:
the re-sent row is published again, which restarts its clock. A reply stuck in the order
service's own DLQ is not helped by this; the DLQ warning and `make dlq` are for that.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Connection, func, select, text

from order_service.domain.statuses import StockStatus
from order_service.models import STOCK_BOUND_SQL, Order
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


# The last event the stock service must answer, per stuck order; re-queued when it went out
# more than STUCK_AFTER ago (so the sweep does not repeat itself every minute). The partial
# index outbox_order_events (migration 0008) finds an order's events.
_RESEND = text(
    f"""
    UPDATE orders.outbox o
       SET published_at = NULL,
           attempts = 0,
           headers = o.headers || jsonb_build_object('x-pedidos-resent', now()::text)
      FROM (
        SELECT DISTINCT ON (s.id) e.id
          FROM orders.orders s
          JOIN orders.outbox e
            ON e.payload -> 'data' ->> 'order_id' = s.id::text
           AND e.{STOCK_BOUND_SQL}
         WHERE s.stock_status = 'awaiting'
           AND s.status = 'pending'
           AND s.deleted_at IS NULL
           AND s.created_at >= now() - :look_back
           AND s.updated_at < now() - :stuck_after
         ORDER BY s.id, e.created_at DESC
      ) last_event
     WHERE o.id = last_event.id
       AND o.published_at < now() - :stuck_after
    """
)


def resend_stuck_orders(conn: Connection) -> int:
    """Re-queue the last stock-bound event of each stuck order; how many were re-queued."""
    result = conn.execute(_RESEND, {"look_back": LOOK_BACK, "stuck_after": STUCK_AFTER})
    return result.rowcount
