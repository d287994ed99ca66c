"""Rules of the reports: which window they cover, who may read them, how figures are derived.

What each figure counts (docs/reports.md): reports are about *sales* (orders of type
`sale`); a deleted order is in no figure; a cancelled or returned order is in `by_status`
and in its own count only — it is not volume (orders, value, quantity, clients served,
products, ticket), because the programme never spent that money.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from order_service.domain.statuses import OrderStatus
from shared.texts import Text

# A year and a day: any calendar year, leap or not, fits; beyond that ask for two reports.
MAX_REPORT_DAYS = 366
GROUPINGS = ("client", "product", "supplier", "status")
# Dates a report may name: before 1900 nothing was sold, and the day after 9999-12-30 is the
# last one Python's dates can hold (a window ends the day after its last day).
FIRST_REPORT_DATE = date(1900, 1, 1)
LAST_REPORT_DATE = date(9999, 11, 30)
CENT = Decimal("0.01")
# Orders whose goods were never consumed: counted by status, never as volume.
NOT_VOLUME = (OrderStatus.CANCELLED, OrderStatus.RETURNED)


@dataclass(frozen=True)
class ReportWindow:
    """Business calendar days from `first` to `last`, both included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def end_exclusive(self) -> date:
        return self.last + timedelta(days=1)

    def problem(self) -> tuple[str, Text] | None:
        """(field, message) when the window cannot be reported on."""
        if self.first < FIRST_REPORT_DATE:
            return "date_from", Text(
                "date_from deve ser de 1900 em diante.", "date_from must be 1900 or later."
            )
        if self.last > LAST_REPORT_DATE:
            return "date_to", Text(
                "date_to deve ser até 9999-11-30.", "date_to must be 9999-11-30 at the latest."
            )
        if self.first > self.last:
            return "date_from", Text(
                "date_from não pode ser depois de date_to.", "date_from cannot be after date_to."
            )
        if self.days > MAX_REPORT_DAYS:
            return "date_to", Text(
                f"O período pode ter no máximo {MAX_REPORT_DAYS} dias.",
                f"The period may have at most {MAX_REPORT_DAYS} days.",
            )
        return None


def average_ticket(value: Decimal, orders: int) -> Decimal:
    """Value ÷ orders, to the cent (half up); 0 when there are no orders."""
    if orders == 0:
        return Decimal("0.00")
    return (Decimal(value) / orders).quantize(CENT, rounding=ROUND_HALF_UP)


# -- the performance report -------------------------------------------------------------

MAX_MONTHS = 24
TOP = 10  # trending products, most active clients
# Alerts (requirement 003, "Alertas Inteligentes"), as of today on the business calendar.
CRITICAL_STOCK_PERCENT = 20  # available below this share of the ideal quantity
PRODUCT_IDLE_DAYS = 30  # a product ordered before, and not in this many days
SUPPLIER_IDLE_DAYS = 60
# A line's price is far from usual when it is more than PRICE_DEVIATION away from the
# median price of the product's lines over the PRICE_LOOKBACK_MONTHS whole months that end
# with the window, counted only with at least PRICE_MIN_LINES lines (one odd sale is no
# "usual"). Whole months, like the window: the reports read half-month rollups.
PRICE_LOOKBACK_MONTHS = 3
PRICE_DEVIATION = Decimal("0.5")
PRICE_MIN_LINES = 3
HUNDRED = Decimal(100)


def month_window_problem(last: date, count: int) -> Text | None:
    """Why `count` months ending with `last`'s cannot be reported on, or None."""
    if MonthWindow(last, count).first_month < FIRST_REPORT_DATE:
        return Text(
            "O período deve começar em 1900 ou depois.", "The period must start in 1900 or later."
        )
    return None


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (or before) `month`'s."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class MonthWindow:
    """`count` whole calendar months ending with the month of `last`."""

    last: date
    count: int

    @property
    def first_month(self) -> date:
        return add_months(self.last.replace(day=1), -(self.count - 1))

    @property
    def end_exclusive(self) -> date:
        return add_months(self.last.replace(day=1), 1)

    @property
    def months(self) -> list[date]:
        return [add_months(self.first_month, n) for n in range(self.count)]

    @property
    def midpoint(self) -> date:
        """Where the window splits in two halves, for trends: its 2 × `count` half-months,
        the first `count` against the last `count` (an odd count splits the middle month on
        the 16th)."""
        middle = add_months(self.first_month, self.count // 2)
        return middle.replace(day=16) if self.count % 2 else middle

    @property
    def price_lookback(self) -> date:
        """The first day of the months whose lines give a product's usual price."""
        return add_months(self.end_exclusive, -PRICE_LOOKBACK_MONTHS)


def growth_percent(previous: Decimal, current: Decimal) -> Decimal | None:
    """(current − previous) ÷ previous × 100, to 0.01; None when there was nothing before."""
    if previous == 0:
        return None
    return ((current - previous) / previous * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def rate_percent(part: int, whole: int) -> Decimal:
    """part ÷ whole × 100, to 0.01; 0 when whole is 0."""
    if whole == 0:
        return Decimal("0.00")
    return (Decimal(part) / whole * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def median_of_counts(counted: Sequence[tuple[Decimal, int]]) -> Decimal:
    """The median of values given as (value, how many times), as percentile_cont(0.5) does:
    the middle value, or the mean of the two middle ones when the count is even."""
    ordered = sorted(counted)
    total = sum(times for _, times in ordered)
    if total == 0:
        raise ValueError("no values")
    wanted = [(total - 1) // 2, total // 2]  # 0-based positions of the middle value(s)
    found: list[Decimal] = []
    seen = 0
    for value, times in ordered:
        while wanted and wanted[0] < seen + times:
            found.append(value)
            wanted.pop(0)
        seen += times
    return (found[0] + found[1]) / 2


# -- the rollups' spans (reports/rollup.py) -----------------------------------------------


def half_month_of(day: date) -> date:
    """The first day of the half-month `day` is in: the 1st (1st–15th) or the 16th."""
    return day.replace(day=1 if day.day < 16 else 16)


def next_half_month(start: date) -> date:
    """The half-month after the one starting on `start`."""
    return start.replace(day=16) if start.day < 16 else add_months(start, 1)


@dataclass(frozen=True)
class RollupSpans:
    """Days [first, end) as the fewest rollup spans: the whole half-months inside, and the
    days left at either edge (or of a stale half-month)."""

    half_months: tuple[date, ...]
    days: tuple[date, ...]


def rollup_spans(
    first: date, end_exclusive: date, stale: frozenset[date] = frozenset()
) -> RollupSpans:
    """`stale` half-months (rows not yet refolded since a change) are read as their days."""
    half_months: list[date] = []
    days: list[date] = []
    day = first
    while day < end_exclusive:
        whole = day == half_month_of(day) and next_half_month(day) <= end_exclusive
        if whole and day not in stale:
            half_months.append(day)
            day = next_half_month(day)
        else:
            days.append(day)
            day += timedelta(days=1)
    return RollupSpans(tuple(half_months), tuple(days))
