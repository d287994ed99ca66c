"""product.changed and stock.changed are written by the database itself (migrations 0004 and
0005): every change an order cares about, from any code path, with revisions in commit order;
a fall of free stock once its window has passed, with the figure of that moment."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.orm import Session

from shared.events import Event, ProductChanged, StockChanged, data_of
from stock_service import services
from stock_service.catalogue_events import announce_stock_falls, republish_catalogue


def changes(outbox_events, session, product) -> tuple[list, list]:
    """The product's product.changed and stock.changed data, oldest first, as read by consumers."""
    session.commit()

    def read(kind: str, as_type: type) -> list:
        written = outbox_events(session, kind, "product_id", str(product.id))
        return [data_of(Event.from_dict(event), as_type) for event in written]

    return read("product.changed", ProductChanged), read("stock.changed", StockChanged)


def test_a_new_product_announces_its_data_and_its_free_stock(session, make_product, outbox_events):
    product = make_product(on_hand=12, price=Decimal("27.90"), unit="pct", section="Mercearia")

    [created], [stocked] = changes(outbox_events, session, product)

    assert (created.name, created.unit, created.price, created.section) == (
        product.name, "pct", Decimal("27.90"), "Mercearia",
    )  # fmt: skip
    assert (created.active, created.deleted) == (True, False)
    # One stock.changed, with the initial stock: never a 0 first (the row is inserted with
    # it), which a consumer batch boundary would let the order service's copy believe.
    assert stocked.available == 12
    assert stocked.revision > created.revision


def test_only_what_an_order_captures_is_a_change_and_each_is_newer(
    session, make_product, outbox_events
):
    product = make_product(on_hand=5)
    session.execute(
        text("UPDATE stock.products SET description = 'novo texto' WHERE id = :id"),
        {"id": product.id},
    )
    session.execute(
        text("UPDATE stock.products SET price = 11.50 WHERE id = :id"), {"id": product.id}
    )
    session.execute(
        text("UPDATE stock.stock_levels SET on_hand = on_hand + 3, reserved = reserved + 3"
             " WHERE product_id = :id"),
        {"id": product.id},
    )  # fmt: skip
    session.execute(
        text("UPDATE stock.stock_levels SET reserved = reserved + 2 WHERE product_id = :id"),
        {"id": product.id},
    )

    announce_due_falls(session)

    products, stock = changes(outbox_events, session, product)

    assert [p.price for p in products] == [Decimal("10.00"), Decimal("11.50")]  # not the text
    # the initial stock, then only what changed the free stock
    assert [s.available for s in stock] == [5, 3]
    assert products[0].revision < products[1].revision
    assert stock[0].revision < stock[1].revision


def announce_due_falls(session: Session) -> None:
    """What the stock relay does once a fall's window has passed (here: at once)."""
    announce_stock_falls(session.connection(), window=0)
    session.commit()


def pending_since(session: Session, product) -> object:
    since = session.scalar(
        text("SELECT since FROM stock.pending_stock_falls WHERE product_id = :id"),
        {"id": product.id},
    )
    session.commit()
    return since


def test_a_rise_is_announced_at_once_and_falls_wait_for_their_window_as_one_event(
    session, make_product, outbox_events
):
    product = make_product(on_hand=5)
    fall = text("UPDATE stock.stock_levels SET reserved = reserved + :n WHERE product_id = :id")
    session.execute(fall, {"n": 2, "id": product.id})
    session.commit()
    first_fall = pending_since(session, product)
    session.execute(fall, {"n": 1, "id": product.id})

    _, stock = changes(outbox_events, session, product)
    assert [s.available for s in stock] == [5]  # the falls wait
    assert pending_since(session, product) == first_fall  # the window started at the first

    announce_stock_falls(session.connection(), window=60)  # not yet due
    session.commit()
    assert len(changes(outbox_events, session, product)[1]) == 1

    announce_due_falls(session)
    session.execute(
        text("UPDATE stock.stock_levels SET on_hand = on_hand + 4 WHERE product_id = :id"),
        {"id": product.id},
    )

    _, stock = changes(outbox_events, session, product)
    assert [s.available for s in stock] == [5, 2, 6]  # both falls as one, the rise at once
    assert stock[1].revision < stock[2].revision
    assert pending_since(session, product) is None


def test_a_fall_whose_row_is_being_changed_waits_for_that_change_and_announces_its_figure(
    session, stock_engine, make_product, outbox_events
):
    product = make_product(on_hand=10)
    fall = text("UPDATE stock.stock_levels SET reserved = reserved + :n WHERE product_id = :id")
    session.execute(fall, {"n": 3, "id": product.id})
    session.commit()
    with Session(stock_engine) as changing:
        changing.execute(fall, {"n": 4, "id": product.id})  # holds the row, not committed

        announce_due_falls(session)  # does not wait for it: skips the product this turn
        assert len(changes(outbox_events, session, product)[1]) == 1
        changing.commit()

    announce_due_falls(session)

    _, stock = changes(outbox_events, session, product)
    assert [s.available for s in stock] == [10, 3]  # the committed figure, newest revision


def test_a_supplier_renamed_or_a_product_deleted_reaches_the_copy(
    session, make_product, make_supplier, outbox_events
):
    supplier = make_supplier()
    product = make_product(supplier_id=supplier.id)
    session.execute(
        text("UPDATE stock.suppliers SET name = 'Cerealista Nova' WHERE id = :id"),
        {"id": supplier.id},
    )
    services.delete_product(session, product.id)

    products, _ = changes(outbox_events, session, product)

    assert [(p.supplier_name, p.deleted) for p in products][-2:] == [
        ("Cerealista Nova", False),
        ("Cerealista Nova", True),
    ]


def test_republishing_announces_every_product_again_with_newer_revisions(
    session, make_product, outbox_events, stock_settings
):
    product = make_product(on_hand=4)
    [before], [*_, stock_before] = changes(outbox_events, session, product)

    assert republish_catalogue(stock_settings.database_url, chunk=2) >= 1

    products, stock = changes(outbox_events, session, product)
    assert [p.revision > before.revision for p in products] == [False, True]
    assert [(s.available, s.revision > stock_before.revision) for s in stock][-2:] == [
        (4, False),
        (4, True),
    ]
