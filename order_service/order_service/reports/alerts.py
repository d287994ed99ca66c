"""The performance report's alerts (requirement 003, "Alertas Inteligentes"), as of now.

Each is `{type, description, recommendation, count, items}` with at most MAX_ALERT_ITEMS
items; the rules and their thresholds are in domain/reports.py and docs/reports.md.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select, text, tuple_
from sqlalchemy.orm import Session

from order_service.domain.reports import (
    CENT,
    CRITICAL_STOCK_PERCENT,
    HUNDRED,
    PRICE_DEVIATION,
    PRICE_LOOKBACK_MONTHS,
    PRICE_MIN_LINES,
    PRODUCT_IDLE_DAYS,
    SUPPLIER_IDLE_DAYS,
    MonthWindow,
    median_of_counts,
)
from order_service.models import Order, OrderItem
from order_service.reports.period import sale_lines_between
from order_service.stock_catalogue import StockCatalogue, StockUnavailable
from shared import clock
from shared.i18n import Text, localize

log = logging.getLogger("pedidos.orders.reports")

# An alert lists at most this many items (its `count` says how many there are).
MAX_ALERT_ITEMS = 100


def _alert(
    kind: str, description: Text, recommendation: Text, items: list[dict], count: int | None = None
) -> dict:
    """An alert, its texts in the caller's language (Accept-Language, as error messages)."""
    return {
        "type": kind,
        "description": localize(description),
        "recommendation": localize(recommendation),
        "count": len(items) if count is None else count,
        "items": items[:MAX_ALERT_ITEMS],
    }


def report_alerts(
    session: Session, window: MonthWindow, stock: StockCatalogue, prices: Sequence[Any]
) -> list[dict]:
    """The four alerts, as of now; only those with items (or that could not be checked)."""
    now = clock.now()
    alerts = [
        _critical_stock(stock),
        _idle_products(session, stock, now),
        _idle_suppliers(session, now),
        _price_outliers(session, window, prices),
    ]
    return [alert for alert in alerts if alert["count"] or alert.get("unavailable")]


def _critical_stock(stock: StockCatalogue) -> dict:
    kind = "critical_stock"
    recommendation = Text(
        "Gerar pedidos de reposição para esses produtos ou rever a quantidade ideal.",
        "Place replenishment orders for these products or review their ideal quantity.",
    )
    try:
        levels = stock.below_percent_of_ideal(CRITICAL_STOCK_PERCENT)
    except StockUnavailable:
        log.warning("critical stock alert without the stock service")
        alert = _alert(
            kind,
            Text(
                "Não foi possível consultar o estoque agora; este alerta ficou de fora.",
                "The stock service could not be reached now; this alert was left out.",
            ),
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
        Text(
            "{n} produto(s) com estoque disponível abaixo de {percent}% do ideal.",
            "{n} product(s) with available stock below {percent}% of the ideal.",
        ).format(n=len(items), percent=CRITICAL_STOCK_PERCENT),
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
SELECT CAST(keys.key AS text) AS id, latest.name, latest.last
  FROM keys
  CROSS JOIN LATERAL (
      SELECT i.{name} AS name, i.order_created_at AS last FROM orders.order_items i
       WHERE i.order_live AND i.{key} = keys.key
       ORDER BY i.order_created_at DESC LIMIT 1
  ) AS latest
 WHERE keys.key IS NOT NULL
 ORDER BY latest.last, keys.key
"""


def _latest_lines(session: Session, key: str, name: str) -> list[Any]:
    """(id as text, name, last) of every product or supplier on a live order line."""
    return session.execute(text(_LATEST_LINE_PER_KEY.format(key=key, name=name))).all()


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _idle_products(session: Session, stock: StockCatalogue, now: datetime) -> dict:
    """Active catalogue products, in it for 30+ days, on no live order line in that time —
    the ones never ordered included. The order service knows products through their order
    lines; the catalogue is asked for the rest, leaving out those ordered recently."""
    before = now - timedelta(days=PRODUCT_IDLE_DAYS)
    lines = _latest_lines(session, "product_id", "product_name")
    last = {row.id: row.last for row in lines}
    recommendation = Text(
        "Revisar o cardápio ou a disponibilidade desses produtos.",
        "Review the menu or these products' availability.",
    )
    description = Text(
        "{n} produto(s) sem pedidos há {days} dias ou mais.",
        "{n} product(s) without orders for {days} days or more.",
    )
    try:
        found = stock.products_not_ordered_since(
            before, [row.id for row in lines if row.last >= before], MAX_ALERT_ITEMS
        )
    except StockUnavailable:
        log.warning("idle products alert without the catalogue")
        items = [_idle_item(row.id, row.name, row.last, now) for row in lines if row.last < before]
        return _alert(
            "products_without_orders",
            Text(
                description.pt + " Sem o catálogo do estoque agora: só os que já tiveram pedidos.",
                description.en + " Without the stock catalogue now: only those ordered before.",
            ).format(n=len(items), days=PRODUCT_IDLE_DAYS),
            recommendation,
            items,
        )
    items = [
        _idle_item(product.id, product.name, last.get(str(product.id)), now, product.created_at)
        for product in found.products
    ]
    # Never ordered first (longest in the catalogue first), then the longest without orders.
    items.sort(key=lambda item: (item["last_order_at"] is not None, -item["days_without_orders"]))
    return _alert(
        "products_without_orders",
        description.format(n=found.total, days=PRODUCT_IDLE_DAYS),
        recommendation,
        items,
        count=found.total,
    )


def _idle_suppliers(session: Session, now: datetime) -> dict:
    """Suppliers on some live order line, but on none in the last 60 days."""
    before = now - timedelta(days=SUPPLIER_IDLE_DAYS)
    items = [
        _idle_item(row.id, row.name, row.last, now)
        for row in _latest_lines(session, "supplier_id", "supplier_name")
        if row.last < before
    ]
    return _alert(
        "suppliers_without_orders",
        Text(
            "{n} fornecedor(es) sem pedidos há {days} dias ou mais.",
            "{n} supplier(s) without orders for {days} days or more.",
        ).format(n=len(items), days=SUPPLIER_IDLE_DAYS),
        Text(
            "Verificar o contrato e a disponibilidade desses fornecedores.",
            "Check the contract and availability of these suppliers.",
        ),
        items,
    )


def _idle_item(
    key: Any, name: str, last: datetime | None, now: datetime, since: datetime | None = None
) -> dict:
    """An idle product or supplier; `since` (in the catalogue) counts when never ordered."""
    idle_since = last if last is not None else since
    assert idle_since is not None
    return {
        "id": str(key),
        "name": name,
        "last_order_at": None if last is None else _utc(last),
        "days_without_orders": (now - idle_since).days,
    }


def _price_outliers(session: Session, window: MonthWindow, prices: Sequence[Any]) -> dict:
    """The window's lines priced far from the product's median over the price lookback.

    A product's lines take few distinct prices, so the median is computed from (price,
    how many lines) pairs — read with the trending products' pass, no sort of every line —
    and only the window's lines at a far price are then read, with their orders' numbers.
    """
    start = clock.start_of_business_day(window.first_month)
    end = clock.start_of_business_day(window.end_exclusive)
    counts: dict[Any, list[tuple[Decimal, int]]] = {}
    in_window: set[tuple[Any, Decimal]] = set()
    for product_id, price, *_, lookback, window_lines in prices:
        if lookback:
            counts.setdefault(product_id, []).append((price, lookback))
        if window_lines:
            in_window.add((product_id, price))
    usual = {
        # Most products sell at one price: that price is its median.
        product_id: counted[0][0] if len(counted) == 1 else median_of_counts(counted)
        for product_id, counted in counts.items()
        if sum(lines for _, lines in counted) >= PRICE_MIN_LINES
    }
    far = sorted(
        (uuid.UUID(product_id), price)
        for product_id, price in in_window
        if product_id in usual
        and abs(price - usual[product_id]) > usual[product_id] * PRICE_DEVIATION
    )
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
        median = usual[str(row.product_id)].quantize(CENT, rounding=ROUND_HALF_UP)
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
        Text(
            "{n} linha(s) de pedido com preço mais de {percent}% distante do usual "
            "(mediana dos últimos {months} meses).",
            "{n} order line(s) priced more than {percent}% away from the usual price "
            "(median of the last {months} months).",
        ).format(n=len(items), percent=percent, months=PRICE_LOOKBACK_MONTHS),
        Text(
            "Conferir o preço cadastrado e esses pedidos com o fornecedor.",
            "Check the registered price and these orders with the supplier.",
        ),
        items,
    )
