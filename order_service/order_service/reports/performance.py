"""The performance report: how sales moved over whole months, and what needs attention now
(SPEC §3, requirement 003 "Relatório de Desempenho" and "Alertas Inteligentes").

Figures over the window follow the reports' rules (docs/reports.md): sales only, deleted
orders nowhere, cancelled and returned ones outside volume. Alerts are as of today on the
business calendar. Everything is aggregated by PostgreSQL; the stock levels come from the
stock service's API.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    String,
    and_,
    cast,
    func,
    literal_column,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.orm import Session

from order_service.domain.orders import OrderStatus
from order_service.domain.reports import (
    CENT,
    CRITICAL_STOCK_PERCENT,
    HUNDRED,
    PRICE_DEVIATION,
    PRICE_LOOKBACK_DAYS,
    PRICE_MIN_LINES,
    PRODUCT_IDLE_DAYS,
    SUPPLIER_IDLE_DAYS,
    TOP,
    MonthWindow,
    add_months,
    average_ticket,
    growth_percent,
    mean,
    median_of_counts,
    rate_percent,
)
from order_service.models import Order, OrderItem
from order_service.reports.period import (
    client_names,
    latest_names,
    line_volume,
    sale_lines_between,
    sales_between,
    tune_report_transaction,
    volume,
)
from order_service.stock_catalogue import StockCatalogue, StockUnavailable
from shared import clock

log = logging.getLogger("pedidos.orders.reports")

# An alert lists at most this many items (its `count` says how many there are).
MAX_ALERT_ITEMS = 100


def performance_report(
    session: Session, window: MonthWindow, *, include_details: bool, stock: StockCatalogue
) -> dict[str, Any]:
    start = clock.start_of_business_day(window.first_month)
    end = clock.start_of_business_day(window.end_exclusive)
    in_window = sales_between(start, end)
    tune_report_transaction(session)
    counted = volume()
    prices = ProductPrices.read(session, window)
    monthly = _monthly(session, window, counted)
    shown = monthly[1:]  # the month before the window is only the first month's baseline
    orders = sum(m["orders"] for m in shown)
    value = sum((m["value"] for m in shown), Decimal("0.00"))
    every, cancelled = session.execute(
        select(func.count(), func.count().filter(Order.status == OrderStatus.CANCELLED)).where(
            *in_window
        )
    ).one()
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
            "avg_approval_hours": _avg_approval_hours(session, in_window),
            "cancellation_rate": rate_percent(cancelled, every),
        },
        "trends": {
            "trending_products": _trending_products(session, prices),
            "most_active_clients": _clients(session, in_window, counted)[:TOP],
        },
        "alerts": _alerts(session, window, stock, prices),
    }
    if include_details:
        report["by_client"] = _clients(session, in_window, counted)
    return report


def _monthly(
    session: Session, window: MonthWindow, volume: ColumnElement[bool]
) -> list[dict[str, Any]]:
    """Each month of the window, and the month before it, with growth on the month before.

    Months are found by comparing `created_at` with the months' first instants on the
    business calendar (computed here), not by converting every order's time to a month.
    """
    months = [add_months(window.first_month, -1), *window.months]
    bounds = [clock.start_of_business_day(m) for m in months]
    until = clock.start_of_business_day(window.end_exclusive)
    bucket = func.width_bucket(
        Order.created_at, cast(array(bounds), ARRAY(DateTime(timezone=True)))
    )
    rows = {
        row.bucket: row
        for row in session.execute(
            select(
                bucket.label("bucket"),
                func.count().filter(volume).label("orders"),
                func.coalesce(func.sum(Order.total).filter(volume), 0).label("value"),
            )
            .where(*sales_between(bounds[0], until))
            .group_by(literal_column("bucket"))
        )
    }
    result: list[dict[str, Any]] = []
    previous: Decimal | None = None
    for number, first_day in enumerate(months, start=1):  # width_bucket counts from 1
        row = rows.get(number)
        value = Decimal(row.value) if row else Decimal("0.00")
        result.append(
            {
                "month": first_day.strftime("%Y-%m"),
                "orders": row.orders if row else 0,
                "value": value,
                "growth_percent": None if previous is None else growth_percent(previous, value),
            }
        )
        previous = value
    return result


def _avg_approval_hours(
    session: Session, in_window: tuple[ColumnElement[bool], ...]
) -> Decimal | None:
    """Mean hours from creation to approval, over the window's orders that were approved.

    `approved_at` is written by the one status-change function in the same transaction, and
    with the same instant, as the approval's history row; an order is approved at most once
    (pending → approved is the only way in). Read from the orders' report index: no probe
    of the history per order.
    """
    seconds = session.scalar(
        select(func.avg(func.extract("epoch", Order.approved_at - Order.created_at))).where(
            *in_window, Order.approved_at.is_not(None)
        )
    )
    if seconds is None:
        return None
    return (Decimal(seconds) / 3600).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ProductPrices:
    """The window's and the price lookback's sale lines per (product, unit price), read in
    one pass: what trending products and price outliers both add up."""

    rows: list[Any]

    @classmethod
    def read(cls, session: Session, window: MonthWindow) -> ProductPrices:
        start = clock.start_of_business_day(window.first_month)
        end = clock.start_of_business_day(window.end_exclusive)
        middle = clock.start_of_business_day(window.midpoint)
        lookback = clock.start_of_business_day(
            window.end_exclusive - timedelta(days=PRICE_LOOKBACK_DAYS)
        )
        in_window = OrderItem.order_created_at >= start
        counted = and_(in_window, line_volume())
        rows = session.execute(
            select(
                OrderItem.product_id,
                OrderItem.unit_price,
                func.coalesce(
                    func.sum(OrderItem.quantity).filter(
                        counted, OrderItem.order_created_at < middle
                    ),
                    0,
                ).label("first_half"),
                func.coalesce(
                    func.sum(OrderItem.quantity).filter(
                        counted, OrderItem.order_created_at >= middle
                    ),
                    0,
                ).label("second_half"),
                func.count().filter(counted).label("orders"),  # once per order: lines
                # The usual price counts every live sale line of the lookback, any status.
                func.count().filter(OrderItem.order_created_at >= lookback).label("lookback"),
                func.count().filter(in_window).label("in_window"),
            )
            .where(*sale_lines_between(min(start, lookback), end))
            .group_by(OrderItem.product_id, OrderItem.unit_price)
        ).all()
        return cls(rows)


def _trending_products(session: Session, prices: ProductPrices) -> list[dict[str, Any]]:
    """Products whose quantity grew from the first half of the window to the second."""
    halves: dict[Any, list[int]] = {}
    for row in prices.rows:
        product = halves.setdefault(row.product_id, [0, 0, 0])
        product[0] += int(row.first_half)
        product[1] += int(row.second_half)
        product[2] += row.orders
    names = latest_names(session, "product_id", "product_name", list(halves))
    trending = []
    for product_id, (first_half, second_half, orders) in halves.items():
        growth = growth_percent(Decimal(first_half), Decimal(second_half))
        if growth is not None and growth > 0:
            trending.append(
                {
                    "product_id": str(product_id),
                    "name": names.get(str(product_id)),
                    "first_half_quantity": first_half,
                    "second_half_quantity": second_half,
                    "growth_percent": growth,
                    "orders": orders,
                }
            )
    trending.sort(key=lambda t: (-t["growth_percent"], -t["second_half_quantity"], t["name"]))
    return trending[:TOP]


def _clients(
    session: Session, in_window: tuple[ColumnElement[bool], ...], volume: ColumnElement[bool]
) -> list[dict[str, Any]]:
    """Every client with sales in the window, the most active first."""
    rows = session.execute(
        select(
            cast(Order.client_id, String).label("client_id"),
            func.count().filter(volume).label("orders"),
            func.coalesce(func.sum(Order.total).filter(volume), 0).label("value"),
            func.count().filter(Order.status == OrderStatus.CANCELLED).label("cancelled"),
        )
        .where(*in_window)
        .group_by(Order.client_id)  # index-only; the names are read for these clients only
    ).all()
    names = client_names(session, [row.client_id for row in rows if row.orders])
    clients = [
        {
            "client_id": row.client_id,
            "name": names.get(row.client_id),
            "orders": row.orders,
            "value": Decimal(row.value),
            "average_ticket": average_ticket(Decimal(row.value), row.orders),
            "cancelled_orders": row.cancelled,
        }
        for row in rows
        if row.orders
    ]
    clients.sort(key=lambda c: (-c["orders"], -c["value"], c["name"], c["client_id"]))
    return clients


# -- alerts -----------------------------------------------------------------------------


def _alert(kind: str, description: str, recommendation: str, items: list[dict]) -> dict:
    return {
        "type": kind,
        "description": description,
        "recommendation": recommendation,
        "count": len(items),
        "items": items[:MAX_ALERT_ITEMS],
    }


def _alerts(
    session: Session, window: MonthWindow, stock: StockCatalogue, prices: ProductPrices
) -> list[dict]:
    now = clock.now()
    alerts = [
        _critical_stock(stock),
        _idle(
            session,
            "product_id",
            "product_name",
            now - timedelta(days=PRODUCT_IDLE_DAYS),
            now,
            kind="products_without_orders",
            description="{n} produto(s) sem pedidos há {days} dias ou mais.",
            recommendation="Revisar o cardápio ou a disponibilidade desses produtos.",
            days=PRODUCT_IDLE_DAYS,
        ),
        _idle(
            session,
            "supplier_id",
            "supplier_name",
            now - timedelta(days=SUPPLIER_IDLE_DAYS),
            now,
            kind="suppliers_without_orders",
            description="{n} fornecedor(es) sem pedidos há {days} dias ou mais.",
            recommendation="Verificar o contrato e a disponibilidade desses fornecedores.",
            days=SUPPLIER_IDLE_DAYS,
        ),
        _price_outliers(session, window, prices),
    ]
    return [alert for alert in alerts if alert["count"] or alert.get("unavailable")]


def _critical_stock(stock: StockCatalogue) -> dict:
    kind = "critical_stock"
    recommendation = "Gerar pedidos de reposição para esses produtos ou rever a quantidade ideal."
    try:
        levels = stock.below_percent_of_ideal(CRITICAL_STOCK_PERCENT)
    except StockUnavailable:
        log.warning("critical stock alert without the stock service")
        alert = _alert(
            kind,
            "Não foi possível consultar o estoque agora; este alerta ficou de fora.",
            recommendation,
            [],
        )
        return {**alert, "unavailable": True}
    items = [
        {
            "product_id": str(level.product_id),
            "name": level.name,
            "available": level.available,
            "ideal_quantity": level.ideal_quantity,
            "percent_of_ideal": level.percent_of_ideal,
        }
        for level in sorted(levels, key=lambda lv: (lv.percent_of_ideal or 0, lv.name))
    ]
    return _alert(
        kind,
        f"{len(items)} produto(s) com estoque disponível abaixo de "
        f"{CRITICAL_STOCK_PERCENT}% do ideal.",
        recommendation,
        items,
    )


# The latest live order line of each product (or supplier), found with one probe of the
# partial index ix_order_items_<key>_recent per key: a loose index scan, a few thousand
# index lookups instead of a pass over every line ever written.
_LATEST_LINE_PER_KEY = """
WITH RECURSIVE keys(key) AS (
    (SELECT {key} FROM orders.order_items
      WHERE order_live AND {key} IS NOT NULL ORDER BY {key} LIMIT 1)
    UNION ALL
    SELECT (SELECT i.{key} FROM orders.order_items i
             WHERE i.order_live AND i.{key} > keys.key ORDER BY i.{key} LIMIT 1)
      FROM keys WHERE keys.key IS NOT NULL
)
SELECT keys.key AS id, latest.name, latest.last
  FROM keys
  CROSS JOIN LATERAL (
      SELECT i.{name} AS name, i.order_created_at AS last FROM orders.order_items i
       WHERE i.order_live AND i.{key} = keys.key
       ORDER BY i.order_created_at DESC LIMIT 1
  ) AS latest
 WHERE keys.key IS NOT NULL AND latest.last < :before
 ORDER BY latest.last, keys.key
"""


def _idle(
    session: Session,
    key: str,
    name: str,
    before: datetime,
    now: datetime,
    *,
    kind: str,
    description: str,
    recommendation: str,
    days: int,
) -> dict:
    """Products or suppliers on some live order, but on none since `before`."""
    rows = session.execute(
        text(_LATEST_LINE_PER_KEY.format(key=key, name=name)), {"before": before}
    ).all()
    items = [
        {
            "id": str(row.id),
            "name": row.name,
            "last_order_at": row.last.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "days_without_orders": (now - row.last).days,
        }
        for row in rows
    ]
    return _alert(kind, description.format(n=len(items), days=days), recommendation, items)


def _price_outliers(session: Session, window: MonthWindow, prices: ProductPrices) -> dict:
    """The window's lines priced far from the product's median of the last 90 days.

    A product's lines take few distinct prices, so the median is computed from (price,
    how many lines) pairs — read with the trending products' pass, no sort of every line —
    and only the window's lines at a far price are then read, with their orders' numbers.
    """
    start = clock.start_of_business_day(window.first_month)
    end = clock.start_of_business_day(window.end_exclusive)
    counts: dict[Any, list[tuple[Decimal, int]]] = {}
    in_window: set[tuple[Any, Decimal]] = set()
    for row in prices.rows:
        if row.lookback:
            counts.setdefault(row.product_id, []).append((row.unit_price, row.lookback))
        if row.in_window:
            in_window.add((row.product_id, row.unit_price))
    usual = {
        product_id: median_of_counts(counted)
        for product_id, counted in counts.items()
        if sum(lines for _, lines in counted) >= PRICE_MIN_LINES
    }
    far = [
        (product_id, price)
        for product_id, price in sorted(in_window, key=str)
        if product_id in usual
        and abs(price - usual[product_id]) > usual[product_id] * PRICE_DEVIATION
    ]
    rows = (
        session.execute(
            select(
                Order.id,
                Order.number,
                OrderItem.product_id,
                OrderItem.product_name,
                OrderItem.unit_price,
            )
            .join(Order, Order.id == OrderItem.order_id)
            .where(
                *sale_lines_between(start, end),
                tuple_(OrderItem.product_id, OrderItem.unit_price).in_(far),
            )
            .order_by(Order.number, OrderItem.position)
        ).all()
        if far
        else []
    )
    items = []
    for row in rows:
        median = usual[row.product_id].quantize(CENT, rounding=ROUND_HALF_UP)
        deviation = ((row.unit_price - median) / median * HUNDRED).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
        items.append(
            {
                "order_id": str(row.id),
                "number": row.number,
                "product_id": str(row.product_id),
                "name": row.product_name,
                "unit_price": row.unit_price,
                "usual_price": median,
                "deviation_percent": deviation,
            }
        )
    percent = int(PRICE_DEVIATION * 100)
    return _alert(
        "price_outliers",
        f"{len(items)} linha(s) de pedido com preço mais de {percent}% distante do usual "
        f"(mediana dos últimos {PRICE_LOOKBACK_DAYS} dias).",
        "Conferir o preço cadastrado e esses pedidos com o fornecedor.",
        items,
    )


def default_last_month(today: date) -> date:
    """The last whole month before today's (a month counts once it is over)."""
    return add_months(today.replace(day=1), -1)
