"""The order's side of the reservation saga: what the stock service's replies do to an order.

Each handler runs inside the consumer's transaction (`on_<event>(session, event)`; the
consumer claims the message id in `processed_messages` in the same transaction and commits).
They never commit themselves. Version-aware and idempotent: only a reply to the order's
current `order_version`, while it is still awaited, changes anything (domain rule
`stock_reply_applies`), so a stale, repeated or late reply is acknowledged and ignored.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from order_service.domain.orders import OrderStatus, StockStatus, stock_reply_applies
from order_service.models import Order
from shared.events import Event, InvalidEvent

log = logging.getLogger("pedidos.orders.saga")


def on_stock_reserved(session: Session, event: Event) -> None:
    """stock.reserved: the order's items are held for it → stock_status reserved."""
    order_id, version = _order_reference(event.data)
    _apply_reply(session, event, order_id, version, StockStatus.RESERVED, shortages=None)


def on_stock_rejected(session: Session, event: Event) -> None:
    """stock.rejected: some line was short → stock_status rejected, shortages kept on the order."""
    order_id, version = _order_reference(event.data)
    shortages = _shortages(event.data)
    _apply_reply(session, event, order_id, version, StockStatus.REJECTED, shortages=shortages)


def on_stock_low(session: Session, event: Event) -> None:
    """stock.low: acknowledged and logged; alerts and notifications come in a later issue."""
    log.info(
        "stock low",
        extra={
            "event_id": event.id,
            "product_id": event.data.get("product_id"),
            "available": event.data.get("available"),
            "ideal_quantity": event.data.get("ideal_quantity"),
        },
    )


def _apply_reply(
    session: Session,
    event: Event,
    order_id: uuid.UUID,
    version: int,
    outcome: StockStatus,
    *,
    shortages: list[dict[str, Any]] | None,
) -> None:
    # The row lock orders this reply with a concurrent item edit or status change.
    order = session.scalar(
        select(Order)
        .where(Order.id == order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    context = {"event_id": event.id, "order_id": str(order_id), "reply_version": version}
    if order is None:
        # Not ours (or removed for good): nothing to update, and retrying will not help.
        log.warning("stock reply for an unknown order ignored", extra=context)
        return
    if not stock_reply_applies(
        status=OrderStatus(order.status),
        stock_status=StockStatus(order.stock_status),
        order_version=order.order_version,
        reply_version=version,
        deleted=order.deleted_at is not None,
    ):
        log.info(
            "stock reply changes nothing (older version, already answered or order closed)",
            extra={
                **context,
                "order_version": order.order_version,
                "status": order.status,
                "stock_status": order.stock_status,
            },
        )
        return
    order.stock_status = outcome
    order.stock_shortages = shortages
    order.updated_at = datetime.now(UTC)
    log.info("order stock status updated", extra={**context, "stock_status": outcome.value})


def _order_reference(data: Mapping[str, Any]) -> tuple[uuid.UUID, int]:
    """order_id and order_version of a reply; a malformed one can never succeed."""
    try:
        order_id = uuid.UUID(str(data["order_id"]))
    except (KeyError, ValueError) as exc:
        raise InvalidEvent("stock reply without a valid order_id") from exc
    version = data.get("order_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidEvent("stock reply without a valid order_version")
    return order_id, version


def _shortages(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    raw = data.get("shortages")
    if not isinstance(raw, list):
        raise InvalidEvent("stock.rejected without a shortages list")
    shortages = []
    for item in raw:
        try:
            shortages.append(
                {
                    "product_id": str(uuid.UUID(str(item["product_id"]))),
                    "requested": int(item["requested"]),
                    "available": int(item["available"]),
                }
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidEvent("stock.rejected with a malformed shortage") from exc
    return shortages
