"""The read side of clients: the list, one client, a client's orders or their summary."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from order_service.domain.access import (
    Actor,
    ensure_may_list_clients,
    ensure_may_read_client,
    ensure_may_read_client_orders,
)
from order_service.domain.errors import ClientNotFound
from order_service.domain.statuses import STATUS_NAMES
from order_service.models import Client, Order, OrderItem
from order_service.orders.criteria import (
    OrderCriteria,
    OrderFilters,
    live_conditions,
    order_criteria,
)
from order_service.orders.lists import order_page
from order_service.pages import ListPage, count_rows
from order_service.reports.period import volume


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
    total, exact = count_rows(session, select(Client.id).where(*conditions))
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
    orders = order_page(session, criteria, page=page, page_size=page_size, details=True)
    data["orders"] = orders.items
    return data, orders.meta


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
