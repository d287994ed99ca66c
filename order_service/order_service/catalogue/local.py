"""Availability from the catalogue copy: POST /orders asks its own database, not the stock
service.

The copy only turns away what is surely short or not for sale; the reservation (the stock
service, through the saga) still decides. A product the copy has not heard of yet (created
a moment ago, or a copy being rebuilt) is asked of the stock service, as before.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import any_, bindparam, cast, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Session

from order_service.catalogue.tables import CatalogueProduct
from order_service.stock_catalogue import (
    Availability,
    CataloguedProduct,
    CatalogueSearch,
    Shortage,
    StockCatalogue,
    StockLevel,
    SupplierInfo,
)
from shared.db import driver_execute

_c = CatalogueProduct.__table__.c
# Every order reads it: on the driver (shared.db.driver_execute), a sixth of an order worker's
# CPU went to the ORM session's execution layer for this one statement.
_READ = select(
    _c.product_id,
    _c.name,
    _c.unit,
    _c.price,
    _c.section,
    _c.category,
    _c.supplier_id,
    _c.supplier_name,
    _c.active,
    _c.deleted,
    _c.available,
).where(
    _c.product_id == any_(cast(bindparam("ids"), ARRAY(UUID))),
    _c.product_revision.is_not(None),
    _c.stock_revision.is_not(None),
)


def availability_from_copy(
    session: Session, lines: Sequence[tuple[uuid.UUID, int]]
) -> Availability | None:
    """What the copy says of these lines, or None when it does not know every product."""
    requested: dict[uuid.UUID, int] = {}
    for product_id, quantity in lines:
        requested[product_id] = requested.get(product_id, 0) + quantity
    rows = driver_execute(session, _READ, {"ids": [str(product_id) for product_id in requested]})
    if len(rows) < len(requested):
        return None
    products: dict[uuid.UUID, CataloguedProduct] = {}
    shortages = []
    unknown = []
    for (
        product_id, name, unit, price, section, category, supplier_id, supplier_name, active,
        deleted, available,
    ) in rows:  # fmt: skip
        if deleted:
            unknown.append(product_id)
            continue
        products[product_id] = CataloguedProduct(
            id=product_id,
            name=name,
            unit=unit,
            price=price,
            section=section,
            category=category,
            supplier_id=supplier_id,
            supplier_name=supplier_name,
            active=active,
            available=available,
        )
        free = available if active else 0
        if requested[product_id] > free:
            shortages.append(Shortage(product_id, requested[product_id], max(free, 0)))
    shortages.sort(key=lambda s: str(s.product_id))
    return Availability(
        available=not shortages and not unknown,
        shortages=tuple(shortages),
        unknown_product_ids=tuple(sorted(unknown, key=str)),
        products=products,
    )


def copied_name(session: Session, product_id: uuid.UUID) -> str | None:
    """The product's name as the copy last heard it (None if it never did)."""
    return session.scalar(select(_c.name).where(_c.product_id == product_id))


class LocalCatalogue:
    """The StockCatalogue the order API uses: availability from the copy, the rest (and any
    product the copy does not know yet) from the stock service."""

    def __init__(self, remote: StockCatalogue, session: Callable[[], Session]) -> None:
        self.remote = remote
        self._session = session

    def check_availability(self, lines: Sequence[tuple[uuid.UUID, int]]) -> Availability:
        found = availability_from_copy(self._session(), lines)
        return found if found is not None else self.remote.check_availability(lines)

    def supplier(self, supplier_id: uuid.UUID) -> SupplierInfo | None:
        return self.remote.supplier(supplier_id)

    def below_percent_of_ideal(self, percent: int, section: str | None = None) -> list[StockLevel]:
        return self.remote.below_percent_of_ideal(percent, section)

    def count_active(self, section: str | None = None) -> int:
        return self.remote.count_active(section)

    def products_not_ordered_since(
        self, before: datetime, ordered: Sequence[str], limit: int
    ) -> CatalogueSearch:
        return self.remote.products_not_ordered_since(before, ordered, limit)
