"""Event contracts: names, the envelope every message carries, who listens to what, and one
typed definition of each event's data.

Data only — no I/O. Producers build an event from its typed data with `event_of`; consumers
parse the envelope with `Event.from_message` and its data with `data_of`, the same types:
what one side writes is what the other reads (tests/test_event_contracts.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal, TypeVar

import msgspec

from shared import clock, wire_json

EXCHANGE = "pedidos.events"
DEAD_LETTER_EXCHANGE = "pedidos.dlx"
ENVELOPE_VERSION = 1


class EventType(StrEnum):
    ORDER_CREATED = "order.created"
    ORDER_ITEMS_CHANGED = "order.items_changed"
    ORDER_STATUS_CHANGED = "order.status_changed"
    STOCK_RESERVED = "stock.reserved"
    STOCK_REJECTED = "stock.rejected"
    STOCK_LOW = "stock.low"
    PRODUCT_CHANGED = "product.changed"
    STOCK_CHANGED = "stock.changed"


# The queues of the system and the routing keys bound to each: the event type, except a
# replenishment order's `order.created`, which adds `.replenishment` (routing_key_of).
NEW_ORDERS_QUEUE = "novos_pedidos"  # stock_service: reservations and their lifecycle
ORDER_STOCK_EVENTS_QUEUE = "order_service.stock_events"  # order_service: saga replies, alerts
NOTIFICATIONS_QUEUE = "order_service.notifications"  # order_service: who hears what (WhatsApp)

# Only a replenishment order's creation tells anyone anything (its supplier): with a key of
# its own, a sale's `order.created` never reaches the notification queue (one queue, one
# process and one delivery fewer per sale).
REPLENISHMENT_CREATED = f"{EventType.ORDER_CREATED}.replenishment"

QUEUE_BINDINGS: dict[str, tuple[str, ...]] = {
    NEW_ORDERS_QUEUE: (
        EventType.ORDER_CREATED,
        REPLENISHMENT_CREATED,
        EventType.ORDER_ITEMS_CHANGED,
        EventType.ORDER_STATUS_CHANGED,
    ),
    ORDER_STOCK_EVENTS_QUEUE: (
        EventType.STOCK_RESERVED,
        EventType.STOCK_REJECTED,
        EventType.STOCK_LOW,
        # The order service's own copy of the catalogue (order_service/catalogue/).
        EventType.PRODUCT_CHANGED,
        EventType.STOCK_CHANGED,
    ),
    NOTIFICATIONS_QUEUE: (
        REPLENISHMENT_CREATED,
        EventType.ORDER_STATUS_CHANGED,
        EventType.STOCK_REJECTED,
        EventType.STOCK_LOW,
    ),
}


# Bindings of earlier releases that must go: declaring the topology removes them.
RETIRED_BINDINGS: dict[str, tuple[str, ...]] = {
    NOTIFICATIONS_QUEUE: (EventType.ORDER_CREATED,),
}


class InvalidEvent(ValueError):
    """A message that is not a Pedidos event; it can never succeed and goes to the DLQ."""


def utc_now_iso() -> str:
    return clock.now().isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    source: str
    data: dict[str, Any]
    occurred_at: str = field(default_factory=utc_now_iso)
    correlation_id: str | None = None
    version: int = ENVELOPE_VERSION

    def to_dict(self) -> dict[str, Any]:
        # Shallow on purpose: dataclasses.asdict deep-copies `data`, ~0.1 ms an event on the
        # hot paths, and the dict is only ever serialised.
        return {name: getattr(self, name) for name in _EVENT_FIELDS}

    def to_json(self) -> bytes:
        return wire_json.encode(self.to_dict())

    @classmethod
    def from_dict(cls, body: Any) -> Event:
        if not isinstance(body, dict):
            raise InvalidEvent("event body must be a JSON object")
        missing = [k for k in ("id", "type", "source", "data") if k not in body]
        if missing:
            raise InvalidEvent(f"event is missing {', '.join(missing)}")
        if not isinstance(body["data"], dict):
            raise InvalidEvent("event data must be an object")
        try:
            uuid.UUID(str(body["id"]))
        except ValueError as exc:
            raise InvalidEvent("event id must be a UUID") from exc
        return cls(
            id=str(body["id"]),
            type=str(body["type"]),
            source=str(body["source"]),
            data=body["data"],
            occurred_at=str(body.get("occurred_at") or utc_now_iso()),
            correlation_id=body.get("correlation_id"),
            version=int(body.get("version", ENVELOPE_VERSION)),
        )

    @classmethod
    def from_message(cls, raw: bytes) -> Event:
        try:
            body = wire_json.decode(raw)
        except wire_json.NotJSON as exc:
            raise InvalidEvent("message body is not JSON") from exc
        return cls.from_dict(body)


_EVENT_FIELDS = tuple(f.name for f in fields(Event))


def routing_key_of(event: Event) -> str:
    """The routing key `event` is published with: its type, or REPLENISHMENT_CREATED."""
    if event.type == EventType.ORDER_CREATED and event.data.get("order_type") == "replenishment":
        return REPLENISHMENT_CREATED
    return event.type


def new_event(
    event_type: str, data: dict[str, Any], *, source: str, correlation_id: str | None = None
) -> Event:
    """A fresh event: a new id, now as occurred_at, the envelope version."""
    return Event(
        id=str(uuid.uuid4()),
        type=str(event_type),
        source=source,
        data=data,
        correlation_id=correlation_id,
    )


# -- The data of each event, typed ----------------------------------------------------------
#
# One Struct per event type. `VERSION` is the envelope's `version` a producer writes; a
# consumer accepts the versions in `READS` and sends any other to the DLQ with the reason
# (a newer producer than this consumer knows). Unknown fields are ignored, so adding an
# optional field needs no new version; renaming or retyping one does.

Quantity = Annotated[int, msgspec.Meta(gt=0)]
Count = Annotated[int, msgspec.Meta(ge=0)]
OrderType = Literal["sale", "replenishment"]


class EventData(msgspec.Struct, frozen=True, kw_only=True):
    TYPE: ClassVar[EventType]
    VERSION: ClassVar[int] = 1
    READS: ClassVar[frozenset[int]] = frozenset({1})


class OrderLine(msgspec.Struct, frozen=True):
    product_id: uuid.UUID
    quantity: Quantity


class Shortage(msgspec.Struct, frozen=True):
    product_id: uuid.UUID
    requested: Quantity
    available: Count


class OrderCreated(EventData, frozen=True, kw_only=True):
    """A new order; the stock service reserves its lines (a sale) or waits (replenishment)."""

    TYPE = EventType.ORDER_CREATED
    order_id: uuid.UUID
    order_version: Count
    order_type: OrderType = "sale"
    client_id: uuid.UUID | None = None
    supplier_id: uuid.UUID | None = None
    items: list[OrderLine]


class OrderItemsChanged(EventData, frozen=True, kw_only=True):
    """A pending order's whole new list of lines; its reservation is redone."""

    TYPE = EventType.ORDER_ITEMS_CHANGED
    order_id: uuid.UUID
    order_version: Count
    order_type: OrderType = "sale"
    items: list[OrderLine]


class OrderStatusChanged(EventData, frozen=True, kw_only=True):
    """A move in the order's lifecycle (or its deletion): the stock follows it."""

    TYPE = EventType.ORDER_STATUS_CHANGED
    order_id: uuid.UUID
    order_version: Count
    order_type: OrderType = "sale"
    from_status: str = msgspec.field(name="from")
    to_status: str = msgspec.field(name="to")
    by: str | None = None
    at: datetime | None = None
    deleted: bool = False
    items: list[OrderLine] = []


class StockReserved(EventData, frozen=True, kw_only=True):
    """Every line of this version of the order is held."""

    TYPE = EventType.STOCK_RESERVED
    order_id: uuid.UUID
    order_version: Count
    items: list[OrderLine]


class StockRejected(EventData, frozen=True, kw_only=True):
    """Nothing is held: these lines are short (all or nothing)."""

    TYPE = EventType.STOCK_REJECTED
    order_id: uuid.UUID
    order_version: Count
    shortages: list[Shortage]


class StockLow(EventData, frozen=True, kw_only=True):
    """A product's free stock just crossed below its low-stock mark."""

    TYPE = EventType.STOCK_LOW
    product_id: uuid.UUID
    available: int
    ideal_quantity: Count
    # Its name when it crossed, so that the notice reads well even before any other event
    # about the product reached the reader (optional: added without a new version).
    product_name: str | None = None


class ProductChanged(EventData, frozen=True, kw_only=True):
    """What an order captures of a product, as it is now (written by a trigger on the stock
    service's products and suppliers: every change, from any code path)."""

    TYPE = EventType.PRODUCT_CHANGED
    product_id: uuid.UUID
    revision: Annotated[int, msgspec.Meta(gt=0)]  # newer wins; one sequence, commit order
    name: str
    unit: str
    price: Decimal
    section: str | None = None
    category: str | None = None
    supplier_id: uuid.UUID | None = None
    supplier_name: str | None = None
    active: bool
    deleted: bool = False


class StockChanged(EventData, frozen=True, kw_only=True):
    """A product's free stock (on hand − reserved) changed (a trigger on the stock rows)."""

    TYPE = EventType.STOCK_CHANGED
    product_id: uuid.UUID
    revision: Annotated[int, msgspec.Meta(gt=0)]
    available: int


EVENT_DATA: dict[str, type[EventData]] = {
    kind.TYPE: kind
    for kind in (
        OrderCreated,
        OrderItemsChanged,
        OrderStatusChanged,
        StockReserved,
        StockRejected,
        StockLow,
        ProductChanged,
        StockChanged,
    )
}
assert set(EVENT_DATA) == set(EventType), "every event type has its typed data"

_Data = TypeVar("_Data", bound=EventData)


def event_of(data: EventData, *, source: str, correlation_id: str | None = None) -> Event:
    """A fresh event carrying `data` (its type and version from the data's class)."""
    return Event(
        id=str(uuid.uuid4()),
        type=str(data.TYPE),
        source=source,
        data=msgspec.to_builtins(data),
        correlation_id=correlation_id,
        version=data.VERSION,
    )


def data_of(event: Event, expected: type[_Data] | None = None) -> _Data:
    """The event's data as its type (or `expected`); InvalidEvent for an unknown type, a
    version this side does not read, or data that is not that type's."""
    kind = EVENT_DATA.get(event.type)
    if kind is None or (expected is not None and kind is not expected):
        raise InvalidEvent(f"unexpected event type {event.type!r}")
    if event.version not in kind.READS:
        raise InvalidEvent(f"{event.type} version {event.version} is not one this consumer reads")
    try:
        return msgspec.convert(event.data, kind)  # type: ignore[return-value]
    except msgspec.ValidationError as exc:
        raise InvalidEvent(f"{event.type}: {exc}") from exc
