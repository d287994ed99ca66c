"""The performance report: how sales moved over whole months, and what needs attention now
(SPEC §3, requirement 003 "Relatório de Desempenho" and "Alertas Inteligentes").

Figures over the window follow the reports' rules (docs/reports.md): sales only, deleted
orders nowhere, cancelled and returned ones outside volume. The window is whole months, so
every figure over it is read from the half-month rollups (reports/rollup.py, brought up to
date by the caller): a quarter is six rows per client, product or status. Alerts are as of
today on the business calendar; the stock levels come from the stock service's API.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, ColumnElement, String, Table, and_, cast, func, select
from sqlalchemy.orm import Session

from order_service.domain.reports import (
    CENT,
    NOT_VOLUME,
    TOP,
    MonthWindow,
    add_months,
    average_ticket,
    growth_percent,
    mean,
    rate_percent,
    rollup_spans,
)
from order_service.domain.statuses import OrderStatus
from order_service.reports.alerts import report_alerts
from order_service.reports.period import (
    client_names,
    in_spans,
    latest_names,
    tune_report_transaction,
)
from order_service.reports.rollup import stale_half_months
from order_service.reports.rollup_tables import (
    sales_rollup_client,
    sales_rollup_product,
    sales_rollup_status,
)
from order_service.stock_catalogue import StockCatalogue
from shared import clock


def performance_report(
    session: Session, window: MonthWindow, *, include_details: bool, stock: StockCatalogue
) -> dict[str, Any]:
    tune_report_transaction(session)
    stale = stale_half_months(session)
    prices = read_prices(session, window, stale)
    monthly = _monthly(session, window, stale)
    shown = monthly[1:]  # the month before the window is only the first month's baseline
    orders = sum(m["orders"] for m in shown)
    value = sum((m["value"] for m in shown), Decimal("0.00"))
    status = sales_rollup_status
    every, cancelled, approved, seconds = session.execute(
        select(
            func.coalesce(func.sum(status.c.orders), 0),
            func.coalesce(
                func.sum(status.c.orders).filter(status.c.status == OrderStatus.CANCELLED), 0
            ),
            func.coalesce(func.sum(status.c.approved), 0),
            func.coalesce(func.sum(status.c.approval_seconds), 0),
        ).where(_half_months(status, window.first_month, window.end_exclusive, stale))
    ).one()
    clients = _clients(session, window, stale, limit=None if include_details else TOP)
    report: dict[str, Any] = {
        "period": {
            "months": window.count,
            "date_from": window.first_month,
            "date_to": window.end_exclusive - timedelta(days=1),
            "timezone": clock.business_timezone().key,
        },
        "overall": {
            "total_orders": orders,
            "total_value": value,
            "average_ticket": average_ticket(value, orders),
            "monthly": shown,
            "monthly_growth": mean(
                [m["growth_percent"] for m in shown if m["growth_percent"] is not None]
            ),  # fmt: skip
            "avg_approval_hours": _mean_hours(Decimal(seconds), int(approved)),
            "cancellation_rate": rate_percent(int(cancelled), int(every)),
        },
        "trends": {
            "trending_products": _trending_products(session, prices),
            "most_active_clients": clients[:TOP],
        },
        "alerts": report_alerts(session, window, stock, prices),
    }
    if include_details:
        report["by_client"] = clients
    return report


def _half_months(
    table: Table, first: date, end: date, stale: frozenset[date]
) -> ColumnElement[bool]:
    """The rollup rows of the days [first, end) (both the 1st of a month): half-months, and
    the days of those whose rows lag a change."""
    return in_spans(table, rollup_spans(first, end, stale))


def _monthly(session: Session, window: MonthWindow, stale: frozenset[date]) -> list[dict[str, Any]]:
    """Each month of the window, and the month before it, with growth on the month before."""
    months = [add_months(window.first_month, -1), *window.months]
    status = sales_rollup_status
    month = func.date_trunc("month", status.c.starts)
    counted = status.c.status.not_in([s.value for s in NOT_VOLUME])
    rows = {
        row.month.date(): row
        for row in session.execute(
            select(
                month.label("month"),
                func.coalesce(func.sum(status.c.orders).filter(counted), 0).label("orders"),
                func.coalesce(func.sum(status.c.value).filter(counted), 0).label("value"),
            )
            .where(_half_months(status, months[0], window.end_exclusive, stale))
            .group_by(month)
        )
    }
    result: list[dict[str, Any]] = []
    previous: Decimal | None = None
    for first_day in months:
        row = rows.get(first_day)
        value = Decimal(row.value) if row else Decimal("0.00")
        result.append(
            {
                "month": first_day.strftime("%Y-%m"),
                "orders": int(row.orders) if row else 0,
                "value": value,
                "growth_percent": None if previous is None else growth_percent(previous, value),
            }
        )
        previous = value
    return result


def _mean_hours(seconds: Decimal, approved: int) -> Decimal | None:
    """Mean hours from creation to approval, over the window's orders that were approved.

    `approved_at` is written by the one status-change function in the same transaction, and
    with the same instant, as the approval's history row; an order is approved at most once
    (pending → approved is the only way in).
    """
    if approved == 0:
        return None
    return (seconds / approved / 3600).quantize(CENT, rounding=ROUND_HALF_UP)


class PriceRow(NamedTuple):
    """A product at one unit price: its sale lines' sums over the window and the lookback."""

    product_id: str
    unit_price: Decimal
    first_half: int  # quantity, volume, first half of the window
    second_half: int
    orders: int  # volume lines in the window (a product is once per order)
    lookback: int  # every live sale line of the price lookback, any status
    in_window: int  # every live sale line of the window


def read_prices(session: Session, window: MonthWindow, stale: frozenset[date]) -> list[PriceRow]:
    """The window's and the price lookback's lines per (product, unit price), in one pass:
    what trending products and price outliers both add up. Plain tuples: a quarter at a
    million orders is ~2,000 rows, and attribute access on result rows was most of the
    report's Python time."""
    start, middle = window.first_month, window.midpoint
    product = sales_rollup_product
    in_window = product.c.starts >= start
    counted = and_(in_window, product.c.counted)

    def total(column: Any, *where: Any) -> Any:
        return cast(func.coalesce(func.sum(column).filter(*where), 0), BigInteger)

    rows = session.execute(
        select(
            cast(product.c.product_id, String),  # no UUID objects
            product.c.unit_price,
            total(product.c.quantity, counted, product.c.starts < middle),
            total(product.c.quantity, counted, product.c.starts >= middle),
            total(product.c.lines, counted),
            total(product.c.lines, product.c.starts >= window.price_lookback),
            total(product.c.lines, in_window),
        )
        .where(
            _half_months(product, min(start, window.price_lookback), window.end_exclusive, stale)
        )
        .group_by(product.c.product_id, product.c.unit_price)
    ).all()
    return [PriceRow(*row) for row in rows]


def _trending_products(session: Session, prices: list[PriceRow]) -> list[dict[str, Any]]:
    """Products whose quantity grew from the first half of the window to the second."""
    halves: dict[str, list[int]] = {}
    for product_id, _, first_half, second_half, orders, _, _ in prices:
        product = halves.get(product_id)
        if product is None:
            halves[product_id] = [first_half, second_half, orders]
        else:
            product[0] += first_half
            product[1] += second_half
            product[2] += orders
    trending = []
    for product_id, (first_half, second_half, orders) in halves.items():
        if not 0 < first_half < second_half:
            continue  # no growth from a non-zero first half
        growth = growth_percent(Decimal(first_half), Decimal(second_half))
        if growth is not None and growth > 0:
            trending.append(
                {
                    "product_id": product_id,
                    "name": None,
                    "first_half_quantity": first_half,
                    "second_half_quantity": second_half,
                    "growth_percent": growth,
                    "orders": orders,
                }
            )

    def rank(t: dict[str, Any]) -> tuple[Decimal, int]:
        return (-t["growth_percent"], -t["second_half_quantity"])

    trending.sort(key=rank)
    # Names break ties, so they are read for the top and whatever ties with its last only.
    top = [t for t in trending if not trending[TOP - 1 :] or rank(t) <= rank(trending[TOP - 1])]
    names = latest_names(session, "product_id", "product_name", [t["product_id"] for t in top])
    for t in top:
        t["name"] = names.get(t["product_id"])
    top.sort(key=lambda t: (*rank(t), t["name"] or ""))
    return top[:TOP]


def _clients(
    session: Session, window: MonthWindow, stale: frozenset[date], limit: int | None = None
) -> list[dict[str, Any]]:
    """The clients with sales in the window, the most active first (the first `limit`)."""
    client = sales_rollup_client
    counted = client.c.counted
    rows = [
        (client_id, int(orders), Decimal(value), int(cancelled))
        for client_id, orders, value, cancelled in session.execute(
            select(
                cast(client.c.client_id, String),
                func.coalesce(func.sum(client.c.orders).filter(counted), 0),
                func.coalesce(func.sum(client.c.value).filter(counted), 0),
                func.sum(client.c.cancelled),
            )
            .where(_half_months(client, window.first_month, window.end_exclusive, stale))
            .group_by(client.c.client_id)
        ).all()
        if orders
    ]
    rows.sort(key=lambda row: (-row[1], -row[2]))
    if limit is not None and len(rows) > limit:  # names break ties: the top and its ties
        last = rows[limit - 1]
        rows = [row for row in rows if (-row[1], -row[2]) <= (-last[1], -last[2])]
    names = client_names(session, [client_id for client_id, *_ in rows])
    clients = [
        {
            "client_id": client_id,
            "name": names.get(client_id),
            "orders": orders,
            "value": value,
            "average_ticket": average_ticket(value, orders),
            "cancelled_orders": cancelled,
        }
        for client_id, orders, value, cancelled in rows
    ]
    clients.sort(key=lambda c: (-c["orders"], -c["value"], c["name"], c["client_id"]))
    return clients[:limit]


def default_last_month(today: date) -> date:
    """The last whole month before today's (a month counts once it is over)."""
    return add_months(today.replace(day=1), -1)
