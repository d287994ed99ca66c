"""The typed event data (shared.events): what a producer writes is what a consumer reads, and
anything else is an InvalidEvent (the consumer sends it to the DLQ with that reason)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from shared.events import (
    EVENT_DATA,
    Event,
    EventType,
    InvalidEvent,
    OrderCreated,
    OrderItemsChanged,
    OrderLine,
    OrderStatusChanged,
    ProductChanged,
    Shortage,
    StockChanged,
    StockLow,
    StockRejected,
    StockReserved,
    data_of,
    event_of,
)

ORDER, PRODUCT, CLIENT = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
EXAMPLES = [
    OrderCreated(order_id=ORDER, order_version=1, client_id=CLIENT, items=[OrderLine(PRODUCT, 2)]),
    OrderItemsChanged(order_id=ORDER, order_version=2, items=[OrderLine(PRODUCT, 3)]),
    OrderStatusChanged(
        order_id=ORDER,
        order_version=3,
        from_status="pending",
        to_status="cancelled",
        by="user-1",
        at=datetime(2026, 12, 7, 12, 0, tzinfo=UTC),
        items=[OrderLine(PRODUCT, 3)],
    ),
    StockReserved(order_id=ORDER, order_version=2, items=[OrderLine(PRODUCT, 3)]),
    StockRejected(order_id=ORDER, order_version=1, shortages=[Shortage(PRODUCT, 5, 2)]),
    ProductChanged(
        product_id=PRODUCT,
        revision=7,
        name="Arroz 5 kg",
        unit="pct",
        price=Decimal("27.90"),
        section="Mercearia",
        supplier_id=uuid.UUID(int=1),
        supplier_name="Cerealista Paulista",
        active=True,
    ),
    StockChanged(product_id=PRODUCT, revision=8, available=0),
    StockLow(product_id=PRODUCT, available=3, ideal_quantity=50),
]


def test_every_event_type_has_one_typed_definition_and_an_example_here():
    assert set(EVENT_DATA) == set(EventType)
    assert {type(example) for example in EXAMPLES} == set(EVENT_DATA.values())


@pytest.mark.parametrize("data", EXAMPLES, ids=lambda data: data.TYPE)
def test_what_a_producer_writes_is_what_the_consumer_reads_through_the_wire(data):
    sent = event_of(data, source="test", correlation_id="req-1")

    received = Event.from_message(sent.to_json())

    assert (received.type, received.version) == (data.TYPE, data.VERSION)
    assert data_of(received, type(data)) == data


def test_the_wire_shape_is_the_documented_one():
    sent = event_of(EXAMPLES[2], source="order_service")

    assert sent.data == {
        "order_id": str(ORDER),
        "order_version": 3,
        "order_type": "sale",
        "from": "pending",
        "to": "cancelled",
        "by": "user-1",
        "at": "2026-12-07T12:00:00Z",
        "deleted": False,
        "items": [{"product_id": str(PRODUCT), "quantity": 3}],
    }


def test_a_version_this_consumer_does_not_read_is_refused_with_the_reason():
    newer = dataclasses.replace(event_of(EXAMPLES[0], source="order_service"), version=2)

    with pytest.raises(InvalidEvent, match="order.created version 2 is not one this consumer"):
        data_of(newer)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"order_version": 1, "items": []}, "missing required field `order_id`"),
        ({"order_id": "x", "order_version": 1, "items": []}, "Invalid UUID"),
        (
            {
                "order_id": str(ORDER),
                "order_version": 1,
                "items": [{"product_id": str(PRODUCT), "quantity": 0}],
            },
            "Expected `int` >= 1",
        ),  # fmt: skip
        ({"order_id": str(ORDER), "order_version": True, "items": []}, "Expected `int`"),
        ({"order_id": str(ORDER), "order_version": 1, "order_type": "gift", "items": []}, "gift"),
    ],
)
def test_data_that_is_not_the_types_is_an_invalid_event_naming_the_problem(data, reason):
    event = Event(id=str(uuid.uuid4()), type="order.created", source="order_service", data=data)

    with pytest.raises(InvalidEvent, match=reason):
        data_of(event)


def test_an_unknown_type_or_an_unexpected_one_is_an_invalid_event():
    low = event_of(EXAMPLES[-1], source="stock_service")
    unknown = dataclasses.replace(low, type="order.teleported")

    with pytest.raises(InvalidEvent, match="unexpected event type 'order.teleported'"):
        data_of(unknown)
    with pytest.raises(InvalidEvent, match="unexpected event type 'stock.low'"):
        data_of(low, StockReserved)


def test_a_field_a_newer_producer_added_is_ignored():
    event = event_of(EXAMPLES[-1], source="stock_service")
    event.data["warehouse"] = "north"

    assert data_of(event, StockLow) == EXAMPLES[-1]
