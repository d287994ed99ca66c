"""The filters of an order list as SQL: conditions, and the index walks that find one page.

Every filter walks an index that already keeps the newest-first order and stops after one
page (item filters walk the items' indexes, which carry the order's created_at). Statements
are built once per shape of criteria; a request only binds its values.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, String, bindparam, func, select, union
from sqlalchemy.orm import aliased

from order_service.models import Order, OrderItem
from shared.clock import start_of_business_day


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
def page_ids_statement(shape: CriteriaShape, sort: str) -> Select[Any]:
    """The ids of one page: `limit` (offset + page size) matches from `offset` on."""
    matching = _matching_ids(shape, sort=sort).subquery()
    return select(matching.c.id).offset(_OFFSET)


@lru_cache(maxsize=1024)
def capped_count_statement(shape: CriteriaShape) -> Select[Any]:
    """How many orders match, counting up to `limit` (the same index walk as the page)."""
    return select(func.count()).select_from(_matching_ids(shape, sort="-created_at").subquery())
