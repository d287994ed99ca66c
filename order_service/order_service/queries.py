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
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    func,
    literal_column,
    select,
    union,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.visitors import InternalTraversal

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
    OrderStatus,
    allowed_transitions,
    client_scope,
    ensure_list_filters_in_scope,
    ensure_may_view,
)
from order_service.models import Client, Order, OrderItem, OrderStatusChange
from order_service.reports.period import volume
from order_service.stock_catalogue import StockCatalogue, StockUnavailable
from shared.clock import start_of_business_day

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
class CriteriaShape:
    """Which conditions a list has, without their values: statements are built once per shape.

    `order` names the order-level conditions (see _ORDER_CONDITIONS); the item conditions
    are a product, a section, and suppliers (usually one: the filter or the calling
    supplier's scope; both must hold when they differ). The values are bound at execution.
    """

    order: tuple[str, ...] = ()
    product: bool = False
    section: bool = False
    suppliers: int = 0


@dataclass(frozen=True)
class OrderCriteria:
    """What a list asks of an order and of its items: the shape and the values to bind."""

    shape: CriteriaShape
    params: Mapping[str, Any] = field(default_factory=dict)


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
        allowed=allowed_transitions(actor, order.facts()),
    )


def order_detail(
    order: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    *,
    client: Client | None,
    history: Sequence[Mapping[str, Any]],
    shortages: Sequence[Mapping[str, Any]] | None,
    allowed: Sequence[OrderStatus],
) -> dict[str, Any]:
    """An order in full (values as lists read them), its client, its status history and the
    statuses the caller may move it to."""
    detail = order_summary(order, items, client_name=client.name if client else None, details=True)
    detail["client"] = _client_brief(client) if client else None
    detail["shortages"] = list(shortages or [])
    detail["status_history"] = list(history)
    detail["allowed_transitions"] = [status.value for status in allowed]
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
    """A client's orders (deleted clients too: their history stays), or with `summary` only
    their summary (requirement 003: `resumo=true` "retorna apenas resumo estatístico")."""
    ensure_may_read_client_orders(actor, client_id)
    client = session.get(Client, client_id)
    if client is None:
        raise ClientNotFound()
    criteria = order_criteria(
        OrderFilters(status=status, date_from=date_from, date_to=date_to, client_id=client_id)
    )
    data: dict[str, Any] = {
        "client": {"id": client.id, "name": client.name, "deleted": client.deleted_at is not None},
        "period": {"date_from": date_from, "date_to": date_to},
    }
    if summary:
        data["summary"] = _client_summary(session, criteria)
        return data, None
    orders = _order_page(session, criteria, page=page, page_size=page_size, details=True)
    data["orders"] = orders.items
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


def order_criteria(
    filters: OrderFilters,
    *,
    client_id: uuid.UUID | None = None,
    supplier_id: uuid.UUID | None = None,
) -> OrderCriteria:
    """The filters plus the caller's scope (its client, or its supplier), as criteria."""
    order: list[str] = []
    params: dict[str, Any] = {}
    for name in ("id", "status", "stock_status"):
        value = getattr(filters, name)
        if value:
            order.append(name)
            params[name] = value
    for index, client in enumerate(sorted({filters.client_id, client_id} - {None})):
        order.append(f"client_{index}")
        params[f"client_{index}"] = client
    if filters.date_from is not None:
        order.append("date_from")
        params["date_from"] = start_of_business_day(filters.date_from)
    if filters.date_to is not None:
        order.append("date_to")
        params["date_to"] = start_of_business_day(filters.date_to + timedelta(days=1))
    if filters.product_id is not None:
        params["product_id"] = filters.product_id
    section = filters.section.strip().lower() if filters.section else None
    if section:
        params["section"] = section
    suppliers = sorted({s for s in (filters.supplier_id, supplier_id) if s is not None})
    for index, supplier in enumerate(suppliers):
        params[f"supplier_{index}"] = supplier
    shape = CriteriaShape(
        order=tuple(order),
        product=filters.product_id is not None,
        section=bool(section),
        suppliers=len(suppliers),
    )
    return OrderCriteria(shape, params)


# Order-level conditions by name; each compares with the bound value of the same name.
_ORDER_CONDITIONS: Mapping[str, ColumnElement[bool]] = {
    "id": Order.id == bindparam("id"),
    "status": Order.status == bindparam("status"),
    "stock_status": Order.stock_status == bindparam("stock_status"),
    "client_0": Order.client_id == bindparam("client_0"),
    "client_1": Order.client_id == bindparam("client_1"),
    "date_from": Order.created_at >= bindparam("date_from"),
    "date_to": Order.created_at < bindparam("date_to"),
}
_LIMIT = bindparam("limit", type_=Integer)
# Typed: lower(section) has no type to lend it (the estimate renders values inline).
_SECTION = bindparam("section", type_=String)
_OFFSET = bindparam("offset", type_=Integer)

# Aliases built once, at import: an alias made per request re-adapts every column it is
# used with (most of a filtered list's CPU). Subqueries alias orders (and the item walk
# aliases order_items) so they never correlate with the outer query's table.
_ADDRESSED = aliased(Order)
_ITEM = aliased(OrderItem)


def _order_conditions(shape: CriteriaShape) -> list[ColumnElement[bool]]:
    return [_ORDER_CONDITIONS[name] for name in shape.order]


def _orders_of_supplier(index: int) -> Select[Any]:
    """Ids of the orders with a line of the supplier's products, or addressed to it."""
    supplier_id = bindparam(f"supplier_{index}")
    return union(
        select(OrderItem.order_id).where(OrderItem.supplier_id == supplier_id),
        select(_ADDRESSED.id).where(_ADDRESSED.supplier_id == supplier_id),
    )


def _semi_joins(shape: CriteriaShape, order_id: Any, *, driven_by: str = "") -> list[Any]:
    """The item criteria as conditions on `order_id`, except the one driving the walk."""
    conditions: list[Any] = []
    if shape.product and driven_by != "product":
        conditions.append(
            order_id.in_(
                select(OrderItem.order_id).where(OrderItem.product_id == bindparam("product_id"))
            )
        )
    if shape.section and driven_by != "section":
        conditions.append(
            order_id.in_(
                select(OrderItem.order_id).where(func.lower(OrderItem.section) == _SECTION)
            )
        )
    for index in range(shape.suppliers):
        if not (driven_by == "supplier" and index == 0):
            conditions.append(order_id.in_(_orders_of_supplier(index)))
    return conditions


def live_conditions(shape: CriteriaShape) -> list[Any]:
    """Every criterion as a condition on Order: for aggregates and estimates."""
    return [Order.deleted_at.is_(None), *_order_conditions(shape), *_semi_joins(shape, Order.id)]


def _in_order(created: Any, ident: Any, descending: bool) -> tuple[Any, Any]:
    return (created.desc(), ident.desc()) if descending else (created.asc(), ident.asc())


def _streams(shape: CriteriaShape, *, descending: bool) -> list[Select[Any]]:
    """(id, created_at) of the first `limit` matching orders, each from the best index.

    With an item criterion the walk goes down the items' (…, order_created_at DESC,
    order_id DESC) WHERE order_live index and touches orders only for order-level filters:
    it stops after `limit` orders however many the product, section or supplier has.
    Otherwise the orders' own indexes do the same. A supplier's orders are two walks: its
    products' lines, and orders addressed to it.
    """
    if shape.product:
        kind, value = "product", bindparam("product_id")
    elif shape.suppliers:
        kind, value = "supplier", bindparam("supplier_0")
    elif shape.section:
        kind, value = "section", _SECTION
    else:
        return [
            select(Order.id.label("id"), Order.created_at.label("created_at"))
            .where(*live_conditions(shape))
            .order_by(*_in_order(Order.created_at, Order.id, descending))
            .limit(_LIMIT)
        ]
    item = _ITEM
    match = {
        "product": lambda: item.product_id == value,
        "supplier": lambda: item.supplier_id == value,
        "section": lambda: func.lower(item.section) == value,
    }[kind]()
    order_conditions = _order_conditions(shape)
    lines = select(item.order_id.label("id"), item.order_created_at.label("created_at")).where(
        item.order_live, match, *_semi_joins(shape, item.order_id, driven_by=kind)
    )
    if order_conditions:
        lines = lines.join(Order, Order.id == item.order_id).where(*order_conditions)
    lines = lines.order_by(*_in_order(item.order_created_at, item.order_id, descending))
    if kind != "product":  # a product is on an order once; a section or supplier may repeat
        lines = lines.distinct(item.order_created_at, item.order_id)
    streams = [lines.limit(_LIMIT)]
    if kind == "supplier":
        streams.append(
            select(Order.id.label("id"), Order.created_at.label("created_at"))
            .where(
                Order.supplier_id == value,
                Order.deleted_at.is_(None),
                *order_conditions,
                *_semi_joins(shape, Order.id, driven_by=kind),
            )
            .order_by(*_in_order(Order.created_at, Order.id, descending))
            .limit(_LIMIT)
        )
    return streams


def _matching_ids(shape: CriteriaShape, *, sort: str) -> Select[Any]:
    """The ids of the first `limit` (bound) matching orders in `sort` order."""
    key, descending = sort.lstrip("-"), sort.startswith("-")
    if key != "created_at":
        # Not index-backed: sorting by number or total reads every match (fine when filtered).
        column = {"number": Order.number, "total": Order.total}[key]
        keys = (column, Order.created_at, Order.id)
        return (
            select(Order.id.label("id"))
            .where(*live_conditions(shape))
            .order_by(*(k.desc() if descending else k.asc() for k in keys))
            .limit(_LIMIT)
        )
    streams = _streams(shape, descending=descending)
    merged = (streams[0] if len(streams) == 1 else union(*streams)).subquery()
    return (
        select(merged.c.id)
        .order_by(*_in_order(merged.c.created_at, merged.c.id, descending))
        .limit(_LIMIT)
    )


# Statements per shape, built on first use: a request only binds its values, and the
# compiled form comes from SQLAlchemy's cache (building them was most of a list's CPU).
@lru_cache(maxsize=1024)
def _page_ids_statement(shape: CriteriaShape, sort: str) -> Select[Any]:
    """The ids of one page: `limit` (offset + page size) matches from `offset` on."""
    matching = _matching_ids(shape, sort=sort).subquery()
    return select(matching.c.id).offset(_OFFSET)


@lru_cache(maxsize=1024)
def _capped_count_statement(shape: CriteriaShape) -> Select[Any]:
    """How many orders match, counting up to `limit` (the same index walk as the page)."""
    return select(func.count()).select_from(_matching_ids(shape, sort="-created_at").subquery())


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
    ids = list(
        session.scalars(
            _page_ids_statement(criteria.shape, sort),
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
        _capped_count_statement(criteria.shape), {**criteria.params, "limit": COUNT_CAP + 1}
    )
    if capped is None or capped <= COUNT_CAP:
        return int(capped or 0), True
    estimate = _estimated_rows(session, _live_ids_explained(criteria.shape), criteria.params)
    return max(estimate, COUNT_CAP + 1), False


@lru_cache(maxsize=1024)
def _live_ids_explained(shape: CriteriaShape) -> _Explain:
    return _Explain(select(Order.id).where(*live_conditions(shape)))


def _count_rows(session: Session, stmt: Select[Any]) -> tuple[int, bool]:
    """Rows of `stmt`: exact up to COUNT_CAP, then the planner's estimate."""
    capped = session.scalar(
        select(func.count()).select_from(stmt.order_by(None).limit(COUNT_CAP + 1).subquery())
    )
    if capped is None or capped <= COUNT_CAP:
        return int(capped or 0), True
    return max(_estimated_rows(session, _Explain(stmt.order_by(None))), COUNT_CAP + 1), False


class _Explain(Executable, ClauseElement):
    """EXPLAIN (FORMAT JSON) of a statement, which runs nothing.

    A statement of its own, so its values are bound parameters (never rendered into the
    SQL) and its compiled form is cached like any other statement's.
    """

    _traverse_internals = [("statement", InternalTraversal.dp_clauseelement)]
    inherit_cache = True

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement


@compiles(_Explain)
def _compile_explain(element: _Explain, compiler: Any, **kw: Any) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


def _estimated_rows(
    session: Session, explain: _Explain, params: Mapping[str, Any] | None = None
) -> int:
    """The planner's row estimate (the Plan Rows of the EXPLAIN)."""
    try:
        plan = session.execute(explain, dict(params or {})).scalar_one()
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])
    except Exception:  # an estimate is a nicety: never fail a list over it
        log.warning("row estimate failed", exc_info=True)
        return COUNT_CAP + 1


# -- summaries --------------------------------------------------------------------------


def _client_summary(session: Session, criteria: OrderCriteria) -> dict[str, Any]:
    """Totals as the reports count them (docs/reports.md): cancelled and returned orders are
    in `by_status` only, not in the orders, the value or the top product."""
    conditions, params = live_conditions(criteria.shape), criteria.params
    counted = volume()
    total_orders, total_value = session.execute(
        select(func.count(), func.coalesce(func.sum(Order.total), 0)).where(*conditions, counted),
        params,
    ).one()
    by_status = dict.fromkeys(STATUS_NAMES, 0)
    for status, count in session.execute(
        select(Order.status, func.count()).where(*conditions).group_by(Order.status), params
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
        .where(*conditions, counted)
        .group_by(OrderItem.product_id)
        .order_by(
            func.count(OrderItem.order_id).desc(),
            func.sum(OrderItem.quantity).desc(),
            OrderItem.product_id,
        )
        .limit(1),
        params,
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
