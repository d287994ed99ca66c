"""The operator's DLQ tool: list without consuming, replay by order to its queue, once."""

from __future__ import annotations

import json
import uuid

import pika
import pytest

from shared.messaging.connection import connection_parameters
from shared.messaging.dlq import main, read, replay
from shared.messaging.topology import dead_letter_queue


def event_body(order_id: str) -> bytes:
    return json.dumps({"type": "order.created", "data": {"order_id": order_id}}).encode()


def dead_letter(broker, queue: str, order_id: str) -> str:
    """Publish to `queue` and reject it: RabbitMQ dead-letters it with x-death."""
    message_id = str(uuid.uuid4())
    broker.publish(queue, event_body(order_id), message_id=message_id, exchange="")
    method, _, _ = broker.channel.basic_get(queue, auto_ack=False)
    broker.channel.basic_reject(method.delivery_tag, requeue=False)
    return message_id


def test_list_reads_without_consuming_and_replay_sends_one_order_back_once(
    broker, amqp_url, wait_until
):
    queue = broker.queue()
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    dead_letter(broker, queue, first)
    replayed_id = dead_letter(broker, queue, second)
    wait_until(lambda: broker.count(dead_letter_queue(queue)) == 2)

    connection = pika.BlockingConnection(connection_parameters(amqp_url))
    channel = connection.channel()
    channel.confirm_delivery()
    letters = read(channel, queue)
    assert [(letter.order_id, letter.reason, letter.queue) for letter in letters] == [
        (first, "rejected", queue),
        (second, "rejected", queue),
    ]
    connection.close()  # listing consumed nothing
    wait_until(lambda: broker.count(dead_letter_queue(queue)) == 2)

    connection = pika.BlockingConnection(connection_parameters(amqp_url))
    channel = connection.channel()
    channel.confirm_delivery()
    done = replay(channel, read(channel, queue), order_id=second)
    connection.close()

    assert [letter.message_id for letter in done] == [replayed_id]
    wait_until(lambda: broker.count(dead_letter_queue(queue)) == 1)
    [(properties, body)] = broker.take_exactly(queue, 1)
    assert properties.message_id == replayed_id  # unchanged: consumers dedupe by it
    assert json.loads(body)["data"]["order_id"] == second
    assert properties.headers["x-replayed-from-dlq"] == dead_letter_queue(queue)

    connection = pika.BlockingConnection(connection_parameters(amqp_url))
    channel = connection.channel()
    channel.confirm_delivery()
    assert replay(channel, read(channel, queue), order_id=second) == []  # nothing twice
    connection.close()


def test_replay_asks_what_to_replay():
    with pytest.raises(SystemExit):
        main(["replay"])
