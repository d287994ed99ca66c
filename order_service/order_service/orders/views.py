"""An order as the API shows it: in a list (order_summary, from plain row values) or in full
(get_order, order_detail), and its lines. Reads never change anything.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from order_service.clients.records import ClientCard
from order_service.domain.access import Actor
from order_service.domain.errors import OrderNotFound
from order_service.domain.lifecycle import allowed_transitions
from order_service.domain.scope import ensure_may_view
from order_service.domain.statuses import OrderStatus
from order_service.models import Client, Order, OrderItem, OrderStatusChange

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
    client: Client | ClientCard | None,
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


def _client_brief(client: Client | ClientCard) -> dict[str, Any]:
    return {
        "id": client.id,
        "name": client.name,
        "email": client.email,
        "document": client.document,
        "phone": client.phone,
        "address": client.address,
        "deleted": client.deleted_at is not None,
    }
