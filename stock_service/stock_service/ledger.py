"""How every stock change is made: lock the levels, move them, write the ledger, watch the floor.

Used inside the use cases' transactions (services.py, reservations.py); nothing here commits.

Two shapes of the same rules: ORM objects for the one-product HTTP use cases (services.py),
and plain `StockRow`s written back with a few set-based statements for the reservation
batches (reservations.py), where per-object ORM bookkeeping cost more than the work itself.
Both lock stock rows through `_locking`: one statement, in product-id order.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Select,
    String,
    Uuid,
    any_,
    bindparam,
    cast,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from shared.db import driver_execute
from shared.events import Event, StockLow, event_of
from shared.outbox import record_event
from stock_service.config import SERVICE_NAME
from stock_service.domain.stock import LedgerCause, check_low_stock
from stock_service.models import SCHEMA, Product, StockLedgerEntry, StockLevel, outbox

_S = TypeVar("_S", bound=Select[Any])

_levels = StockLevel.__table__
_products = Product.__table__


def any_of_ids(column: ColumnElement[Any]) -> ColumnElement[bool]:
    """`column = ANY(:ids)` for a statement built once: bind `ids` (strings) when executing."""
    return column == any_(cast(bindparam("ids", type_=ARRAY(String)), ARRAY(Uuid)))


def id_strings(ids: Iterable[uuid.UUID]) -> list[str]:
    """The value of the `ids` parameter of a statement using `any_of_ids`."""
    return [str(i) for i in ids]


def _locking(stmt: _S) -> _S:
    """The one way stock rows are locked: all in one statement, in product-id order.

    Bind `ids` (`id_strings`) when executing.
    """
    return (
        stmt.where(any_of_ids(_levels.c.product_id))
        .order_by(_levels.c.product_id)
        .with_for_update(of=_levels)
    )


_LOCK_LEVELS = _locking(select(StockLevel)).execution_options(populate_existing=True)


def lock_levels(session: Session, product_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, StockLevel]:
    """Lock the stock rows of `product_ids` in product-id order and return them, fresh.

    Every writer locks stock rows this way, always in the same order, so two orders
    touching the same products in opposite item order wait for each other instead of
    deadlocking. The products are re-read after the lock is granted (a new statement sees
    what committed meanwhile, e.g. a product deleted while we waited).
    """
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    levels = session.scalars(_LOCK_LEVELS, {"ids": id_strings(ids)}).all()
    products = session.scalars(
        select(Product)
        .where(Product.id.in_([level.product_id for level in levels]))
        .execution_options(populate_existing=True)
    ).all()
    by_id = {product.id: product for product in products}
    for level in levels:
        # Attach what was just loaded: `level.product` would otherwise lazy-load, a query each.
        set_committed_value(level, "product", by_id[level.product_id])
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


def low_stock_event(
    product_id: uuid.UUID,
    *,
    available: int,
    ideal_quantity: int,
    product_name: str | None,
    correlation_id: str | None,
) -> Event:
    return event_of(
        StockLow(
            product_id=product_id,
            available=available,
            ideal_quantity=ideal_quantity,
            product_name=product_name,
        ),
        source=SERVICE_NAME,
        correlation_id=correlation_id,
    )


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
            low_stock_event(
                product.id,
                available=level.on_hand - level.reserved,
                ideal_quantity=product.ideal_quantity,
                product_name=product.name,
                correlation_id=correlation_id,
            ),
        )
    return check.alert


# -- plain rows, for batches --------------------------------------------------------------


class Move(NamedTuple):
    """One ledger row to append (the columns of stock_ledger a batch writes)."""

    product_id: str  # ids as text: what the array parameters are made of
    delta_on_hand: int
    delta_reserved: int
    on_hand_after: int
    reserved_after: int
    cause: str
    order_id: str | None
    event_id: str | None
    actor: str


@dataclass
class StockRow:
    """A locked stock level and what the rules need of its product, changed in memory.

    `moves` are the ledger rows explaining every change since it was locked, in order (as
    `Move` tuples); `write_stock_rows` stores the final levels and those rows.
    """

    product_id: uuid.UUID
    on_hand: int
    reserved: int
    low_stock: bool
    ideal_quantity: int
    active: bool
    deleted: bool
    name: str | None = None
    changed: bool = False
    key: str = ""  # product_id as text, for the statements that write it

    def __post_init__(self) -> None:
        self.key = self.key or str(self.product_id)


# Built once: a batch only binds its ids (building and cache-keying a statement per batch
# was a fifth of the consumer's CPU).
_LOCK_STOCK_ROWS = _locking(
    select(_levels.c.product_id, _levels.c.on_hand, _levels.c.reserved, _levels.c.low_stock)
)
_PRODUCT_FLAGS = select(
    _products.c.id,
    _products.c.name,
    _products.c.ideal_quantity,
    _products.c.active,
    _products.c.deleted_at.is_not(None).label("deleted"),
).where(any_of_ids(_products.c.id))


def lock_stock_rows(
    session: Session, product_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, StockRow]:
    """`lock_levels` for batches: the same lock order, plain rows, two statements in all.

    The products are read by a second statement, after the locks are granted, so that a
    product deleted or deactivated while we waited is seen as such.
    """
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    # On the driver: every stock batch runs these (shared.db.driver_execute).
    levels = driver_execute(session, _LOCK_STOCK_ROWS, {"ids": id_strings(ids)})
    products = {
        row[0]: row
        for row in driver_execute(
            session, _PRODUCT_FLAGS, {"ids": id_strings(level[0] for level in levels)}
        )
    }
    rows = {}
    for product_id, on_hand, reserved, low_stock in levels:
        _, name, ideal_quantity, active, deleted = products[product_id]
        rows[product_id] = StockRow(
            product_id=product_id,
            on_hand=on_hand,
            reserved=reserved,
            low_stock=low_stock,
            ideal_quantity=ideal_quantity,
            active=active,
            deleted=deleted,
            name=name,
        )
    return rows


_UPDATE_LEVELS_SQL = (
    f"UPDATE {SCHEMA}.stock_levels AS s"
    " SET on_hand = v.on_hand, reserved = v.reserved, low_stock = v.low_stock,"
    " updated_at = now()"
    " FROM unnest(CAST(:ids AS uuid[]), CAST(:on_hand AS int[]), CAST(:reserved AS int[]),"
    " CAST(:low_stock AS boolean[])) AS v(product_id, on_hand, reserved, low_stock)"
    " WHERE s.product_id = v.product_id"
)
# Arrays unnested into rows: one short statement whatever the batch size (no per-row SQL).
_INSERT_MOVES_SQL = (
    f"INSERT INTO {SCHEMA}.stock_ledger (product_id, delta_on_hand, delta_reserved,"
    " on_hand_after, reserved_after, cause, order_id, event_id, actor)"
    " SELECT * FROM unnest(CAST(:product_id AS uuid[]), CAST(:delta_on_hand AS int[]),"
    " CAST(:delta_reserved AS int[]), CAST(:on_hand_after AS int[]),"
    " CAST(:reserved_after AS int[]), CAST(:cause AS text[]), CAST(:order_id AS uuid[]),"
    " CAST(:event_id AS uuid[]), CAST(:actor AS text[]))"
)
_UPDATE_LEVELS = text(_UPDATE_LEVELS_SQL)
_INSERT_MOVES = text(_INSERT_MOVES_SQL)
# Both in one statement, the UPDATE as a data-modifying WITH: one round trip and one statement
# for PostgreSQL fewer per batch, and at intake rates a batch is an order or two. Neither part
# reads what the other writes; the levels' statement trigger still fires once, at the end.
_UPDATE_LEVELS_AND_INSERT_MOVES = text(f"WITH levels AS ({_UPDATE_LEVELS_SQL}) {_INSERT_MOVES_SQL}")


def write_stock_rows(session: Session, rows: Iterable[StockRow], moves: list[Move]) -> None:
    """Store the changed levels and append their ledger rows, in one statement."""
    params: dict[str, Any] = {}
    changed = [row for row in rows if row.changed]
    if changed:
        params |= {
            "ids": [row.key for row in changed],
            "on_hand": [row.on_hand for row in changed],
            "reserved": [row.reserved for row in changed],
            "low_stock": [row.low_stock for row in changed],
        }
    if moves:
        columns = [list(column) for column in zip(*moves, strict=True)]  # lists: SQL arrays
        params |= dict(zip(Move._fields, columns, strict=True))
    if changed and moves:
        driver_execute(session, _UPDATE_LEVELS_AND_INSERT_MOVES, params)
    elif changed:
        driver_execute(session, _UPDATE_LEVELS, params)
    elif moves:
        driver_execute(session, _INSERT_MOVES, params)
    for row in changed:
        row.changed = False
