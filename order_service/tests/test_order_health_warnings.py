"""/ready warns of orders stuck waiting for the stock service and of dead-lettered messages."""

from __future__ import annotations

import dataclasses
import uuid

import pika
from sqlalchemy import text

from order_service.app import create_app
from shared.events import ORDER_STOCK_EVENTS_QUEUE
from shared.messaging.connection import connection_parameters
from shared.messaging.topology import declare_topology_at
from tests.support.waiting import wait_until


def test_an_order_awaiting_stock_too_long_is_counted(
    order_settings, tokens, stock_catalogue, session, placed, make_client, make_product
):
    order = placed(make_client()["id"], (make_product()["id"], 1))
    session.execute(
        text("UPDATE orders.orders SET updated_at = now() - interval '10 minutes' WHERE id = :id"),
        {"id": order["id"]},
    )
    session.commit()
    fresh = create_app(order_settings, verifier=tokens.verifier(), stock=stock_catalogue)

    stuck = fresh.test_client().get("/ready").json["data"]["backlog"]["stuck_orders"]

    assert stuck["count"] >= 1
    assert stuck["oldest_seconds"] >= 600
    assert stuck["awaiting_stock_over_seconds"] == 300


def test_dead_lettered_messages_are_counted_per_queue(
    order_settings, tokens, stock_catalogue, amqp_url
):
    declare_topology_at(amqp_url)
    connection = pika.BlockingConnection(connection_parameters(amqp_url))
    channel = connection.channel()
    channel.confirm_delivery()
    channel.basic_publish(
        "", ORDER_STOCK_EVENTS_QUEUE, b"not an event",
        pika.BasicProperties(message_id=str(uuid.uuid4()), delivery_mode=2),
    )  # fmt: skip
    dlq = f"{ORDER_STOCK_EVENTS_QUEUE}.dlq"
    before = channel.queue_declare(dlq, passive=True).method.message_count
    method, _, _ = channel.basic_get(ORDER_STOCK_EVENTS_QUEUE, auto_ack=False)
    channel.basic_reject(method.delivery_tag, requeue=False)
    wait_until(lambda: channel.queue_declare(dlq, passive=True).method.message_count == before + 1)
    settings = dataclasses.replace(order_settings, rabbitmq_url=amqp_url)
    fresh = create_app(settings, verifier=tokens.verifier(), stock=stock_catalogue)

    letters = fresh.test_client().get("/ready").json["data"]["backlog"]["dead_letters"]

    assert letters["queues"][dlq] == before + 1
    assert letters["messages"] >= before + 1
    channel.queue_purge(dlq)
    connection.close()


def outbox_rows(session, order_id):
    return session.execute(
        text(
            "SELECT event_type, published_at IS NULL, headers ? 'x-pedidos-resent'"
            " FROM orders.outbox WHERE payload -> 'data' ->> 'order_id' = :id"
            " ORDER BY created_at"
        ),  # fmt: skip
        {"id": order_id},
    ).all()


def test_the_sweep_resends_the_last_event_of_a_stuck_order_once_per_stuck_period(
    session, placed, make_client, make_product
):
    from order_service.stuck_orders import resend_stuck_orders

    stuck = placed(make_client()["id"], (make_product()["id"], 1))
    recent = placed(make_client()["id"], (make_product()["id"], 1))
    answered = placed(make_client()["id"], (make_product()["id"], 1))
    # All three went out long ago; `recent` changed a moment ago, `answered` got its reply.
    session.execute(
        text(
            "UPDATE orders.outbox SET published_at = now() - interval '10 minutes'"
            " WHERE payload -> 'data' ->> 'order_id' = ANY(:ids)"
        ),  # fmt: skip
        {"ids": [stuck["id"], recent["id"], answered["id"]]},
    )
    session.execute(
        text(
            "UPDATE orders.orders SET updated_at = now() - interval '10 minutes',"
            " stock_status = CASE WHEN id = :answered THEN 'reserved' ELSE stock_status END"
            " WHERE id IN (:stuck, :answered)"
        ),  # fmt: skip
        {"stuck": stuck["id"], "answered": answered["id"]},
    )
    session.commit()

    first = resend_stuck_orders(session.connection())
    session.commit()
    second = resend_stuck_orders(session.connection())  # already re-queued: not again
    session.commit()

    assert first >= 1 and second == 0
    assert outbox_rows(session, stuck["id"]) == [("order.created", True, True)]
    assert outbox_rows(session, recent["id"]) == [("order.created", False, False)]
    assert outbox_rows(session, answered["id"]) == [("order.created", False, False)]
