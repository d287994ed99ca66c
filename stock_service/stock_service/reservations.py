"""Reservations: what the stock service does with an order's life, a batch of events at a time.

Callable without HTTP or a broker. `apply_order_events` applies a batch of order events in
the caller's transaction (the consumer's: its inbox claims commit with the effects); the
single-order functions (`reserve_for_order`, `release_for_order`, ...) and
`apply_order_event` run the same machinery on one command inside their own transaction
(shared.db.unit_of_work) and commit it.

Idempotent by construction: a reservation record per order keeps the version applied and a
status, so a duplicate, a stale version or an event that makes no sense in the current
status changes nothing.

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

The events of a batch are then applied in delivery order against the in-memory state
(records and levels), exactly as if they were applied one transaction each, and the
result is written with a handful of set-based statements.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from shared import events
from shared.db import unit_of_work
from shared.events import (
    Event,
    EventData,
    InvalidEvent,
    OrderCreated,
    OrderItemsChanged,
    OrderLine,
    OrderStatusChanged,
    StockRejected,
    StockReserved,
    data_of,
    event_of,
)
from shared.outbox import record_events
from stock_service.config import DEFAULT_LOW_STOCK_PERCENT, SERVICE_NAME
from stock_service.domain.stock import (
    InvalidOrderLines,
    LedgerCause,
    ReservationStatus,
    Shortage,
    find_shortages,
    is_stale,
    merge_lines,
    needs_reservation,
)
from stock_service.ledger import (
    Move,
    StockRow,
    any_of_ids,
    id_strings,
    lock_stock_rows,
    write_stock_rows,
)
from stock_service.models import (
    SCHEMA,
    Reservation,
    ReservationLine,
    StockLevel,
    outbox,
)

log = logging.getLogger("pedidos.stock.reservations")

SALE = "sale"
REPLENISHMENT = "replenishment"

OrderLines = Iterable[OrderLine | Mapping[str, Any]] | Mapping[uuid.UUID, int]

_reservations = Reservation.__table__
_lines_table = ReservationLine.__table__


@dataclass(frozen=True)
class ReservationOutcome:
    """What one call did to one order's reservation."""

    order_id: uuid.UUID
    status: str | None  # the reservation's status afterwards (None: no record)
    applied: bool  # False: duplicate, stale or meaningless here; nothing changed
    shortages: tuple[Shortage, ...] = ()
    skipped_product_ids: tuple[uuid.UUID, ...] = field(default_factory=tuple)
    reason: str = ""


class Action(StrEnum):
    RESERVE = "reserve"
    RELEASE = "release"
    SHIP = "ship"
    RETURN = "return"
    RECEIVE = "receive"
    IGNORE = "ignore"


@dataclass(frozen=True)
class OrderCommand:
    """One order event, read and checked: what to do to which order, and on whose behalf."""

    action: Action
    order_id: uuid.UUID
    order_version: int = 0
    items: Mapping[uuid.UUID, int] = field(default_factory=dict)
    event_id: uuid.UUID | None = None
    actor: str = SERVICE_NAME
    correlation_id: str | None = None
    reason: str = ""  # why an IGNORE command changes nothing


# -- use cases, one order each ------------------------------------------------------------


def reserve_for_order(
    session: Session,
    *,
    order_id: uuid.UUID,
    order_version: int,
    items: OrderLines,
    event_id: uuid.UUID | None = None,
    actor: str = SERVICE_NAME,
    correlation_id: str | None = None,
    low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT,
) -> ReservationOutcome:
    """Reserve every line of a sale order or none; a newer item list replaces the old one.

    Records `stock.reserved` or `stock.rejected` in the outbox. Unknown, inactive and deleted
    products are shortages with nothing available.
    """
    command = OrderCommand(
        Action.RESERVE, order_id, order_version, _lines(items), event_id, actor, correlation_id
    )
    return _apply_one(session, command, low_stock_percent)


def release_for_order(
    session: Session,
    *,
    order_id: uuid.UUID,
    order_version: int,
    event_id: uuid.UUID | None = None,
    actor: str = SERVICE_NAME,
    correlation_id: str | None = None,
    low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT,
) -> ReservationOutcome:
    """Give back what a sale order holds (cancelled or deleted before shipping).

    An order we have not seen yet gets a `released` record, so its late `order.created`
    reserves nothing.
    """
    command = OrderCommand(
        Action.RELEASE, order_id, order_version, {}, event_id, actor, correlation_id
    )
    return _apply_one(session, command, low_stock_percent)


def ship_order(
    session: Session,
    *,
    order_id: uuid.UUID,
    order_version: int,
    event_id: uuid.UUID | None = None,
    actor: str = SERVICE_NAME,
    correlation_id: str | None = None,
    low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT,
) -> ReservationOutcome:
    """The reserved units leave: on_hand and reserved both go down by each line's quantity."""
    command = OrderCommand(
        Action.SHIP, order_id, order_version, {}, event_id, actor, correlation_id
    )
    return _apply_one(session, command, low_stock_percent)


def return_order(
    session: Session,
    *,
    order_id: uuid.UUID,
    order_version: int,
    event_id: uuid.UUID | None = None,
    actor: str = SERVICE_NAME,
    correlation_id: str | None = None,
    low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT,
) -> ReservationOutcome:
    """Shipped units came back: on_hand goes up by each shipped line's quantity."""
    command = OrderCommand(
        Action.RETURN, order_id, order_version, {}, event_id, actor, correlation_id
    )
    return _apply_one(session, command, low_stock_percent)


def receive_replenishment(
    session: Session,
    *,
    order_id: uuid.UUID,
    order_version: int,
    items: OrderLines,
    event_id: uuid.UUID | None = None,
    actor: str = SERVICE_NAME,
    correlation_id: str | None = None,
    low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT,
) -> ReservationOutcome:
    """A delivered replenishment order adds its lines to on_hand, once.

    Lines of unknown or deleted products are skipped (and reported in the outcome).
    """
    command = OrderCommand(
        Action.RECEIVE, order_id, order_version, _lines(items), event_id, actor, correlation_id
    )
    return _apply_one(session, command, low_stock_percent)


def apply_order_event(
    session: Session, event: Event, *, low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT
) -> ReservationOutcome:
    """Route one order event to its use case, as docs/events.md describes.

    Always ends the session's transaction: committed when the event is applied or ignored
    (so a message claimed on this session is recorded as processed), rolled back on error.
    Raises shared.events.InvalidEvent for data no order could have (it can never succeed).
    """
    with unit_of_work(session):
        return apply_commands(session, [order_command(event)], low_stock_percent)[0]


# -- batches -------------------------------------------------------------------------------


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
    batch = _Batch.locked(session, live, low_stock_percent) if live else None
    outcomes = []
    for command in commands:
        if batch is None or command.action is Action.IGNORE:
            outcomes.append(
                ReservationOutcome(command.order_id, None, False, reason=command.reason)
            )
        else:
            outcomes.append(_USE_CASES[command.action](batch, command))
    if batch is not None:
        batch.write()
    return outcomes


def _apply_one(
    session: Session, command: OrderCommand, low_stock_percent: int
) -> ReservationOutcome:
    with unit_of_work(session):
        return apply_commands(session, [command], low_stock_percent)[0]


@dataclass
class _Record:
    """An order's reservation record as the batch sees it (the row and its lines)."""

    order_id: uuid.UUID
    order_type: str
    order_version: int
    status: ReservationStatus
    last_event_id: uuid.UUID | None
    lines: dict[uuid.UUID, int]
    stored_lines: bool = False  # the database holds lines to delete before new ones go in
    changed: bool = False
    lines_changed: bool = False

    def held(self) -> dict[uuid.UUID, int]:
        """The units the order holds now (nothing unless it is reserved)."""
        return self.lines if self.status == ReservationStatus.RESERVED else {}

    def set_lines(self, lines: Mapping[uuid.UUID, int]) -> None:
        self.lines = dict(lines)
        self.lines_changed = True

    def advance(self, order_version: int, event_id: uuid.UUID | None) -> None:
        self.order_version = max(self.order_version, order_version)
        self.last_event_id = event_id
        self.changed = True


@dataclass
class _Batch:
    """The state a batch works on, locked, and what it has to write at the end."""

    session: Session
    percent: int
    records: dict[uuid.UUID, _Record]
    levels: dict[uuid.UUID, StockRow]
    moves: list[Move] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    texts: dict[uuid.UUID, str] = field(default_factory=dict)

    def text(self, value: uuid.UUID | None) -> str | None:
        """An id as text for the statements, converted once per batch."""
        if value is None:
            return None
        found = self.texts.get(value)
        if found is None:
            found = self.texts[value] = str(value)
        return found

    @classmethod
    def locked(cls, session: Session, commands: Sequence[OrderCommand], percent: int) -> _Batch:
        order_ids = {c.order_id for c in commands}
        _lock_orders(session, order_ids)
        records = _load_records(session, order_ids)
        # Every product any command may move: its items and the lines its order holds.
        product_ids = {pid for c in commands for pid in c.items}
        product_ids.update(pid for r in records.values() for pid in r.lines)
        return cls(session, percent, records, lock_stock_rows(session, product_ids))

    def move(self, command: OrderCommand, product_id: uuid.UUID, cause: LedgerCause, **d: int):
        self.levels[product_id].move(
            self.moves,
            cause=cause,
            actor=command.actor,
            order_id=self.text(command.order_id),
            event_id=self.text(command.event_id),
            **d,
        )

    def record(self, command: OrderCommand, data: EventData) -> None:
        self.events.append(
            event_of(data, source=SERVICE_NAME, correlation_id=command.correlation_id)
        )

    def watch(self, command: OrderCommand, product_ids: Iterable[uuid.UUID]) -> None:
        """stock.low for each product that just crossed below its threshold (once per crossing)."""
        for product_id in sorted(product_ids):
            alert = self.levels[product_id].watch(
                percent=self.percent, correlation_id=command.correlation_id
            )
            if alert is not None:
                self.events.append(alert)

    def write(self) -> None:
        """Store the final levels, the ledger, the records, their lines and the outbox."""
        session = self.session
        write_stock_rows(session, self.levels.values(), self.moves)
        self.moves = []
        changed = [r for r in self.records.values() if r.changed]
        if changed:
            session.execute(
                _UPSERT_RESERVATIONS,
                {
                    "ids": [self.text(r.order_id) for r in changed],
                    "types": [r.order_type for r in changed],
                    "versions": [r.order_version for r in changed],
                    "statuses": [str(r.status) for r in changed],
                    "events": [self.text(r.last_event_id) for r in changed],
                },
            )
        relined = [r for r in changed if r.lines_changed]
        stale = [self.text(r.order_id) for r in relined if r.stored_lines]
        if stale:
            session.execute(_DELETE_LINES, {"ids": stale})
        new_lines = [
            (self.text(r.order_id), self.levels[pid].key, q)
            for r in relined
            for pid, q in r.lines.items()
        ]
        if new_lines:
            order_ids, product_ids, quantities = (list(c) for c in zip(*new_lines, strict=True))
            session.execute(
                _INSERT_LINES,
                {"order_ids": order_ids, "product_ids": product_ids, "quantities": quantities},
            )
        record_events(session, outbox, self.events)
        for record in relined:
            record.stored_lines = bool(record.lines)
        for record in changed:
            record.changed = record.lines_changed = False
        self.events = []
        _forget_orm_copies(session, self.levels, {r.order_id for r in changed})


_UPSERT_RESERVATIONS = text(
    f"INSERT INTO {SCHEMA}.reservations (order_id, order_type, order_version, status,"
    " last_event_id)"
    " SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS text[]),"
    " CAST(:versions AS int[]), CAST(:statuses AS text[]), CAST(:events AS uuid[]))"
    " ON CONFLICT (order_id) DO UPDATE SET order_version = excluded.order_version,"
    " status = excluded.status, last_event_id = excluded.last_event_id, updated_at = now()"
)
_INSERT_LINES = text(
    f"INSERT INTO {SCHEMA}.reservation_lines (order_id, product_id, quantity)"
    " SELECT * FROM unnest(CAST(:order_ids AS uuid[]), CAST(:product_ids AS uuid[]),"
    " CAST(:quantities AS int[]))"
)
_DELETE_LINES = text(
    f"DELETE FROM {SCHEMA}.reservation_lines WHERE order_id = ANY(CAST(:ids AS uuid[]))"
)
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
    session.execute(_LOCK_ORDERS, {"ids": id_strings(order_ids)})


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


def _load_records(session: Session, order_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, _Record]:
    """The reservation records of these orders with their lines, in one query."""
    rows = session.execute(_RECORDS_WITH_LINES, {"ids": id_strings(order_ids)})
    records: dict[uuid.UUID, _Record] = {}
    for row in rows:
        record = records.get(row.order_id)
        if record is None:
            record = records[row.order_id] = _Record(
                row.order_id,
                row.order_type,
                row.order_version,
                ReservationStatus(row.status),
                row.last_event_id,
                {},
            )
        if row.product_id is not None:
            record.lines[row.product_id] = row.quantity
            record.stored_lines = True
    for record in records.values():
        record.lines = dict(sorted(record.lines.items()))
    return records


def _forget_orm_copies(
    session: Session, levels: Iterable[uuid.UUID], order_ids: set[uuid.UUID]
) -> None:
    """Expire ORM objects this session holds of rows written here with Core statements."""
    if not session.identity_map:
        return
    product_ids = set(levels)
    for obj in list(session.identity_map.values()):
        if (isinstance(obj, StockLevel) and obj.product_id in product_ids) or (
            isinstance(obj, Reservation | ReservationLine) and obj.order_id in order_ids
        ):
            session.expire(obj)


# -- the use cases, on the batch's state ---------------------------------------------------


def _reserve(batch: _Batch, command: OrderCommand) -> ReservationOutcome:
    order_id, version, requested = command.order_id, command.order_version, command.items
    record = batch.records.get(order_id)
    if not needs_reservation(
        version, record.order_version if record else None, record.status if record else None
    ):
        return _unchanged(record, order_id, "already applied, stale or final")
    touched: set[uuid.UUID] = set()
    # A newer item list starts from nothing held: release the old lines first.
    held = record.held() if record else {}
    for product_id, quantity in held.items():
        batch.move(command, product_id, LedgerCause.ORDER_RELEASED, delta_reserved=-quantity)
        touched.add(product_id)
    sellable = {
        pid: batch.levels[pid].available
        for pid in requested
        if pid in batch.levels and batch.levels[pid].sellable
    }
    shortages = find_shortages(requested, sellable)
    if record is None:
        record = batch.records[order_id] = _Record(
            order_id, SALE, version, ReservationStatus.REJECTED, None, {}
        )
    record.order_version = version
    record.last_event_id = command.event_id
    record.changed = True
    if shortages:
        record.status = ReservationStatus.REJECTED
        if record.lines:
            record.set_lines({})
        batch.record(
            command,
            StockRejected(
                order_id=order_id,
                order_version=version,
                shortages=[
                    events.Shortage(s.product_id, s.requested, s.available) for s in shortages
                ],
            ),
        )
    else:
        for product_id, quantity in requested.items():
            batch.move(command, product_id, LedgerCause.ORDER_RESERVED, delta_reserved=quantity)
            touched.add(product_id)
        record.status = ReservationStatus.RESERVED
        record.set_lines(requested)
        batch.record(
            command,
            StockReserved(
                order_id=order_id,
                order_version=version,
                items=[OrderLine(pid, q) for pid, q in requested.items()],
            ),
        )
    batch.watch(command, touched)
    return ReservationOutcome(order_id, record.status, applied=True, shortages=tuple(shortages))


@dataclass(frozen=True)
class _Transition:
    """A move of the whole order: from which statuses, what each line does, where to."""

    cause: LedgerCause
    from_statuses: frozenset[ReservationStatus]
    to: ReservationStatus
    on_hand: int  # per unit of each line: -1, 0 or +1
    reserved: int
    keeps_lines: bool
    nothing_to_do: str


_RELEASE = _Transition(
    LedgerCause.ORDER_RELEASED,
    frozenset({ReservationStatus.RESERVED, ReservationStatus.REJECTED}),
    ReservationStatus.RELEASED,
    on_hand=0,
    reserved=-1,
    keeps_lines=False,
    nothing_to_do="nothing to release",
)
_SHIP = _Transition(
    LedgerCause.ORDER_SHIPPED,
    frozenset({ReservationStatus.RESERVED}),
    ReservationStatus.SHIPPED,
    on_hand=-1,
    reserved=-1,
    keeps_lines=True,
    nothing_to_do="no reservation to ship",
)
_RETURN = _Transition(
    LedgerCause.ORDER_RETURNED,
    frozenset({ReservationStatus.SHIPPED}),
    ReservationStatus.RETURNED,
    on_hand=1,
    reserved=0,
    keeps_lines=True,
    nothing_to_do="nothing shipped to return",
)


def _transition(batch: _Batch, command: OrderCommand, step: _Transition) -> ReservationOutcome:
    """Lock, move every line, advance: the shape of release, ship and return."""
    order_id = command.order_id
    record = batch.records.get(order_id)
    if record is None or record.status not in step.from_statuses:
        status = record.status if record else None
        if step is _SHIP and status != ReservationStatus.SHIPPED:
            log.warning(
                "order shipped without a reservation",
                extra={"order_id": str(order_id), "status": status},
            )
        return _unchanged(record, order_id, f"{step.nothing_to_do} ({status})")
    if is_stale(command.order_version, record.order_version):
        return _unchanged(record, order_id, "stale version")
    # Released: what is held goes back (a rejected order holds nothing). Shipped/returned:
    # the lines move on_hand and stay, as the record of what left and came back.
    lines = record.held() if step is _RELEASE else record.lines
    for product_id, quantity in lines.items():
        batch.move(
            command,
            product_id,
            step.cause,
            delta_on_hand=step.on_hand * quantity,
            delta_reserved=step.reserved * quantity,
        )
    record.status = step.to
    if not step.keeps_lines and record.lines:
        record.set_lines({})
    record.advance(command.order_version, command.event_id)
    batch.watch(command, lines)
    return ReservationOutcome(order_id, record.status, applied=True)


def _release(batch: _Batch, command: OrderCommand) -> ReservationOutcome:
    if command.order_id not in batch.records:
        # Not seen yet: a released record, so its late order.created reserves nothing.
        record = batch.records[command.order_id] = _Record(
            command.order_id,
            SALE,
            command.order_version,
            ReservationStatus.RELEASED,
            command.event_id,
            {},
            changed=True,
        )
        return ReservationOutcome(command.order_id, record.status, applied=True)
    return _transition(batch, command, _RELEASE)


def _receive(batch: _Batch, command: OrderCommand) -> ReservationOutcome:
    order_id, received = command.order_id, command.items
    if order_id in batch.records:
        return _unchanged(batch.records[order_id], order_id, "already received")
    known = [pid for pid in received if pid in batch.levels and not batch.levels[pid].deleted]
    skipped = tuple(pid for pid in received if pid not in known)
    if skipped:
        log.warning(
            "replenishment lines of unknown or deleted products skipped",
            extra={"order_id": str(order_id), "product_ids": [str(p) for p in skipped]},
        )
    for product_id in known:
        batch.move(
            command,
            product_id,
            LedgerCause.REPLENISHMENT_RECEIVED,
            delta_on_hand=received[product_id],
        )
    record = batch.records[order_id] = _Record(
        order_id,
        REPLENISHMENT,
        command.order_version,
        ReservationStatus.RECEIVED,
        command.event_id,
        {},
        changed=True,
    )
    record.set_lines({pid: received[pid] for pid in known})
    batch.watch(command, known)
    return ReservationOutcome(order_id, record.status, applied=True, skipped_product_ids=skipped)


_USE_CASES: dict[Action, Callable[[_Batch, OrderCommand], ReservationOutcome]] = {
    Action.RESERVE: _reserve,
    Action.RELEASE: _release,
    Action.SHIP: lambda batch, command: _transition(batch, command, _SHIP),
    Action.RETURN: lambda batch, command: _transition(batch, command, _RETURN),
    Action.RECEIVE: _receive,
}


def _unchanged(record: _Record | None, order_id: uuid.UUID, reason: str) -> ReservationOutcome:
    log.info("order event changes nothing", extra={"order_id": str(order_id), "reason": reason})
    return ReservationOutcome(
        order_id, record.status if record else None, applied=False, reason=reason
    )


# -- reading the input ------------------------------------------------------------------


def order_command(event: Event) -> OrderCommand:
    """What an order event asks of the stock, as docs/events.md describes.

    Raises shared.events.InvalidEvent for data no order could have (it can never succeed).
    """
    data = data_of(event)
    if not isinstance(data, OrderCreated | OrderItemsChanged | OrderStatusChanged):
        return OrderCommand(Action.IGNORE, uuid.UUID(int=0), 0, reason=f"event {event.type}")
    order_id, version = data.order_id, data.order_version

    def command(action: Action, items: Mapping[uuid.UUID, int] | None = None) -> OrderCommand:
        actor = data.by if isinstance(data, OrderStatusChanged) else None
        return OrderCommand(
            action,
            order_id,
            version,
            items or {},
            event_id=_uuid(event.id, "id"),
            actor=str(actor or event.source or SERVICE_NAME)[:200],
            correlation_id=event.correlation_id or event.id,
        )

    def ignore(reason: str) -> OrderCommand:
        return OrderCommand(Action.IGNORE, order_id, version, reason=reason)

    if not isinstance(data, OrderStatusChanged):
        if data.order_type == REPLENISHMENT:
            # Incoming goods count when they are delivered, not when they are ordered.
            return ignore("replenishment orders reserve nothing")
        return command(Action.RESERVE, _lines(data.items))
    to = data.to_status
    if data.order_type == REPLENISHMENT:
        if to == "delivered" and not data.deleted:
            return command(Action.RECEIVE, _lines(data.items))
        return ignore(f"replenishment {to}")
    if data.deleted or to == "cancelled":
        return command(Action.RELEASE)
    if to == "shipped":
        return command(Action.SHIP)
    if to == "returned":
        return command(Action.RETURN)
    return ignore(f"status {to}")


def _lines(items: OrderLines) -> dict[uuid.UUID, int]:
    if isinstance(items, Mapping):
        pairs = [(_uuid(pid, "product_id"), q) for pid, q in items.items()]
    else:
        pairs = [
            (line.product_id, line.quantity)
            if isinstance(line, OrderLine)
            else (_uuid(line.get("product_id"), "product_id"), line.get("quantity"))
            for line in items
        ]
    try:
        return merge_lines(pairs)
    except InvalidOrderLines as exc:
        raise InvalidEvent(str(exc)) from exc


def _uuid(value: Any, name: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise InvalidEvent(f"{name} must be a UUID") from exc
