"""Rules of reservations: what each order event does to the order's record and to the stock.

Plain Python (no Flask, no SQLAlchemy). `stock_service.reservations` locks and loads a
batch's records and stock levels, hands them here as a `ReservationBook`, applies each
command in delivery order with `apply_command`, and writes what the rules decided: the
changed records, the ledger entries (`StockMove`) and the events to publish
(`StockNotice`), in the order they were decided.

Idempotent by construction: a reservation record per order keeps the version applied and a
status, so a duplicate, a stale version or an event that makes no sense in the current
status changes nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from shared.events import OrderLine, StockLow, StockRejected, StockReserved
from shared.events import Shortage as EventShortage
from stock_service.domain.order_commands import REPLENISHMENT, SALE, Action, OrderCommand
from stock_service.domain.stock import (
    LedgerCause,
    ReservationStatus,
    Shortage,
    check_low_stock,
    find_shortages,
    is_stale,
    needs_reservation,
)

# Named after the use case, not the module: the name operators filter the logs on.
log = logging.getLogger("pedidos.stock.reservations")


@dataclass(frozen=True)
class ReservationOutcome:
    """What one command did to one order's reservation."""

    order_id: uuid.UUID
    status: str | None  # the reservation's status afterwards (None: no record)
    applied: bool  # False: duplicate, stale or meaningless here; nothing changed
    shortages: tuple[Shortage, ...] = ()
    skipped_product_ids: tuple[uuid.UUID, ...] = field(default_factory=tuple)
    reason: str = ""


# -- what the rules work on ----------------------------------------------------------------


@dataclass
class ReservationRecord:
    """An order's reservation: the version applied, where it stands, the lines it holds or took.

    `changed` and `lines_changed` are the record's decisions: its row must be written, and
    its lines replace the ones stored.
    """

    order_id: uuid.UUID
    order_type: str
    order_version: int
    status: ReservationStatus
    last_event_id: uuid.UUID | None
    lines: dict[uuid.UUID, int]
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


class ProductStock(Protocol):
    """A product's locked stock level and what the rules need of the product.

    The rules change on_hand, reserved and low_stock in place and set `changed` when they
    do (stock_service.ledger.StockRow is one).
    """

    product_id: uuid.UUID
    on_hand: int
    reserved: int
    low_stock: bool
    changed: bool
    ideal_quantity: int
    active: bool
    deleted: bool
    name: str | None


class StockMove(NamedTuple):
    """One ledger entry to append: a change of a product's level, the level after it and why."""

    product_id: uuid.UUID
    delta_on_hand: int
    delta_reserved: int
    on_hand_after: int
    reserved_after: int
    cause: LedgerCause
    order_id: uuid.UUID
    event_id: uuid.UUID | None
    actor: str


@dataclass(frozen=True)
class StockNotice:
    """An event to publish: its data and the correlation id of the order event behind it."""

    data: StockReserved | StockRejected | StockLow
    correlation_id: str | None


@dataclass
class ReservationBook:
    """The records and stock a batch decides on, and what it decided so far, in order.

    `stock` holds every product the commands may move (`products_touched`); a product
    missing from it is unknown (nothing to sell, nothing to receive).
    """

    records: dict[uuid.UUID, ReservationRecord]
    stock: Mapping[uuid.UUID, ProductStock]
    low_stock_percent: int
    moves: list[StockMove] = field(default_factory=list)
    events: list[StockNotice] = field(default_factory=list)

    def changed_records(self) -> list[ReservationRecord]:
        """The records to write (loaded ones first, then new ones, as they came)."""
        return [record for record in self.records.values() if record.changed]

    def move(
        self,
        command: OrderCommand,
        product_id: uuid.UUID,
        cause: LedgerCause,
        *,
        on_hand: int = 0,
        reserved: int = 0,
    ) -> None:
        """Change a product's level for the command's order and note the ledger entry."""
        level = self.stock[product_id]
        level.on_hand += on_hand
        level.reserved += reserved
        level.changed = True
        self.moves.append(
            StockMove(
                product_id,
                on_hand,
                reserved,
                level.on_hand,
                level.reserved,
                cause,
                command.order_id,
                command.event_id,
                command.actor,
            )
        )

    def publish(self, command: OrderCommand, data: StockReserved | StockRejected) -> None:
        """The order service's answer, on the correlation of the event that asked."""
        self.events.append(StockNotice(data, command.correlation_id))

    def watch(self, command: OrderCommand, product_ids: Iterable[uuid.UUID]) -> None:
        """stock.low for each product that just crossed below its threshold (once per crossing)."""
        for product_id in sorted(product_ids):
            level = self.stock[product_id]
            available = level.on_hand - level.reserved
            check = check_low_stock(
                available=available,
                ideal_quantity=level.ideal_quantity,
                percent=self.low_stock_percent,
                flagged=level.low_stock,
            )
            if level.low_stock != check.flagged:
                level.low_stock = check.flagged
                level.changed = True
            if check.alert:
                low = StockLow(
                    product_id=product_id,
                    available=available,
                    ideal_quantity=level.ideal_quantity,
                    product_name=level.name,
                )
                self.events.append(StockNotice(low, command.correlation_id))


def products_touched(
    commands: Iterable[OrderCommand], records: Mapping[uuid.UUID, ReservationRecord]
) -> set[uuid.UUID]:
    """Every product the commands may move: their items and the lines their orders hold."""
    product_ids = {pid for command in commands for pid in command.items}
    product_ids.update(pid for record in records.values() for pid in record.lines)
    return product_ids


# -- the rules, one command at a time ------------------------------------------------------


def reserve(book: ReservationBook, command: OrderCommand) -> ReservationOutcome:
    """Reserve every line of a sale order or none; a newer item list replaces the old one.

    Publishes stock.reserved or stock.rejected. Unknown, inactive and deleted products are
    shortages with nothing available.
    """
    order_id, version, requested = command.order_id, command.order_version, command.items
    record = book.records.get(order_id)
    if not needs_reservation(
        version, record.order_version if record else None, record.status if record else None
    ):
        return _unchanged(record, order_id, "already applied, stale or final")
    touched: set[uuid.UUID] = set()
    # A newer item list starts from nothing held: release the old lines first.
    held = record.held() if record else {}
    for product_id, quantity in held.items():
        book.move(command, product_id, LedgerCause.ORDER_RELEASED, reserved=-quantity)
        touched.add(product_id)
    sellable = {
        pid: level.on_hand - level.reserved
        for pid in requested
        if (level := book.stock.get(pid)) is not None and level.active and not level.deleted
    }
    shortages = find_shortages(requested, sellable)
    if record is None:
        record = book.records[order_id] = ReservationRecord(
            order_id, SALE, version, ReservationStatus.REJECTED, None, {}
        )
    record.order_version = version
    record.last_event_id = command.event_id
    record.changed = True
    if shortages:
        record.status = ReservationStatus.REJECTED
        if record.lines:
            record.set_lines({})
        book.publish(
            command,
            StockRejected(
                order_id=order_id,
                order_version=version,
                shortages=[
                    EventShortage(s.product_id, s.requested, s.available) for s in shortages
                ],
            ),
        )
    else:
        for product_id, quantity in requested.items():
            book.move(command, product_id, LedgerCause.ORDER_RESERVED, reserved=quantity)
            touched.add(product_id)
        record.status = ReservationStatus.RESERVED
        record.set_lines(requested)
        book.publish(
            command,
            StockReserved(
                order_id=order_id,
                order_version=version,
                items=[OrderLine(pid, q) for pid, q in requested.items()],
            ),
        )
    book.watch(command, touched)
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


def _transition(
    book: ReservationBook, command: OrderCommand, step: _Transition
) -> ReservationOutcome:
    """Move every line and advance the record: the shape of release, ship and return."""
    order_id = command.order_id
    record = book.records.get(order_id)
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
        book.move(
            command,
            product_id,
            step.cause,
            on_hand=step.on_hand * quantity,
            reserved=step.reserved * quantity,
        )
    record.status = step.to
    if not step.keeps_lines and record.lines:
        record.set_lines({})
    record.advance(command.order_version, command.event_id)
    book.watch(command, lines)
    return ReservationOutcome(order_id, record.status, applied=True)


def release(book: ReservationBook, command: OrderCommand) -> ReservationOutcome:
    """Give back what a sale order holds (cancelled or deleted before shipping).

    An order not seen yet gets a `released` record, so its late `order.created` reserves
    nothing.
    """
    if command.order_id not in book.records:
        record = book.records[command.order_id] = ReservationRecord(
            command.order_id,
            SALE,
            command.order_version,
            ReservationStatus.RELEASED,
            command.event_id,
            {},
            changed=True,
        )
        return ReservationOutcome(command.order_id, record.status, applied=True)
    return _transition(book, command, _RELEASE)


def ship(book: ReservationBook, command: OrderCommand) -> ReservationOutcome:
    """The reserved units leave: on_hand and reserved both go down by each line's quantity."""
    return _transition(book, command, _SHIP)


def restock(book: ReservationBook, command: OrderCommand) -> ReservationOutcome:
    """Shipped units came back: on_hand goes up by each shipped line's quantity."""
    return _transition(book, command, _RETURN)


def receive(book: ReservationBook, command: OrderCommand) -> ReservationOutcome:
    """A delivered replenishment order adds its lines to on_hand, once.

    Lines of unknown or deleted products are skipped (and reported in the outcome).
    """
    order_id, received = command.order_id, command.items
    if order_id in book.records:
        return _unchanged(book.records[order_id], order_id, "already received")
    known = [
        pid for pid in received if (level := book.stock.get(pid)) is not None and not level.deleted
    ]
    skipped = tuple(pid for pid in received if pid not in known)
    if skipped:
        log.warning(
            "replenishment lines of unknown or deleted products skipped",
            extra={"order_id": str(order_id), "product_ids": [str(p) for p in skipped]},
        )
    for product_id in known:
        book.move(
            command, product_id, LedgerCause.REPLENISHMENT_RECEIVED, on_hand=received[product_id]
        )
    record = book.records[order_id] = ReservationRecord(
        order_id,
        REPLENISHMENT,
        command.order_version,
        ReservationStatus.RECEIVED,
        command.event_id,
        {},
        changed=True,
    )
    record.set_lines({pid: received[pid] for pid in known})
    book.watch(command, known)
    return ReservationOutcome(order_id, record.status, applied=True, skipped_product_ids=skipped)


RULES: dict[Action, Callable[[ReservationBook, OrderCommand], ReservationOutcome]] = {
    Action.RESERVE: reserve,
    Action.RELEASE: release,
    Action.SHIP: ship,
    Action.RETURN: restock,
    Action.RECEIVE: receive,
}


def apply_command(book: ReservationBook, command: OrderCommand) -> ReservationOutcome:
    """Apply one command to the book (an IGNORE command changes nothing)."""
    rule = RULES.get(command.action)
    if rule is None:
        return ReservationOutcome(command.order_id, None, False, reason=command.reason)
    return rule(book, command)


def _unchanged(
    record: ReservationRecord | None, order_id: uuid.UUID, reason: str
) -> ReservationOutcome:
    log.info("order event changes nothing", extra={"order_id": str(order_id), "reason": reason})
    return ReservationOutcome(
        order_id, record.status if record else None, applied=False, reason=reason
    )
