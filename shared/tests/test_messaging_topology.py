"""The RabbitMQ topology, declared by its CLI on an empty vhost."""

import os
import subprocess
import sys

import pika

from shared.events import (
    EXCHANGE,
    NEW_ORDERS_QUEUE,
    NOTIFICATIONS_QUEUE,
    EventType,
    new_event,
    routing_key_of,
)
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


def test_a_sale_is_created_for_the_stock_only_a_replenishment_also_for_notifications(
    fresh_vhost,
):
    connection = pika.BlockingConnection(connection_parameters(fresh_vhost))
    try:
        channel = connection.channel()
        declare_topology(channel)
        # An earlier release bound every order.created to the notifications: redeclaring
        # the topology (as every worker does when it connects) removes that binding.
        channel.queue_bind(NOTIFICATIONS_QUEUE, EXCHANGE, routing_key=EventType.ORDER_CREATED)
        declare_topology(channel)
        sale, replenishment = (
            new_event(EventType.ORDER_CREATED, {"order_type": kind}, source="tests")
            for kind in ("sale", "replenishment")
        )
        with Publisher(fresh_vhost) as publisher:
            for event in (sale, replenishment):
                publisher.publish(
                    routing_key_of(event),
                    event.to_json(),
                    message_id=event.id,
                    event_type=event.type,
                )

        def ids(queue):
            taken = []
            while (message := channel.basic_get(queue, auto_ack=True))[0] is not None:
                taken.append(message[1].message_id)
            return taken

        stock, notifications = ids(NEW_ORDERS_QUEUE), ids(NOTIFICATIONS_QUEUE)
    finally:
        connection.close()

    assert routing_key_of(sale) == "order.created"
    assert routing_key_of(replenishment) == "order.created.replenishment"
    assert stock == [sale.id, replenishment.id]
    assert notifications == [replenishment.id]
