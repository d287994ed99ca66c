"""The reports' pure rules: the window and the average ticket."""

from datetime import date
from decimal import Decimal

import pytest

from order_service.domain.reports import ReportWindow, average_ticket, median_of_counts


@pytest.mark.parametrize(
    ("first", "last", "problem"),
    [
        (date(2026, 1, 1), date(2026, 1, 1), None),  # one day
        (date(2024, 1, 1), date(2024, 12, 31), None),  # a leap year: 366 days
        (date(2025, 1, 1), date(2026, 1, 1), None),  # 366 days
        (date(2025, 1, 1), date(2026, 1, 2), "date_to"),  # 367
        (date(2026, 2, 1), date(2026, 1, 31), "date_from"),  # reversed
    ],
)
def test_a_window_is_one_to_366_days_in_order(first, last, problem):
    found = ReportWindow(first, last).problem()

    assert (found[0] if found else None) == problem


def test_a_window_counts_both_ends():
    window = ReportWindow(date(2026, 12, 1), date(2026, 12, 31))

    assert (window.days, window.end_exclusive) == (31, date(2027, 1, 1))


@pytest.mark.parametrize(
    ("value", "orders", "ticket"),
    [
        ("0", 0, "0.00"),
        ("100.00", 3, "33.33"),
        ("0.05", 2, "0.03"),  # half up, not to even
        ("45750.50", 125, "366.00"),  # the requirement's own example
    ],
)
def test_the_average_ticket_is_value_over_orders_to_the_cent(value, orders, ticket):
    assert average_ticket(Decimal(value), orders) == Decimal(ticket)


@pytest.mark.parametrize(
    ("counted", "median"),
    [
        ([(Decimal("10.00"), 1)], Decimal("10.00")),
        ([(Decimal("10.00"), 2), (Decimal("30.00"), 1)], Decimal("10.00")),
        ([(Decimal("10.00"), 1), (Decimal("30.00"), 1)], Decimal("20.00")),
        ([(Decimal("30.00"), 2), (Decimal("10.00"), 2)], Decimal("20.00")),
        ([(Decimal("5.00"), 1), (Decimal("7.00"), 3), (Decimal("99.00"), 1)], Decimal("7.00")),
    ],
)
def test_the_median_of_counted_prices_is_percentile_cont(counted, median):
    assert median_of_counts(counted) == median
    values = sorted(v for v, times in counted for _ in range(times))
    middle = (len(values) - 1) / 2
    expected = (values[int(middle)] + values[int(middle + 0.5)]) / 2
    assert median_of_counts(counted) == expected
