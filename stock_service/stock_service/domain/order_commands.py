"""Order events read as commands to the stock: what to do to which order, on whose behalf.

Plain Python (no Flask, no SQLAlchemy): `order_command` turns one event of
docs/events.md into an `OrderCommand`, which the rules of `domain.reservations` apply.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from shared.events import (
    Event,
    EventData,
    InvalidEvent,
    OrderCreated,
    OrderItemsChanged,
    OrderLine,
    OrderStatusChanged,
    data_of,
)
from stock_service.config import SERVICE_NAME
from stock_service.domain.stock import InvalidOrderLines, merge_lines

SALE = "sale"
REPLENISHMENT = "replenishment"


class Action(StrEnum):
    RESERVE = "reserve"
    RELEASE = "release"
    SHIP = "ship"
    RETURN = "return"
    RECEIVE = "receive"
    IGNORE = "ignore"


@dataclass(frozen=True)
class OrderCommand:
    """One order event, read and checked: what to do to which order, and on whose behalf."""

    action: Action
    order_id: uuid.UUID
    order_version: int = 0
    items: Mapping[uuid.UUID, int] = field(default_factory=dict)
    event_id: uuid.UUID | None = None
    actor: str = SERVICE_NAME
    correlation_id: str | None = None
    reason: str = ""  # why an IGNORE command changes nothing


def order_command(event: Event) -> OrderCommand:
    """What an order event asks of the stock, as docs/events.md describes.

    Raises shared.events.InvalidEvent for data no order could have (it can never succeed).
    """
    data: EventData = data_of(event)
    if not isinstance(data, OrderCreated | OrderItemsChanged | OrderStatusChanged):
        return OrderCommand(Action.IGNORE, uuid.UUID(int=0), 0, reason=f"event {event.type}")
    order_id, version = data.order_id, data.order_version

    def command(action: Action, items: Mapping[uuid.UUID, int] | None = None) -> OrderCommand:
        actor = data.by if isinstance(data, OrderStatusChanged) else None
        return OrderCommand(
            action,
            order_id,
            version,
            items or {},
            event_id=_event_id(event.id),
            actor=str(actor or event.source or SERVICE_NAME)[:200],
            correlation_id=event.correlation_id or event.id,
        )

    def ignore(reason: str) -> OrderCommand:
        return OrderCommand(Action.IGNORE, order_id, version, reason=reason)

    if not isinstance(data, OrderStatusChanged):
        if data.order_type == REPLENISHMENT:
            # Incoming goods count when they are delivered, not when they are ordered.
            return ignore("replenishment orders reserve nothing")
        return command(Action.RESERVE, order_lines(data.items))
    to = data.to_status
    if data.order_type == REPLENISHMENT:
        if to == "delivered" and not data.deleted:
            return command(Action.RECEIVE, order_lines(data.items))
        return ignore(f"replenishment {to}")
    if data.deleted or to == "cancelled":
        return command(Action.RELEASE)
    if to == "shipped":
        return command(Action.SHIP)
    if to == "returned":
        return command(Action.RETURN)
    return ignore(f"status {to}")


def order_lines(items: Iterable[OrderLine]) -> dict[uuid.UUID, int]:
    """Quantities per product, repeated products added up; InvalidEvent if one is not positive."""
    try:
        return merge_lines((line.product_id, line.quantity) for line in items)
    except InvalidOrderLines as exc:
        raise InvalidEvent(str(exc)) from exc


def _event_id(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise InvalidEvent("id must be a UUID") from exc
