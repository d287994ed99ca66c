"""The events an order records: `order.created`, `order.items_changed`, `order.status_changed`.

Each is an outbox row written in the caller's transaction, with the change it announces
(never lost, never sent for a rolled-back change); the request's id is its correlation id
and its `x-request-id` header.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from order_service.config import SERVICE_NAME
from order_service.domain.access import Actor
from order_service.domain.statuses import OrderStatus, OrderType
from order_service.models import Order, outbox
from shared.events import EventData, OrderCreated, OrderLine, OrderStatusChanged, event_of
from shared.messaging.publisher import REQUEST_ID_HEADER
from shared.outbox import record_event


def event_lines(order: Order) -> list[OrderLine]:
    return [
        OrderLine(item.product_id, item.quantity)
        for item in sorted(order.items, key=lambda i: i.position)
    ]


def record_order_event(session: Session, data: EventData, request_id: str | None) -> None:
    record_event(
        session,
        outbox,
        event_of(data, source=SERVICE_NAME, correlation_id=request_id),
        headers={REQUEST_ID_HEADER: request_id} if request_id else None,
    )


def record_order_created(
    session: Session,
    order: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    request_id: str | None,
) -> None:
    record_order_event(session, order_created_data(order, items), request_id)


def order_created_data(
    order: Mapping[str, Any], items: Sequence[Mapping[str, Any]]
) -> OrderCreated:
    """The `order.created` event's data for a new order's rows (one shape for every producer)."""
    sale = order["type"] == OrderType.SALE
    return OrderCreated(
        order_id=order["id"],
        order_version=order["order_version"],
        order_type=OrderType(order["type"]).value,
        client_id=order["client_id"] if sale else None,
        supplier_id=None if sale else order["supplier_id"],
        items=[
            OrderLine(item["product_id"], item["quantity"])
            for item in sorted(items, key=lambda i: i["position"])
        ],
    )


def record_status_changed(
    session: Session,
    order: Order,
    *,
    previous: OrderStatus,
    actor: Actor,
    at: datetime,
    request_id: str | None,
    deleted: bool = False,
) -> None:
    record_order_event(
        session,
        OrderStatusChanged(
            order_id=order.id,
            order_version=order.order_version,
            order_type=OrderType(order.type).value,
            from_status=previous.value,
            to_status=OrderStatus(order.status).value,
            by=actor.subject,
            at=at,
            deleted=deleted,
            items=event_lines(order),
        ),
        request_id,
    )
