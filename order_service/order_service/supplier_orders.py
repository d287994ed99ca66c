"""A supplier's orders: those with its products or addressed to it, and what it supplied.

The supplier records themselves belong to the stock service; the name comes from the
latest line that captured it.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from order_service.domain.access import Actor, ensure_may_read_supplier_orders
from order_service.domain.errors import SupplierNotFound
from order_service.models import Order, OrderItem
from order_service.orders.criteria import (
    OrderCriteria,
    OrderFilters,
    live_conditions,
    order_criteria,
)
from order_service.orders.lists import order_page
from order_service.reports.period import volume
from order_service.stock_catalogue import StockCatalogue, StockUnavailable


def supplier_orders(
    session: Session,
    actor: Actor,
    supplier_id: uuid.UUID,
    *,
    stock: StockCatalogue,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    page_size: int = 20,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Orders with the supplier's products or addressed to it, and what it supplied."""
    ensure_may_read_supplier_orders(actor, supplier_id)
    criteria = order_criteria(
        OrderFilters(status=status, date_from=date_from, date_to=date_to),
        supplier_id=supplier_id,
    )
    orders = order_page(session, criteria, page=page, page_size=page_size, details=True)
    summary = _supplier_summary(session, criteria, supplier_id)
    name = _supplier_name(session, supplier_id, stock, has_orders=summary["total_orders"] > 0)
    data = {
        "supplier": {"id": supplier_id, "name": name},
        "period": {"date_from": date_from, "date_to": date_to},
        "orders": orders.items,
        "summary": summary,
    }
    return data, orders.meta


def _supplier_name(
    session: Session, supplier_id: uuid.UUID, stock: StockCatalogue, *, has_orders: bool
) -> str | None:
    """The name captured on its latest item; the stock service is asked only when none."""
    captured = session.scalar(
        select(OrderItem.supplier_name)
        .where(
            OrderItem.supplier_id == supplier_id,
            OrderItem.order_live,
            OrderItem.supplier_name.is_not(None),
        )
        .order_by(OrderItem.order_created_at.desc())
        .limit(1)
    )
    if captured:
        return captured
    try:
        supplier = stock.supplier(supplier_id)
    except StockUnavailable:
        return None  # the orders are ours to show even when the stock service is away
    if supplier is None and not has_orders:
        raise SupplierNotFound()
    return supplier.name if supplier else None


def _supplier_summary(
    session: Session, criteria: OrderCriteria, supplier_id: uuid.UUID
) -> dict[str, Any]:
    # As the reports count (docs/reports.md): cancelled and returned orders are not volume.
    conditions, params = live_conditions(criteria.shape), criteria.params
    counted = volume()
    total_orders, clients_served = session.execute(
        select(func.count(), func.count(func.distinct(Order.client_id))).where(
            *conditions, counted
        ),
        params,
    ).one()
    # What this supplier supplied: its own lines (or every line of an order addressed to it).
    supplied = and_(
        *conditions,
        counted,
        (OrderItem.supplier_id == supplier_id) | (Order.supplier_id == supplier_id),
    )
    total_value, products = session.execute(
        select(
            func.coalesce(func.sum(OrderItem.line_total), 0),
            func.count(func.distinct(OrderItem.product_id)),
        )
        .join(Order, Order.id == OrderItem.order_id)
        .where(supplied),
        params,
    ).one()
    return {
        "total_orders": total_orders,
        "total_value": Decimal(total_value),
        "clients_served": clients_served,
        "products_supplied": products,
    }
