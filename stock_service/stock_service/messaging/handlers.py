"""Routing table of the events stock_service consumes: event type -> on_<event> handler.

Each handler runs in the consumer's transaction: `on_<event>(session, event) -> None`.
An event type missing here is acked and logged (nothing in stock_service needs it).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared.events import Event, EventType
from shared.messaging.consumer import Handler
from stock_service.config import StockSettings
from stock_service.reservations import apply_order_event

_LOW_STOCK_PERCENT = StockSettings.from_env().low_stock_percent


def on_order_event(session: Session, event: Event) -> None:
    """Reserve, re-reserve, release, ship, restock or receive, as docs/events.md says.

    apply_order_event commits per order on purpose: holding one order's stock locks
    while the next order of the batch waits for another replica's could deadlock.
    """
    apply_order_event(session, event, low_stock_percent=_LOW_STOCK_PERCENT)


HANDLERS: dict[str, Handler] = {
    EventType.ORDER_CREATED: on_order_event,
    EventType.ORDER_ITEMS_CHANGED: on_order_event,
    EventType.ORDER_STATUS_CHANGED: on_order_event,
}
