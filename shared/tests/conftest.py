"""Fixtures of the messaging tests: real RabbitMQ (the run's vhost), real PostgreSQL (orders).

Each test owns its queues (random names), its outbox table (a copy of orders.outbox with
the same NOTIFY trigger) and its consumer name, so tests never see each other's messages.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import pika
import pytest
from sqlalchemy import Column, Engine, MetaData, Table, Text, create_engine, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Session

from shared.events import EXCHANGE, Event, new_event
from shared.inbox import processed_messages_table
from shared.messaging.connection import connection_parameters
from shared.messaging.topology import dead_letter_queue, declare_queue
from shared.outbox import outbox_table, record_event
from tests.support.waiting import wait_until

SCHEMA = "orders"
INBOX = processed_messages_table(MetaData(schema=SCHEMA))


@pytest.fixture(name="wait_until")
def wait_until_fixture() -> Callable[..., Any]:
    return wait_until


class Broker:
    """A test's own view of RabbitMQ: declares queues, publishes raw messages, reads queues."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.connection = pika.BlockingConnection(connection_parameters(url))
        self.channel = self.connection.channel()
        self.channel.confirm_delivery()
        self.queues: list[str] = []

    def queue(self, *, routing_keys: tuple[str, ...] = (), delivery_limit: int = 2) -> str:
        """A fresh quorum queue (and DLQ) bound to `routing_keys`, deleted at teardown."""
        name = f"test_{uuid.uuid4().hex[:12]}"
        declare_queue(self.channel, name, routing_keys=routing_keys, delivery_limit=delivery_limit)
        self.queues += [name, dead_letter_queue(name)]
        return name

    def publish(
        self,
        routing_key: str,
        body: bytes,
        *,
        message_id: str | None = None,
        exchange: str = EXCHANGE,
        **headers: Any,
    ) -> None:
        """Publish with confirms (mandatory); exchange "" sends straight to a queue."""
        self.channel.basic_publish(
            exchange,
            routing_key,
            body,
            pika.BasicProperties(
                message_id=message_id or str(uuid.uuid4()),
                delivery_mode=2,
                headers=headers or None,
            ),
            mandatory=True,
        )

    def publish_event(self, routing_key: str, event: Event, **headers: Any) -> None:
        self.publish(routing_key, event.to_json(), message_id=event.id, **headers)

    def count(self, queue: str) -> int:
        """Messages ready in `queue` (not counting those delivered and unacked)."""
        return self.channel.queue_declare(queue, passive=True).method.message_count

    def consumers(self, queue: str) -> int:
        """Consumers of `queue`; 0 while it does not exist yet."""
        try:
            return self.channel.queue_declare(queue, passive=True).method.consumer_count
        except pika.exceptions.ChannelClosedByBroker:  # 404: RabbitMQ closed our channel
            self.channel = self.connection.channel()
            self.channel.confirm_delivery()
            return 0

    def take(self, queue: str) -> list[tuple[pika.BasicProperties, bytes]]:
        """Remove and return every message ready in `queue`."""
        messages = []
        while True:
            method, properties, body = self.channel.basic_get(queue, auto_ack=True)
            if method is None:
                return messages
            messages.append((properties, body))

    def take_exactly(
        self, queue: str, expected: int, *, timeout: float = 10
    ) -> list[tuple[pika.BasicProperties, bytes]]:
        """Wait until `queue` holds `expected` messages, take them, and check none follow."""
        wait_until(lambda: self.count(queue) >= expected, timeout=timeout)
        messages = self.take(queue)
        time.sleep(0.2)  # a straggler (a duplicate) would have arrived by now
        messages += self.take(queue)
        return messages

    def close(self) -> None:
        try:
            for queue in self.queues:
                self.channel.queue_delete(queue)
            self.connection.close()
        except Exception:
            pass


@pytest.fixture
def broker(amqp_url: str) -> Iterator[Broker]:
    broker = Broker(amqp_url)
    try:
        yield broker
    finally:
        broker.close()


@pytest.fixture
def inbox() -> Table:
    """orders.processed_messages: tests use their own consumer names in it."""
    return INBOX


@pytest.fixture
def orders_url(test_database: Any) -> str:
    return test_database.url_for("order_service")


@pytest.fixture
def orders_engine(orders_url: str) -> Iterator[Engine]:
    engine = create_engine(orders_url, pool_pre_ping=True)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def outbox(orders_engine: Engine) -> Iterator[Table]:
    """A private copy of orders.outbox (indexes and the NOTIFY trigger included)."""
    name = f"outbox_{uuid.uuid4().hex[:10]}"
    with orders_engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {SCHEMA}.{name} (LIKE {SCHEMA}.outbox INCLUDING ALL)"))
        conn.execute(
            text(
                f"CREATE TRIGGER outbox_notify AFTER INSERT ON {SCHEMA}.{name}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.outbox_notify()"
            )
        )
    # The same columns and types as the real outbox (the copy's indexes are never created).
    table = outbox_table(MetaData(schema=SCHEMA)).to_metadata(MetaData(schema=SCHEMA), name=name)
    try:
        yield table
    finally:
        with orders_engine.begin() as conn:
            conn.execute(text(f"DROP TABLE IF EXISTS {SCHEMA}.{name}"))


@pytest.fixture
def effects(orders_engine: Engine) -> Iterator[Table]:
    """A table a test handler writes its effect to (no unique key: a double effect shows)."""
    name = f"test_effects_{uuid.uuid4().hex[:10]}"
    with orders_engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {SCHEMA}.{name} (event_id uuid NOT NULL, note text)"))
    table = Table(
        name,
        MetaData(schema=SCHEMA),
        Column("event_id", UUID(as_uuid=False), nullable=False),
        Column("note", Text),
    )
    try:
        yield table
    finally:
        with orders_engine.begin() as conn:
            conn.execute(text(f"DROP TABLE IF EXISTS {SCHEMA}.{name}"))


class OutboxWriter(Protocol):
    def __call__(self, count: int, *, routing_key: str) -> list[str]: ...


@pytest.fixture
def record_events(orders_engine: Engine, outbox: Table) -> OutboxWriter:
    """Commit `count` events to the test's outbox, as a service's use case would."""

    def record(count: int, *, routing_key: str) -> list[str]:
        events = [
            new_event(
                "test.happened",
                {"n": n},
                source="tests",
                correlation_id=f"corr-{n}",
            )
            for n in range(count)
        ]
        with Session(orders_engine) as session, session.begin():
            for event in events:
                record_event(
                    session,
                    outbox,
                    event,
                    routing_key=routing_key,
                    headers={"x-request-id": f"req-{event.id[:8]}"},
                )
        return [event.id for event in events]

    return record


class Worker(Protocol):
    def run(self) -> None: ...
    def stop(self) -> None: ...


@pytest.fixture
def start_worker() -> Iterator[Callable[[Worker], threading.Thread]]:
    """Run relays/consumers in threads; every one is stopped and joined at teardown."""
    started: list[tuple[Worker, threading.Thread]] = []
    errors: list[BaseException] = []

    def start(worker: Worker) -> threading.Thread:
        def body() -> None:
            try:
                worker.run()
            except BaseException as exc:  # surfaced at teardown: a worker must not crash
                errors.append(exc)

        thread = threading.Thread(target=body, daemon=True, name=type(worker).__name__)
        thread.start()
        started.append((worker, thread))
        return thread

    yield start
    for worker, _ in started:
        worker.stop()
    for _, thread in started:
        thread.join(timeout=15)
    assert not [t for _, t in started if t.is_alive()], "a worker did not stop within 15 s"
    assert not errors, f"a worker crashed: {errors!r}"
