"""The read side: lists with their filters, single reads, stock levels, the ledger, availability.

Deleted suppliers and products are invisible here: they exist only for history.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ARRAY, Select, String, Uuid, any_, bindparam, cast, func, select
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from shared.db import array_literal
from shared.pagination import Page, paginate
from stock_service.domain.errors import ImageNotFound, ProductNotFound, SupplierNotFound
from stock_service.domain.stock import Shortage, find_shortages, percent_of_ideal
from stock_service.models import Product, ProductImage, StockLedgerEntry, StockLevel, Supplier

PRODUCT_SORTS: dict[str, tuple[Any, ...]] = {
    "name": (func.lower(Product.name).asc(), Product.id.asc()),
    "-name": (func.lower(Product.name).desc(), Product.id.desc()),
    "price": (Product.price.asc(), Product.id.asc()),
    "-price": (Product.price.desc(), Product.id.desc()),
    "created_at": (Product.created_at.asc(), Product.id.asc()),
    "-created_at": (Product.created_at.desc(), Product.id.desc()),
    "available": (StockLevel.available.asc(), Product.id.asc()),
    "-available": (StockLevel.available.desc(), Product.id.desc()),
}


def _like_pattern(text: str) -> str:
    """`text` as a literal inside LIKE: its own % and _ match only themselves."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# -- suppliers --------------------------------------------------------------------------


def list_suppliers(
    session: Session,
    *,
    page: int,
    page_size: int,
    name: str | None = None,
    active: bool | None = None,
    only_id: uuid.UUID | None = None,
) -> Page:
    """Live suppliers by name; `only_id` narrows the list to one (a supplier sees itself)."""
    stmt = select(Supplier).where(Supplier.deleted_at.is_(None))
    if name:
        stmt = stmt.where(Supplier.name.ilike(_like_pattern(name), escape="\\"))
    if active is not None:
        stmt = stmt.where(Supplier.active.is_(active))
    if only_id is not None:
        stmt = stmt.where(Supplier.id == only_id)
    stmt = stmt.order_by(func.lower(Supplier.name), Supplier.id)
    return paginate(session, stmt, page=page, page_size=page_size)


def get_supplier(session: Session, supplier_id: uuid.UUID) -> Supplier:
    supplier = session.scalars(
        select(Supplier).where(Supplier.id == supplier_id, Supplier.deleted_at.is_(None))
    ).one_or_none()
    if supplier is None:
        raise SupplierNotFound()
    return supplier


# -- products ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductFilters:
    section: str | None = None
    category: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    available: bool | None = None
    supplier_id: uuid.UUID | None = None
    q: str | None = None
    active: bool | None = None
    created_before: datetime | None = None
    exclude_ids: Sequence[uuid.UUID] = ()


def _products() -> Select:
    """Live products with their stock level, supplier and images loaded for serialising."""
    return (
        select(Product)
        .join(StockLevel, StockLevel.product_id == Product.id)
        .where(Product.deleted_at.is_(None))
        .options(
            contains_eager(Product.stock),
            joinedload(Product.supplier),
            selectinload(Product.images),
        )
    )


def list_products(
    session: Session, filters: ProductFilters, *, page: int, page_size: int, sort: str = "name"
) -> Page:
    """Products matching every given filter, in the requested order."""
    stmt = _products()
    if filters.section:
        stmt = stmt.where(func.lower(Product.section) == filters.section.lower())
    if filters.category:
        stmt = stmt.where(func.lower(Product.category) == filters.category.lower())
    if filters.min_price is not None:
        stmt = stmt.where(Product.price >= filters.min_price)
    if filters.max_price is not None:
        stmt = stmt.where(Product.price <= filters.max_price)
    if filters.available is True:
        stmt = stmt.where(StockLevel.available > 0)
    elif filters.available is False:
        stmt = stmt.where(StockLevel.available <= 0)
    if filters.supplier_id is not None:
        stmt = stmt.where(Product.supplier_id == filters.supplier_id)
    if filters.active is not None:
        stmt = stmt.where(Product.active.is_(filters.active))
    if filters.created_before is not None:
        stmt = stmt.where(Product.created_at < filters.created_before)
    if filters.exclude_ids:
        # One array literal ('{…}'): thousands of separate literals took milliseconds to parse.
        literal = array_literal(filters.exclude_ids)
        excluded = cast(bindparam("exclude_ids", literal, String), ARRAY(Uuid))
        stmt = stmt.where(~(Product.id == any_(excluded)))
    if filters.q:
        term = filters.q.strip()
        by_name = Product.name.ilike(_like_pattern(term), escape="\\")
        if term.isdigit():
            # Digits may be (the start of) a barcode: a prefix search on the barcode index.
            stmt = stmt.where(by_name | Product.barcode.like(f"{term}%"))
        else:
            stmt = stmt.where(by_name)
    stmt = stmt.order_by(*PRODUCT_SORTS[sort])
    return paginate(session, stmt, page=page, page_size=page_size)


def get_product(session: Session, product_id: uuid.UUID) -> Product:
    product = session.scalars(_products().where(Product.id == product_id)).unique().one_or_none()
    if product is None:
        raise ProductNotFound()
    return product


def get_product_image(session: Session, product_id: uuid.UUID, image_id: uuid.UUID) -> ProductImage:
    image = session.scalars(
        select(ProductImage)
        .join(Product, Product.id == ProductImage.product_id)
        .where(
            ProductImage.id == image_id,
            ProductImage.product_id == product_id,
            Product.deleted_at.is_(None),
        )
    ).one_or_none()
    if image is None:
        raise ImageNotFound()
    return image


# -- stock levels and the ledger --------------------------------------------------------


def list_stock_levels(
    session: Session,
    *,
    page: int,
    page_size: int,
    below_percent: Decimal | None = None,
    section: str | None = None,
    supplier_id: uuid.UUID | None = None,
    active: bool | None = None,
) -> Page:
    """Stock of live products by product name; `below_percent`: available < ideal × pct/100."""
    stmt = (
        select(StockLevel, Product)
        .join(Product, Product.id == StockLevel.product_id)
        .where(Product.deleted_at.is_(None))
    )
    if below_percent is not None:
        stmt = stmt.where(
            Product.ideal_quantity > 0,
            StockLevel.available * 100 < Product.ideal_quantity * below_percent,
        )
    if section:
        stmt = stmt.where(func.lower(Product.section) == section.lower())
    if supplier_id is not None:
        stmt = stmt.where(Product.supplier_id == supplier_id)
    if active is not None:
        stmt = stmt.where(Product.active.is_(active))
    stmt = stmt.order_by(func.lower(Product.name), Product.id)
    result = paginate(session, stmt, page=page, page_size=page_size)
    return replace(
        result, items=[stock_level_view(level, product) for level, product in result.items]
    )


def stock_level_view(level: StockLevel, product: Product) -> dict[str, Any]:
    """One line of GET /stock."""
    available = level.on_hand - level.reserved
    return {
        "product_id": product.id,
        "product_name": product.name,
        "section": product.section,
        "category": product.category,
        "unit": product.unit,
        "price": product.price,
        "supplier_id": product.supplier_id,
        "active": product.active,
        "ideal_quantity": product.ideal_quantity,
        "on_hand": level.on_hand,
        "reserved": level.reserved,
        "available": available,
        "percent_of_ideal": percent_of_ideal(available, product.ideal_quantity),
        "low_stock": level.low_stock,
        "updated_at": level.updated_at,
    }


def get_stock_level(session: Session, product_id: uuid.UUID) -> dict[str, Any]:
    row = session.execute(
        select(StockLevel, Product)
        .join(Product, Product.id == StockLevel.product_id)
        .where(Product.id == product_id, Product.deleted_at.is_(None))
    ).one_or_none()
    if row is None:
        raise ProductNotFound()
    return stock_level_view(*row)


def list_movements(
    session: Session,
    product_id: uuid.UUID,
    *,
    page: int,
    page_size: int,
    cause: str | None = None,
    order_id: uuid.UUID | None = None,
) -> Page:
    """The ledger of one live product, newest first."""
    exists = session.scalar(
        select(Product.id).where(Product.id == product_id, Product.deleted_at.is_(None))
    )
    if exists is None:
        raise ProductNotFound()
    stmt = select(StockLedgerEntry).where(StockLedgerEntry.product_id == product_id)
    if cause:
        stmt = stmt.where(StockLedgerEntry.cause == cause)
    if order_id is not None:
        stmt = stmt.where(StockLedgerEntry.order_id == order_id)
    stmt = stmt.order_by(StockLedgerEntry.created_at.desc(), StockLedgerEntry.id.desc())
    return paginate(session, stmt, page=page, page_size=page_size)


# -- availability (the order service's synchronous check) -------------------------------


@dataclass(frozen=True)
class Availability:
    available: bool
    shortages: list[Shortage]
    unknown_product_ids: list[uuid.UUID]
    products: list[dict[str, Any]]


# Built once: only the columns the answer needs, as plain rows (no ORM objects to track),
# the ids as one array parameter (the same SQL whatever the number of items).
_AVAILABILITY = (
    select(
        Product.id,
        Product.name,
        Product.unit,
        Product.price,
        Product.section,
        Product.category,
        Product.supplier_id,
        Product.active,
        StockLevel.on_hand,
        StockLevel.reserved,
        Supplier.name.label("supplier_name"),
        (Supplier.active & Supplier.deleted_at.is_(None)).label("supplier_live"),
    )
    .join(StockLevel, StockLevel.product_id == Product.id)
    .outerjoin(Supplier, Supplier.id == Product.supplier_id)
    .where(Product.id == any_(cast(bindparam("ids", type_=ARRAY(String)), ARRAY(Uuid))))
    .where(Product.deleted_at.is_(None))
    .order_by(Product.id)
)


def check_availability(session: Session, requested: Mapping[uuid.UUID, int]) -> Availability:
    """Could these lines be reserved right now? Reserves nothing and locks nothing.

    Unknown and deleted products are listed in `unknown_product_ids`; they and inactive
    products are shortages with nothing available. `products` describes the known ones so
    the order service can capture name, unit, price, section and supplier on its items.
    """
    rows = session.execute(_AVAILABILITY, {"ids": [str(pid) for pid in requested]}).all()
    products = []
    sellable: dict[uuid.UUID, int] = {}
    for row in rows:
        free = row.on_hand - row.reserved
        if row.active:
            sellable[row.id] = free
        products.append(
            {
                "id": row.id,
                "name": row.name,
                "unit": row.unit,
                "price": row.price,
                "section": row.section,
                "category": row.category,
                "supplier_id": row.supplier_id,
                "supplier_name": row.supplier_name,
                "supplier_active": bool(row.supplier_live),
                "active": row.active,
                "available": free,
            }
        )
    known = {row.id for row in rows}
    shortages = find_shortages(requested, sellable)
    return Availability(
        available=not shortages,
        shortages=shortages,
        unknown_product_ids=sorted(pid for pid in requested if pid not in known),
        products=products,
    )
