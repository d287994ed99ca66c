"""Routing table of the events order_service consumes: event type -> on_<event> handler.

Each handler runs in the consumer's transaction: `on_<event>(session, event) -> None`, or a
shared.messaging.consumer.BatchHandler that gets a delivered batch's events at once.
An event type missing here is acked and logged (nothing in order_service needs it yet).
"""

from __future__ import annotations

from order_service.catalogue.updates import apply_catalogue_changes
from order_service.messaging.saga import apply_stock_replies, on_stock_low
from shared.events import EventType
from shared.messaging.consumer import BatchHandler, Handler

# One handler object for both replies, so a run of them is one call (one UPDATE).
on_stock_replies = BatchHandler(apply_stock_replies)
# Likewise for the catalogue copy: a run of changes is one upsert per kind.
on_catalogue_changes = BatchHandler(apply_catalogue_changes)

HANDLERS: dict[str, Handler] = {
    EventType.STOCK_RESERVED: on_stock_replies,
    EventType.STOCK_REJECTED: on_stock_replies,
    EventType.STOCK_LOW: on_stock_low,
    EventType.PRODUCT_CHANGED: on_catalogue_changes,
    EventType.STOCK_CHANGED: on_catalogue_changes,
}
