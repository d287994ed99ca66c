"""Concurrent reservations, each thread with its own session and connection, on real PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stock_service.models import Reservation, StockLedgerEntry, StockLevel
from stock_service.reservations import release_for_order, reserve_for_order


def run_in_threads(engine, jobs):
    """Run each job(session) in its own thread and session, all released at the same moment."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait(timeout=10)
            return job(session)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return [f.result(timeout=60) for f in [pool.submit(run, job) for job in jobs]]


def test_twelve_orders_for_ten_units_reserve_exactly_ten(stock_engine, session, make_product):
    product = make_product(on_hand=10)
    orders = [uuid.uuid4() for _ in range(12)]

    def reserve_one(order_id):
        return lambda s: reserve_for_order(
            s, order_id=order_id, order_version=1, items={product.id: 1}
        )

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
                # A dict keeps the caller's item order: opposite in the two threads.
                reserve_for_order(s, order_id=order_id, order_version=1, items=dict(items_in_order))
                release_for_order(s, order_id=order_id, order_version=2)
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
        return reserve_for_order(s, order_id=order_id, order_version=1, items={product.id: 3})

    outcomes = run_in_threads(stock_engine, [deliver] * 5)

    assert sum(o.applied for o in outcomes) == 1
    assert session.get(StockLevel, product.id, populate_existing=True).reserved == 3
