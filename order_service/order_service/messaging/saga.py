"""The order's side of the reservation saga: what the stock service's replies do to an order.

Each handler runs inside the consumer's transaction (`on_<event>(session, event)`; the
consumer claims the message id in `processed_messages` in the same transaction and commits).
They never commit themselves. Version-aware and idempotent: only a reply to the order's
current `order_version`, while it is still awaited, changes anything (domain rule
`stock_reply_applies`, applied as one guarded UPDATE), so a stale, repeated or late reply
is acknowledged and ignored.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Update, bindparam, select, text, update
from sqlalchemy.orm import Session

from order_service.domain.orders import (
    REPLY_AWAITED_STATUS,
    REPLY_AWAITED_STOCK_STATUS,
    StockStatus,
)
from order_service.models import Order
from shared.events import Event, EventType, InvalidEvent

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


def apply_stock_replies(session: Session, events: Sequence[Event]) -> None:
    """stock.reserved / stock.rejected of a delivered batch, with one guarded UPDATE.

    The same rule as one reply at a time (`_apply_reply`). A batch that answers the same
    order twice is applied reply by reply, in delivery order, since only the first reply to
    the current version may apply and a set-based UPDATE would pick one arbitrarily.
    """
    replies = [_reply(event) for event in events]  # InvalidEvent: the consumer redoes 1 by 1
    if len({reply.order_id for reply in replies}) < len(replies):
        for reply in replies:
            _apply_reply(
                session,
                reply.event,
                reply.order_id,
                reply.version,
                reply.outcome,
                shortages=reply.shortages,
            )
        return
    applied = set(
        session.execute(
            _APPLY_REPLIES,
            {
                "ids": [str(reply.order_id) for reply in replies],
                "versions": [reply.version for reply in replies],
                "outcomes": [reply.outcome.value for reply in replies],
                "shortages": [
                    None if reply.shortages is None else json.dumps(reply.shortages)
                    for reply in replies
                ],
                "at": datetime.now(UTC),
            },
        ).scalars()
    )
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


_orders = Order.__table__


def _still_awaited(orders: str) -> str:
    """The part of stock_reply_applies that is about the order alone, as SQL on `orders`.

    Written with IS NOT DISTINCT FROM (the columns are NOT NULL, so it means `=`) because no
    index serves that operator: the order is always found by primary key. With `status =
    'pending'` and statistics older than a burst of new orders, PostgreSQL estimated one
    pending order and read every pending order through ix_orders_live_status_created
    (docs/performance.md), for a single reply as for a batch.
    """
    return (
        f"({orders}.status, {orders}.stock_status, {orders}.deleted_at IS NULL)"
        f" IS NOT DISTINCT FROM ('{REPLY_AWAITED_STATUS.value}',"
        f" '{REPLY_AWAITED_STOCK_STATUS.value}', true)"
    )


def _guarded_reply(*, with_shortages: bool) -> Update:
    """stock_reply_applies as one UPDATE: it changes the order only if the reply applies.

    Built once (the compiled statement is cached). Its row lock orders the reply with a
    concurrent item edit or status change, which lock the order too; a waiting UPDATE
    re-checks the guard against the row as that change left it. A reserved reply leaves
    stock_shortages alone: it is always empty while a reply is awaited.
    """
    values: dict[str, Any] = {"stock_status": bindparam("outcome"), "updated_at": bindparam("at")}
    if with_shortages:
        values["stock_shortages"] = bindparam("shortages", type_=_orders.c.stock_shortages.type)
    return (
        update(_orders)
        .where(
            _orders.c.id == bindparam("order_id"),
            _orders.c.order_version == bindparam("reply_version"),
            text(_still_awaited(_orders.fullname)),
        )
        .values(values)
    )


_APPLY_RESERVED = _guarded_reply(with_shortages=False)
_APPLY_REJECTED = _guarded_reply(with_shortages=True)
_CURRENT_STATE = select(
    _orders.c.order_version, _orders.c.status, _orders.c.stock_status, _orders.c.deleted_at
).where(_orders.c.id == bindparam("order_id"))


# stock_reply_applies for a batch, as one UPDATE over the replies' arrays; a reserved
# reply (shortages NULL) leaves stock_shortages alone, as _guarded_reply does.
_APPLY_REPLIES = text(
    f"UPDATE {_orders.fullname} AS o"
    " SET stock_status = r.outcome, stock_shortages = coalesce(r.shortages, o.stock_shortages),"
    " updated_at = :at"
    " FROM unnest(CAST(:ids AS uuid[]), CAST(:versions AS int[]), CAST(:outcomes AS text[]),"
    " CAST(:shortages AS jsonb[])) AS r(order_id, version, outcome, shortages)"
    f" WHERE o.id = r.order_id AND o.order_version = r.version AND {_still_awaited('o')}"
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
    order_id, version = _order_reference(event.data)
    if event.type == EventType.STOCK_REJECTED:
        return _Reply(event, order_id, version, StockStatus.REJECTED, _shortages(event.data))
    return _Reply(event, order_id, version, StockStatus.RESERVED, None)


def _apply_reply(
    session: Session,
    event: Event,
    order_id: uuid.UUID,
    version: int,
    outcome: StockStatus,
    *,
    shortages: list[dict[str, Any]] | None,
) -> None:
    # No ORM load of the order (nor of its items): one guarded UPDATE; its row count says
    # whether the reply applied. Runs in the consumer's transaction, which commits.
    params: dict[str, Any] = {
        "order_id": order_id,
        "reply_version": version,
        "outcome": outcome.value,
        "at": datetime.now(UTC),
    }
    if shortages is not None:
        params["shortages"] = shortages
    statement = _APPLY_REJECTED if shortages is not None else _APPLY_RESERVED
    applied = session.execute(statement, params).rowcount
    context = {"event_id": event.id, "order_id": str(order_id), "reply_version": version}
    if applied:
        log.info("order stock status updated", extra={**context, "stock_status": outcome.value})
        return
    _explain_unchanged(session, order_id, context)


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
