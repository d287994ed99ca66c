"""Reservations at the service level: real PostgreSQL, no HTTP, no broker.

The integration proof of the rules tested without a database in test_reservation_rules.py:
the same behaviour through the lock, load, apply and write of stock_service.reservations.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from shared import db as shared_db
from shared.db import unit_of_work
from shared.events import (
    Event,
    EventType,
    InvalidEvent,
    Shortage,
    StockRejected,
    data_of,
    new_event,
)
from shared.inbox import claim_message
from stock_service.models import Reservation, StockLevel, processed_messages
from stock_service.reservations import apply_order_event, apply_order_events
from stock_service.services import delete_product


def level_of(session, product_id) -> StockLevel:
    session.expire_all()
    return session.get(StockLevel, product_id)


def order_event(event_type, data, correlation_id="corr-9"):
    return new_event(event_type, data, source="order_service", correlation_id=correlation_id)


def sale_event(event_type, order_id, version, *, correlation_id="corr-9", **data):
    data = {"order_id": str(order_id), "order_version": version, "order_type": "sale", **data}
    if event_type == EventType.ORDER_STATUS_CHANGED:
        data.setdefault("from", "pending")
    return order_event(event_type, data, correlation_id)


def items_of(*lines):
    """Order lines of (product or product id, quantity) pairs."""
    return [{"product_id": str(getattr(p, "id", p)), "quantity": q} for p, q in lines]


def reserve(session, order_id, lines, *, version=1, correlation_id="corr-9"):
    """The order's `order.created` (version 1) or `order.items_changed`, applied."""
    kind = EventType.ORDER_CREATED if version == 1 else EventType.ORDER_ITEMS_CHANGED
    event = sale_event(
        kind, order_id, version, items=items_of(*lines), correlation_id=correlation_id
    )
    return apply_order_event(session, event)


def move_to(session, order_id, version, to, **data):
    """The order's `order.status_changed` to `to`, applied."""
    event = sale_event(EventType.ORDER_STATUS_CHANGED, order_id, version, to=to, **data)
    return apply_order_event(session, event)


def deliver_replenishment(session, order_id, version, lines):
    """A replenishment order's `order.status_changed` to `delivered`, applied."""
    data = {
        "order_id": str(order_id),
        "order_version": version,
        "order_type": "replenishment",
        "from": "shipped",
        "to": "delivered",
        "items": items_of(*lines),
    }
    return apply_order_event(session, order_event(EventType.ORDER_STATUS_CHANGED, data))


# -- reserving --------------------------------------------------------------------------


def test_reservation_holds_units_and_records_stock_reserved(
    session, make_product, ledger, outbox_events
):
    rice, beans = make_product(on_hand=10), make_product(on_hand=5)
    order_id = uuid.uuid4()
    created = sale_event(
        EventType.ORDER_CREATED,
        order_id,
        1,
        items=items_of((rice, 3), (beans, 5)),
        correlation_id="req-1",
    )

    outcome = apply_order_event(session, created)

    assert outcome.applied and outcome.status == "reserved"
    assert (level_of(session, rice.id).reserved, level_of(session, rice.id).available) == (3, 7)
    assert level_of(session, beans.id).available == 0
    entry = ledger(session, rice.id)[-1]
    assert (entry.cause, entry.delta_reserved, entry.delta_on_hand) == ("order_reserved", 3, 0)
    assert (entry.order_id, str(entry.event_id), entry.actor) == (
        order_id,
        created.id,
        "order_service",
    )
    assert (entry.on_hand_after, entry.reserved_after) == (10, 3)
    [event] = outbox_events(session, "stock.reserved", "order_id", str(order_id))
    assert event["source"] == "stock_service"
    assert event["correlation_id"] == "req-1"
    assert event["data"] == {
        "order_id": str(order_id),
        "order_version": 1,
        "items": sorted(
            [
                {"product_id": str(rice.id), "quantity": 3},
                {"product_id": str(beans.id), "quantity": 5},
            ],
            key=lambda i: i["product_id"],
        ),
    }


def test_the_same_reservation_applied_twice_reserves_once(session, make_product, ledger):
    product = make_product(on_hand=10)
    order_id = uuid.uuid4()

    first = reserve(session, order_id, [(product, 4)])
    second = reserve(session, order_id, [(product, 4)])

    assert first.applied and not second.applied
    assert level_of(session, product.id).reserved == 4
    assert [e.cause for e in ledger(session, product.id)] == ["initial", "order_reserved"]


def test_an_order_short_on_its_second_line_reserves_nothing(
    session, make_product, ledger, outbox_events
):
    plenty, scarce = make_product(on_hand=100), make_product(on_hand=2)
    order_id = uuid.uuid4()

    outcome = reserve(session, order_id, [(plenty, 10), (scarce, 3)], correlation_id="req-2")

    assert outcome.status == "rejected"
    assert level_of(session, plenty.id).reserved == 0
    assert level_of(session, scarce.id).reserved == 0
    assert [e.cause for e in ledger(session, plenty.id)] == ["initial"]
    [event] = outbox_events(session, "stock.rejected", "order_id", str(order_id))
    assert event["correlation_id"] == "req-2"
    assert event["data"] == {
        "order_id": str(order_id),
        "order_version": 1,
        "shortages": [{"product_id": str(scarce.id), "requested": 3, "available": 2}],
    }
    # What the order service's saga reads it as (shared.events, one definition for both).
    assert data_of(Event.from_dict(event), StockRejected) == StockRejected(
        order_id=order_id, order_version=1, shortages=[Shortage(scarce.id, 3, 2)]
    )
    assert outbox_events(session, "stock.reserved", "order_id", str(order_id)) == []


def test_unknown_inactive_and_deleted_products_are_shortages_with_nothing_available(
    session, make_product, outbox_events
):
    inactive = make_product(on_hand=10, active=False)
    deleted = make_product(on_hand=10)
    delete_product(session, deleted.id)
    unknown = uuid.uuid4()
    order_id = uuid.uuid4()

    outcome = reserve(session, order_id, [(inactive, 1), (deleted, 1), (unknown, 1)])

    assert outcome.status == "rejected"
    [event] = outbox_events(session, "stock.rejected", "order_id", str(order_id))
    assert {(s["product_id"], s["available"]) for s in event["data"]["shortages"]} == {
        (str(inactive.id), 0),
        (str(deleted.id), 0),
        (str(unknown), 0),
    }
    assert level_of(session, inactive.id).reserved == 0


def test_an_older_version_arriving_after_a_newer_one_changes_nothing(session, make_product, ledger):
    product = make_product(on_hand=10)
    order_id = uuid.uuid4()
    reserve(session, order_id, [(product, 6)], version=2)

    stale = reserve(session, order_id, [(product, 1)], version=1)

    assert not stale.applied
    assert level_of(session, product.id).reserved == 6
    reservation = session.get(Reservation, order_id)
    assert (reservation.order_version, reservation.status) == (2, "reserved")
    assert [line.quantity for line in reservation.lines] == [6]
    assert len(ledger(session, product.id)) == 2


def test_a_newer_item_list_releases_the_old_lines_and_reserves_the_new_ones(
    session, make_product, ledger
):
    kept, dropped, added = make_product(on_hand=10), make_product(on_hand=10), make_product()
    order_id = uuid.uuid4()
    reserve(session, order_id, [(kept, 5), (dropped, 2)], version=1)

    outcome = reserve(session, order_id, [(kept, 10), (added, 1)], version=2)

    assert outcome.status == "reserved"
    assert level_of(session, kept.id).reserved == 10  # the released 5 counted as free
    assert level_of(session, dropped.id).reserved == 0
    assert level_of(session, added.id).reserved == 1
    assert [e.cause for e in ledger(session, kept.id)] == [
        "initial",
        "order_reserved",
        "order_released",
        "order_reserved",
    ]
    reservation = session.get(Reservation, order_id)
    assert {line.product_id: line.quantity for line in reservation.lines} == {
        kept.id: 10,
        added.id: 1,
    }


def test_a_newer_item_list_that_is_short_leaves_the_order_holding_nothing(
    session, make_product, outbox_events
):
    product = make_product(on_hand=5)
    order_id = uuid.uuid4()
    reserve(session, order_id, [(product, 2)], version=1)

    outcome = reserve(session, order_id, [(product, 6)], version=2)

    assert outcome.status == "rejected"
    assert level_of(session, product.id).reserved == 0
    assert session.get(Reservation, order_id).lines == []
    [event] = outbox_events(session, "stock.rejected", "order_id", str(order_id))
    assert event["data"]["shortages"] == [
        {"product_id": str(product.id), "requested": 6, "available": 5}
    ]


# -- the rest of the order's life -------------------------------------------------------


def test_cancel_releases_the_reservation_with_a_ledger_row(session, make_product, ledger):
    product = make_product(on_hand=10)
    order_id = uuid.uuid4()
    reserve(session, order_id, [(product, 4)])

    outcome = move_to(session, order_id, 2, "cancelled", by="staff-1")
    again = move_to(session, order_id, 2, "cancelled", by="staff-1")

    assert outcome.status == "released" and not again.applied
    level = level_of(session, product.id)
    assert (level.on_hand, level.reserved, level.available) == (10, 0, 10)
    entry = ledger(session, product.id)[-1]
    assert (entry.cause, entry.delta_reserved, entry.order_id, entry.actor) == (
        "order_released",
        -4,
        order_id,
        "staff-1",
    )


def test_ship_decrements_on_hand_and_reserved_and_return_restocks(session, make_product, ledger):
    product = make_product(on_hand=10)
    order_id = uuid.uuid4()
    reserve(session, order_id, [(product, 4)])

    shipped = move_to(session, order_id, 3, "shipped")
    shipped_again = move_to(session, order_id, 3, "shipped")
    level = level_of(session, product.id)
    after_ship = (level.on_hand, level.reserved, level.available)
    returned = move_to(session, order_id, 5, "returned")
    returned_again = move_to(session, order_id, 5, "returned")

    assert shipped.status == "shipped" and not shipped_again.applied
    assert after_ship == (6, 0, 6)
    assert returned.status == "returned" and not returned_again.applied
    level = level_of(session, product.id)
    assert (level.on_hand, level.reserved) == (10, 0)
    entries = ledger(session, product.id)
    assert [(e.cause, e.delta_on_hand, e.delta_reserved) for e in entries[-2:]] == [
        ("order_shipped", -4, -4),
        ("order_returned", 4, 0),
    ]
    assert all(e.order_id == order_id for e in entries[1:])


def test_cancel_after_shipping_releases_nothing(session, make_product):
    product = make_product(on_hand=10)
    order_id = uuid.uuid4()
    reserve(session, order_id, [(product, 4)])
    move_to(session, order_id, 2, "shipped")

    outcome = move_to(session, order_id, 3, "cancelled")

    assert not outcome.applied
    level = level_of(session, product.id)
    assert (level.on_hand, level.reserved) == (6, 0)


def test_a_cancellation_seen_before_the_creation_makes_the_late_creation_reserve_nothing(
    session, make_product
):
    product = make_product(on_hand=10)
    order_id = uuid.uuid4()

    move_to(session, order_id, 1, "cancelled")
    late = reserve(session, order_id, [(product, 3)], version=1)

    assert not late.applied
    assert level_of(session, product.id).reserved == 0


def test_a_delivered_replenishment_is_received_once(session, make_product, ledger):
    product = make_product(on_hand=2)
    unknown = uuid.uuid4()
    order_id = uuid.uuid4()

    first = deliver_replenishment(session, order_id, 4, [(product, 30), (unknown, 5)])
    second = deliver_replenishment(session, order_id, 4, [(product, 30)])

    assert first.status == "received" and first.skipped_product_ids == (unknown,)
    assert not second.applied
    assert level_of(session, product.id).on_hand == 32
    entry = ledger(session, product.id)[-1]
    assert (entry.cause, entry.delta_on_hand, entry.order_id) == (
        "replenishment_received",
        30,
        order_id,
    )
    lines = session.get(Reservation, order_id).lines
    assert [(line.product_id, line.quantity) for line in lines] == [(product.id, 30)]


# -- stock.low --------------------------------------------------------------------------


def test_stock_low_is_recorded_once_per_crossing_and_rearmed_above(
    session, make_product, outbox_events
):
    product = make_product(on_hand=100, ideal_quantity=100)  # threshold: available < 20

    reserve(session, uuid.uuid4(), [(product, 79)])  # available 21: above
    below = uuid.uuid4()
    reserve(session, below, [(product, 2)])  # available 19: crosses below
    reserve(session, uuid.uuid4(), [(product, 5)])  # available 14: still below
    crossings_while_low = len(outbox_events(session, "stock.low", "product_id", str(product.id)))
    move_to(session, below, 2, "cancelled")  # 16: still below
    # Receiving brings it above the threshold, then a new order drops it below again.
    deliver_replenishment(session, uuid.uuid4(), 1, [(product, 10)])
    reserve(session, uuid.uuid4(), [(product, 10)])  # 26 -> 16: a second crossing

    events = outbox_events(session, "stock.low", "product_id", str(product.id))
    assert crossings_while_low == 1
    named = {"product_id": str(product.id), "ideal_quantity": 100, "product_name": product.name}
    assert [e["data"] for e in events] == [{**named, "available": 19}, {**named, "available": 16}]
    assert [(e["source"], e["correlation_id"]) for e in events] == [("stock_service", "corr-9")] * 2
    assert level_of(session, product.id).low_stock is True


# -- events -----------------------------------------------------------------------------


def test_order_events_are_routed_to_their_use_cases(session, make_product, outbox_events):
    product = make_product(on_hand=10)
    order_id = str(uuid.uuid4())
    items = [{"product_id": str(product.id), "quantity": 3}]
    base = {"order_id": order_id, "order_type": "sale"}

    created = apply_order_event(
        session,
        order_event(EventType.ORDER_CREATED, {**base, "order_version": 1, "items": items}),
    )
    changed = apply_order_event(
        session,
        order_event(
            EventType.ORDER_ITEMS_CHANGED,
            {**base, "order_version": 2, "items": [{**items[0], "quantity": 4}]},
        ),
    )
    shipped = apply_order_event(
        session,
        order_event(
            EventType.ORDER_STATUS_CHANGED,
            {**base, "order_version": 5, "from": "processing", "to": "shipped", "by": "u-7"},
        ),
    )

    assert (created.status, changed.status, shipped.status) == ("reserved", "reserved", "shipped")
    level = level_of(session, product.id)
    assert (level.on_hand, level.reserved) == (6, 0)
    reserved_events = outbox_events(session, "stock.reserved", "order_id", order_id)
    assert [e["correlation_id"] for e in reserved_events] == ["corr-9", "corr-9"]


def test_a_deleted_order_event_releases_and_a_replenishment_creation_changes_nothing(
    session, make_product
):
    product = make_product(on_hand=10)
    order_id = str(uuid.uuid4())
    items = [{"product_id": str(product.id), "quantity": 3}]
    apply_order_event(
        session,
        order_event(
            EventType.ORDER_CREATED, {"order_id": order_id, "order_version": 1, "items": items}
        ),
    )

    deleted = apply_order_event(
        session,
        order_event(
            EventType.ORDER_STATUS_CHANGED,
            {
                "order_id": order_id,
                "order_version": 2,
                "order_type": "sale",
                "from": "pending",
                "to": "pending",
                "deleted": True,
                "items": items,
            },
        ),
    )
    replenishment = apply_order_event(
        session,
        order_event(
            EventType.ORDER_CREATED,
            {
                "order_id": str(uuid.uuid4()),
                "order_version": 1,
                "order_type": "replenishment",
                "items": items,
            },
        ),
    )

    assert deleted.status == "released"
    assert not replenishment.applied
    assert level_of(session, product.id).reserved == 0


def test_a_delivered_replenishment_event_receives_its_items(session, make_product):
    product = make_product(on_hand=0)
    data = {
        "order_id": str(uuid.uuid4()),
        "order_version": 4,
        "order_type": "replenishment",
        "from": "shipped",
        "to": "delivered",
        "items": [{"product_id": str(product.id), "quantity": 12}],
    }

    apply_order_event(session, order_event(EventType.ORDER_STATUS_CHANGED, data))

    assert level_of(session, product.id).on_hand == 12


@pytest.mark.parametrize(
    "data",
    [
        {"order_version": 1, "items": []},
        {"order_id": "not-a-uuid", "order_version": 1, "items": []},
        {"order_id": str(uuid.uuid4()), "order_version": "1", "items": []},
        {"order_id": str(uuid.uuid4()), "order_version": 1, "items": "all"},
        {
            "order_id": str(uuid.uuid4()),
            "order_version": 1,
            "items": [{"product_id": str(uuid.uuid4()), "quantity": 0}],
        },
    ],
)
def test_malformed_order_events_are_invalid_and_change_nothing(session, data):
    with pytest.raises(InvalidEvent):
        apply_order_event(session, order_event(EventType.ORDER_CREATED, data))


# -- the database guards the rules too --------------------------------------------------


def test_the_database_refuses_a_negative_available(session, make_product):
    product = make_product(on_hand=3)

    with pytest.raises(IntegrityError):
        session.execute(
            text("UPDATE stock.stock_levels SET reserved = 4 WHERE product_id = :p"),
            {"p": product.id},
        )
    session.rollback()
    with pytest.raises(IntegrityError):
        session.execute(
            text("UPDATE stock.stock_levels SET on_hand = -1 WHERE product_id = :p"),
            {"p": product.id},
        )
    session.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE stock.stock_ledger SET delta_on_hand = 99 WHERE product_id = :p",
        "DELETE FROM stock.stock_ledger WHERE product_id = :p",
    ],
)
def test_the_ledger_is_append_only(session, make_product, ledger, statement):
    product = make_product(on_hand=3)

    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text(statement), {"p": product.id})
    session.rollback()

    assert [(e.cause, e.delta_on_hand) for e in ledger(session, product.id)] == [("initial", 3)]


def test_reservation_lines_match_the_reserved_column(session, make_product):
    product = make_product(on_hand=50)
    for quantity in (1, 2, 3):
        reserve(session, uuid.uuid4(), [(product, quantity)])

    held = session.execute(
        text(
            "SELECT coalesce(sum(l.quantity), 0) FROM stock.reservation_lines l"
            " JOIN stock.reservations r USING (order_id)"
            " WHERE r.status = 'reserved' AND l.product_id = :p"
        ),
        {"p": product.id},
    ).scalar_one()

    assert held == level_of(session, product.id).reserved == 6
    assert (
        session.scalar(select(StockLevel.available).where(StockLevel.product_id == product.id))
        == 44
    )


def test_a_message_claimed_on_the_session_is_committed_with_the_effect_or_the_no_op(
    stock_engine, session, make_product
):
    product = make_product(on_hand=5)
    created = order_event(
        EventType.ORDER_CREATED,
        {
            "order_id": str(uuid.uuid4()),
            "order_version": 1,
            "items": [{"product_id": str(product.id), "quantity": 1}],
        },
    )
    delivered_sale = order_event(
        EventType.ORDER_STATUS_CHANGED,
        {"order_id": str(uuid.uuid4()), "order_version": 3, "from": "shipped", "to": "delivered"},
    )

    outcomes = []
    # As the consumer does: its own unit of work around claim + handler, one batch.
    with unit_of_work(session):
        for event in (created, delivered_sale):
            assert claim_message(
                session,
                processed_messages,
                consumer="stock",
                message_id=event.id,
                event_type=event.type,
            )
            outcomes.append(apply_order_event(session, event))

    assert [o.applied for o in outcomes] == [True, False]
    with Session(stock_engine) as other:
        claimed = other.scalars(
            select(processed_messages.c.message_id).where(
                processed_messages.c.message_id.in_([created.id, delivered_sale.id])
            )
        ).all()
    assert sorted(claimed) == sorted([created.id, delivered_sale.id])


# -- batches: the consumer applies a delivered batch in one transaction -----------------


def test_created_then_cancelled_in_one_batch_ends_released_holding_nothing(
    session, make_product, ledger, outbox_events
):
    product = make_product(on_hand=10)
    order_id = uuid.uuid4()

    with unit_of_work(session):
        outcomes = apply_order_events(
            session,
            [
                sale_event(EventType.ORDER_CREATED, order_id, 1, items=items_of((product, 4))),
                sale_event(EventType.ORDER_STATUS_CHANGED, order_id, 2, to="cancelled"),
            ],
        )

    assert [(o.status, o.applied) for o in outcomes] == [("reserved", True), ("released", True)]
    level = level_of(session, product.id)
    assert (level.on_hand, level.reserved) == (10, 0)
    reservation = session.get(Reservation, order_id)
    assert (reservation.status, reservation.order_version, reservation.lines) == (
        "released",
        2,
        [],
    )
    assert [(e.cause, e.delta_reserved, e.reserved_after) for e in ledger(session, product.id)] == [
        ("initial", 0, 0),
        ("order_reserved", 4, 4),
        ("order_released", -4, 0),
    ]
    assert len(outbox_events(session, "stock.reserved", "order_id", str(order_id))) == 1


def _scenario(products):
    """A mixed life of several orders over shared products, as one delivered batch would be."""
    a, b, c = products
    one, two, three, four, five = (uuid.uuid4() for _ in range(5))
    return [
        sale_event(EventType.ORDER_CREATED, one, 1, items=items_of((a, 6), (b, 2))),
        sale_event(EventType.ORDER_CREATED, two, 1, items=items_of((a, 5))),  # short: 4 left
        sale_event(EventType.ORDER_ITEMS_CHANGED, one, 2, items=items_of((a, 3), (c, 1))),
        sale_event(EventType.ORDER_ITEMS_CHANGED, two, 2, items=items_of((a, 5))),  # 7 left
        sale_event(EventType.ORDER_CREATED, one, 1, items=items_of((a, 1))),  # stale
        sale_event(EventType.ORDER_STATUS_CHANGED, three, 1, to="cancelled"),  # before creation
        sale_event(EventType.ORDER_CREATED, three, 1, items=items_of((b, 1))),  # reserves nothing
        sale_event(EventType.ORDER_STATUS_CHANGED, one, 3, to="shipped"),
        sale_event(EventType.ORDER_STATUS_CHANGED, one, 4, to="returned"),
        sale_event(EventType.ORDER_CREATED, four, 1, items=items_of((b, 9), (c, 1))),
        sale_event(EventType.ORDER_STATUS_CHANGED, four, 2, to="shipped"),
        sale_event(EventType.ORDER_STATUS_CHANGED, two, 3, deleted=True, to="pending"),
        order_event(
            EventType.ORDER_STATUS_CHANGED,
            {
                "order_id": str(five),
                "order_version": 2,
                "order_type": "replenishment",
                "from": "shipped",
                "to": "delivered",
                "items": items_of((c, 4), (b, 1)),
            },
        ),
        sale_event(EventType.ORDER_STATUS_CHANGED, four, 3, to="approved"),  # nothing to do
    ]


def _state(session, ledger, products):
    session.expire_all()
    levels = []
    for product in products:
        level = session.get(StockLevel, product.id)
        moves = [(e.cause, e.delta_on_hand, e.delta_reserved) for e in ledger(session, product.id)]
        levels.append((level.on_hand, level.reserved, level.low_stock, moves))
    return levels


def test_a_batch_gives_what_applying_its_events_one_by_one_gives(session, make_product, ledger):
    def new_products():
        return [
            make_product(on_hand=10, ideal_quantity=20),
            make_product(on_hand=12, ideal_quantity=50),
            make_product(on_hand=2),
        ]

    one_by_one, batched = new_products(), new_products()

    alone = [apply_order_event(session, e) for e in _scenario(one_by_one)]
    with unit_of_work(session):
        together = apply_order_events(session, _scenario(batched))

    def summary(outcomes):
        return [(o.status, o.applied, len(o.shortages), o.skipped_product_ids) for o in outcomes]

    assert summary(together) == summary(alone)
    assert _state(session, ledger, batched) == _state(session, ledger, one_by_one)
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


def _statements_of(session, events):
    """How many SQL statements applying `events` as one batch takes."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    # The outbox rows go through the driver (shared.db.driver_insert): count those too.
    on_driver = shared_db._cursor

    def counted_cursor(session):
        cursor = on_driver(session)
        execute = cursor.execute

        def counting_execute(statement, parameters=None):
            statements.append(statement)
            return execute(statement, parameters)

        return _CountingCursor(cursor, counting_execute)

    engine = session.get_bind()
    sqlalchemy_event.listen(engine, "before_cursor_execute", count)
    shared_db._cursor = counted_cursor
    try:
        with unit_of_work(session):
            apply_order_events(session, events)
    finally:
        shared_db._cursor = on_driver
        sqlalchemy_event.remove(engine, "before_cursor_execute", count)
    return len(statements)


class _CountingCursor:
    """A psycopg2 cursor whose execute is counted (execute_values calls it once per page)."""

    def __init__(self, cursor, execute):
        self._cursor, self.execute = cursor, execute

    def __getattr__(self, name):
        return getattr(self._cursor, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._cursor.__exit__(*exc)


def test_a_batch_takes_the_same_few_statements_whatever_its_size(session, make_product):
    def fresh():
        return _scenario([make_product(on_hand=10) for _ in range(3)])

    small = _statements_of(session, fresh())
    large = _statements_of(session, fresh() + fresh() + fresh())
    product = make_product(on_hand=100)
    orders = [uuid.uuid4() for _ in range(5)]
    _statements_of(
        session,
        [sale_event(EventType.ORDER_CREATED, o, 1, items=items_of((product, 1))) for o in orders],
    )
    relined = _statements_of(
        session,
        [
            sale_event(EventType.ORDER_ITEMS_CHANGED, o, 2, items=items_of((product, 2)))
            for o in orders
        ],
    )

    # Lock the orders, read their records, lock the stock rows, read the products, update the
    # levels and append the ledger (one statement), upsert the records and insert their lines
    # (one statement), add the outbox rows; and delete the old lines first when a newer item
    # list replaces them.
    assert small == large == 7
    assert relined == 8
