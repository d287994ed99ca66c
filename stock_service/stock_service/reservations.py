"""Reservations: what the stock service does with an order's life, one transaction per event.

Callable without HTTP or a broker: each function takes a SQLAlchemy session, commits its own
transaction (shared.db.unit_of_work) and writes its outbox events inside it. A consumer may
claim the message (shared.inbox.claim_message) on the same session first: the claim is then
committed, or rolled back, together with the effect.

Idempotent by construction: a reservation record per order keeps the version applied and a
status, so a duplicate, a stale version or an event that makes no sense in the current
status changes nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db import unit_of_work
from shared.events import Event, EventType, InvalidEvent, new_event
from shared.outbox import record_event
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
from stock_service.ledger import lock_levels, move_stock, watch_low_stock
from stock_service.models import Product, Reservation, ReservationLine, StockLevel, outbox

log = logging.getLogger("pedidos.stock.reservations")

SALE = "sale"
REPLENISHMENT = "replenishment"

OrderLines = Iterable[Mapping[str, Any]] | Mapping[uuid.UUID, int]


@dataclass(frozen=True)
class ReservationOutcome:
    """What one call did to one order's reservation."""

    order_id: uuid.UUID
    status: str | None  # the reservation's status afterwards (None: no record)
    applied: bool  # False: duplicate, stale or meaningless here; nothing changed
    shortages: tuple[Shortage, ...] = ()
    skipped_product_ids: tuple[uuid.UUID, ...] = field(default_factory=tuple)
    reason: str = ""


# -- use cases --------------------------------------------------------------------------


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
    requested = _lines(items)
    with unit_of_work(session):
        reservation = _lock_order(session, order_id)
        recorded = reservation.order_version if reservation else None
        status = ReservationStatus(reservation.status) if reservation else None
        if not needs_reservation(order_version, recorded, status):
            return _unchanged(reservation, order_id, "already applied, stale or final")
        held = _held(reservation) if reservation else {}
        levels = lock_levels(session, set(requested) | set(held))
        touched: set[uuid.UUID] = set()
        # A newer item list starts from nothing held: release the old lines first.
        for product_id, quantity in held.items():
            move_stock(
                session,
                levels[product_id],
                cause=LedgerCause.ORDER_RELEASED,
                actor=actor,
                delta_reserved=-quantity,
                order_id=order_id,
                event_id=event_id,
            )
            touched.add(product_id)
        shortages = find_shortages(requested, _sellable(levels))
        if reservation is None:
            reservation = Reservation(order_id=order_id, order_type=SALE)
            session.add(reservation)
        reservation.order_version = order_version
        reservation.last_event_id = event_id
        if shortages:
            reservation.status = ReservationStatus.REJECTED
            _replace_lines(session, reservation, {})
            _record(
                session,
                EventType.STOCK_REJECTED,
                {
                    "order_id": str(order_id),
                    "order_version": order_version,
                    "shortages": [s.to_dict() for s in shortages],
                },
                correlation_id,
            )
        else:
            for product_id, quantity in requested.items():
                move_stock(
                    session,
                    levels[product_id],
                    cause=LedgerCause.ORDER_RESERVED,
                    actor=actor,
                    delta_reserved=quantity,
                    order_id=order_id,
                    event_id=event_id,
                )
                touched.add(product_id)
            reservation.status = ReservationStatus.RESERVED
            _replace_lines(session, reservation, requested)
            _record(
                session,
                EventType.STOCK_RESERVED,
                {
                    "order_id": str(order_id),
                    "order_version": order_version,
                    "items": [
                        {"product_id": str(pid), "quantity": q} for pid, q in requested.items()
                    ],
                },
                correlation_id,
            )
        _watch(session, levels, touched, low_stock_percent, correlation_id)
        return ReservationOutcome(
            order_id, reservation.status, applied=True, shortages=tuple(shortages)
        )


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
    with unit_of_work(session):
        reservation = _lock_order(session, order_id)
        if reservation is None:
            session.add(
                Reservation(
                    order_id=order_id,
                    order_type=SALE,
                    order_version=order_version,
                    status=ReservationStatus.RELEASED,
                    last_event_id=event_id,
                )
            )
            return ReservationOutcome(order_id, ReservationStatus.RELEASED, applied=True)
        if is_stale(order_version, reservation.order_version):
            return _unchanged(reservation, order_id, "stale version")
        if reservation.status not in (ReservationStatus.RESERVED, ReservationStatus.REJECTED):
            return _unchanged(reservation, order_id, f"nothing to release ({reservation.status})")
        held = _held(reservation)
        levels = lock_levels(session, held)
        for product_id, quantity in held.items():
            move_stock(
                session,
                levels[product_id],
                cause=LedgerCause.ORDER_RELEASED,
                actor=actor,
                delta_reserved=-quantity,
                order_id=order_id,
                event_id=event_id,
            )
        reservation.status = ReservationStatus.RELEASED
        reservation.lines = []
        _advance(reservation, order_version, event_id)
        _watch(session, levels, set(held), low_stock_percent, correlation_id)
        return ReservationOutcome(order_id, reservation.status, applied=True)


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
    with unit_of_work(session):
        reservation = _lock_order(session, order_id)
        if reservation is None or reservation.status != ReservationStatus.RESERVED:
            if reservation is None or reservation.status != ReservationStatus.SHIPPED:
                log.warning(
                    "order shipped without a reservation",
                    extra={
                        "order_id": str(order_id),
                        "status": getattr(reservation, "status", None),
                    },
                )
            return _unchanged(reservation, order_id, "no reservation to ship")
        if is_stale(order_version, reservation.order_version):
            return _unchanged(reservation, order_id, "stale version")
        lines = _held(reservation)
        levels = lock_levels(session, lines)
        for product_id, quantity in lines.items():
            move_stock(
                session,
                levels[product_id],
                cause=LedgerCause.ORDER_SHIPPED,
                actor=actor,
                delta_on_hand=-quantity,
                delta_reserved=-quantity,
                order_id=order_id,
                event_id=event_id,
            )
        reservation.status = ReservationStatus.SHIPPED
        _advance(reservation, order_version, event_id)
        _watch(session, levels, set(lines), low_stock_percent, correlation_id)
        return ReservationOutcome(order_id, reservation.status, applied=True)


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
    with unit_of_work(session):
        reservation = _lock_order(session, order_id)
        if reservation is None or reservation.status != ReservationStatus.SHIPPED:
            return _unchanged(reservation, order_id, "nothing shipped to return")
        if is_stale(order_version, reservation.order_version):
            return _unchanged(reservation, order_id, "stale version")
        lines = {line.product_id: line.quantity for line in reservation.lines}
        levels = lock_levels(session, lines)
        for product_id, quantity in lines.items():
            move_stock(
                session,
                levels[product_id],
                cause=LedgerCause.ORDER_RETURNED,
                actor=actor,
                delta_on_hand=quantity,
                order_id=order_id,
                event_id=event_id,
            )
        reservation.status = ReservationStatus.RETURNED
        _advance(reservation, order_version, event_id)
        _watch(session, levels, set(lines), low_stock_percent, correlation_id)
        return ReservationOutcome(order_id, reservation.status, applied=True)


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
    received = _lines(items)
    with unit_of_work(session):
        reservation = _lock_order(session, order_id)
        if reservation is not None:
            return _unchanged(reservation, order_id, "already received")
        levels = {
            product_id: level
            for product_id, level in lock_levels(session, received).items()
            if level.product.deleted_at is None
        }
        skipped = tuple(pid for pid in received if pid not in levels)
        if skipped:
            log.warning(
                "replenishment lines of unknown or deleted products skipped",
                extra={"order_id": str(order_id), "product_ids": [str(p) for p in skipped]},
            )
        reservation = Reservation(
            order_id=order_id,
            order_type=REPLENISHMENT,
            status=ReservationStatus.RECEIVED,
            order_version=order_version,
            last_event_id=event_id,
        )
        session.add(reservation)
        for product_id, level in levels.items():
            move_stock(
                session,
                level,
                cause=LedgerCause.REPLENISHMENT_RECEIVED,
                actor=actor,
                delta_on_hand=received[product_id],
                order_id=order_id,
                event_id=event_id,
            )
        _replace_lines(session, reservation, {pid: received[pid] for pid in levels})
        _watch(session, levels, set(levels), low_stock_percent, correlation_id)
        return ReservationOutcome(
            order_id, reservation.status, applied=True, skipped_product_ids=skipped
        )


def apply_order_event(
    session: Session, event: Event, *, low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT
) -> ReservationOutcome:
    """Route one order event to its use case, as docs/events.md describes.

    Always ends the session's transaction: committed when the event is applied or ignored
    (so a message claimed on this session is recorded as processed), rolled back on error.
    Raises shared.events.InvalidEvent for data no order could have (it can never succeed).
    """
    data = event.data
    order_id = _uuid(data.get("order_id"), "order_id")
    version = data.get("order_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise InvalidEvent("order_version must be a non-negative integer")
    order_type = data.get("order_type") or SALE
    if order_type not in (SALE, REPLENISHMENT):
        raise InvalidEvent(f"unknown order_type {order_type!r}")
    context: dict[str, Any] = {
        "order_id": order_id,
        "order_version": version,
        "event_id": _uuid(event.id, "id"),
        "correlation_id": event.correlation_id or event.id,
        "low_stock_percent": low_stock_percent,
        "actor": str(data.get("by") or event.source or SERVICE_NAME)[:200],
    }
    if event.type in (EventType.ORDER_CREATED, EventType.ORDER_ITEMS_CHANGED):
        if order_type == REPLENISHMENT:
            # Incoming goods count when they are delivered, not when they are ordered.
            return _ignore(session, order_id, "replenishment orders reserve nothing")
        return reserve_for_order(session, items=_event_items(data), **context)
    if event.type == EventType.ORDER_STATUS_CHANGED:
        to = data.get("to")
        if order_type == REPLENISHMENT:
            if to == "delivered" and not data.get("deleted"):
                return receive_replenishment(session, items=_event_items(data), **context)
            return _ignore(session, order_id, f"replenishment {to}")
        if data.get("deleted") or to == "cancelled":
            return release_for_order(session, **context)
        if to == "shipped":
            return ship_order(session, **context)
        if to == "returned":
            return return_order(session, **context)
        return _ignore(session, order_id, f"status {to}")
    return _ignore(session, order_id, f"event {event.type}")


# -- inside a transaction ---------------------------------------------------------------


def _lock_order(session: Session, order_id: uuid.UUID) -> Reservation | None:
    """Serialise everything that happens to one order, even before its record exists.

    A transaction-scoped advisory lock on the order id: two deliveries about the same new
    order cannot both see "no record" and reserve twice. Taken before any stock row, so the
    lock order stays: order, then stock rows by product id.
    """
    session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(str(order_id), 0))))
    return session.scalars(
        select(Reservation)
        .where(Reservation.order_id == order_id)
        .execution_options(populate_existing=True)
    ).one_or_none()


def _held(reservation: Reservation) -> dict[uuid.UUID, int]:
    """The units the order holds now (nothing unless it is reserved)."""
    if reservation.status != ReservationStatus.RESERVED:
        return {}
    return {line.product_id: line.quantity for line in reservation.lines}


def _sellable(levels: Mapping[uuid.UUID, StockLevel]) -> dict[uuid.UUID, int]:
    """Free units of products that may be sold; inactive or deleted ones have none."""
    return {
        product_id: level.on_hand - level.reserved
        for product_id, level in levels.items()
        if _is_sellable(level.product)
    }


def _is_sellable(product: Product) -> bool:
    return product.active and product.deleted_at is None


def _replace_lines(
    session: Session, reservation: Reservation, lines: Mapping[uuid.UUID, int]
) -> None:
    # Delete the old rows before inserting new ones with the same primary key.
    reservation.lines = []
    session.flush()
    reservation.lines = [
        ReservationLine(product_id=pid, quantity=quantity) for pid, quantity in lines.items()
    ]


def _advance(reservation: Reservation, order_version: int, event_id: uuid.UUID | None) -> None:
    reservation.order_version = max(reservation.order_version, order_version)
    reservation.last_event_id = event_id


def _watch(
    session: Session,
    levels: Mapping[uuid.UUID, StockLevel],
    product_ids: set[uuid.UUID],
    percent: int,
    correlation_id: str | None,
) -> None:
    for product_id in sorted(product_ids):
        level = levels[product_id]
        watch_low_stock(
            session, level, level.product, percent=percent, correlation_id=correlation_id
        )


def _record(
    session: Session, event_type: EventType, data: dict[str, Any], correlation_id: str | None
) -> None:
    record_event(
        session,
        outbox,
        new_event(event_type, data, source=SERVICE_NAME, correlation_id=correlation_id),
    )


def _ignore(session: Session, order_id: uuid.UUID, reason: str) -> ReservationOutcome:
    """An event with nothing to do for the stock: end the transaction all the same."""
    with unit_of_work(session):
        return ReservationOutcome(order_id, None, applied=False, reason=reason)


def _unchanged(
    reservation: Reservation | None, order_id: uuid.UUID, reason: str
) -> ReservationOutcome:
    log.info("order event changes nothing", extra={"order_id": str(order_id), "reason": reason})
    return ReservationOutcome(
        order_id, reservation.status if reservation else None, applied=False, reason=reason
    )


# -- reading the input ------------------------------------------------------------------


def _lines(items: OrderLines) -> dict[uuid.UUID, int]:
    if isinstance(items, Mapping):
        pairs = [(_uuid(pid, "product_id"), q) for pid, q in items.items()]
    else:
        pairs = [(_uuid(i.get("product_id"), "product_id"), i.get("quantity")) for i in items]
    try:
        return merge_lines(pairs)
    except InvalidOrderLines as exc:
        raise InvalidEvent(str(exc)) from exc


def _event_items(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    items = data.get("items")
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise InvalidEvent("items must be a list of {product_id, quantity}")
    return items


def _uuid(value: Any, name: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise InvalidEvent(f"{name} must be a UUID") from exc
