"""The pure parts of shared.messaging: no broker, no database."""

import json
import threading
import time
from types import SimpleNamespace

import pika
import pytest

from shared.messaging import (
    Backoff,
    BatchResult,
    OutgoingMessage,
    StopSignal,
    connection_parameters,
    dead_letter_queue,
    failed_attempts,
    outgoing_message,
    queue_arguments,
)
from shared.messaging.publisher import message_properties
from shared.messaging.settlement import copy_properties


def test_work_queue_is_a_quorum_queue_dead_lettering_to_its_dlq_after_the_limit():
    arguments = queue_arguments("novos_pedidos", delivery_limit=3)

    assert arguments["x-queue-type"] == "quorum"
    assert arguments["x-delivery-limit"] == 3
    assert arguments["x-dead-letter-exchange"] == "pedidos.dlx"
    assert arguments["x-dead-letter-routing-key"] == "novos_pedidos"
    assert dead_letter_queue("novos_pedidos") == "novos_pedidos.dlq"


def test_connection_parameters_bound_every_network_wait():
    params = connection_parameters("amqp://u:p@broker:5673/%2F", connection_name="relay")

    assert (params.host, params.port, params.virtual_host) == ("broker", 5673, "/")
    assert params.heartbeat == 30
    assert params.socket_timeout == 5
    assert params.blocked_connection_timeout == 30
    assert params.connection_attempts == 1
    assert params.client_properties == {"connection_name": "relay"}


def test_settings_in_the_url_query_win_over_the_defaults():
    params = connection_parameters("amqp://u:p@broker/vh?heartbeat=7&socket_timeout=2")

    assert params.heartbeat == 7
    assert params.socket_timeout == 2
    assert params.blocked_connection_timeout == 30


def test_backoff_doubles_up_to_its_cap_and_starts_over_after_reset():
    backoff = Backoff(initial=0.5, maximum=2.0, jitter=0.0)

    delays = [backoff.next_delay() for _ in range(5)]
    backoff.reset()

    assert delays == [0.5, 1.0, 2.0, 2.0, 2.0]
    assert backoff.next_delay() == 0.5


def test_backoff_jitter_only_shortens_the_delay():
    backoff = Backoff(initial=1.0, maximum=1.0, jitter=0.2)

    delays = [backoff.next_delay() for _ in range(50)]

    assert all(0.8 <= delay <= 1.0 for delay in delays)


@pytest.mark.parametrize(
    ("headers", "failures"),
    [
        (None, 0),
        ({}, 0),
        ({"x-pedidos-attempts": 0}, 0),
        ({"x-pedidos-attempts": 2}, 2),
        ({"x-pedidos-attempts": "junk"}, 0),
        ({"x-pedidos-attempts": -4}, 0),
        # The broker's count of returns is not a handler failure: a crash is not a failure.
        ({"x-delivery-count": 4}, 0),
    ],
)
def test_failed_attempts_are_our_own_count_not_the_brokers_deliveries(headers, failures):
    assert failed_attempts(pika.BasicProperties(headers=headers)) == failures


def test_a_copy_keeps_the_message_identity_and_drops_the_brokers_delivery_headers():
    original = pika.BasicProperties(
        content_type="application/json",
        message_id="m-1",
        type="order.created",
        correlation_id="c-1",
        timestamp=1700000000,
        headers={"x-request-id": "r-1", "x-delivery-count": 3, "x-death": [{}],
                 "x-pedidos-attempts": 1},
    )  # fmt: skip

    copy = copy_properties(original, {"x-pedidos-attempts": 2})

    assert (copy.message_id, copy.type, copy.correlation_id, copy.timestamp) == (
        "m-1", "order.created", "c-1", 1700000000)  # fmt: skip
    assert copy.delivery_mode == 2
    assert copy.headers == {"x-request-id": "r-1", "x-pedidos-attempts": 2}


def test_an_outbox_row_becomes_a_message_with_its_id_type_routing_key_and_headers():
    row = SimpleNamespace(
        id="6f1c1c8e-52a4-4c55-9d0f-9f35c2b1f5aa",
        event_type="order.created",
        routing_key="order.created",
        payload={"id": "6f1c1c8e-52a4-4c55-9d0f-9f35c2b1f5aa", "correlation_id": "c-1", "data": {}},
        headers={"x-request-id": "r-1"},
    )

    message = outgoing_message(row)

    assert json.loads(message.body) == row.payload
    assert message.message_id == row.id
    assert message.event_type == "order.created"
    assert message.routing_key == "order.created"
    assert message.correlation_id == "c-1"
    assert message.headers == {"x-request-id": "r-1"}


def test_every_message_is_persistent_json_with_its_ids():
    message = OutgoingMessage(
        routing_key="order.created",
        body=b"{}",
        message_id="m-1",
        event_type="order.created",
        correlation_id="c-1",
        headers={"x-request-id": "r-1"},
    )

    properties = message_properties(message)

    assert properties.delivery_mode == 2
    assert properties.content_type == "application/json"
    assert (properties.message_id, properties.type) == ("m-1", "order.created")
    assert properties.correlation_id == "c-1"
    assert properties.headers == {"x-request-id": "r-1"}


def test_batch_result_lists_what_was_neither_confirmed_nor_rejected():
    result = BatchResult(size=4, confirmed=[0, 2], rejected={3: pika.exceptions.NackError([])})

    assert result.unconfirmed == [1]


def test_stop_signal_wakes_a_waiting_worker_at_once():
    stop = StopSignal()
    threading.Timer(0.1, stop.set).start()
    started = time.monotonic()

    stop.wait(10)

    assert stop.is_set()
    assert time.monotonic() - started < 2
    stop.close()
