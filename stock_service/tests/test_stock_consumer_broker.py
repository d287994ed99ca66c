"""The reservation consumer on the real broker: two processes, one product, no oversell."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pika
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.events import EXCHANGE, NEW_ORDERS_QUEUE, EventType, new_event
from shared.messaging.connection import connection_parameters
from shared.messaging.topology import declare_topology_at
from stock_service.models import Reservation, StockLedgerEntry, StockLevel, outbox
from tests.support.logs import logged_messages
from tests.support.workers import stop_and_wait, worker_process


def wait_for(predicate: Callable[[], Any], *, timeout: float = 30, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    pytest.fail(f"not within {timeout}s: {what}", pytrace=False)


class Publisher:
    def __init__(self, url: str) -> None:
        self.connection = pika.BlockingConnection(connection_parameters(url))
        self.channel = self.connection.channel()
        self.channel.confirm_delivery()

    def send(self, routing_key: str, body: bytes, *, message_id: str | None = None) -> None:
        self.channel.basic_publish(
            EXCHANGE,
            routing_key,
            body,
            pika.BasicProperties(
                message_id=message_id or str(uuid.uuid4()),
                content_type="application/json",
                delivery_mode=2,
                type=routing_key,
            ),
            mandatory=True,
        )

    def order_created(self, order_id: str, product_id: str, quantity: int = 1) -> str:
        event = new_event(
            EventType.ORDER_CREATED,
            {
                "order_id": order_id,
                "order_version": 1,
                "order_type": "sale",
                "client_id": str(uuid.uuid4()),
                "items": [{"product_id": product_id, "quantity": quantity}],
            },
            source="order_service",
        )
        self.send(EventType.ORDER_CREATED, event.to_json(), message_id=event.id)
        return event.id

    def count(self, queue: str) -> int:
        return self.channel.queue_declare(queue, passive=True).method.message_count

    def close(self) -> None:
        self.connection.close()


def reservations_of(session: Session, order_ids: list[str]) -> dict[str, str]:
    session.expire_all()
    rows = session.execute(
        select(Reservation.order_id, Reservation.status).where(
            Reservation.order_id.in_([uuid.UUID(o) for o in order_ids])
        )
    )
    return {str(order_id): status for order_id, status in rows}


def test_two_consumers_reserve_exactly_the_stock_there_is(
    fresh_vhost, test_database, session, make_product, tmp_path
):
    product = make_product(on_hand=10)
    declare_topology_at(fresh_vhost)
    env = {"DATABASE_URL": test_database.url_for("stock_service"), "RABBITMQ_URL": fresh_vhost}
    publisher = Publisher(fresh_vhost)
    order_ids = [str(uuid.uuid4()) for _ in range(12)]
    try:
        with (
            worker_process("stock_service.messaging.consumer", tmp_path / "c1.log", **env) as one,
            worker_process("stock_service.messaging.consumer", tmp_path / "c2.log", **env) as two,
        ):
            # Both must be consuming before the orders arrive, so that they share the work (and
            # SIGTERM later reaches a running consumer, not one still importing).
            for log in ("c1.log", "c2.log"):
                wait_for(
                    lambda log=log: "consuming" in logged_messages((tmp_path / log).read_bytes()),
                    what=f"{log}: consumer subscribed",
                )
            for order_id in order_ids:
                publisher.order_created(order_id, str(product.id))
            # A duplicate delivery of the first order and a poison message, then one more order.
            first_again = new_event(
                EventType.ORDER_CREATED,
                {
                    "order_id": order_ids[0],
                    "order_version": 1,
                    "order_type": "sale",
                    "items": [{"product_id": str(product.id), "quantity": 1}],
                },
                source="order_service",
            )
            publisher.send(EventType.ORDER_CREATED, first_again.to_json())
            publisher.send(EventType.ORDER_CREATED, b"{not json")
            late_order = str(uuid.uuid4())
            publisher.order_created(late_order, str(product.id))

            statuses = wait_for(
                lambda: (
                    (r := reservations_of(session, [*order_ids, late_order])) and len(r) == 13 and r
                ),
                what="13 reservations decided",
            )
            wait_for(lambda: publisher.count(f"{NEW_ORDERS_QUEUE}.dlq") == 1, what="poison in DLQ")
            stop_and_wait(one, tmp_path / "c1.log")
            stop_and_wait(two, tmp_path / "c2.log")
    finally:
        publisher.close()

    assert list(statuses.values()).count("reserved") == 10
    assert list(statuses.values()).count("rejected") == 3
    level = session.get(StockLevel, product.id)
    session.refresh(level)
    assert (level.on_hand, level.reserved, level.available) == (10, 10, 0)
    reserved_rows = session.scalar(
        select(func.count())
        .select_from(StockLedgerEntry)
        .where(
            StockLedgerEntry.product_id == product.id, StockLedgerEntry.cause == "order_reserved"
        )
    )
    assert reserved_rows == 10
    replies = session.execute(
        select(outbox.c.event_type, func.count())
        .where(outbox.c.payload["data"]["order_id"].astext.in_([*order_ids, late_order]))
        .group_by(outbox.c.event_type)
    ).all()
    assert dict(replies) == {"stock.reserved": 10, "stock.rejected": 3}
    rejected = (
        session.execute(
            select(outbox.c.payload)
            .where(outbox.c.event_type == "stock.rejected")
            .where(outbox.c.payload["data"]["order_id"].astext.in_([*order_ids, late_order]))
        )
        .scalars()
        .first()
    )
    assert rejected["data"]["shortages"] == [
        {"product_id": str(product.id), "requested": 1, "available": 0}
    ]
    assert json.dumps(rejected)  # the payload is plain JSON
