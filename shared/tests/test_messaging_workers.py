"""The service worker entrypoints as real processes: they work, and SIGTERM stops them cleanly."""

import uuid

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from order_service.models import outbox as orders_outbox
from shared.events import NEW_ORDERS_QUEUE, ORDER_STOCK_EVENTS_QUEUE, new_event
from shared.outbox import record_event
from stock_service.models import outbox as stock_outbox
from tests.support.workers import STOP_TIMEOUT, stop_and_wait, worker_process


@pytest.mark.parametrize(
    ("service", "queue"),
    [("stock_service", NEW_ORDERS_QUEUE), ("order_service", ORDER_STOCK_EVENTS_QUEUE)],
)
def test_a_consumer_process_consumes_its_queue_and_exits_0_on_sigterm(
    service, queue, broker, test_database, amqp_url, tmp_path, wait_until
):
    log_file = tmp_path / "consumer.log"
    with worker_process(
        f"{service}.messaging.consumer",
        log_file,
        DATABASE_URL=test_database.url_for(service),
        RABBITMQ_URL=amqp_url,
        SERVICE_CLIENT_SECRET="order-service-secret-for-tests",  # order_service needs one
    ) as process:
        wait_until(lambda: broker.consumers(queue) == 1, timeout=20)
        # Straight to the queue, of a type no service handles: acked and logged, not DLQ'd.
        event = new_event("test.unhandled", {}, source="tests")
        broker.publish(queue, event.to_json(), message_id=event.id, exchange="")
        wait_until(lambda: event.id in log_file.read_text(), timeout=10)

        elapsed = stop_and_wait(process, log_file)

    assert elapsed < STOP_TIMEOUT
    assert broker.count(queue) == 0
    assert broker.count(f"{queue}.dlq") == 0
    assert "no handler for this event type" in log_file.read_text()


@pytest.mark.parametrize(
    ("service", "outbox"),
    [("order_service", orders_outbox), ("stock_service", stock_outbox)],
    ids=["order_service", "stock_service"],
)
def test_a_relay_process_publishes_its_outbox_and_exits_0_on_sigterm(
    service, outbox, broker, test_database, amqp_url, tmp_path
):
    key = f"test.{uuid.uuid4().hex}"
    queue = broker.queue(routing_keys=(key,))
    event = new_event("test.happened", {}, source="tests")
    engine = create_engine(test_database.url_for(service))
    try:
        with Session(engine) as session, session.begin():
            record_event(session, outbox, event, routing_key=key)
        log_file = tmp_path / "relay.log"

        with worker_process(
            f"{service}.messaging.relay",
            log_file,
            DATABASE_URL=test_database.url_for(service),
            RABBITMQ_URL=amqp_url,
        ) as process:
            [(properties, _)] = broker.take_exactly(queue, 1, timeout=20)
            elapsed = stop_and_wait(process, log_file)

        with engine.connect() as conn:
            published_at = conn.scalar(select(outbox.c.published_at).where(outbox.c.id == event.id))
    finally:
        engine.dispose()

    assert properties.message_id == event.id
    assert elapsed < STOP_TIMEOUT
    assert published_at is not None
