"""Routing table of the events stock_service consumes: event type -> handler.

All order events go to one batch handler (shared.messaging.consumer.BatchHandler): the
consumer calls it once per delivered batch, in the batch's transaction, with the events
whose message ids it claimed, in delivery order. An event type missing here is acked and
logged (nothing in stock_service needs it).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from shared.events import Event, EventType
from shared.messaging.consumer import BatchHandler, Handler
from stock_service.config import StockSettings
from stock_service.reservations import apply_order_events

_LOW_STOCK_PERCENT = StockSettings.from_env().low_stock_percent


def _apply(session: Session, events: Sequence[Event]) -> None:
    apply_order_events(session, events, low_stock_percent=_LOW_STOCK_PERCENT)


# Reserve, re-reserve, release, ship, restock or receive, as docs/events.md says. One
# transaction for the whole batch is safe across replicas: reservations.py takes every lock
# of a batch in one global order (see its docstring), so batches wait, never deadlock.
on_order_events = BatchHandler(_apply)

HANDLERS: dict[str, Handler] = {
    EventType.ORDER_CREATED: on_order_events,
    EventType.ORDER_ITEMS_CHANGED: on_order_events,
    EventType.ORDER_STATUS_CHANGED: on_order_events,
}
