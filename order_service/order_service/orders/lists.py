"""Order lists: GET /orders, and the page of orders a client's or a supplier's list shows.

Built for a million orders (docs/orders.md): the page's ids come from one index walk
(criteria.py), the page's orders and items are two more queries by id (never one per
order), and the total is counted exactly only up to COUNT_CAP — past that, `meta.total` is
the planner's estimate and `meta.total_exact` is false.
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, literal_column, select
from sqlalchemy.orm import Session

from order_service import pages
from order_service.domain.access import Actor, ActorRole
from order_service.domain.scope import client_scope, ensure_list_filters_in_scope
from order_service.models import Client, Order, OrderItem
from order_service.orders.criteria import (
    CriteriaShape,
    OrderCriteria,
    OrderFilters,
    capped_count_statement,
    live_conditions,
    order_criteria,
    page_ids_statement,
)
from order_service.orders.views import ITEM_COLUMNS, ORDER_COLUMNS, order_summary
from order_service.pages import Explain, ListPage, estimated_rows

ORDER_SORTS = ("-created_at", "created_at", "-number", "number", "-total", "total")


def list_orders(
    session: Session,
    actor: Actor,
    filters: OrderFilters,
    *,
    page: int = 1,
    page_size: int = 20,
    sort: str = "-created_at",
    with_details: bool = False,
) -> ListPage:
    """Live orders the caller may see, filtered, newest first by default, one page."""
    ensure_list_filters_in_scope(
        actor, client_id=filters.client_id, supplier_id=filters.supplier_id
    )
    criteria = order_criteria(
        filters,
        client_id=client_scope(actor),
        supplier_id=actor.supplier_id if actor.role == ActorRole.SUPPLIER else None,
    )
    return order_page(
        session, criteria, page=page, page_size=page_size, sort=sort, details=with_details
    )


# A page's orders and their items, by id (built once; the ids are bound per request).
_PAGE_IDS = bindparam("ids", expanding=True)
_PAGE_ORDERS = {
    details: select(
        *ORDER_COLUMNS, (Client.name if details else literal_column("NULL")).label("client_name")
    )
    .outerjoin(Client, Client.id == Order.client_id)
    .where(Order.id.in_(_PAGE_IDS))
    for details in (False, True)
}
_PAGE_ITEMS = (
    select(OrderItem.order_id.label("order_id"), *ITEM_COLUMNS)
    .where(OrderItem.order_id.in_(_PAGE_IDS))
    .order_by(OrderItem.order_id, OrderItem.position)
)


def order_page(
    session: Session,
    criteria: OrderCriteria,
    *,
    page: int,
    page_size: int,
    sort: str = "-created_at",
    details: bool,
) -> ListPage:
    total, exact = _count(session, criteria)
    offset = (page - 1) * page_size
    ids = list(
        session.scalars(
            page_ids_statement(criteria.shape, sort),
            {**criteria.params, "limit": offset + page_size, "offset": offset},
        )
    )
    if not ids:
        return ListPage([], page, page_size, total, exact)
    # Plain rows, not ORM objects: a page is read, never changed. Two queries, whatever the
    # page size: the orders by primary key, then all their items at once.
    orders = {
        row.id: row for row in session.execute(_PAGE_ORDERS[details], {"ids": ids}).mappings()
    }
    lines: dict[uuid.UUID, list[Any]] = {order_id: [] for order_id in orders}
    for line in session.execute(_PAGE_ITEMS, {"ids": ids}).mappings():
        lines[line["order_id"]].append(line)
    items = [
        order_summary(orders[i], lines[i], client_name=orders[i]["client_name"], details=details)
        for i in ids
        if i in orders
    ]
    return ListPage(items, page, page_size, total, exact)


def _count(session: Session, criteria: OrderCriteria) -> tuple[int, bool]:
    """Exact up to COUNT_CAP, walking the same index as the page; beyond, an estimate."""
    capped = session.scalar(
        capped_count_statement(criteria.shape), {**criteria.params, "limit": pages.COUNT_CAP + 1}
    )
    if capped is None or capped <= pages.COUNT_CAP:
        return int(capped or 0), True
    estimate = estimated_rows(session, _live_ids_explained(criteria.shape), criteria.params)
    return max(estimate, pages.COUNT_CAP + 1), False


@lru_cache(maxsize=1024)
def _live_ids_explained(shape: CriteriaShape) -> Explain:
    return Explain(select(Order.id).where(*live_conditions(shape)))
