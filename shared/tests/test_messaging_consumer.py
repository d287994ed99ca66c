"""The idempotent consumer against real RabbitMQ (quorum queues, DLQs) and PostgreSQL."""

import json
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace

import pika
import pytest
from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.orm import Session

from shared.db import driver_query, unit_of_work
from shared.events import new_event
from shared.messaging import Backoff, Consumer
from shared.messaging.consumer import BatchHandler, Disposition, Selective
from shared.messaging.pacing import BatchPacer
from shared.messaging.topology import dead_letter_queue
from tests.support.tcp_proxy import TcpProxy


def routing_key() -> str:
    return f"test.{uuid.uuid4().hex}"


class Recorder:
    """Handlers of a test: one writes its effect to the test's table, one always fails.

    `calls` counts handler runs, including those rolled back; the table holds what stuck.
    """

    def __init__(self, effects):
        self.effects = effects
        self.failures = 0
        self.calls = 0

    def write_effect(self, session, event):
        self.calls += 1
        session.execute(insert(self.effects).values(event_id=event.id, note=event.type))

    def fail(self, session, event):
        self.failures += 1
        session.execute(insert(self.effects).values(event_id=event.id, note="half done"))
        raise RuntimeError("this handler always fails, after writing half of its effect")


@pytest.fixture
def recorder(effects):
    return Recorder(effects)


@pytest.fixture
def make_consumer(broker, orders_engine, recorder, inbox):
    sessions = []

    def make(queue, *, url=None, engine=None, delivery_limit=2, max_attempts=3, **options):
        session = Session(engine or orders_engine)
        sessions.append(session)
        options.setdefault("backoff", Backoff(initial=0.05, maximum=0.3))
        return Consumer(
            url or broker.url,
            queue=queue,
            handlers={"test.effect": recorder.write_effect, "test.fail": recorder.fail},
            transaction=lambda: unit_of_work(session),
            inbox_table=inbox,
            consumer_name=f"test-{uuid.uuid4().hex[:8]}",
            delivery_limit=delivery_limit,
            max_attempts=max_attempts,
            **options,
        )

    yield make
    for session in sessions:
        session.close()


@pytest.fixture
def committed_effects(orders_engine, effects):
    """The event ids whose effect is committed, sorted (one entry per effect row)."""

    def read():
        with orders_engine.connect() as conn:
            return sorted(conn.scalars(select(effects.c.event_id)))

    return read


def effect_count(engine, effects, event_id=None) -> int:
    query = select(func.count()).select_from(effects)
    if event_id is not None:
        query = query.where(effects.c.event_id == event_id)
    with engine.connect() as conn:
        return conn.scalar(query)


def event(event_type):
    return new_event(event_type, {"order_id": str(uuid.uuid4())}, source="tests")


def test_a_failing_message_goes_to_the_dlq_after_its_attempts_and_the_next_one_is_processed(
    broker,
    make_consumer,
    recorder,
    start_worker,
    wait_until,
    orders_engine,
    effects,
    committed_effects,
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,), delivery_limit=2)
    poison, fine = event("test.fail"), event("test.effect")
    broker.publish_event(key, poison)
    broker.publish_event(key, fine)
    consumer = make_consumer(queue, max_attempts=3)

    start_worker(consumer)
    [(properties, body)] = broker.take_exactly(dead_letter_queue(queue), 1)
    wait_until(lambda: committed_effects() == [fine.id])

    assert json.loads(body)["id"] == poison.id
    assert properties.message_id == poison.id
    # Our own count and reason, not the broker's delivery limit: the handler failed 3 times.
    assert properties.headers["x-pedidos-attempts"] == 3
    assert properties.headers["x-pedidos-reason"] == (
        "handler_failed: RuntimeError: this handler always fails, after writing half of its effect"
    )
    assert properties.headers["x-pedidos-last-error"].startswith("RuntimeError: this handler")
    assert "x-first-death-reason" not in properties.headers
    # (The handler may have run more often: a failed batch is redone message by message.)
    assert consumer.stats.failed == 3
    assert consumer.stats.retried == 2 and consumer.stats.dead_lettered == 1
    assert effect_count(orders_engine, effects, poison.id) == 0  # rolled back every time
    assert effect_count(orders_engine, effects, fine.id) == 1
    assert broker.count(queue) == 0
    assert consumer.stats.processed == 1


def test_in_a_batch_only_the_failing_messages_are_retried_and_the_rest_take_effect_once(
    broker, make_consumer, start_worker, wait_until, committed_effects
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,), delivery_limit=1)
    events = [event("test.fail" if n % 5 == 0 else "test.effect") for n in range(40)]
    for each in events:  # all queued before the consumer starts: it takes them in batches
        broker.publish_event(key, each)
    consumer = make_consumer(queue, delivery_limit=1, max_attempts=2)

    start_worker(consumer)
    dead = broker.take_exactly(dead_letter_queue(queue), 8, timeout=15)
    wait_until(lambda: consumer.stats.processed == 32)

    failing = {each.id for each in events if each.type == "test.fail"}
    assert {json.loads(body)["id"] for _, body in dead} == failing
    assert committed_effects() == sorted(e.id for e in events if e.id not in failing)
    assert broker.count(queue) == 0


def test_the_same_message_delivered_twice_has_its_effect_once(
    broker, make_consumer, recorder, start_worker, wait_until, orders_engine, effects
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    once = event("test.effect")
    broker.publish_event(key, once)
    broker.publish_event(key, once)  # a duplicate: same body, same message id
    consumer = make_consumer(queue)

    start_worker(consumer)
    wait_until(lambda: consumer.stats.processed + consumer.stats.duplicates == 2)

    assert effect_count(orders_engine, effects, once.id) == 1
    assert consumer.stats.duplicates == 1
    wait_until(lambda: broker.count(queue) == 0)
    assert broker.count(dead_letter_queue(queue)) == 0


def test_a_malformed_message_goes_to_the_dlq_at_once_and_the_next_one_is_processed(
    broker, make_consumer, recorder, start_worker, wait_until, committed_effects
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    broker.publish(key, b"this is not json", message_id="garbage")
    fine = event("test.effect")
    broker.publish_event(key, fine)
    consumer = make_consumer(queue)

    start_worker(consumer)
    [(properties, body)] = broker.take_exactly(dead_letter_queue(queue), 1)
    wait_until(lambda: committed_effects() == [fine.id])

    assert body == b"this is not json"
    assert properties.message_id == "garbage"
    assert properties.headers["x-pedidos-reason"].startswith("malformed: ")
    assert consumer.stats.malformed == 1


def test_an_event_nobody_handles_is_acked_and_not_dead_lettered(
    broker, make_consumer, start_worker, wait_until
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    broker.publish_event(key, event("test.nobody_cares"))
    consumer = make_consumer(queue)

    start_worker(consumer)
    wait_until(lambda: consumer.stats.ignored == 1)

    wait_until(lambda: broker.count(queue) == 0)
    assert broker.count(dead_letter_queue(queue)) == 0


def test_a_selective_handler_acks_what_it_does_not_want_without_claiming_it(
    broker, make_consumer, recorder, start_worker, wait_until, committed_effects, orders_engine,
    inbox
):  # fmt: skip
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    wanted, unwanted = event("test.some"), event("test.some")
    consumer = make_consumer(queue)
    consumer.handlers = {
        "test.some": Selective(lambda e: e.id == wanted.id, recorder.write_effect),
    }
    broker.publish_event(key, unwanted)
    broker.publish_event(key, wanted)

    start_worker(consumer)
    wait_until(lambda: committed_effects() == [wanted.id])
    wait_until(lambda: broker.count(queue) == 0)

    assert (consumer.stats.ignored, consumer.stats.processed) == (1, 1)
    assert recorder.calls == 1
    with orders_engine.connect() as conn:
        claimed = conn.scalars(
            select(inbox.c.message_id).where(inbox.c.consumer == consumer.consumer_name)
        ).all()
    assert claimed == [wanted.id]  # the unwanted one was never claimed: no transaction
    assert broker.count(dead_letter_queue(queue)) == 0


@contextmanager
def consumer_behind_a_database_proxy(broker, make_consumer, start_worker, orders_url):
    """A consumer of a one-delivery queue whose database connections go through a proxy the
    test cuts and restores; `start()` runs it. Stopped, joined and its engine disposed after."""
    key = routing_key()
    queue = broker.queue(routing_keys=(key,), delivery_limit=1)
    with TcpProxy.to_url(orders_url, 5432) as db_proxy:
        engine = create_engine(db_proxy.url(orders_url), pool_pre_ping=True)
        consumer = make_consumer(queue, engine=engine, delivery_limit=1)
        threads = []
        setup = SimpleNamespace(
            key=key,
            queue=queue,
            proxy=db_proxy,
            consumer=consumer,
            start=lambda: threads.append(start_worker(consumer)),
        )
        try:
            yield setup
        finally:
            consumer.stop()
            for thread in threads:
                thread.join(timeout=10)
            engine.dispose()


def test_a_database_outage_holds_the_message_without_spending_its_attempts(
    broker, make_consumer, start_worker, wait_until, orders_url, committed_effects
):
    with consumer_behind_a_database_proxy(broker, make_consumer, start_worker, orders_url) as setup:
        setup.proxy.cut()
        setup.start()
        patient = event("test.effect")
        broker.publish_event(setup.key, patient)
        time.sleep(1.5)  # several database retries; a redelivery per retry would DLQ it

        assert committed_effects() == []
        setup.proxy.restore()
        wait_until(lambda: committed_effects() == [patient.id], timeout=10)

    assert broker.count(dead_letter_queue(setup.queue)) == 0
    assert setup.consumer.stats.failed == 0


def test_a_database_lost_under_a_driver_statement_is_an_outage_not_a_failure(
    broker, make_consumer, recorder, start_worker, wait_until, orders_url, committed_effects
):
    # The hot statements run on psycopg2 itself (shared.db.driver_query), which raises its
    # own error; the transaction's rollback on the dead connection then raises SQLAlchemy's,
    # and the consumer holds the message instead of spending an attempt on it.
    with consumer_behind_a_database_proxy(broker, make_consumer, start_worker, orders_url) as setup:
        lost = []

        def lose_the_database_then_write(session, event_):
            if not lost:
                lost.append(event_.id)
                setup.proxy.cut()
            driver_query(session, "SELECT 1", {})
            recorder.write_effect(session, event_)

        setup.consumer.handlers = {"test.effect": lose_the_database_then_write}
        setup.start()
        patient = event("test.effect")
        broker.publish_event(setup.key, patient)
        wait_until(lambda: lost, timeout=10)
        time.sleep(1.0)  # the consumer waits for the database, holding the message
        setup.proxy.restore()
        wait_until(lambda: committed_effects() == [patient.id], timeout=15)

    assert broker.count(dead_letter_queue(setup.queue)) == 0
    assert setup.consumer.stats.failed == 0


def test_the_consumer_reconnects_when_the_broker_connection_drops(
    broker, make_consumer, recorder, start_worker, wait_until, committed_effects
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    with TcpProxy.to_url(broker.url, 5672) as proxy:
        consumer = make_consumer(queue, url=proxy.url(broker.url))
        start_worker(consumer)
        wait_until(lambda: broker.consumers(queue) == 1)

        proxy.cut()
        wait_until(lambda: broker.consumers(queue) == 0)
        later = event("test.effect")
        broker.publish_event(key, later)
        time.sleep(0.5)
        assert committed_effects() == []
        proxy.restore()

        wait_until(lambda: committed_effects() == [later.id], timeout=10)


def test_stopping_finishes_the_received_messages_instead_of_returning_them(
    broker, make_consumer, recorder, start_worker, committed_effects
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    events = [event("test.effect") for _ in range(30)]
    for each in events:
        broker.publish_event(key, each)
    write_effect = recorder.write_effect

    def effect_then_sigterm_on_the_third(session, event):
        time.sleep(0.01)
        write_effect(session, event)
        if recorder.calls == 3:
            consumer.stop()  # as SIGTERM would, while more deliveries wait in the buffer

    recorder.write_effect = effect_then_sigterm_on_the_third
    consumer = make_consumer(queue, prefetch=10)
    thread = start_worker(consumer)
    thread.join(timeout=10)

    left = broker.take(queue)
    returned = [p for p, _ in left if (p.headers or {}).get("x-delivery-count")]
    assert not thread.is_alive()
    done = committed_effects()
    assert len(done) + len(left) == 30
    # Everything prefetched (10) was finished and acked, not sent back to the queue...
    assert len(done) >= 10
    assert consumer.stats.processed == len(done)
    # ...so no message counts a failed delivery attempt because of the stop.
    assert returned == []


# -- batch handlers ---------------------------------------------------------------------


class BatchRecorder:
    """A batch handler: one call per run of events, each call's events kept in order."""

    def __init__(self, effects, fail_on=None):
        self.effects = effects
        self.fail_on = fail_on
        self.calls: list[list[str]] = []

    def handle(self, session, events):
        self.calls.append([e.id for e in events])
        session.execute(insert(self.effects), [{"event_id": e.id, "note": "batch"} for e in events])
        if any(e.id == self.fail_on for e in events):
            raise RuntimeError("this event can never be handled")


def batch_consumer(orders_engine, inbox, handlers):
    session = Session(orders_engine)
    consumer = Consumer(
        "amqp://guest:guest@127.0.0.1:5672/%2F",  # never connected: process_batch only
        queue="unused",
        handlers=handlers,
        transaction=lambda: unit_of_work(session),
        inbox_table=inbox,
        consumer_name=f"test-{uuid.uuid4().hex[:8]}",
    )
    return consumer, session


def deliveries(*events):
    return [(pika.BasicProperties(message_id=e.id), e.to_json()) for e in events]


def test_a_batch_handler_gets_the_claimed_events_of_a_batch_at_once_in_delivery_order(
    orders_engine, inbox, effects, recorder, committed_effects
):
    batch = BatchRecorder(effects)
    consumer, session = batch_consumer(
        orders_engine,
        inbox,
        {"test.batch": BatchHandler(batch.handle), "test.effect": recorder.write_effect},
    )
    first, second, third, single = (
        event("test.batch"),
        event("test.batch"),
        event("test.batch"),
        event("test.effect"),
    )
    try:
        consumer.process_batch(deliveries(first))  # already handled: a duplicate below
        batch.calls.clear()
        dispositions = consumer.process_batch(deliveries(second, first, third, second, single))
    finally:
        session.close()

    assert dispositions == [Disposition.ACK] * 5
    # One call for the run of batch events; duplicates (in the inbox or in the batch) left out.
    assert batch.calls == [[second.id, third.id]]
    assert recorder.calls == 1  # a per-message handler still gets its own event
    assert committed_effects() == sorted([first.id, second.id, third.id, single.id])
    assert (consumer.stats.processed, consumer.stats.duplicates) == (4, 2)


def test_a_failing_batch_is_redone_one_event_at_a_time_and_only_the_bad_one_is_retried(
    orders_engine, inbox, effects, committed_effects
):
    events = [event("test.batch") for _ in range(4)]
    batch = BatchRecorder(effects, fail_on=events[2].id)
    consumer, session = batch_consumer(
        orders_engine, inbox, {"test.batch": BatchHandler(batch.handle)}
    )
    try:
        dispositions = consumer.process_batch(deliveries(*events))
    finally:
        session.close()

    assert dispositions == [Disposition.ACK, Disposition.ACK, Disposition.RETRY, Disposition.ACK]
    # The whole batch once (rolled back), then each event alone in a one-event list.
    assert batch.calls == [[e.id for e in events]] + [[e.id] for e in events]
    assert committed_effects() == sorted(e.id for i, e in enumerate(events) if i != 2)
    assert consumer.stats.failed == 1


def processed(orders_engine, inbox, consumer_name, *, days_ago: int) -> str:
    """An inbox row for `consumer_name`, processed `days_ago` days ago; its message id."""
    message_id = str(uuid.uuid4())
    with orders_engine.begin() as conn:
        conn.execute(
            insert(inbox).values(
                consumer=consumer_name,
                message_id=message_id,
                event_type="test.effect",
                processed_at=func.now() - timedelta(days=days_ago),
            )
        )
    return message_id


def remembered(orders_engine, inbox, consumer_name) -> set[str]:
    with orders_engine.connect() as conn:
        return set(
            conn.scalars(select(inbox.c.message_id).where(inbox.c.consumer == consumer_name))
        )


def test_processed_ids_older_than_the_retention_are_forgotten_in_chunks(
    broker, make_consumer, orders_engine, inbox
):
    consumer = make_consumer(broker.queue(), inbox_retention=timedelta(days=30), purge_chunk=2)
    other = make_consumer(broker.queue())
    old = {processed(orders_engine, inbox, consumer.consumer_name, days_ago=31) for _ in range(5)}
    recent = processed(orders_engine, inbox, consumer.consumer_name, days_ago=29)
    others = processed(orders_engine, inbox, other.consumer_name, days_ago=31)

    forgotten = consumer.purge_inbox()

    assert forgotten == len(old) == 5  # three chunks: 2, 2, 1
    assert remembered(orders_engine, inbox, consumer.consumer_name) == {recent}
    # Another consumer's ids are its own business, whatever their age.
    assert remembered(orders_engine, inbox, other.consumer_name) == {others}


def test_a_running_consumer_forgets_old_ids_when_idle_and_still_sees_recent_duplicates(
    broker, make_consumer, orders_engine, inbox, effects, start_worker, wait_until
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    consumer = make_consumer(queue, inbox_retention=timedelta(days=30))
    old = processed(orders_engine, inbox, consumer.consumer_name, days_ago=45)
    seen = event("test.effect")
    with orders_engine.begin() as conn:  # handled yesterday; delivered again today
        conn.execute(
            insert(inbox).values(
                consumer=consumer.consumer_name,
                message_id=seen.id,
                event_type=seen.type,
                processed_at=func.now() - timedelta(days=1),
            )
        )
    broker.publish_event(key, seen)

    start_worker(consumer)
    wait_until(lambda: old not in remembered(orders_engine, inbox, consumer.consumer_name))
    wait_until(lambda: consumer.stats.duplicates == 1)

    assert remembered(orders_engine, inbox, consumer.consumer_name) == {seen.id}
    assert effect_count(orders_engine, effects, seen.id) == 0


# -- crashes are not failures --------------------------------------------------------------


def return_unsettled(broker, queue, times):
    """What a consumer killed while holding the queue's messages does: take them all without
    acking and drop the channel, `times` times. A quorum queue counts each return."""
    for _ in range(times):
        channel = broker.connection.channel()
        while channel.basic_get(queue, auto_ack=False)[0] is not None:
            pass
        channel.close()


def test_messages_returned_by_crashes_past_the_delivery_limit_are_renewed_not_dead_lettered(
    broker, make_consumer, start_worker, wait_until, committed_effects
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,), delivery_limit=2)
    healthy = [event("test.effect") for _ in range(3)]
    for each in healthy:
        broker.publish_event(key, each)
    return_unsettled(broker, queue, 2)  # one more return would reach the broker's limit
    consumer = make_consumer(queue, delivery_limit=2)

    start_worker(consumer)
    wait_until(lambda: committed_effects() == sorted(e.id for e in healthy))

    assert broker.count(dead_letter_queue(queue)) == 0
    assert consumer.stats.renewed == 3 and consumer.stats.failed == 0
    wait_until(lambda: broker.count(queue) == 0)


def test_a_message_returned_unsettled_over_and_over_is_dead_lettered_with_that_reason():
    consumer = Consumer(
        "amqp://guest:guest@127.0.0.1:5672/%2F",  # never connected: process_batch only
        queue="unused",
        handlers={},
        transaction=lambda: None,
        inbox_table=None,
        delivery_limit=5,
    )
    body = event("test.effect").to_json()

    def judged(headers):
        return consumer.process_batch([(pika.BasicProperties(headers=headers), body)])

    # The broker's count below the renewal point: handled (here: nobody handles it, acked).
    assert judged({"x-delivery-count": 3}) == [Disposition.ACK]
    assert judged({"x-delivery-count": 4}) == [Disposition.RENEW]
    assert judged({"x-delivery-count": 4, "x-pedidos-returns": 21}) == [Disposition.RENEW]
    assert judged({"x-delivery-count": 4, "x-pedidos-returns": 22}) == [Disposition.DEAD_LETTER]


def test_a_paced_consumer_handles_a_lone_message_at_once_and_a_stream_in_one_batch(
    broker, orders_engine, inbox, effects, start_worker, wait_until, committed_effects
):
    key = routing_key()
    queue = broker.queue(routing_keys=(key,))
    batch = BatchRecorder(effects)
    session = Session(orders_engine)
    consumer = Consumer(
        broker.url,
        queue=queue,
        handlers={"test.batch": BatchHandler(batch.handle)},
        transaction=lambda: unit_of_work(session),
        inbox_table=inbox,
        consumer_name=f"test-{uuid.uuid4().hex[:8]}",
        pacer=BatchPacer(0.6),
    )
    try:
        start_worker(consumer)
        wait_until(lambda: broker.consumers(queue) == 1)
        lone, *stream = [event("test.batch") for _ in range(6)]

        started = time.monotonic()
        broker.publish_event(key, lone)
        wait_until(lambda: committed_effects() == [lone.id], timeout=5)
        took = time.monotonic() - started
        for each in stream:  # a stream: one message every 50 ms
            broker.publish_event(key, each)
            time.sleep(0.05)
        wait_until(lambda: len(committed_effects()) == 6, timeout=5)
    finally:
        consumer.stop()
        session.close()

    assert took < 0.5  # the first message of a quiet moment is not held back
    # The five arrived within the interval after the first batch started: one batch.
    assert batch.calls == [[lone.id], [e.id for e in stream]]
