"""The sales rollups follow every committed change: the fold, its log, its time zone."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from order_service.domain.reports import half_month_of
from order_service.messaging.relay import sweep
from order_service.reports.rollup import fold_report_changes, stale_half_months
from shared.clock import business_timezone

BRASILIA = ZoneInfo("America/Sao_Paulo")


def _day_row(connection, product_id: str, day: date) -> tuple[int, int] | None:
    """(lines, quantity) of the product's counted day rollup, or None."""
    row = connection.execute(
        text(
            "SELECT lines, quantity FROM orders.sales_rollup_product"
            " WHERE grain = 'D' AND starts = :day AND product_id = :id AND counted"
        ),
        {"day": day, "id": product_id},
    ).one_or_none()
    return None if row is None else tuple(row)


@pytest.fixture
def business_zone(monkeypatch, order_engine):
    """Switch the business time zone; afterwards the usual one, and its rollups, are back."""
    usual = business_timezone().key

    def use(name: str) -> None:
        monkeypatch.setenv("BUSINESS_TIMEZONE", name)
        business_timezone.cache_clear()  # read once per process in production

    yield use
    use(usual)
    _fold(order_engine)


def _fold(engine) -> int:
    with engine.begin() as connection:
        return fold_report_changes(connection)


def _old_order(placed, backdate, make_client, make_product, year: int, quantity: int = 2):
    """A pending sale of one line on a random day of `year` (no other test's)."""
    day = date(year, 1, 1) + timedelta(days=random.randrange(365))
    product = make_product(price="3.00", on_hand=100)
    order = placed(make_client()["id"], (product["id"], quantity))
    backdate(order["id"], datetime.combine(day, time(18), tzinfo=BRASILIA))
    return order, product, day


def test_a_change_committed_during_a_fold_is_folded_by_the_next(
    order_engine, placed, backdate, make_client, make_product, past_year
):
    """The log is append-only: a fold that cannot see a transaction still open leaves that
    transaction's log rows for the next fold (a "dirty day" flag reset by the fold would
    lose it)."""
    order, product, day = _old_order(placed, backdate, make_client, make_product, past_year)
    _fold(order_engine)
    with order_engine.connect() as reader:
        assert _day_row(reader, product["id"], day) == (1, 2)

    with order_engine.connect() as writer:
        writer.begin()
        writer.execute(
            text("UPDATE orders.order_items SET quantity = 9 WHERE order_id = :id"),
            {"id": order["id"]},
        )
        _fold(order_engine)  # the open change is invisible to it, and so is its log row
        writer.commit()

    with order_engine.connect() as reader:
        assert _day_row(reader, product["id"], day) == (1, 2)
    assert _fold(order_engine) >= 1
    with order_engine.connect() as reader:
        assert _day_row(reader, product["id"], day) == (1, 9)


def test_the_order_relay_folds_every_sweep_and_empties_the_log(
    order_engine, placed, backdate, make_client, make_product, past_year
):
    order, product, day = _old_order(
        placed, backdate, make_client, make_product, past_year, quantity=4
    )

    with order_engine.begin() as connection:
        sweep(connection)

    with order_engine.connect() as connection:
        assert _day_row(connection, product["id"], day) == (1, 4)
        assert connection.scalar(text("SELECT count(*) FROM orders.report_changes")) == 0
        assert stale_half_months(connection) == frozenset()


def test_a_report_folds_days_and_leaves_their_half_months_to_the_relay(
    client, admin, order_engine, placed, backdate, make_client, make_product, past_year
):
    _fold(order_engine)
    order, product, day = _old_order(
        placed, backdate, make_client, make_product, past_year, quantity=3
    )

    response = client.get(
        "/api/v1/orders/reports/period",
        query_string={"date_from": day.isoformat(), "date_to": day.isoformat()},
        headers=admin,
    )

    assert response.status_code == 200
    with order_engine.connect() as connection:
        assert _day_row(connection, product["id"], day) == (1, 3)
        assert half_month_of(day) in stale_half_months(connection)
        lagging = connection.scalar(
            text(
                "SELECT count(*) FROM orders.sales_rollup_product"
                " WHERE grain = 'F' AND starts = :half AND product_id = :id"
            ),
            {"half": half_month_of(day), "id": product["id"]},
        )
    assert lagging == 0  # not yet in its half-month: readers take its days


def test_a_fold_in_another_time_zone_rebuilds_every_day_in_that_zone(
    order_engine, placed, backdate, make_client, make_product, business_zone, past_year
):
    """Days are the business calendar's: 23:30 in Brasília is the next day in UTC."""
    day = date(past_year, 1, 1) + timedelta(days=random.randrange(365))
    product = make_product(price="3.00", on_hand=100)
    order = placed(make_client()["id"], (product["id"], 5))
    backdate(order["id"], datetime.combine(day, time(23, 30), tzinfo=BRASILIA))
    _fold(order_engine)

    business_zone("UTC")
    rebuilt = _fold(order_engine)
    with order_engine.connect() as connection:
        in_utc = (_day_row(connection, product["id"], day),
                  _day_row(connection, product["id"], day + timedelta(days=1)))  # fmt: skip
        zone = connection.scalar(text("SELECT timezone FROM orders.report_rollup_state"))
    business_zone("America/Sao_Paulo")
    _fold(order_engine)

    assert rebuilt >= 1 and zone == "UTC"
    assert in_utc == (None, (1, 5))
    with order_engine.connect() as connection:
        assert _day_row(connection, product["id"], day) == (1, 5)


def test_the_relay_never_rebuilds(order_engine, business_zone):
    """A rebuild takes seconds per year of orders: the relay's sweep leaves it to a report
    or to `python -m order_service.reports.rollup`, and keeps publishing."""
    _fold(order_engine)
    business_zone("UTC")
    with order_engine.begin() as connection:
        sweep(connection)
        zone = connection.scalar(text("SELECT timezone FROM orders.report_rollup_state"))

    assert zone == "America/Sao_Paulo"
