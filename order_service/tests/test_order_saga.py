"""The stock service's replies applied to orders: version-aware, idempotent, through the inbox."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pika
import pytest
from sqlalchemy import text

from order_service.messaging.handlers import HANDLERS, on_stock_replies
from order_service.messaging.saga import (
    _APPLY_REPLIES,
    apply_stock_replies,
    apply_stock_reply,
    on_stock_low,
)
from order_service.models import Order, processed_messages
from shared.db import unit_of_work
from shared.events import ORDER_STOCK_EVENTS_QUEUE, Event, InvalidEvent, new_event
from shared.messaging.consumer import Consumer, Disposition

ORDERS = "/api/v1/orders"


def reserved(order_id: str, version: int = 1) -> Event:
    return new_event(
        "stock.reserved",
        {"order_id": order_id, "order_version": version, "items": []},
        source="stock_service",
    )


def rejected(order_id: str, version: int = 1, shortages=None) -> Event:
    return new_event(
        "stock.rejected",
        {
            "order_id": order_id,
            "order_version": version,
            "shortages": shortages
            if shortages is not None
            else [{"product_id": str(uuid.uuid4()), "requested": 5, "available": 2}],
        },
        source="stock_service",
    )


@pytest.fixture
def apply(session):
    """Run a handler in a transaction of its own, as the consumer does."""

    def run(handler, event: Event) -> None:
        with unit_of_work(session):
            handler(session, event)

    return run


@pytest.fixture
def order_of(client, admin):
    return lambda order_id: client.get(f"{ORDERS}/{order_id}", headers=admin).json["data"]


@pytest.fixture
def new_order(placed, make_client, make_product):
    def build(on_hand: int = 10, quantity: int = 1):
        product = make_product(on_hand=on_hand)
        return placed(make_client()["id"], (product["id"], quantity)), product

    return build


def test_the_handlers_are_wired_for_the_stock_events():
    # Both replies share one batch handler, so a run of them is one UPDATE.
    assert HANDLERS["stock.reserved"] is HANDLERS["stock.rejected"] is on_stock_replies
    assert on_stock_replies.handle is apply_stock_replies
    assert HANDLERS["stock.low"] is on_stock_low


def test_a_reservation_makes_the_order_reserved_and_approvable(
    apply, new_order, order_of, client, admin
):
    order, _ = new_order()

    apply(apply_stock_reply, reserved(order["id"]))

    assert order_of(order["id"])["stock_status"] == "reserved"
    approve = client.put(f"{ORDERS}/{order['id']}", json={"status": "approved"}, headers=admin)
    assert approve.status_code == 200, approve.get_data(as_text=True)
    assert approve.json["data"]["approved_at"]


def test_a_rejection_keeps_the_order_pending_shows_the_shortages_and_blocks_approval(
    apply, new_order, order_of, client, admin
):
    order, product = new_order()
    shortages = [{"product_id": product["id"], "requested": 1, "available": 0}]

    apply(apply_stock_reply, rejected(order["id"], shortages=shortages))

    stored = order_of(order["id"])
    assert stored["status"] == "pending"
    assert stored["stock_status"] == "rejected"
    assert stored["shortages"] == [{"product_id": product["id"], "requested": 1, "available": 0}]
    approve = client.put(f"{ORDERS}/{order['id']}", json={"status": "approved"}, headers=admin)
    assert approve.status_code == 409
    assert approve.json["code"] == "stock_not_reserved"


def test_a_reply_for_an_older_version_changes_nothing(
    apply, new_order, order_of, client, admin, make_product
):
    order, _ = new_order()
    extra = make_product(on_hand=5)
    added = client.post(
        f"{ORDERS}/{order['id']}/items",
        json={"product_id": extra["id"], "quantity": 1},
        headers=admin,
    )
    assert added.json["data"]["order_version"] == 2

    apply(apply_stock_reply, reserved(order["id"], version=1))
    assert order_of(order["id"])["stock_status"] == "awaiting"

    apply(apply_stock_reply, reserved(order["id"], version=2))
    assert order_of(order["id"])["stock_status"] == "reserved"


def test_only_the_first_reply_to_a_version_counts(apply, new_order, order_of):
    order, _ = new_order()

    apply(apply_stock_reply, reserved(order["id"]))
    apply(apply_stock_reply, rejected(order["id"]))

    stored = order_of(order["id"])
    assert stored["stock_status"] == "reserved"
    assert stored["shortages"] == []


def test_a_late_reply_does_not_touch_a_cancelled_order(apply, new_order, order_of, client, admin):
    order, _ = new_order()
    client.put(f"{ORDERS}/{order['id']}", json={"status": "cancelled"}, headers=admin)

    apply(apply_stock_reply, reserved(order["id"]))

    assert order_of(order["id"])["stock_status"] == "awaiting"


def test_a_late_reply_does_not_touch_a_deleted_order(apply, new_order, session, client, admin):
    order, _ = new_order()
    client.delete(f"{ORDERS}/{order['id']}", headers=admin)

    apply(apply_stock_reply, rejected(order["id"]))

    stored = session.get(Order, uuid.UUID(order["id"]))
    assert (stored.stock_status, stored.stock_shortages) == ("awaiting", None)
    session.rollback()


def test_a_reply_for_a_version_never_sent_changes_nothing(apply, new_order, order_of):
    order, _ = new_order()

    apply(apply_stock_reply, reserved(order["id"], version=2))

    assert order_of(order["id"])["stock_status"] == "awaiting"


def test_a_handler_leaves_the_commit_to_the_consumer(session, new_order, order_of):
    # The consumer runs a batch of messages in one transaction: a handler never commits.
    order, _ = new_order()

    apply_stock_reply(session, reserved(order["id"]))
    session.rollback()

    assert order_of(order["id"])["stock_status"] == "awaiting"


def test_editing_a_rejected_order_retries_the_reservation(
    apply, new_order, order_of, client, admin, make_product, session, events
):
    order, product = new_order()
    apply(apply_stock_reply, rejected(order["id"]))
    other = make_product(on_hand=5)

    response = client.post(
        f"{ORDERS}/{order['id']}/items",
        json={"product_id": other["id"], "quantity": 2},
        headers=admin,
    )

    assert response.status_code == 201
    stored = order_of(order["id"])
    assert stored["stock_status"] == "awaiting"
    assert stored["shortages"] == []
    [changed] = events(session, order["id"], "order.items_changed")
    assert changed["data"] == {
        "order_id": order["id"],
        "order_version": 2,
        "order_type": "sale",
        "items": [
            {"product_id": product["id"], "quantity": 1},
            {"product_id": other["id"], "quantity": 2},
        ],
    }
    apply(apply_stock_reply, reserved(order["id"], version=2))
    assert order_of(order["id"])["stock_status"] == "reserved"


def test_replies_about_unknown_orders_and_low_stock_are_acknowledged(apply):
    apply(apply_stock_reply, reserved(str(uuid.uuid4())))
    apply(
        on_stock_low,
        new_event(
            "stock.low",
            {"product_id": str(uuid.uuid4()), "available": 1, "ideal_quantity": 50},
            source="stock_service",
        ),
    )


@pytest.mark.parametrize(
    "data",
    [
        {"order_version": 1},
        {"order_id": "nope", "order_version": 1},
        {"order_id": str(uuid.uuid4()), "order_version": "1"},
        {"order_id": str(uuid.uuid4()), "order_version": 0},
        {"order_id": str(uuid.uuid4()), "order_version": 1, "shortages": "none"},
        {"order_id": str(uuid.uuid4()), "order_version": 1, "shortages": [{"requested": 1}]},
    ],
)
def test_a_malformed_reply_is_an_invalid_event(apply, data):
    with pytest.raises(InvalidEvent):
        apply(apply_stock_reply, new_event("stock.rejected", data, source="stock_service"))


def test_the_same_message_delivered_twice_is_handled_once(session, new_order, order_of, client):
    order, _ = new_order()
    consumer = Consumer(
        "amqp://guest:guest@127.0.0.1:5672/%2F",  # never connected: process() needs no broker
        queue=ORDER_STOCK_EVENTS_QUEUE,
        handlers=HANDLERS,
        transaction=lambda: unit_of_work(session),
        inbox_table=processed_messages,
    )
    event = reserved(order["id"])
    properties = pika.BasicProperties(message_id=event.id, type=event.type, headers={})

    first = consumer.process(properties, event.to_json())
    second = consumer.process(properties, event.to_json())

    assert first == second == Disposition.ACK
    assert consumer.stats.processed == 1
    assert consumer.stats.duplicates == 1
    assert order_of(order["id"])["stock_status"] == "reserved"


def batch_consumer(session) -> Consumer:
    return Consumer(
        "amqp://guest:guest@127.0.0.1:5672/%2F",  # never connected: process_batch only
        queue=ORDER_STOCK_EVENTS_QUEUE,
        handlers=HANDLERS,
        transaction=lambda: unit_of_work(session),
        inbox_table=processed_messages,
    )


def deliveries(*events: Event):
    return [(pika.BasicProperties(message_id=e.id, type=e.type), e.to_json()) for e in events]


def test_a_batch_of_replies_applies_each_as_one_at_a_time_would(session, new_order, order_of):
    (a, _), (b, _), (c, _) = new_order(), new_order(), new_order()
    shortages = [{"product_id": str(uuid.uuid4()), "requested": 5, "available": 2}]

    dispositions = batch_consumer(session).process_batch(
        deliveries(
            reserved(a["id"]),
            rejected(b["id"], shortages=shortages),
            reserved(c["id"], version=2),  # a version the order never had: ignored
            reserved(str(uuid.uuid4())),  # not ours: ignored
        )
    )

    assert dispositions == [Disposition.ACK] * 4
    assert order_of(a["id"])["stock_status"] == "reserved"
    assert (order_of(b["id"])["stock_status"], order_of(b["id"])["shortages"]) == (
        "rejected",
        shortages,
    )
    assert order_of(c["id"])["stock_status"] == "awaiting"


def test_two_replies_to_one_order_in_a_batch_apply_in_delivery_order(session, new_order, order_of):
    order, _ = new_order()

    batch_consumer(session).process_batch(deliveries(reserved(order["id"]), rejected(order["id"])))

    # The first reply answered the order; the second finds it no longer awaited.
    assert order_of(order["id"])["stock_status"] == "reserved"


def test_a_reply_finds_its_order_by_primary_key_whatever_the_statistics(session, new_order):
    # With stale statistics PostgreSQL once estimated "one pending order" and read every
    # pending order through the status index, for each reply or batch. Without nested loops
    # or sequential scans the planner takes the status index whenever the guard lets it.
    order, _ = new_order()
    params = {
        "ids": [order["id"]],
        "versions": [1],
        "outcomes": ["reserved"],
        "shortages": [None],
        "at": datetime.now(UTC),
    }
    compiled = _APPLY_REPLIES.compile(dialect=session.get_bind().dialect)
    with session.begin():
        session.execute(text("SET LOCAL enable_nestloop = off"))
        session.execute(text("SET LOCAL enable_seqscan = off"))
        rows = session.connection().exec_driver_sql(
            f"EXPLAIN {compiled}", compiled.construct_params(params)
        )
        plan = "\n".join(row[0] for row in rows)

    assert "ix_orders_live_status_created" not in plan, plan
    assert "pk_orders" in plan, plan
