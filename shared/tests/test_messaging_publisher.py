"""The confirmed publisher against the real broker (the run's vhost)."""

import time
import uuid

import pytest
from pika.exceptions import AMQPConnectionError, UnroutableError

from shared.messaging import BrokerTimeout, OutgoingMessage, Publisher
from tests.support.tcp_proxy import TcpProxy


def routing_key() -> str:
    return f"test.{uuid.uuid4().hex}"


def test_a_confirmed_message_is_in_its_queue_with_every_property(broker):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))

    with Publisher(broker.url) as publisher:
        publisher.publish(
            key,
            b'{"id": "1"}',
            message_id="m-1",
            event_type="order.created",
            correlation_id="c-1",
            headers={"x-request-id": "r-1"},
        )

    [(properties, body)] = broker.take_exactly(queue, 1)
    assert body == b'{"id": "1"}'
    assert properties.message_id == "m-1"
    assert properties.type == "order.created"
    assert properties.correlation_id == "c-1"
    assert properties.headers["x-request-id"] == "r-1"
    assert properties.delivery_mode == 2
    assert properties.content_type == "application/json"


def test_an_unroutable_message_raises_and_the_publisher_goes_on(broker):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))

    with Publisher(broker.url) as publisher:
        with pytest.raises(UnroutableError):
            publisher.publish(routing_key(), b"{}", message_id="lost", event_type="t")
        publisher.publish(key, b"{}", message_id="kept", event_type="t")

    assert [p.message_id for p, _ in broker.take_exactly(queue, 1)] == ["kept"]


def test_a_batch_reports_each_message_confirmed_or_rejected(broker):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    messages = [
        OutgoingMessage(
            routing_key=key if n % 3 else routing_key(),
            body=b"{}",
            message_id=f"m-{n}",
            event_type="t",
        )
        for n in range(30)
    ]

    with Publisher(broker.url) as publisher:
        result = publisher.publish_many(messages)

    assert result.error is None
    assert sorted(result.rejected) == [n for n in range(30) if n % 3 == 0]
    assert all(isinstance(e, UnroutableError) for e in result.rejected.values())
    assert sorted(result.confirmed) == [n for n in range(30) if n % 3]
    received = [p.message_id for p, _ in broker.take_exactly(queue, 20)]
    assert sorted(received) == sorted(f"m-{n}" for n in range(30) if n % 3)


def test_a_lost_connection_raises_and_the_next_publish_reconnects(broker):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    with TcpProxy.to_url(broker.url, 5672) as proxy, Publisher(proxy.url(broker.url)) as publisher:
        publisher.publish(key, b"{}", message_id="before", event_type="t")
        proxy.cut()

        with pytest.raises(AMQPConnectionError):
            publisher.publish(key, b"{}", message_id="during", event_type="t")
        proxy.restore()
        publisher.publish(key, b"{}", message_id="after", event_type="t")

    assert [p.message_id for p, _ in broker.take_exactly(queue, 2)] == ["before", "after"]


def test_a_confirm_that_never_comes_times_out_instead_of_hanging(broker):
    key = routing_key()
    broker.queue(routing_keys=(key,))
    with TcpProxy.to_url(broker.url, 5672) as proxy:
        publisher = Publisher(proxy.url(broker.url), confirm_timeout=0.5)
        try:
            publisher.connect()
            proxy.freeze()
            started = time.monotonic()

            with pytest.raises(BrokerTimeout):
                publisher.publish(key, b"{}", message_id="stuck", event_type="t")

            assert time.monotonic() - started < 3
            assert not publisher.is_connected
        finally:
            proxy.restore()
            publisher.close()
