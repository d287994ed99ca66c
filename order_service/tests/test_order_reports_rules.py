"""The reports' pure rules: the windows, the rollups' spans and the average ticket."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from order_service.domain.reports import (
    MonthWindow,
    ReportWindow,
    average_ticket,
    median_of_counts,
    rollup_spans,
)


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


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.mark.parametrize(
    ("first", "last", "half_months", "days"),
    [
        # 10 March to 3 May: 16–31 Mar, 1–15 and 16–30 Apr whole; the edges as days.
        (
            date(2026, 3, 10),
            date(2026, 5, 3),
            [date(2026, 3, 16), date(2026, 4, 1), date(2026, 4, 16)],
            _days(date(2026, 3, 10), date(2026, 3, 15)) + _days(date(2026, 5, 1), date(2026, 5, 3)),
        ),
        # A leap February's second half ends on the 29th.
        (date(2024, 2, 16), date(2024, 2, 29), [date(2024, 2, 16)], []),
        (date(2024, 2, 16), date(2024, 2, 28), [], _days(date(2024, 2, 16), date(2024, 2, 28))),
        # A whole year: 24 half-months, no day.
        (
            date(2025, 1, 1),
            date(2025, 12, 31),
            [date(2025, m, d) for m in range(1, 13) for d in (1, 16)],
            [],
        ),  # fmt: skip
        (date(2026, 12, 7), date(2026, 12, 7), [], [date(2026, 12, 7)]),
    ],
)
def test_a_window_is_read_as_whole_half_months_and_its_edge_days(first, last, half_months, days):
    spans = rollup_spans(first, last + timedelta(days=1))

    assert (list(spans.half_months), list(spans.days)) == (half_months, days)


def test_a_stale_half_month_is_read_as_its_days():
    first, last = date(2026, 3, 1), date(2026, 3, 31)
    spans = rollup_spans(first, last + timedelta(days=1), stale=frozenset({date(2026, 3, 16)}))

    assert spans.half_months == (date(2026, 3, 1),)
    assert list(spans.days) == _days(date(2026, 3, 16), date(2026, 3, 31))


@pytest.mark.parametrize(
    ("count", "midpoint"),
    [
        (1, date(2026, 5, 16)),  # May alone: 1–15 against 16–31
        (2, date(2026, 5, 1)),  # April against May
        (3, date(2026, 4, 16)),  # March + the first half of April against the rest
        (24, date(2025, 6, 1)),
    ],
)
def test_trends_split_the_window_into_two_equal_counts_of_half_months(count, midpoint):
    window = MonthWindow(date(2026, 5, 20), count)

    assert window.midpoint == midpoint


def test_the_usual_price_looks_back_three_whole_months_ending_with_the_window():
    assert MonthWindow(date(2026, 5, 20), 1).price_lookback == date(2026, 3, 1)
    assert MonthWindow(date(2026, 5, 20), 6).price_lookback == date(2026, 3, 1)
