"""A new sale order as rows, and the Core INSERTs that write them.

One definition for POST /orders and for imports. Each line captures its product as it is
when ordered: later catalogue changes never alter it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert

from order_service.domain.access import Actor
from order_service.domain.items import supplier_first_positions
from order_service.domain.statuses import OrderStatus, OrderType, StockStatus
from order_service.domain.totals import order_total
from order_service.models import Order, OrderItem, OrderStatusChange
from order_service.stock_catalogue import CataloguedProduct


@dataclass(frozen=True)
class SaleOrderRows:
    """A new sale order as rows: the order, its lines by position, its first history row."""

    order: dict[str, Any]
    items: list[dict[str, Any]]
    history: dict[str, Any]


def sale_order_rows(
    *,
    actor: Actor,
    client_id: uuid.UUID,
    lines: Sequence[tuple[uuid.UUID, int]],
    products: Mapping[uuid.UUID, CataloguedProduct],
    notes: str | None,
    desired_delivery_date: date | None,
    now: datetime,
) -> SaleOrderRows:
    """The rows of a new pending sale order, each line capturing its product as it is now.

    One definition for `POST /orders` and for imports, which insert many at once.
    """
    order: dict[str, Any] = {
        "id": uuid.uuid4(),
        "type": OrderType.SALE,
        "client_id": client_id,
        "supplier_id": None,
        "status": OrderStatus.PENDING,
        "stock_status": StockStatus.AWAITING,
        "order_version": 1,
        "total": order_total((q, products[p].price) for p, q in lines),
        "notes": notes,
        "desired_delivery_date": desired_delivery_date,
        "cancel_reason": None,
        "created_by": actor.subject,
        "created_at": now,
        "updated_at": now,
        "approved_at": None,
    }
    items = [
        {
            **captured_item_values(products[product_id], quantity, position, now, client_id),
            "order_id": order["id"],
        }
        for position, (product_id, quantity) in enumerate(lines, start=1)
    ]
    firsts = supplier_first_positions((item["position"], item["supplier_id"]) for item in items)
    for item in items:
        item["supplier_first"] = item["position"] in firsts
    history = {
        "order_id": order["id"],
        "from_status": None,
        "to_status": OrderStatus.PENDING,
        "changed_at": now,
        "changed_by": actor.subject,
        "changed_by_role": actor.role,
        "note": None,
    }
    return SaleOrderRows(order, items, history)


# Core INSERTs, built once: a new order is three statements (the lines in one multi-row
# INSERT) without the ORM's unit of work, which cost more CPU than the rest of the request.
# Imports run the same statements with many orders' rows at once (executemany, in order).
_orders_table = Order.__table__
_items_table = OrderItem.__table__
# Rows come back matched by their id (given by us), so many rows need no ordering guarantee.
INSERT_ORDERS = insert(_orders_table).returning(_orders_table.c.id, _orders_table.c.number)
INSERT_ITEMS = insert(_items_table).returning(_items_table.c.id, _items_table.c.line_total)
INSERT_HISTORY = insert(OrderStatusChange.__table__)


def captured_item_values(
    product: CataloguedProduct,
    quantity: int,
    position: int,
    order_created_at: datetime,
    client_id: uuid.UUID | None,
) -> dict[str, Any]:
    """An order line with the product as it is now: later catalogue changes never alter it.

    It carries its order's created_at and client (reports read lines alone); its
    order_status starts as the database default, pending, as every new order does.
    """
    return {
        "id": uuid.uuid4(),
        "position": position,
        "order_created_at": order_created_at,
        "client_id": client_id,
        "product_id": product.id,
        "quantity": quantity,
        "unit_price": product.price,
        "product_name": product.name,
        "unit": product.unit,
        "section": product.section,
        "category": product.category,
        "supplier_id": product.supplier_id,
        "supplier_name": product.supplier_name,
    }
