"""An order's lifecycle: its details and status changed, moved along TRANSITIONS, deleted.

Each locks the order row first. A status change writes its history row and its
`order.status_changed` event in the same transaction; a deletion sends the same event with
`deleted` true.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from order_service.domain.access import Actor
from order_service.domain.errors import OrderNotFound
from order_service.domain.lifecycle import check_transition
from order_service.domain.scope import ensure_may_delete, ensure_may_edit
from order_service.domain.statuses import OrderStatus
from order_service.models import Order, OrderStatusChange
from order_service.orders.events import record_status_changed
from order_service.orders.placement import ensure_delivery_date_not_past
from shared import clock
from shared.db import unit_of_work


def update_order(
    *,
    session: Session,
    actor: Actor,
    order_id: uuid.UUID,
    changes: Mapping[str, Any],
    request_id: str | None = None,
) -> Order:
    """Change notes / desired delivery date and/or move the order along its lifecycle.

    The order row is locked, so a status change and a concurrent item edit or stock reply
    are applied one after the other (approval sees the stock status of that moment).
    """
    with unit_of_work(session):
        order = lock_live_order(session, order_id)
        facts = order.facts()
        edits = {k: changes[k] for k in ("notes", "desired_delivery_date") if k in changes}
        if edits:
            ensure_may_edit(actor, facts)
            desired = edits.get("desired_delivery_date")
            if desired is not None and desired != order.desired_delivery_date:
                ensure_delivery_date_not_past(desired)
            for name, value in edits.items():
                setattr(order, name, value)
        now = clock.now()
        if changes.get("status") is not None:
            move_order(
                session,
                order,
                OrderStatus(changes["status"]),
                actor=actor,
                at=now,
                note=changes.get("note"),
                cancel_reason=changes.get("cancel_reason"),
                request_id=request_id,
            )
        order.updated_at = now
        return order


def move_order(
    session: Session,
    order: Order,
    target: OrderStatus,
    *,
    actor: Actor,
    at: datetime,
    note: str | None = None,
    cancel_reason: str | None = None,
    request_id: str | None = None,
) -> OrderStatus:
    """Move a locked order to `target` (lifecycle and permission checked first), with its
    history row and its event, in the caller's transaction. Returns the previous status.

    The one way an order's status changes on request: PUT /orders/{id} and the bulk change.
    """
    check_transition(order=order.facts(), target=target, actor=actor)
    previous = OrderStatus(order.status)
    order.status = target
    order.updated_at = at
    if target == OrderStatus.APPROVED:
        order.approved_at = at
    if target == OrderStatus.CANCELLED:
        order.cancel_reason = cancel_reason
    session.add(
        OrderStatusChange(
            order_id=order.id,
            from_status=previous,
            to_status=target,
            changed_at=at,
            changed_by=actor.subject,
            changed_by_role=actor.role,
            note=note,
        )
    )
    record_status_changed(
        session, order, previous=previous, actor=actor, at=at, request_id=request_id
    )
    return previous


def delete_order(
    *, session: Session, actor: Actor, order_id: uuid.UUID, request_id: str | None = None
) -> Order:
    """Hide an order from lists and reports (admin, staff); the stock releases what it held."""
    ensure_may_delete(actor)
    with unit_of_work(session):
        order = lock_live_order(session, order_id)
        now = clock.now()
        order.deleted_at = now
        order.deleted_by = actor.subject
        order.updated_at = now
        for item in order.items:
            item.order_live = False
        status = OrderStatus(order.status)
        record_status_changed(
            session,
            order,
            previous=status,
            actor=actor,
            at=now,
            request_id=request_id,
            deleted=True,
        )
        return order


def live_order(session: Session, order_id: uuid.UUID) -> Order:
    order = session.scalar(select(Order).where(Order.id == order_id, Order.deleted_at.is_(None)))
    if order is None:
        raise OrderNotFound()
    return order


def lock_live_order(session: Session, order_id: uuid.UUID) -> Order:
    order = session.scalar(
        select(Order)
        .where(Order.id == order_id, Order.deleted_at.is_(None))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if order is None:
        raise OrderNotFound()
    return order
