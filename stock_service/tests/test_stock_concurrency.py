"""Concurrent reservations, each thread with its own session and connection, on real PostgreSQL.

Includes whole batches applied by two consumers at once (their process_batch, no broker).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pika
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db import unit_of_work
from shared.events import NEW_ORDERS_QUEUE, Event, EventType, new_event
from shared.messaging.consumer import Consumer, Disposition
from stock_service.messaging.handlers import HANDLERS
from stock_service.models import (
    Reservation,
    ReservationLine,
    StockLedgerEntry,
    StockLevel,
    processed_messages,
)
from stock_service.reservations import apply_order_event


def run_in_threads(engine, jobs):
    """Run each job(session) in its own thread and session, all released at the same moment."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait(timeout=10)
            return job(session)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return [f.result(timeout=60) for f in [pool.submit(run, job) for job in jobs]]


def created(order_id: uuid.UUID, lines: list[tuple[uuid.UUID, int]]) -> Event:
    return new_event(
        EventType.ORDER_CREATED,
        {
            "order_id": str(order_id),
            "order_version": 1,
            "order_type": "sale",
            "items": [{"product_id": str(p), "quantity": q} for p, q in lines],
        },
        source="order_service",
    )


def cancelled(order_id: uuid.UUID, version: int) -> Event:
    return new_event(
        EventType.ORDER_STATUS_CHANGED,
        {
            "order_id": str(order_id),
            "order_version": version,
            "order_type": "sale",
            "from": "pending",
            "to": "cancelled",
        },
        source="order_service",
    )


def test_twelve_orders_for_ten_units_reserve_exactly_ten(stock_engine, session, make_product):
    product = make_product(on_hand=10)
    orders = [uuid.uuid4() for _ in range(12)]

    def reserve_one(order_id):
        return lambda s: apply_order_event(s, created(order_id, [(product.id, 1)]))

    outcomes = run_in_threads(stock_engine, [reserve_one(order_id) for order_id in orders])

    assert Counter(o.status for o in outcomes) == {"reserved": 10, "rejected": 2}
    level = session.get(StockLevel, product.id, populate_existing=True)
    assert (level.on_hand, level.reserved, level.available) == (10, 10, 0)
    reserved_rows = session.scalars(
        select(StockLedgerEntry).where(
            StockLedgerEntry.product_id == product.id, StockLedgerEntry.cause == "order_reserved"
        )
    ).all()
    assert len(reserved_rows) == 10
    # Each ledger row saw the level right after its own change: 1, 2, ..., 10, never beyond.
    assert sorted(e.reserved_after for e in reserved_rows) == list(range(1, 11))
    assert {e.order_id for e in reserved_rows} == {
        o.order_id for o in outcomes if o.applied and o.status == "reserved"
    }
    statuses = session.execute(
        select(Reservation.status, func.count())
        .where(Reservation.order_id.in_(orders))
        .group_by(Reservation.status)
    ).all()
    assert dict(statuses) == {"reserved": 10, "rejected": 2}


def test_orders_locking_two_products_in_opposite_order_never_deadlock(
    stock_engine, session, make_product
):
    first, second = make_product(on_hand=1000), make_product(on_hand=1000)
    rounds = 15

    def churn(items_in_order):
        def job(s):
            for _ in range(rounds):
                order_id = uuid.uuid4()
                # The event keeps the caller's item order: opposite in the two threads.
                apply_order_event(s, created(order_id, items_in_order))
                apply_order_event(s, cancelled(order_id, 2))
            return True

        return job

    results = run_in_threads(
        stock_engine,
        [
            churn([(first.id, 1), (second.id, 2)]),
            churn([(second.id, 2), (first.id, 1)]),
            churn([(first.id, 3), (second.id, 1)]),
            churn([(second.id, 1), (first.id, 3)]),
        ],
    )

    assert results == [True] * 4
    for product in (first, second):
        level = session.get(StockLevel, product.id, populate_existing=True)
        assert (level.on_hand, level.reserved) == (1000, 0)
        movements = session.scalar(
            select(func.count()).where(StockLedgerEntry.product_id == product.id)
        )
        assert movements == 1 + 4 * rounds * 2  # initial + a reserve and a release per round


def test_concurrent_duplicates_of_one_new_order_reserve_once(stock_engine, session, make_product):
    product = make_product(on_hand=10)
    order_id = uuid.uuid4()

    def deliver(s):
        # Five events about one new order at once: its advisory lock lets one decide.
        return apply_order_event(s, created(order_id, [(product.id, 3)]))

    outcomes = run_in_threads(stock_engine, [deliver] * 5)

    assert sum(o.applied for o in outcomes) == 1
    assert session.get(StockLevel, product.id, populate_existing=True).reserved == 3


# -- whole batches, as two consumer replicas apply them ---------------------------------


def consumer_on(session: Session) -> Consumer:
    """The stock consumer's batch processing, without a broker (process_batch only)."""
    return Consumer(
        "amqp://guest:guest@127.0.0.1:5672/%2F",  # never connected
        queue=NEW_ORDERS_QUEUE,
        handlers=HANDLERS,
        transaction=lambda: unit_of_work(session),
        inbox_table=processed_messages,
    )


def as_deliveries(events: list[Event]) -> list[tuple[pika.BasicProperties, bytes]]:
    return [(pika.BasicProperties(message_id=e.id), e.to_json()) for e in events]


def test_two_consumers_applying_overlapping_batches_never_oversell_nor_deadlock(
    stock_engine, session, make_product, caplog
):
    products = [make_product(on_hand=20) for _ in range(3)]
    rounds, per_part = 6, 6

    def order_lines(n: int) -> list[tuple[uuid.UUID, int]]:
        # Two of the three products, listed in either order.
        lines = [(products[n % 3].id, 1), (products[(n + 1) % 3].id, 1)]
        return lines if n % 2 else lines[::-1]

    batches: list[tuple[list[Event], list[Event]]] = []
    order_ids: list[uuid.UUID] = []
    for r in range(rounds):
        shared = [uuid.uuid4() for _ in range(per_part)]
        own = [[uuid.uuid4() for _ in range(per_part)] for _ in range(2)]
        order_ids += shared + own[0] + own[1]
        # Both replicas get an event about each shared order (two messages, as a re-sent
        # event would be), in opposite order, mixed with orders of their own.
        first = [created(o, order_lines(r + n)) for n, o in enumerate(own[0] + shared)]
        second = [created(o, order_lines(r + n)) for n, o in enumerate(shared + own[1])]
        batches.append((first, second[::-1]))

    def consume(side: int):
        def job(s: Session) -> Consumer:
            consumer = consumer_on(s)
            for batch in batches:
                dispositions = consumer.process_batch(as_deliveries(batch[side]))
                assert dispositions == [Disposition.ACK] * len(batch[side])
            return consumer

        return job

    with caplog.at_level(logging.INFO, logger="pedidos.messaging.consumer"):
        one, two = run_in_threads(stock_engine, [consume(0), consume(1)])

    # No batch was rolled back (a deadlock would have been, then redone message by message),
    # nothing failed, every message was handled.
    assert [r.error for r in caplog.records if r.message.startswith("batch rolled back")] == []
    assert one.stats.failed == two.stats.failed == 0
    assert one.stats.processed + two.stats.processed == rounds * per_part * 4
    statuses = dict(
        session.execute(
            select(Reservation.status, func.count())
            .where(Reservation.order_id.in_(order_ids))
            .group_by(Reservation.status)
        ).all()
    )
    # 60 units, 2 per order: exactly 30 orders fit, whichever consumer reserved them.
    assert statuses == {"reserved": 30, "rejected": len(order_ids) - 30}
    for product in products:
        level = session.get(StockLevel, product.id, populate_existing=True)
        assert (level.on_hand, level.reserved) == (20, 20)
        held = session.scalar(
            select(func.coalesce(func.sum(ReservationLine.quantity), 0))
            .join(Reservation, Reservation.order_id == ReservationLine.order_id)
            .where(ReservationLine.product_id == product.id, Reservation.status == "reserved")
        )
        assert held == 20
    # A shared order was decided once: its second event changed nothing.
    decided = session.scalar(
        select(func.count())
        .select_from(StockLedgerEntry)
        .where(StockLedgerEntry.order_id.in_(order_ids), StockLedgerEntry.cause == "order_reserved")
    )
    assert decided == 30 * 2


def test_created_and_cancelled_in_one_delivered_batch_end_released(
    stock_engine, session, make_product
):
    product = make_product(on_hand=5)
    order_id = uuid.uuid4()
    create = created(order_id, [(product.id, 2)])
    cancel = cancelled(order_id, 2)

    with Session(stock_engine, expire_on_commit=False) as own:
        consumer = consumer_on(own)
        assert consumer.process_batch(as_deliveries([create, cancel])) == [Disposition.ACK] * 2

    assert consumer.stats.processed == 2
    reservation = session.get(Reservation, order_id, populate_existing=True)
    assert (reservation.status, reservation.order_version) == ("released", 2)
    level = session.get(StockLevel, product.id, populate_existing=True)
    assert (level.on_hand, level.reserved) == (5, 0)
    causes = session.scalars(
        select(StockLedgerEntry.cause)
        .where(StockLedgerEntry.order_id == order_id)
        .order_by(StockLedgerEntry.id)
    ).all()
    assert causes == ["order_reserved", "order_released"]
