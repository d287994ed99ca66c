"""The order's side of the reservation saga: what the stock service's replies do to an order.

Each handler runs inside the consumer's transaction (the consumer claims the message ids in
`processed_messages` in the same transaction and commits); they never commit themselves.
Version-aware and idempotent: only a reply to the order's current `order_version`, while it
is still awaited, changes anything (domain rule `stock_reply_applies`, applied as one
guarded UPDATE), so a stale, repeated or late reply is acknowledged and ignored.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from order_service.domain.statuses import StockStatus
from order_service.domain.stock_replies import REPLY_AWAITED_STATUS, REPLY_AWAITED_STOCK_STATUS
from order_service.models import Order
from shared import clock, wire_json
from shared.db import driver_execute
from shared.events import Event, InvalidEvent, StockLow, StockRejected, StockReserved, data_of

log = logging.getLogger("pedidos.orders.saga")


def apply_stock_reply(session: Session, event: Event) -> None:
    """One stock.reserved or stock.rejected on its own (the batch of one)."""
    apply_stock_replies(session, [event])


def apply_stock_replies(session: Session, events: Sequence[Event]) -> None:
    """stock.reserved → stock_status reserved; stock.rejected → rejected, shortages kept.

    A delivered batch is one guarded UPDATE. A batch that answers the same order twice is
    applied reply by reply, in delivery order, since only the first reply to the current
    version may apply and a set-based UPDATE would pick one arbitrarily.
    """
    replies = [_reply(event) for event in events]  # InvalidEvent: the consumer redoes 1 by 1
    if len({reply.order_id for reply in replies}) < len(replies):
        for reply in replies:
            _apply(session, [reply])
    else:
        _apply(session, replies)


def on_stock_low(session: Session, event: Event) -> None:
    """stock.low: acknowledged and logged (the notifications consumer tells the staff)."""
    low = data_of(event, StockLow)
    log.info(
        "stock low",
        extra={
            "event_id": event.id,
            "product_id": str(low.product_id),
            "available": low.available,
            "ideal_quantity": low.ideal_quantity,
        },
    )


_orders = Order.__table__


_CURRENT_STATE = select(
    _orders.c.order_version, _orders.c.status, _orders.c.stock_status, _orders.c.deleted_at
).where(_orders.c.id == bindparam("order_id"))


# stock_reply_applies as one UPDATE over the replies' arrays; its row locks order a reply
# with a concurrent item edit or status change, which lock the order too, and a waiting
# UPDATE re-checks the guard against the row as that change left it. A reserved reply
# (shortages NULL) leaves stock_shortages alone: it is always empty while a reply is awaited.
#
# The guard is written with IS NOT DISTINCT FROM (the columns are NOT NULL, so it means
# `=`) because no index serves that operator: the orders are always found by primary key.
# With `o.status = 'pending'` and statistics older than a burst of new orders, PostgreSQL
# estimated one pending order and read every pending order through
# ix_orders_live_status_created for each batch (docs/performance.md).
_APPLY_REPLIES = text(
    f"UPDATE {_orders.fullname} AS o"
    " SET stock_status = r.outcome, stock_shortages = coalesce(r.shortages, o.stock_shortages),"
    " updated_at = :at"
    " FROM unnest(CAST(:ids AS uuid[]), CAST(:versions AS int[]), CAST(:outcomes AS text[]),"
    " CAST(:shortages AS jsonb[])) AS r(order_id, version, outcome, shortages)"
    " WHERE o.id = r.order_id AND o.order_version = r.version"
    " AND (o.status, o.stock_status, o.deleted_at IS NULL) IS NOT DISTINCT FROM"
    f" ('{REPLY_AWAITED_STATUS.value}', '{REPLY_AWAITED_STOCK_STATUS.value}', true)"
    " RETURNING o.id"
)


@dataclass(frozen=True)
class _Reply:
    event: Event
    order_id: uuid.UUID
    version: int
    outcome: StockStatus
    shortages: list[dict[str, Any]] | None


def _reply(event: Event) -> _Reply:
    reply = data_of(event)
    if isinstance(reply, StockRejected):
        shortages = [msgspec.to_builtins(shortage) for shortage in reply.shortages]
        return _Reply(event, reply.order_id, reply.order_version, StockStatus.REJECTED, shortages)
    if isinstance(reply, StockReserved):
        return _Reply(event, reply.order_id, reply.order_version, StockStatus.RESERVED, None)
    raise InvalidEvent(f"{event.type} is not a stock reply")


def _apply(session: Session, replies: Sequence[_Reply]) -> None:
    """The guarded UPDATE for these replies (one per order); log what each one did."""
    # On the driver (shared.db.driver_execute): every batch of replies runs it.
    applied = {
        order_id
        for (order_id,) in driver_execute(
            session,
            _APPLY_REPLIES,
            {
                "ids": [str(reply.order_id) for reply in replies],
                "versions": [reply.version for reply in replies],
                "outcomes": [reply.outcome.value for reply in replies],
                "shortages": [
                    None if reply.shortages is None else wire_json.encode_text(reply.shortages)
                    for reply in replies
                ],
                "at": clock.now(),
            },
        )
    }
    for reply in replies:
        context = {
            "event_id": reply.event.id,
            "order_id": str(reply.order_id),
            "reply_version": reply.version,
        }
        if reply.order_id in applied:
            log.info(
                "order stock status updated", extra={**context, "stock_status": reply.outcome.value}
            )
        else:
            _explain_unchanged(session, reply.order_id, context)


def _explain_unchanged(session: Session, order_id: uuid.UUID, context: dict[str, Any]) -> None:
    """Nothing changed (the rare path): read the order only to say why."""
    current = session.execute(_CURRENT_STATE, {"order_id": order_id}).first()
    if current is None:
        # Not ours (or removed for good): nothing to update, and retrying will not help.
        log.warning("stock reply for an unknown order ignored", extra=context)
        return
    log.info(
        "stock reply changes nothing (older version, already answered or order closed)",
        extra={
            **context,
            "order_version": current.order_version,
            "status": current.status,
            "stock_status": current.stock_status,
        },
    )
