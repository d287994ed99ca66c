"""The RabbitMQ topology, declared by its CLI on an empty vhost."""

import os
import subprocess
import sys

import pika

from shared.events import EventType, new_event
from shared.messaging import Publisher, declare_topology
from shared.messaging.connection import connection_parameters


def test_the_cli_declares_every_queue_its_bindings_and_its_dead_letter_queue(
    fresh_vhost, wait_until
):
    result = subprocess.run(
        [sys.executable, "-m", "shared.messaging.topology"],
        env={**os.environ, "RABBITMQ_URL": fresh_vhost},
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()

    connection = pika.BlockingConnection(connection_parameters(fresh_vhost))
    try:
        channel = connection.channel()
        declare_topology(channel)  # declaring again changes nothing
        with Publisher(fresh_vhost) as publisher:
            for event_type in EventType:
                event = new_event(event_type, {}, source="tests")
                publisher.publish(
                    event.type, event.to_json(), message_id=event.id, event_type=event.type
                )
        counts = {
            queue: channel.queue_declare(queue, passive=True).method.message_count
            for queue in (
                "novos_pedidos",
                "novos_pedidos.dlq",
                "order_service.stock_events",
                "order_service.stock_events.dlq",
            )
        }
        method, _, _ = channel.basic_get("novos_pedidos")
        channel.basic_reject(method.delivery_tag, requeue=False)
        # At-least-once dead-lettering moves the message asynchronously.
        dead = wait_until(lambda: channel.basic_get("novos_pedidos.dlq", auto_ack=True)[0])
    finally:
        connection.close()

    assert counts == {
        "novos_pedidos": 3,
        "novos_pedidos.dlq": 0,
        "order_service.stock_events": 5,  # replies, stock.low, the catalogue copy's two
        "order_service.stock_events.dlq": 0,
    }
    assert dead is not None
