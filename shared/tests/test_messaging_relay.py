"""The outbox relay against real PostgreSQL (schema orders) and RabbitMQ."""

import json
import time
import uuid
from datetime import timedelta

from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.orm import Session

from shared.messaging import Backoff, OutboxRelay, Publisher
from shared.messaging.pacing import BatchPacer
from shared.messaging.publisher import BatchResult
from shared.outbox import OutboxBacklog, notify_channel, outbox_backlog
from tests.support.tcp_proxy import TcpProxy

CHANNEL = notify_channel("orders")


def routing_key() -> str:
    return f"test.{uuid.uuid4().hex}"


def make_relay(engine, outbox, publisher, **options) -> OutboxRelay:
    options.setdefault("poll_interval", 0.2)
    options.setdefault("backoff", Backoff(initial=0.05, maximum=0.3))
    return OutboxRelay(engine, outbox, publisher, notify_channel=CHANNEL, **options)


def unpublished(engine, outbox) -> int:
    with engine.connect() as conn:
        return conn.scalar(
            select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        )


def test_events_wait_in_the_outbox_while_rabbitmq_is_unreachable_then_go_out_once_each(
    broker, orders_engine, outbox, record_events, start_worker, wait_until
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    with TcpProxy.to_url(broker.url, 5672) as proxy:
        relay = make_relay(orders_engine, outbox, Publisher(proxy.url(broker.url)))
        [first] = record_events(1, routing_key=key)
        assert relay.run_once() == 1  # the relay is connected when RabbitMQ goes away
        proxy.cut()
        start_worker(relay)

        waiting = record_events(10, routing_key=key)
        time.sleep(1.0)

        assert unpublished(orders_engine, outbox) == 10
        assert broker.count(queue) == 1
        proxy.restore()
        wait_until(lambda: unpublished(orders_engine, outbox) == 0, timeout=10)

    received = [p.message_id for p, _ in broker.take_exactly(queue, 11)]
    assert sorted(received) == sorted([first, *waiting])


def test_a_published_message_carries_the_row_payload_ids_and_headers(
    broker, orders_engine, outbox, record_events
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    [event_id] = record_events(1, routing_key=key)

    with Publisher(broker.url) as publisher:
        assert make_relay(orders_engine, outbox, publisher).run_once() == 1

    [(properties, body)] = broker.take_exactly(queue, 1)
    payload = json.loads(body)
    assert payload["id"] == event_id == properties.message_id
    assert payload["type"] == "test.happened" == properties.type
    assert properties.correlation_id == payload["correlation_id"] == "corr-0"
    assert properties.headers["x-request-id"] == f"req-{event_id[:8]}"
    with orders_engine.connect() as conn:
        row = conn.execute(select(outbox).where(outbox.c.id == event_id)).one()
    assert row.published_at is not None
    assert row.attempts == 0


def test_a_batch_goes_out_oldest_first(broker, orders_engine, outbox, record_events):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    ids = record_events(4, routing_key=key)
    # Written in one order, dated in another: the batch follows the dates.
    ages = dict(zip(ids, ("1 second", "4 seconds", "2 seconds", "3 seconds"), strict=True))
    with orders_engine.begin() as conn:
        for event_id, age in ages.items():
            conn.execute(
                update(outbox)
                .where(outbox.c.id == event_id)
                .values(created_at=func.now() - text(f"interval '{age}'"))
            )

    with Publisher(broker.url) as publisher:
        assert make_relay(orders_engine, outbox, publisher).run_once() == 4

    published = [properties.message_id for properties, _ in broker.take_exactly(queue, 4)]
    assert published == [ids[1], ids[3], ids[2], ids[0]]
    assert unpublished(orders_engine, outbox) == 0


def test_two_relays_at_once_publish_each_of_240_events_exactly_once(
    broker, orders_url, outbox, record_events, start_worker, wait_until, orders_engine
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    event_ids = record_events(240, routing_key=key)
    # Like two processes: each relay has its own engine (connection pool) and connection.
    engines = [create_engine(orders_url) for _ in range(2)]
    relays = [
        make_relay(engine, outbox, Publisher(broker.url), batch_size=10) for engine in engines
    ]
    threads = [start_worker(relay) for relay in relays]
    try:
        wait_until(lambda: unpublished(orders_engine, outbox) == 0, timeout=20)
        received = [p.message_id for p, _ in broker.take_exactly(queue, 240)]
    finally:
        for relay in relays:
            relay.stop()
        for thread in threads:
            thread.join(timeout=10)
        for engine in engines:
            engine.dispose()

    assert len(received) == 240
    assert sorted(received) == sorted(event_ids)
    assert sum(relay.published_total for relay in relays) == 240


def test_rows_locked_by_another_relay_are_skipped_not_published_twice(
    broker, orders_engine, outbox, record_events
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    event_ids = record_events(6, routing_key=key)
    locked = sorted(event_ids)[:3]

    with orders_engine.connect() as other_relay, other_relay.begin():
        other_relay.execute(
            select(outbox.c.id).where(outbox.c.id.in_(locked)).with_for_update()
        ).all()
        with Publisher(broker.url) as publisher:
            published = make_relay(orders_engine, outbox, publisher).run_once()

    assert published == 3
    received = [p.message_id for p, _ in broker.take_exactly(queue, 3)]
    assert sorted(received) == sorted(set(event_ids) - set(locked))


def test_the_relay_wakes_on_notify_without_waiting_for_its_poll(
    broker, orders_engine, outbox, record_events, start_worker, wait_until
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    relay = make_relay(orders_engine, outbox, Publisher(broker.url), poll_interval=30)
    start_worker(relay)
    time.sleep(0.5)  # the relay is now asleep on LISTEN for up to 30 s

    started = time.monotonic()
    record_events(1, routing_key=key)
    wait_until(lambda: broker.count(queue) == 1, timeout=5)

    assert time.monotonic() - started < 5


def test_a_rejected_event_records_the_attempt_and_the_others_are_published(
    broker, orders_engine, outbox, record_events
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    [unroutable] = record_events(1, routing_key=routing_key())
    routable = record_events(2, routing_key=key)

    with Publisher(broker.url) as publisher:
        assert make_relay(orders_engine, outbox, publisher).run_once() == 2

    assert sorted(p.message_id for p, _ in broker.take_exactly(queue, 2)) == sorted(routable)
    with orders_engine.connect() as conn:
        row = conn.execute(select(outbox).where(outbox.c.id == unroutable)).one()
    assert row.published_at is None
    assert row.attempts == 1
    assert "Unroutable" in row.last_error


class ConfirmsFirstOnlyPublisher(Publisher):
    """Says only the first message of a batch was confirmed, and reports no error."""

    def publish_many(self, messages):
        return BatchResult(size=len(messages), confirmed=[0])


def test_an_event_without_a_confirm_is_never_left_marked_published(
    orders_engine, outbox, record_events
):
    first, second = record_events(2, routing_key=routing_key())
    relay = make_relay(orders_engine, outbox, ConfirmsFirstOnlyPublisher("amqp://unused"))
    relay.publisher.connect = lambda: None

    assert relay.run_once() == 1

    with orders_engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(outbox))}
    assert rows[first].published_at is not None
    assert rows[second].published_at is None
    assert rows[second].attempts == 1
    assert "no publisher confirm" in rows[second].last_error


def test_purge_deletes_only_rows_published_before_the_retention(
    broker, orders_engine, outbox, record_events
):
    old, recent, pending = record_events(3, routing_key=routing_key())
    with orders_engine.begin() as conn:
        conn.execute(
            update(outbox)
            .where(outbox.c.id == old)
            .values(published_at=func.now() - text("interval '8 days'"))
        )
        conn.execute(update(outbox).where(outbox.c.id == recent).values(published_at=func.now()))

    relay = make_relay(orders_engine, outbox, Publisher(broker.url))
    deleted = relay.purge_published(timedelta(days=7))

    assert deleted == 1
    with orders_engine.connect() as conn:
        remaining = set(conn.scalars(select(outbox.c.id)))
    assert remaining == {recent, pending}


def test_the_backlog_counts_unpublished_events_and_ages_the_oldest(
    orders_engine, outbox, record_events
):
    with Session(orders_engine) as session:
        assert outbox_backlog(session, outbox) == OutboxBacklog(0, None)

    first, second, published = record_events(3, routing_key=routing_key())
    with orders_engine.begin() as conn:
        conn.execute(
            update(outbox)
            .where(outbox.c.id == first)
            .values(created_at=func.now() - text("interval '2 minutes'"))
        )
        conn.execute(update(outbox).where(outbox.c.id == published).values(published_at=func.now()))

    with Session(orders_engine) as session:
        backlog = outbox_backlog(session, outbox)
    assert backlog.waiting == 2
    assert 120 <= backlog.oldest_age_seconds < 180
    assert backlog.to_dict() == {
        "waiting": 2,
        "waiting_capped": False,
        "oldest_age_seconds": round(backlog.oldest_age_seconds, 1),
    }


class RecordingPublisher(Publisher):
    """A real publisher that remembers the size of each batch it was given."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.batches: list[int] = []

    def publish_many(self, messages):
        self.batches.append(len(messages))
        return super().publish_many(messages)


def test_a_paced_relay_sends_a_lone_event_at_once_and_gathers_a_stream_into_few_batches(
    broker, orders_engine, outbox, record_events, start_worker, wait_until
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    publisher = RecordingPublisher(broker.url)
    relay = make_relay(orders_engine, outbox, publisher, poll_interval=30, pacer=BatchPacer(0.5))
    start_worker(relay)
    time.sleep(0.7)  # asleep on LISTEN, the last (empty) batch well over an interval ago
    publisher.batches.clear()

    started = time.monotonic()
    record_events(1, routing_key=key)
    wait_until(lambda: broker.count(queue) == 1, timeout=5)
    lone = time.monotonic() - started
    for _ in range(6):  # a stream: one commit every 50 ms, each NOTIFYing the relay
        record_events(1, routing_key=key)
        time.sleep(0.05)
    wait_until(lambda: broker.count(queue) == 7, timeout=5)

    assert lone < 0.4  # not held back by the interval
    assert publisher.batches[0] == 1
    # The six went out in the batch after the interval, not one batch each.
    assert sum(publisher.batches) == 7 and len(publisher.batches) <= 3
