"""The reservation rules on plain values: no database, no app, no broker.

test_stock_reservations.py proves the same behaviour through PostgreSQL.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, replace

import pytest

from shared.events import (
    EventType,
    InvalidEvent,
    OrderLine,
    StockLow,
    StockRejected,
    StockReserved,
    new_event,
)
from shared.events import Shortage as EventShortage
from stock_service.domain.order_commands import Action, OrderCommand, order_command
from stock_service.domain.reservations import (
    ReservationBook,
    ReservationRecord,
    StockMove,
    StockNotice,
    apply_command,
    products_touched,
)
from stock_service.domain.stock import LedgerCause, ReservationStatus, Shortage

A, B, C = sorted(uuid.uuid4() for _ in range(3))
ORDER = uuid.uuid4()
EVENT = uuid.uuid4()


@dataclass
class Level:
    """A product's stock level as the rules see it (what ledger.StockRow is in production)."""

    product_id: uuid.UUID
    on_hand: int
    reserved: int = 0
    low_stock: bool = False
    changed: bool = False
    ideal_quantity: int = 0
    active: bool = True
    deleted: bool = False
    name: str | None = None


def book_of(*levels: Level, records: tuple[ReservationRecord, ...] = ()) -> ReservationBook:
    return ReservationBook(
        {r.order_id: r for r in records}, {lv.product_id: lv for lv in levels}, low_stock_percent=20
    )


def command(action: Action, version: int, items=None, order_id=ORDER, **fields) -> OrderCommand:
    return OrderCommand(
        action,
        order_id,
        version,
        dict(sorted((items or {}).items())),
        event_id=EVENT,
        actor="order_service",
        correlation_id="corr-1",
        **fields,
    )


def reserving(items, version=1, order_id=ORDER) -> OrderCommand:
    return command(Action.RESERVE, version, items, order_id)


def record(status: ReservationStatus, version: int, lines, order_type="sale") -> ReservationRecord:
    return ReservationRecord(ORDER, order_type, version, status, None, dict(lines))


def levels_of(book: ReservationBook) -> dict[uuid.UUID, tuple[int, int]]:
    return {pid: (lv.on_hand, lv.reserved) for pid, lv in book.stock.items()}


def move(product_id, cause, on_hand_after, reserved_after, *, on_hand=0, reserved=0) -> StockMove:
    return StockMove(
        product_id,
        on_hand,
        reserved,
        on_hand_after,
        reserved_after,
        cause,
        ORDER,
        EVENT,
        "order_service",
    )


# -- reserving --------------------------------------------------------------------------


def test_an_order_with_enough_stock_holds_every_line_and_publishes_stock_reserved():
    book = book_of(Level(A, on_hand=10), Level(B, on_hand=5))

    outcome = apply_command(book, reserving({A: 3, B: 5}))

    assert (outcome.status, outcome.applied, outcome.shortages) == ("reserved", True, ())
    assert levels_of(book) == {A: (10, 3), B: (5, 5)}
    assert book.moves == [
        move(A, LedgerCause.ORDER_RESERVED, 10, 3, reserved=3),
        move(B, LedgerCause.ORDER_RESERVED, 5, 5, reserved=5),
    ]
    assert book.events == [
        StockNotice(
            StockReserved(
                order_id=ORDER, order_version=1, items=[OrderLine(A, 3), OrderLine(B, 5)]
            ),
            "corr-1",
        )
    ]
    [changed] = book.changed_records()
    assert (changed.status, changed.lines, changed.last_event_id) == (
        "reserved",
        {A: 3, B: 5},
        EVENT,
    )
    assert changed.lines_changed
    assert all(level.changed for level in book.stock.values())


def test_an_order_short_on_one_line_holds_nothing_and_publishes_stock_rejected():
    book = book_of(Level(A, on_hand=100), Level(B, on_hand=2))

    outcome = apply_command(book, reserving({A: 10, B: 3}))

    assert outcome.status == "rejected"
    assert outcome.shortages == (Shortage(B, 3, 2),)
    assert levels_of(book) == {A: (100, 0), B: (2, 0)}
    assert book.moves == []
    assert book.events == [
        StockNotice(
            StockRejected(order_id=ORDER, order_version=1, shortages=[EventShortage(B, 3, 2)]),
            "corr-1",
        )
    ]
    assert book.records[ORDER].changed and book.records[ORDER].lines == {}
    assert not any(level.changed for level in book.stock.values())


def test_unknown_inactive_and_deleted_products_are_short_with_nothing_available():
    unknown = uuid.uuid4()
    book = book_of(Level(A, on_hand=10, active=False), Level(B, on_hand=10, deleted=True))

    outcome = apply_command(book, reserving({A: 1, B: 1, unknown: 1}))

    assert outcome.status == "rejected"
    assert {(s.product_id, s.available) for s in outcome.shortages} == {
        (A, 0),
        (B, 0),
        (unknown, 0),
    }


def test_a_newer_item_list_releases_the_old_lines_before_reserving_the_new_ones():
    held = record(ReservationStatus.RESERVED, 1, {A: 5, B: 2})
    book = book_of(
        Level(A, on_hand=10, reserved=5),
        Level(B, on_hand=10, reserved=2),
        Level(C, on_hand=3),
        records=(held,),
    )

    outcome = apply_command(book, reserving({A: 10, C: 1}, version=2))

    assert outcome.status == "reserved"
    assert book.moves == [
        move(A, LedgerCause.ORDER_RELEASED, 10, 0, reserved=-5),
        move(B, LedgerCause.ORDER_RELEASED, 10, 0, reserved=-2),
        # The released units count as free: all ten of A are held again.
        move(A, LedgerCause.ORDER_RESERVED, 10, 10, reserved=10),
        move(C, LedgerCause.ORDER_RESERVED, 3, 1, reserved=1),
    ]
    assert levels_of(book) == {A: (10, 10), B: (10, 0), C: (3, 1)}
    assert (book.records[ORDER].lines, book.records[ORDER].order_version) == ({A: 10, C: 1}, 2)


def test_a_newer_item_list_that_is_short_leaves_the_order_holding_nothing():
    held = record(ReservationStatus.RESERVED, 1, {A: 2})
    book = book_of(Level(A, on_hand=5, reserved=2), records=(held,))

    outcome = apply_command(book, reserving({A: 6}, version=2))

    assert outcome.status == "rejected"
    assert outcome.shortages == (Shortage(A, 6, 5),)  # what the order held counts as free
    assert levels_of(book) == {A: (5, 0)}
    assert book.moves == [move(A, LedgerCause.ORDER_RELEASED, 5, 0, reserved=-2)]
    assert book.records[ORDER].lines == {} and book.records[ORDER].lines_changed


@pytest.mark.parametrize(
    ("status", "recorded_version", "incoming_version"),
    [
        (ReservationStatus.RESERVED, 2, 2),  # the same event again
        (ReservationStatus.RESERVED, 2, 1),  # an older version after a newer one
        (ReservationStatus.REJECTED, 3, 2),
        (ReservationStatus.RELEASED, 1, 2),  # cancelled: final
        (ReservationStatus.SHIPPED, 2, 3),
        (ReservationStatus.RETURNED, 3, 4),
    ],
)
def test_a_duplicate_stale_or_final_reservation_changes_nothing(
    status, recorded_version, incoming_version
):
    holds = status in {
        ReservationStatus.RESERVED,
        ReservationStatus.SHIPPED,
        ReservationStatus.RETURNED,
    }
    lines = {A: 4} if holds else {}
    known = record(status, recorded_version, lines)
    book = book_of(Level(A, on_hand=10, reserved=4), records=(known,))
    before = copy.deepcopy(book)

    outcome = apply_command(book, reserving({A: 1}, version=incoming_version))

    assert not outcome.applied and outcome.status == status
    assert book == before


# -- the rest of the order's life -------------------------------------------------------


def test_cancel_gives_back_what_the_order_holds_once():
    held = record(ReservationStatus.RESERVED, 1, {A: 4})
    book = book_of(Level(A, on_hand=10, reserved=4), records=(held,))

    outcome = apply_command(book, command(Action.RELEASE, 2))
    again = apply_command(book, command(Action.RELEASE, 2))

    assert outcome.status == "released" and outcome.applied and not again.applied
    assert levels_of(book) == {A: (10, 0)}
    assert book.moves == [move(A, LedgerCause.ORDER_RELEASED, 10, 0, reserved=-4)]
    assert book.records[ORDER].lines == {} and book.records[ORDER].order_version == 2
    assert book.events == []


def test_cancelling_a_rejected_order_moves_nothing():
    book = book_of(Level(A, on_hand=1), records=(record(ReservationStatus.REJECTED, 1, {}),))

    outcome = apply_command(book, command(Action.RELEASE, 2))

    assert outcome.status == "released"
    assert book.moves == [] and not book.stock[A].changed


def test_a_cancellation_before_the_creation_makes_the_late_creation_reserve_nothing():
    book = book_of(Level(A, on_hand=10))

    cancelled = apply_command(book, command(Action.RELEASE, 1))
    late = apply_command(book, reserving({A: 3}, version=1))

    assert (cancelled.status, cancelled.applied) == ("released", True)
    assert not late.applied
    assert levels_of(book) == {A: (10, 0)} and book.moves == []
    assert book.records[ORDER].changed  # the released record is written


def test_ship_takes_the_units_out_of_on_hand_and_reserved_and_keeps_the_lines():
    held = record(ReservationStatus.RESERVED, 1, {A: 4})
    book = book_of(Level(A, on_hand=10, reserved=4), records=(held,))

    shipped = apply_command(book, command(Action.SHIP, 3))
    again = apply_command(book, command(Action.SHIP, 3))
    cancel = apply_command(book, command(Action.RELEASE, 4))

    assert shipped.status == "shipped" and not again.applied and not cancel.applied
    assert levels_of(book) == {A: (6, 0)}
    assert book.moves == [move(A, LedgerCause.ORDER_SHIPPED, 6, 0, on_hand=-4, reserved=-4)]
    assert book.records[ORDER].lines == {A: 4} and not book.records[ORDER].lines_changed


def test_shipping_without_a_reservation_changes_nothing_and_warns(caplog):
    book = book_of(Level(A, on_hand=10), records=(record(ReservationStatus.REJECTED, 1, {}),))

    outcome = apply_command(book, command(Action.SHIP, 2))

    assert not outcome.applied and book.moves == []
    assert "order shipped without a reservation" in caplog.text


def test_a_stale_ship_changes_nothing():
    held = record(ReservationStatus.RESERVED, 3, {A: 4})
    book = book_of(Level(A, on_hand=10, reserved=4), records=(held,))

    outcome = apply_command(book, command(Action.SHIP, 2))

    assert (outcome.applied, outcome.reason) == (False, "stale version")
    assert levels_of(book) == {A: (10, 4)}


def test_a_return_restocks_what_was_shipped_once():
    shipped = record(ReservationStatus.SHIPPED, 3, {A: 4})
    book = book_of(Level(A, on_hand=6), records=(shipped,))

    returned = apply_command(book, command(Action.RETURN, 5))
    again = apply_command(book, command(Action.RETURN, 5))

    assert returned.status == "returned" and not again.applied
    assert levels_of(book) == {A: (10, 0)}
    assert book.moves == [move(A, LedgerCause.ORDER_RETURNED, 10, 0, on_hand=4)]


def test_an_order_that_was_never_shipped_cannot_be_returned():
    held = record(ReservationStatus.RESERVED, 1, {A: 4})
    book = book_of(Level(A, on_hand=10, reserved=4), records=(held,))

    assert not apply_command(book, command(Action.RETURN, 2)).applied
    assert book.moves == []


def test_a_delivered_replenishment_is_received_once_skipping_unknown_and_deleted_products():
    unknown = uuid.uuid4()
    book = book_of(Level(A, on_hand=2), Level(B, on_hand=0, deleted=True))
    delivered = command(Action.RECEIVE, 4, {A: 30, B: 1, unknown: 5})

    first = apply_command(book, delivered)
    second = apply_command(book, delivered)

    assert first.status == "received"
    assert set(first.skipped_product_ids) == {B, unknown}
    assert not second.applied
    assert levels_of(book) == {A: (32, 0), B: (0, 0)}
    assert book.moves == [move(A, LedgerCause.REPLENISHMENT_RECEIVED, 32, 0, on_hand=30)]
    received = book.records[ORDER]
    assert (received.order_type, received.lines) == ("replenishment", {A: 30})


# -- stock.low --------------------------------------------------------------------------


def low(available: int) -> StockNotice:
    return StockNotice(
        StockLow(product_id=A, available=available, ideal_quantity=100, product_name="Feijão"),
        "corr-1",
    )


def test_stock_low_is_published_once_per_crossing_and_rearmed_above():
    book = book_of(Level(A, on_hand=100, ideal_quantity=100, name="Feijão"))  # low below 20
    first, second, third, fourth = (uuid.uuid4() for _ in range(4))

    apply_command(book, reserving({A: 79}, order_id=first))  # 21: above
    apply_command(book, reserving({A: 2}, order_id=second))  # 19: crosses below
    apply_command(book, reserving({A: 5}, order_id=third))  # 14: still below
    apply_command(book, command(Action.RELEASE, 2, order_id=second))  # 16: still below
    # Receiving brings it above the threshold, then a new order drops it below again.
    apply_command(book, command(Action.RECEIVE, 1, {A: 10}, order_id=uuid.uuid4()))  # 26
    apply_command(book, reserving({A: 10}, order_id=fourth))  # 16: a second crossing

    assert [n for n in book.events if isinstance(n.data, StockLow)] == [low(19), low(16)]
    assert book.stock[A].low_stock is True


def test_a_product_without_an_ideal_quantity_is_never_low():
    book = book_of(Level(A, on_hand=1))

    apply_command(book, reserving({A: 1}))

    assert [n for n in book.events if isinstance(n.data, StockLow)] == []
    assert book.stock[A].low_stock is False


# -- a batch ----------------------------------------------------------------------------


def _scenario() -> list[OrderCommand]:
    """A mixed life of several orders over shared products, as one delivered batch would be."""
    one, two, three, four, five = (uuid.uuid4() for _ in range(5))
    return [
        reserving({A: 6, B: 2}, order_id=one),
        reserving({A: 5}, order_id=two),  # short: 4 left
        reserving({A: 3, C: 1}, version=2, order_id=one),
        reserving({A: 5}, version=2, order_id=two),  # 7 left
        reserving({A: 1}, order_id=one),  # stale
        command(Action.RELEASE, 1, order_id=three),  # before its creation
        reserving({B: 1}, order_id=three),  # reserves nothing
        command(Action.SHIP, 3, order_id=one),
        command(Action.RETURN, 4, order_id=one),
        reserving({B: 9, C: 1}, order_id=four),
        command(Action.SHIP, 2, order_id=four),
        command(Action.RELEASE, 3, order_id=two),
        command(Action.RECEIVE, 2, {C: 4, B: 1}, order_id=five),
        command(Action.IGNORE, 3, order_id=four, reason="status approved"),
    ]


def _levels() -> list[Level]:
    return [
        Level(A, on_hand=10, ideal_quantity=20),
        Level(B, on_hand=12, ideal_quantity=50),
        Level(C, on_hand=2),
    ]


def test_a_batch_decides_what_applying_its_commands_one_by_one_decides():
    commands = _scenario()
    batch = book_of(*_levels())
    together = [apply_command(batch, c) for c in commands]

    # One by one: each command on the state the previous one left, as separate transactions.
    levels = {lv.product_id: lv for lv in _levels()}
    records: dict[uuid.UUID, ReservationRecord] = {}
    alone, moves, events = [], [], []
    for c in commands:
        book = ReservationBook(
            {k: replace(r, changed=False, lines_changed=False) for k, r in records.items()},
            levels,
            low_stock_percent=20,
        )
        alone.append(apply_command(book, c))
        moves += book.moves
        events += book.events
        records = book.records

    assert together == alone
    assert batch.moves == moves and batch.events == events
    assert {k: (lv.on_hand, lv.reserved, lv.low_stock) for k, lv in batch.stock.items()} == {
        k: (lv.on_hand, lv.reserved, lv.low_stock) for k, lv in levels.items()
    }
    assert {k: (r.status, r.order_version, r.lines) for k, r in batch.records.items()} == {
        k: (r.status, r.order_version, r.lines) for k, r in records.items()
    }
    assert [(o.status, o.applied) for o in together] == [
        ("reserved", True),
        ("rejected", True),
        ("reserved", True),
        ("reserved", True),
        ("reserved", False),  # stale
        ("released", True),
        ("released", False),  # created after its cancellation
        ("shipped", True),
        ("returned", True),
        ("reserved", True),
        ("shipped", True),
        ("released", True),
        ("received", True),
        (None, False),
    ]


def test_the_products_a_batch_may_move_are_its_items_and_the_lines_its_orders_hold():
    held = record(ReservationStatus.RESERVED, 1, {A: 1})

    touched = products_touched([reserving({B: 1}), command(Action.RELEASE, 2)], {ORDER: held})

    assert touched == {A, B}


# -- reading order events ---------------------------------------------------------------


def sale(event_type: EventType, **data):
    body = {"order_id": str(ORDER), "order_version": 3, "order_type": "sale", **data}
    if event_type == EventType.ORDER_STATUS_CHANGED:
        body.setdefault("from", "pending")
    return new_event(event_type, body, source="order_service", correlation_id="corr-7")


def replenishment(to: str, **data):
    return sale(EventType.ORDER_STATUS_CHANGED, order_type="replenishment", to=to, **data)


ITEMS = [{"product_id": str(B), "quantity": 2}, {"product_id": str(A), "quantity": 1}]


@pytest.mark.parametrize(
    ("event", "action"),
    [
        (sale(EventType.ORDER_CREATED, items=ITEMS), Action.RESERVE),
        (sale(EventType.ORDER_ITEMS_CHANGED, items=ITEMS), Action.RESERVE),
        (sale(EventType.ORDER_CREATED, items=ITEMS, order_type="replenishment"), Action.IGNORE),
        (sale(EventType.ORDER_STATUS_CHANGED, to="cancelled"), Action.RELEASE),
        (sale(EventType.ORDER_STATUS_CHANGED, to="pending", deleted=True), Action.RELEASE),
        (sale(EventType.ORDER_STATUS_CHANGED, to="shipped"), Action.SHIP),
        (sale(EventType.ORDER_STATUS_CHANGED, to="returned"), Action.RETURN),
        (sale(EventType.ORDER_STATUS_CHANGED, to="approved"), Action.IGNORE),
        (replenishment("delivered", items=ITEMS), Action.RECEIVE),
        (replenishment("delivered", items=ITEMS, deleted=True), Action.IGNORE),
        (replenishment("shipped", items=ITEMS), Action.IGNORE),
    ],
)
def test_each_order_event_asks_the_stock_for_one_action(event, action):
    assert order_command(event).action is action


def test_a_command_carries_the_order_its_lines_and_who_asked():
    event = sale(EventType.ORDER_STATUS_CHANGED, to="cancelled", by="staff-1")

    released = order_command(event)
    reserve = order_command(sale(EventType.ORDER_CREATED, items=ITEMS + ITEMS))

    assert (released.order_id, released.order_version) == (ORDER, 3)
    assert (released.event_id, released.actor, released.correlation_id) == (
        uuid.UUID(event.id),
        "staff-1",
        "corr-7",
    )
    assert reserve.actor == "order_service"
    assert list(reserve.items.items()) == [(A, 2), (B, 4)]  # merged, in product order


def test_a_stock_event_asks_nothing_of_the_stock():
    data = {"product_id": str(A), "available": 1, "ideal_quantity": 10}
    event = new_event(EventType.STOCK_LOW, data, source="stock_service")

    assert order_command(event).action is Action.IGNORE


@pytest.mark.parametrize(
    "data",
    [
        {"order_version": 1, "items": []},
        {"order_id": "not-a-uuid", "order_version": 1, "items": []},
        {"order_id": str(ORDER), "order_version": "1", "items": []},
        {"order_id": str(ORDER), "order_version": 1, "items": [{"product_id": str(A)}]},
        {
            "order_id": str(ORDER),
            "order_version": 1,
            "items": [{"product_id": str(A), "quantity": 0}],
        },
    ],
)
def test_an_order_event_no_order_could_have_is_invalid(data):
    with pytest.raises(InvalidEvent):
        order_command(new_event(EventType.ORDER_CREATED, data, source="order_service"))


def test_the_rules_load_without_sqlalchemy():
    code = (
        "import sys, stock_service.domain.reservations; "
        "assert 'sqlalchemy' not in sys.modules, 'the rules import SQLAlchemy'"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
