"""Reservations: the stock side of an order's life, a batch of order events at a time.

Callable without HTTP or a broker. `apply_order_events` applies a batch of order events in
the caller's transaction (the consumer's: its inbox claims commit with the effects);
`apply_order_event` does the same for one event inside its own transaction
(shared.db.unit_of_work) and commits it.

This module is the I/O: lock the batch's orders, load their records and stock rows, apply
the rules of `stock_service.domain.reservations` to them in delivery order (exactly as if
each event had its own transaction), and write what they decided with a handful of
set-based statements, the same few whatever the batch's size.

Lock order — why batches from several replicas cannot deadlock
--------------------------------------------------------------
A batch takes its locks in three phases, and every writer of the stock schema takes its
locks in the same phases and, inside a phase, in the same key order:

1. the consumer claims the batch's message ids (shared.inbox.claim_messages: one INSERT,
   rows sorted by message id);
2. the transaction-scoped advisory locks of all the batch's order ids, in ONE statement,
   sorted by lock key: they serialise everything about one order, even before its record
   exists (two deliveries about the same new order cannot both see "no record");
3. the stock rows of every product the batch may touch (its items and the lines its orders
   already hold), in ONE `SELECT ... FOR UPDATE` sorted by product id
   (ledger.lock_stock_rows; the HTTP use cases lock through ledger.lock_levels, the same
   statement shape, and lock a product row only after its stock row).

Nothing is locked after phase 3 that another transaction could hold while waiting for
us: the reservation rows are covered by the advisory locks, new ledger/outbox rows
conflict with nobody, and the products referenced by new rows (foreign-key share locks)
are only ever locked for update by someone already holding their stock row. A transaction
waits only for a key greater than every key it holds (a later phase, or a later key in
the same ordered statement), so no cycle of waits can form.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from shared.db import driver_execute, unit_of_work
from shared.events import Event, event_of
from shared.outbox import record_events
from stock_service.config import DEFAULT_LOW_STOCK_PERCENT, SERVICE_NAME
from stock_service.domain.order_commands import Action, OrderCommand, order_command
from stock_service.domain.reservations import (
    ReservationBook,
    ReservationOutcome,
    ReservationRecord,
    apply_command,
    products_touched,
)
from stock_service.domain.stock import ReservationStatus
from stock_service.ledger import (
    Move,
    StockRow,
    any_of_ids,
    id_strings,
    lock_stock_rows,
    write_stock_rows,
)
from stock_service.models import SCHEMA, Reservation, ReservationLine, StockLevel, outbox

_reservations = Reservation.__table__
_lines_table = ReservationLine.__table__


def apply_order_event(
    session: Session, event: Event, *, low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT
) -> ReservationOutcome:
    """Apply one order event as docs/events.md describes, in its own transaction.

    Always ends the session's transaction: committed when the event is applied or ignored
    (so a message claimed on this session is recorded as processed), rolled back on error.
    Raises shared.events.InvalidEvent for data no order could have (it can never succeed).
    """
    with unit_of_work(session):
        return apply_commands(session, [order_command(event)], low_stock_percent)[0]


def apply_order_events(
    session: Session,
    events: Sequence[Event],
    *,
    low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT,
) -> list[ReservationOutcome]:
    """Apply a batch of order events in delivery order, in the caller's transaction.

    The result is the same as applying them one transaction each (two events about one
    order included). Never commits. Raises InvalidEvent if any event is malformed, before
    anything is locked or written.
    """
    return apply_commands(session, [order_command(e) for e in events], low_stock_percent)


def apply_commands(
    session: Session,
    commands: Sequence[OrderCommand],
    low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT,
) -> list[ReservationOutcome]:
    """Lock (orders, then stock rows), apply each command in order in memory, write once."""
    live = [c for c in commands if c.action is not Action.IGNORE]
    if not live:  # nothing to lock nor write
        book = ReservationBook({}, {}, low_stock_percent)
        return [apply_command(book, command) for command in commands]
    order_ids = {c.order_id for c in live}
    _lock_orders(session, order_ids)
    records, stored_lines = _load_records(session, order_ids)
    rows = lock_stock_rows(session, products_touched(live, records))
    book = ReservationBook(records, rows, low_stock_percent)
    outcomes = [apply_command(book, command) for command in commands]
    _write(session, book, rows, stored_lines)
    return outcomes


# -- reading --------------------------------------------------------------------------------

# hashtextextended: a 64-bit key per order id. Sorted and deduplicated in a subquery (which
# PostgreSQL does not flatten), so the locks are taken in key order.
_LOCK_ORDERS = text(
    "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(o, 0) AS k"
    " FROM unnest(CAST(:ids AS text[])) AS o ORDER BY k) AS keys"
)


def _lock_orders(session: Session, order_ids: Iterable[uuid.UUID]) -> None:
    """Serialise everything that happens to each order, even before its record exists.

    Transaction-scoped advisory locks, all in one statement, in key order; taken before any
    stock row (the lock order is in the module docstring).
    """
    driver_execute(session, _LOCK_ORDERS, {"ids": id_strings(order_ids)})


_RECORDS_WITH_LINES = (
    select(
        _reservations.c.order_id,
        _reservations.c.order_type,
        _reservations.c.order_version,
        _reservations.c.status,
        _reservations.c.last_event_id,
        _lines_table.c.product_id,
        _lines_table.c.quantity,
    )
    .select_from(
        _reservations.outerjoin(_lines_table, _lines_table.c.order_id == _reservations.c.order_id)
    )
    .where(any_of_ids(_reservations.c.order_id))
)


def _load_records(
    session: Session, order_ids: Iterable[uuid.UUID]
) -> tuple[dict[uuid.UUID, ReservationRecord], set[uuid.UUID]]:
    """The reservation records of these orders with their lines, in one query.

    Also the orders whose lines are stored: new lines replace them, so they are deleted first.
    """
    rows = driver_execute(session, _RECORDS_WITH_LINES, {"ids": id_strings(order_ids)})
    records: dict[uuid.UUID, ReservationRecord] = {}
    stored_lines: set[uuid.UUID] = set()
    for order_id, order_type, order_version, status, last_event_id, product_id, quantity in rows:
        record = records.get(order_id)
        if record is None:
            record = records[order_id] = ReservationRecord(
                order_id, order_type, order_version, ReservationStatus(status), last_event_id, {}
            )
        if product_id is not None:
            record.lines[product_id] = quantity
            stored_lines.add(order_id)
    for record in records.values():
        record.lines = dict(sorted(record.lines.items()))
    return records, stored_lines


# -- writing --------------------------------------------------------------------------------

_UPSERT_RESERVATIONS_SQL = (
    f"INSERT INTO {SCHEMA}.reservations (order_id, order_type, order_version, status,"
    " last_event_id)"
    " SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS text[]),"
    " CAST(:versions AS int[]), CAST(:statuses AS text[]), CAST(:events AS uuid[]))"
    " ON CONFLICT (order_id) DO UPDATE SET order_version = excluded.order_version,"
    " status = excluded.status, last_event_id = excluded.last_event_id, updated_at = now()"
)
_INSERT_LINES_SQL = (
    f"INSERT INTO {SCHEMA}.reservation_lines (order_id, product_id, quantity)"
    " SELECT * FROM unnest(CAST(:order_ids AS uuid[]), CAST(:product_ids AS uuid[]),"
    " CAST(:quantities AS int[]))"
)
_UPSERT_RESERVATIONS = text(_UPSERT_RESERVATIONS_SQL)
# A new reservation and its lines in one statement (the records' upsert as a data-modifying
# WITH): the lines' foreign key is checked at the statement's end, after the record is in.
_UPSERT_RESERVATIONS_WITH_LINES = text(
    f"WITH records AS ({_UPSERT_RESERVATIONS_SQL}) {_INSERT_LINES_SQL}"
)
_DELETE_LINES = text(
    f"DELETE FROM {SCHEMA}.reservation_lines WHERE order_id = ANY(CAST(:ids AS uuid[]))"
)


def _write(
    session: Session,
    book: ReservationBook,
    rows: Mapping[uuid.UUID, StockRow],
    stored_lines: set[uuid.UUID],
) -> None:
    """Store the final levels, the ledger, the records, their lines and the outbox."""
    texts: dict[uuid.UUID, str] = {}

    def text_of(value: uuid.UUID | None) -> str | None:
        """An id as text for the array parameters, converted once per batch."""
        if value is None:
            return None
        found = texts.get(value)
        if found is None:
            found = texts[value] = str(value)
        return found

    moves = [
        Move(
            rows[m.product_id].key,
            m.delta_on_hand,
            m.delta_reserved,
            m.on_hand_after,
            m.reserved_after,
            m.cause.value,
            text_of(m.order_id),
            text_of(m.event_id),
            m.actor,
        )
        for m in book.moves
    ]
    write_stock_rows(session, rows.values(), moves)
    changed = book.changed_records()
    relined = [r for r in changed if r.lines_changed]
    # The lines an item list replaces go first, so the new ones never meet them.
    stale = [text_of(r.order_id) for r in relined if r.order_id in stored_lines]
    if stale:
        driver_execute(session, _DELETE_LINES, {"ids": stale})
    new_lines = [
        (text_of(r.order_id), rows[pid].key, q) for r in relined for pid, q in r.lines.items()
    ]
    if changed:
        params = {
            "ids": [text_of(r.order_id) for r in changed],
            "types": [r.order_type for r in changed],
            "versions": [r.order_version for r in changed],
            "statuses": [str(r.status) for r in changed],
            "events": [text_of(r.last_event_id) for r in changed],
        }
        if new_lines:
            order_ids, product_ids, quantities = (list(c) for c in zip(*new_lines, strict=True))
            params |= {"order_ids": order_ids, "product_ids": product_ids, "quantities": quantities}
            driver_execute(session, _UPSERT_RESERVATIONS_WITH_LINES, params)
        else:
            driver_execute(session, _UPSERT_RESERVATIONS, params)
    record_events(
        session,
        outbox,
        [
            event_of(n.data, source=SERVICE_NAME, correlation_id=n.correlation_id)
            for n in book.events
        ],
    )
    _forget_orm_copies(session, rows, {r.order_id for r in changed})


def _forget_orm_copies(
    session: Session, product_ids: Iterable[uuid.UUID], order_ids: set[uuid.UUID]
) -> None:
    """Expire ORM objects this session holds of rows written here with Core statements."""
    if not session.identity_map:
        return
    products = set(product_ids)
    # The id from the identity key, not the attribute: reading an attribute of an object
    # expired by an earlier batch would reload it (a SELECT per object).
    for (cls, key, _), obj in list(session.identity_map.items()):
        if (cls is StockLevel and key[0] in products) or (
            cls in (Reservation, ReservationLine) and key[0] in order_ids
        ):
            session.expire(obj)
