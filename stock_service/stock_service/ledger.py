"""How every stock change is made: lock the levels, move them, write the ledger, watch the floor.

Used inside the use cases' transactions (services.py, reservations.py); nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.events import EventType, new_event
from shared.outbox import record_event
from stock_service.config import SERVICE_NAME
from stock_service.domain.stock import LedgerCause, check_low_stock
from stock_service.models import Product, StockLedgerEntry, StockLevel, outbox


def lock_levels(session: Session, product_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, StockLevel]:
    """Lock the stock rows of `product_ids` in product-id order and return them, fresh.

    Every writer locks stock rows through here, always in the same order, so two orders
    touching the same products in opposite item order wait for each other instead of
    deadlocking. The products are re-read after the lock is granted (a new statement sees
    what committed meanwhile, e.g. a product deleted while we waited).
    """
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    levels = session.scalars(
        select(StockLevel)
        .where(StockLevel.product_id.in_(ids))
        .order_by(StockLevel.product_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    session.scalars(
        select(Product)
        .where(Product.id.in_([level.product_id for level in levels]))
        .execution_options(populate_existing=True)
    ).all()
    return {level.product_id: level for level in levels}


def move_stock(
    session: Session,
    level: StockLevel,
    *,
    cause: LedgerCause,
    actor: str,
    delta_on_hand: int = 0,
    delta_reserved: int = 0,
    order_id: uuid.UUID | None = None,
    event_id: uuid.UUID | None = None,
    note: str | None = None,
) -> StockLedgerEntry:
    """Change a locked level and append the ledger row that explains it."""
    level.on_hand += delta_on_hand
    level.reserved += delta_reserved
    entry = StockLedgerEntry(
        product_id=level.product_id,
        delta_on_hand=delta_on_hand,
        delta_reserved=delta_reserved,
        on_hand_after=level.on_hand,
        reserved_after=level.reserved,
        cause=cause.value,
        order_id=order_id,
        event_id=event_id,
        note=note,
        actor=actor,
    )
    session.add(entry)
    return entry


def watch_low_stock(
    session: Session,
    level: StockLevel,
    product: Product,
    *,
    percent: int,
    correlation_id: str | None,
) -> bool:
    """Record `stock.low` when the level just crossed below the threshold; True if it did."""
    check = check_low_stock(
        available=level.on_hand - level.reserved,
        ideal_quantity=product.ideal_quantity,
        percent=percent,
        flagged=level.low_stock,
    )
    if level.low_stock != check.flagged:
        level.low_stock = check.flagged
    if check.alert:
        record_event(
            session,
            outbox,
            new_event(
                EventType.STOCK_LOW,
                {
                    "product_id": str(product.id),
                    "available": level.on_hand - level.reserved,
                    "ideal_quantity": product.ideal_quantity,
                },
                source=SERVICE_NAME,
                correlation_id=correlation_id,
            ),
        )
    return check.alert
