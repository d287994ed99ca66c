"""Routing table of the events order_service consumes: event type -> on_<event> handler.

Each handler runs in the consumer's transaction: `on_<event>(session, event) -> None`.
An event type missing here is acked and logged (nothing in order_service needs it yet).
"""

from __future__ import annotations

from order_service.messaging.saga import on_stock_low, on_stock_rejected, on_stock_reserved
from shared.events import EventType
from shared.messaging.consumer import Handler

HANDLERS: dict[str, Handler] = {
    EventType.STOCK_RESERVED: on_stock_reserved,
    EventType.STOCK_REJECTED: on_stock_rejected,
    EventType.STOCK_LOW: on_stock_low,
}
