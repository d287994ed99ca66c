"""The read side: client and order lists, one order in full, a client's and a supplier's orders.

Reads never change anything. Order lists are built for a million orders (docs/orders.md):
every filter walks an index that already keeps the newest-first order and stops after one
page (item filters walk the items' indexes, which carry the order's created_at), the page's
orders and items are two more queries by id (never one per order), and the total is
counted exactly only up to COUNT_CAP — past that, `meta.total` is the planner's estimate
and `meta.total_exact` is false.
"""

from __future__ import annotations

import json
import logging
import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, select, union
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, aliased

from order_service.domain.access import (
    Actor,
    ActorRole,
    ensure_may_list_clients,
    ensure_may_read_client,
    ensure_may_read_client_orders,
    ensure_may_read_supplier_orders,
)
from order_service.domain.errors import ClientNotFound, OrderNotFound, SupplierNotFound
from order_service.domain.orders import (
    STATUS_NAMES,
    client_scope,
    ensure_list_filters_in_scope,
    ensure_may_view,
)
from order_service.models import Client, Order, OrderItem, OrderStatusChange
from order_service.services import BUSINESS_TIMEZONE
from order_service.stock_catalogue import StockCatalogue, StockUnavailable

log = logging.getLogger("pedidos.orders.queries")

# Counting a million rows costs more than the page itself: exact up to here, then estimated.
COUNT_CAP = 1_000

ORDER_SORTS = ("-created_at", "created_at", "-number", "number", "-total", "total")


@dataclass(frozen=True)
class ListPage:
    """One page of a list and its meta (total exact, or estimated past COUNT_CAP)."""

    items: list[Any]
    page: int
    page_size: int
    total: int
    total_exact: bool = True

    @property
    def meta(self) -> dict[str, Any]:
        pages = math.ceil(self.total / self.page_size) if self.total else 0
        return {
            "page": self.page,
            "page_size": self.page_size,
            "total": self.total,
            "pages": pages,
            "total_exact": self.total_exact,
        }


@dataclass(frozen=True)
class OrderFilters:
    """The filters of GET /orders (all optional, combined with AND)."""

    date_from: date | None = None
    date_to: date | None = None
    section: str | None = None
    id: uuid.UUID | None = None
    status: str | None = None
    client_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None
    supplier_id: uuid.UUID | None = None
    stock_status: str | None = None


@dataclass(frozen=True)
class OrderCriteria:
    """What a list asks of an order (`order`) and of its items (product, section, suppliers)."""

    order: tuple[ColumnElement[bool], ...]
    product_id: uuid.UUID | None = None
    section: str | None = None
    # Usually one: the filter or the calling supplier's scope (both must hold when they differ).
    supplier_ids: tuple[uuid.UUID, ...] = ()


# -- clients ----------------------------------------------------------------------------


def list_clients(
    session: Session,
    actor: Actor,
    *,
    name: str | None = None,
    email: str | None = None,
    document: str | None = None,
    page: int = 1,
    page_size: int = 20,
) -> ListPage:
    """Live clients by name; a `client` sees only its own record."""
    only = ensure_may_list_clients(actor)
    conditions: list[ColumnElement[bool]] = [Client.deleted_at.is_(None)]
    if only is not None:
        conditions.append(Client.id == only)
    if name:
        conditions.append(Client.name.ilike(f"%{_escape_like(name)}%", escape="\\"))
    if email:
        conditions.append(Client.email.ilike(f"%{_escape_like(email.lower())}%", escape="\\"))
    if document:
        conditions.append(Client.document.like(f"{_escape_like(document)}%", escape="\\"))
    total, exact = _count_rows(session, select(Client.id).where(*conditions))
    rows = session.scalars(
        select(Client)
        .where(*conditions)
        .order_by(Client.name, Client.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return ListPage(list(rows), page, page_size, total, exact)


def get_client(session: Session, actor: Actor, client_id: uuid.UUID) -> Client:
    """A live client (404 when missing or deleted; 403 for another client's user)."""
    client = session.scalar(
        select(Client).where(Client.id == client_id, Client.deleted_at.is_(None))
    )
    if client is None:
        raise ClientNotFound()
    ensure_may_read_client(actor, client.id)
    return client


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# -- one order --------------------------------------------------------------------------


def get_order(session: Session, actor: Actor, order_id: uuid.UUID) -> dict[str, Any]:
    """The order in full: items, client, status history, stock status and shortages."""
    order = _visible_order(session, actor, order_id)
    client = session.get(Client, order.client_id) if order.client_id else None
    history = session.scalars(
        select(OrderStatusChange)
        .where(OrderStatusChange.order_id == order.id)
        .order_by(OrderStatusChange.id)
    ).all()
    return order_detail(
        order_values(order),
        [item_values(item) for item in order.items],
        client=client,
        history=[status_change_view(change) for change in history],
        shortages=order.stock_shortages,
    )


def order_detail(
    order: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    *,
    client: Client | None,
    history: Sequence[Mapping[str, Any]],
    shortages: Sequence[Mapping[str, Any]] | None,
) -> dict[str, Any]:
    """An order in full (values as lists read them), its client and its status history."""
    detail = order_summary(order, items, client_name=client.name if client else None, details=True)
    detail["client"] = _client_brief(client) if client else None
    detail["shortages"] = list(shortages or [])
    detail["status_history"] = list(history)
    return detail


def status_change_view(change: OrderStatusChange) -> dict[str, Any]:
    """One status_history entry."""
    return {
        "from": change.from_status,
        "to": change.to_status,
        "at": change.changed_at,
        "by": change.changed_by,
        "by_role": change.changed_by_role,
        "note": change.note,
    }


def list_order_items(session: Session, actor: Actor, order_id: uuid.UUID) -> list[dict[str, Any]]:
    """The lines of an order the caller may see."""
    order = _visible_order(session, actor, order_id)
    return [item_view(item_values(item), details=True) for item in order.items]


def _visible_order(session: Session, actor: Actor, order_id: uuid.UUID) -> Order:
    order = session.scalar(select(Order).where(Order.id == order_id, Order.deleted_at.is_(None)))
    if order is None:
        raise OrderNotFound()
    ensure_may_view(actor, order.facts())
    return order


# -- order lists ------------------------------------------------------------------------


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
    return _order_page(
        session, criteria, page=page, page_size=page_size, sort=sort, details=with_details
    )


def client_orders(
    session: Session,
    actor: Actor,
    client_id: uuid.UUID,
    *,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    summary: bool = False,
    page: int = 1,
    page_size: int = 20,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A client's orders (deleted clients too: their history stays) and, on demand, a summary."""
    ensure_may_read_client_orders(actor, client_id)
    client = session.get(Client, client_id)
    if client is None:
        raise ClientNotFound()
    criteria = order_criteria(
        OrderFilters(status=status, date_from=date_from, date_to=date_to, client_id=client_id)
    )
    orders = _order_page(session, criteria, page=page, page_size=page_size, details=True)
    data: dict[str, Any] = {
        "client": {"id": client.id, "name": client.name, "deleted": client.deleted_at is not None},
        "period": {"date_from": date_from, "date_to": date_to},
        "orders": orders.items,
    }
    if summary:
        data["summary"] = _client_summary(session, live_conditions(criteria))
    return data, orders.meta


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
    orders = _order_page(session, criteria, page=page, page_size=page_size, details=True)
    summary = _supplier_summary(session, live_conditions(criteria), supplier_id)
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


def _day_start(day: date) -> datetime:
    """Midnight of `day` in Brazil: dates in filters are the users' calendar days."""
    return datetime.combine(day, time.min, tzinfo=BUSINESS_TIMEZONE)


def order_criteria(
    filters: OrderFilters,
    *,
    client_id: uuid.UUID | None = None,
    supplier_id: uuid.UUID | None = None,
) -> OrderCriteria:
    """The filters plus the caller's scope (its client, or its supplier), as criteria."""
    conditions: list[ColumnElement[bool]] = []
    if filters.id is not None:
        conditions.append(Order.id == filters.id)
    if filters.status:
        conditions.append(Order.status == filters.status)
    if filters.stock_status:
        conditions.append(Order.stock_status == filters.stock_status)
    for client in {filters.client_id, client_id} - {None}:
        conditions.append(Order.client_id == client)
    if filters.date_from is not None:
        conditions.append(Order.created_at >= _day_start(filters.date_from))
    if filters.date_to is not None:
        conditions.append(Order.created_at < _day_start(filters.date_to + timedelta(days=1)))
    suppliers = sorted({s for s in (filters.supplier_id, supplier_id) if s is not None})
    return OrderCriteria(
        order=tuple(conditions),
        product_id=filters.product_id,
        section=filters.section.strip().lower() if filters.section else None,
        supplier_ids=tuple(suppliers),
    )


# Aliases built once, at import: an alias made per request re-adapts every column it is
# used with (most of a filtered list's CPU). Subqueries alias orders (and the item walk
# aliases order_items) so they never correlate with the outer query's table.
_ADDRESSED = aliased(Order)
_ITEM = aliased(OrderItem)


def _orders_of_supplier(supplier_id: uuid.UUID) -> Select[Any]:
    """Ids of the orders with a line of the supplier's products, or addressed to it."""
    return union(
        select(OrderItem.order_id).where(OrderItem.supplier_id == supplier_id),
        select(_ADDRESSED.id).where(_ADDRESSED.supplier_id == supplier_id),
    )


def _semi_joins(criteria: OrderCriteria, order_id: Any, *, driven_by: str = "") -> list[Any]:
    """The item criteria as conditions on `order_id`, except the one driving the walk."""
    conditions: list[Any] = []
    if criteria.product_id is not None and driven_by != "product":
        conditions.append(
            order_id.in_(
                select(OrderItem.order_id).where(OrderItem.product_id == criteria.product_id)
            )
        )
    if criteria.section and driven_by != "section":
        conditions.append(
            order_id.in_(
                select(OrderItem.order_id).where(func.lower(OrderItem.section) == criteria.section)
            )
        )
    for index, supplier_id in enumerate(criteria.supplier_ids):
        if not (driven_by == "supplier" and index == 0):
            conditions.append(order_id.in_(_orders_of_supplier(supplier_id)))
    return conditions


def live_conditions(criteria: OrderCriteria) -> list[Any]:
    """Every criterion as a condition on Order: for aggregates and estimates."""
    return [Order.deleted_at.is_(None), *criteria.order, *_semi_joins(criteria, Order.id)]


def _in_order(created: Any, ident: Any, descending: bool) -> tuple[Any, Any]:
    return (created.desc(), ident.desc()) if descending else (created.asc(), ident.asc())


def _streams(criteria: OrderCriteria, *, descending: bool, limit: int) -> list[Select[Any]]:
    """(id, created_at) of the first `limit` matching orders, each from the best index.

    With an item criterion the walk goes down the items' (…, order_created_at DESC,
    order_id DESC) WHERE order_live index and touches orders only for order-level filters:
    it stops after `limit` orders however many the product, section or supplier has.
    Otherwise the orders' own indexes do the same. A supplier's orders are two walks: its
    products' lines, and orders addressed to it.
    """
    if criteria.product_id is not None:
        kind, value = "product", criteria.product_id
    elif criteria.supplier_ids:
        kind, value = "supplier", criteria.supplier_ids[0]
    elif criteria.section:
        kind, value = "section", criteria.section
    else:
        return [
            select(Order.id.label("id"), Order.created_at.label("created_at"))
            .where(*live_conditions(criteria))
            .order_by(*_in_order(Order.created_at, Order.id, descending))
            .limit(limit)
        ]
    item = _ITEM
    match = {
        "product": item.product_id == value,
        "supplier": item.supplier_id == value,
        "section": func.lower(item.section) == value,
    }[kind]
    lines = select(item.order_id.label("id"), item.order_created_at.label("created_at")).where(
        item.order_live, match, *_semi_joins(criteria, item.order_id, driven_by=kind)
    )
    if criteria.order:
        lines = lines.join(Order, Order.id == item.order_id).where(*criteria.order)
    lines = lines.order_by(*_in_order(item.order_created_at, item.order_id, descending))
    if kind != "product":  # a product is on an order once; a section or supplier may repeat
        lines = lines.distinct(item.order_created_at, item.order_id)
    streams = [lines.limit(limit)]
    if kind == "supplier":
        streams.append(
            select(Order.id.label("id"), Order.created_at.label("created_at"))
            .where(
                Order.supplier_id == value,
                Order.deleted_at.is_(None),
                *criteria.order,
                *_semi_joins(criteria, Order.id, driven_by=kind),
            )
            .order_by(*_in_order(Order.created_at, Order.id, descending))
            .limit(limit)
        )
    return streams


def _matching_ids(criteria: OrderCriteria, *, sort: str, limit: int) -> Select[Any]:
    """The ids of the first `limit` matching orders in `sort` order."""
    key, descending = sort.lstrip("-"), sort.startswith("-")
    if key != "created_at":
        # Not index-backed: sorting by number or total reads every match (fine when filtered).
        column = {"number": Order.number, "total": Order.total}[key]
        keys = (column, Order.created_at, Order.id)
        return (
            select(Order.id.label("id"))
            .where(*live_conditions(criteria))
            .order_by(*(k.desc() if descending else k.asc() for k in keys))
            .limit(limit)
        )
    streams = _streams(criteria, descending=descending, limit=limit)
    merged = (streams[0] if len(streams) == 1 else union(*streams)).subquery()
    return (
        select(merged.c.id)
        .order_by(*_in_order(merged.c.created_at, merged.c.id, descending))
        .limit(limit)
    )


ORDER_COLUMNS = (
    Order.id,
    Order.number,
    Order.type,
    Order.client_id,
    Order.supplier_id,
    Order.status,
    Order.stock_status,
    Order.order_version,
    Order.total,
    Order.notes,
    Order.desired_delivery_date,
    Order.cancel_reason,
    Order.created_by,
    Order.created_at,
    Order.updated_at,
    Order.approved_at,
)
ITEM_COLUMNS = (
    OrderItem.id,
    OrderItem.product_id,
    OrderItem.quantity,
    OrderItem.unit_price,
    OrderItem.line_total,
    OrderItem.supplier_id,
    OrderItem.product_name,
    OrderItem.unit,
    OrderItem.section,
    OrderItem.category,
    OrderItem.supplier_name,
)


def _order_page(
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
    matching = _matching_ids(criteria, sort=sort, limit=offset + page_size).subquery()
    ids = list(session.scalars(select(matching.c.id).offset(offset)))
    if not ids:
        return ListPage([], page, page_size, total, exact)
    # Plain rows, not ORM objects: a page is read, never changed. Two queries, whatever the
    # page size: the orders by primary key, then all their items at once.
    client_name = Client.name if details else literal_column("NULL")
    orders = {
        row.id: row
        for row in session.execute(
            select(*ORDER_COLUMNS, client_name.label("client_name"))
            .outerjoin(Client, Client.id == Order.client_id)
            .where(Order.id.in_(ids))
        ).mappings()
    }
    lines: dict[uuid.UUID, list[Any]] = {order_id: [] for order_id in orders}
    for line in session.execute(
        select(OrderItem.order_id.label("order_id"), *ITEM_COLUMNS)
        .where(OrderItem.order_id.in_(ids))
        .order_by(OrderItem.order_id, OrderItem.position)
    ).mappings():
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
        select(func.count()).select_from(
            _matching_ids(criteria, sort="-created_at", limit=COUNT_CAP + 1).subquery()
        )
    )
    if capped is None or capped <= COUNT_CAP:
        return int(capped or 0), True
    estimate = _estimated_rows(session, select(Order.id).where(*live_conditions(criteria)))
    return max(estimate, COUNT_CAP + 1), False


def _count_rows(session: Session, stmt: Select[Any]) -> tuple[int, bool]:
    """Rows of `stmt`: exact up to COUNT_CAP, then the planner's estimate."""
    capped = session.scalar(
        select(func.count()).select_from(stmt.order_by(None).limit(COUNT_CAP + 1).subquery())
    )
    if capped is None or capped <= COUNT_CAP:
        return int(capped or 0), True
    return max(_estimated_rows(session, stmt), COUNT_CAP + 1), False


def _estimated_rows(session: Session, stmt: Select[Any]) -> int:
    """The planner's row estimate for `stmt` (EXPLAIN, which runs nothing)."""
    try:
        # Values are our own validated filters (UUIDs, dates, status names), rendered by
        # SQLAlchemy's literal processors, which quote and escape them.
        sql = stmt.order_by(None).compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )
        # exec_driver_sql without parameters: no bind-marker parsing of the rendered values.
        plan = session.connection().exec_driver_sql(f"EXPLAIN (FORMAT JSON) {sql}").scalar_one()
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])
    except Exception:  # an estimate is a nicety: never fail a list over it
        log.warning("row estimate failed", exc_info=True)
        return COUNT_CAP + 1


# -- summaries --------------------------------------------------------------------------


def _client_summary(session: Session, conditions: Sequence[ColumnElement[bool]]) -> dict[str, Any]:
    total_orders, total_value = session.execute(
        select(func.count(), func.coalesce(func.sum(Order.total), 0)).where(*conditions)
    ).one()
    by_status = dict.fromkeys(STATUS_NAMES, 0)
    for status, count in session.execute(
        select(Order.status, func.count()).where(*conditions).group_by(Order.status)
    ):
        by_status[status] = count
    latest_name = func.array_agg(
        aggregate_order_by(OrderItem.product_name, OrderItem.created_at.desc())
    )[1]
    top = session.execute(
        select(
            OrderItem.product_id,
            latest_name.label("name"),
            func.count(OrderItem.order_id).label("orders"),
            func.sum(OrderItem.quantity).label("quantity"),
        )
        .join(Order, Order.id == OrderItem.order_id)
        .where(*conditions)
        .group_by(OrderItem.product_id)
        .order_by(
            func.count(OrderItem.order_id).desc(),
            func.sum(OrderItem.quantity).desc(),
            OrderItem.product_id,
        )
        .limit(1)
    ).first()
    return {
        "total_orders": total_orders,
        "total_value": Decimal(total_value),
        "by_status": by_status,
        "top_product": (
            {
                "product_id": top.product_id,
                "name": top.name,
                "orders": top.orders,
                "quantity": int(top.quantity),
            }
            if top
            else None
        ),
    }


def _supplier_summary(
    session: Session, conditions: Sequence[ColumnElement[bool]], supplier_id: uuid.UUID
) -> dict[str, Any]:
    total_orders, clients_served = session.execute(
        select(func.count(), func.count(func.distinct(Order.client_id))).where(*conditions)
    ).one()
    # What this supplier supplied: its own lines (or every line of an order addressed to it).
    supplied = and_(
        *conditions, (OrderItem.supplier_id == supplier_id) | (Order.supplier_id == supplier_id)
    )
    total_value, products = session.execute(
        select(
            func.coalesce(func.sum(OrderItem.line_total), 0),
            func.count(func.distinct(OrderItem.product_id)),
        )
        .join(Order, Order.id == OrderItem.order_id)
        .where(supplied)
    ).one()
    return {
        "total_orders": total_orders,
        "total_value": Decimal(total_value),
        "clients_served": clients_served,
        "products_supplied": products,
    }


# -- shapes -----------------------------------------------------------------------------


def order_values(order: Order) -> dict[str, Any]:
    """An ORM order as the plain values lists read from rows."""
    return {column.key: getattr(order, column.key) for column in ORDER_COLUMNS}


def item_values(item: OrderItem) -> dict[str, Any]:
    return {column.key: getattr(item, column.key) for column in ITEM_COLUMNS}


def item_view(item: Mapping[str, Any], *, details: bool) -> dict[str, Any]:
    """One order line; names (product, unit, section, supplier) only with details."""
    view: dict[str, Any] = {"id": item["id"], "product_id": item["product_id"]}
    if details:
        view.update(
            product_name=item["product_name"],
            unit=item["unit"],
            section=item["section"],
            category=item["category"],
        )
    view["supplier_id"] = item["supplier_id"]
    if details:
        view["supplier_name"] = item["supplier_name"]
    view.update(
        quantity=item["quantity"], unit_price=item["unit_price"], line_total=item["line_total"]
    )
    return view


def order_summary(
    order: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    *,
    client_name: str | None,
    details: bool,
) -> dict[str, Any]:
    """An order as lists show it (details: client, product and supplier names).

    Keys in the order of OrderSummarySchema: GET /orders writes these dicts as they are.
    """
    summary: dict[str, Any] = {
        "id": order["id"],
        "number": order["number"],
        "type": order["type"],
        "client_id": order["client_id"],
    }
    if details:
        summary["client_name"] = client_name
    summary.update(
        supplier_id=order["supplier_id"],
        status=order["status"],
        stock_status=order["stock_status"],
        order_version=order["order_version"],
        total=order["total"],
        item_count=len(items),
        notes=order["notes"],
        desired_delivery_date=order["desired_delivery_date"],
        cancel_reason=order["cancel_reason"],
        created_by=order["created_by"],
        created_at=order["created_at"],
        updated_at=order["updated_at"],
        approved_at=order["approved_at"],
        items=[item_view(item, details=details) for item in items],
    )
    return summary


def _client_brief(client: Client) -> dict[str, Any]:
    return {
        "id": client.id,
        "name": client.name,
        "email": client.email,
        "document": client.document,
        "phone": client.phone,
        "address": client.address,
        "deleted": client.deleted_at is not None,
    }
