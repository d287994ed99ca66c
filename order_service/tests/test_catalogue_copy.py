"""The catalogue copy: events applied newest-revision-wins, availability read from it, and the
stock service asked only for a product the copy does not know yet."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from order_service.catalogue.local import LocalCatalogue, availability_from_copy
from order_service.catalogue.tables import CatalogueProduct
from order_service.catalogue.updates import apply_catalogue_changes
from order_service.stock_catalogue import Availability
from shared.db import unit_of_work
from shared.events import ProductChanged, StockChanged, event_of


def product_changed(product_id: uuid.UUID, revision: int, **fields) -> ProductChanged:
    data = {"name": "Arroz 5 kg", "unit": "pct", "price": Decimal("27.90"), "active": True}
    return ProductChanged(product_id=product_id, revision=revision, **{**data, **fields})


def apply(session, *changes) -> None:
    with unit_of_work(session):
        apply_catalogue_changes(session, [event_of(c, source="stock_service") for c in changes])


def row(session, product_id) -> CatalogueProduct:
    session.expire_all()
    return session.scalar(select(CatalogueProduct).where(CatalogueProduct.product_id == product_id))


def test_the_newest_revision_wins_whatever_the_order_they_arrive_in(session):
    product = uuid.uuid4()

    apply(session, StockChanged(product_id=product, revision=5, available=7))  # stock first
    apply(session, product_changed(product, 3, price=Decimal("9.90")))
    apply(
        session,
        product_changed(product, 9, price=Decimal("12.00")),
        product_changed(product, 8, price=Decimal("11.00")),  # same batch, older
        StockChanged(product_id=product, revision=4, available=100),  # late
    )
    apply(session, product_changed(product, 9, price=Decimal("99.00")))  # redelivered rev.

    copy = row(session, product)
    assert (copy.price, copy.product_revision) == (Decimal("12.00"), 9)
    assert (copy.available, copy.stock_revision) == (7, 5)


class NoNetwork:
    """A stock service that must not be asked."""

    def check_availability(self, lines):
        raise AssertionError("the stock service was asked")


class Remote:
    def __init__(self) -> None:
        self.asked: list = []

    def check_availability(self, lines):
        self.asked.append(list(lines))
        return Availability(True, (), (), {})


def test_known_products_are_answered_from_the_copy_with_shortages(session):
    plenty, scarce, idle = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    apply(
        session,
        product_changed(plenty, 1, section="Mercearia"),
        product_changed(scarce, 2),
        product_changed(idle, 3, active=False),
        StockChanged(product_id=plenty, revision=4, available=50),
        StockChanged(product_id=scarce, revision=5, available=2),
        StockChanged(product_id=idle, revision=6, available=9),
    )
    catalogue = LocalCatalogue(NoNetwork(), lambda: session)

    answer = catalogue.check_availability([(plenty, 10), (scarce, 2), (scarce, 1), (idle, 1)])

    assert answer.available is False
    assert {(s.product_id, s.requested, s.available) for s in answer.shortages} == {
        (scarce, 3, 2),
        (idle, 1, 0),
    }
    assert answer.products[plenty].section == "Mercearia"
    assert answer.products[plenty].price == Decimal("27.90")
    assert answer.products[idle].active is False


@pytest.mark.parametrize("partial", ["missing", "no_stock_yet", "no_product_yet"])
def test_a_product_the_copy_does_not_fully_know_is_asked_of_the_stock_service(session, partial):
    known, other = uuid.uuid4(), uuid.uuid4()
    apply(
        session, product_changed(known, 1), StockChanged(product_id=known, revision=2, available=5)
    )
    if partial == "no_stock_yet":
        apply(session, product_changed(other, 3))
    elif partial == "no_product_yet":
        apply(session, StockChanged(product_id=other, revision=3, available=5))
    remote = Remote()

    LocalCatalogue(remote, lambda: session).check_availability([(known, 1), (other, 1)])

    assert remote.asked == [[(known, 1), (other, 1)]]
    assert availability_from_copy(session, [(known, 1)]).available is True


def test_a_deleted_product_is_unknown_without_asking_anyone(session):
    gone = uuid.uuid4()
    apply(
        session,
        product_changed(gone, 1, deleted=True),
        StockChanged(product_id=gone, revision=2, available=3),
    )

    answer = LocalCatalogue(NoNetwork(), lambda: session).check_availability([(gone, 1)])

    assert (answer.available, answer.unknown_product_ids) == (False, (gone,))
