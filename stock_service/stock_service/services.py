"""Use cases of the catalogue and of manual stock changes: one function, one transaction.

Reservations (the order side) are in reservations.py; the read side is in queries.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.clock import business_today
from shared.db import unit_of_work
from shared.i18n import Text
from stock_service.config import DEFAULT_LOW_STOCK_PERCENT
from stock_service.domain.catalogue import (
    MAX_IMAGES_PER_PRODUCT,
    gtin_key,
    is_expired,
)
from stock_service.domain.errors import (
    DuplicateBarcode,
    DuplicateCnpj,
    ExpiryInPast,
    ImageNotFound,
    ImageTooLarge,
    ProductHasReservations,
    ProductNotFound,
    StockDomainError,
    SupplierNotFound,
    TooManyImages,
    UnknownSupplier,
    UnsupportedImage,
)
from stock_service.domain.images import SIGNATURE_BYTES, detect_image
from stock_service.domain.stock import (
    AdjustmentReason,
    LedgerCause,
    check_adjustment,
    check_on_hand_limit,
    check_removal,
)
from stock_service.image_files import ImageFiles
from stock_service.ledger import lock_levels, move_stock, watch_low_stock
from stock_service.models import Product, ProductImage, StockLedgerEntry, StockLevel, Supplier

# Unique indexes whose violation is a duplicate the client can fix (a concurrent insert won
# the race between our check and our insert).
_DUPLICATES: dict[str, tuple[type[StockDomainError], str]] = {
    "uq_suppliers_cnpj_live": (DuplicateCnpj, "cnpj"),
    "uq_products_gtin_live": (DuplicateBarcode, "barcode"),
}

EXPIRY_IN_PAST = Text(
    "A data de validade não pode estar no passado.", "The expiry date cannot be in the past."
)


# -- suppliers --------------------------------------------------------------------------


def create_supplier(session: Session, *, data: Mapping[str, Any]) -> Supplier:
    """Register a supplier; its CNPJ (digits) must not belong to another live supplier."""
    with unit_of_work(session):
        _check_cnpj_free(session, data["cnpj"])
        supplier = Supplier(**data)
        session.add(supplier)
        _flush_unique(session)
    return supplier


def update_supplier(
    session: Session, supplier_id: uuid.UUID, *, changes: Mapping[str, Any]
) -> Supplier:
    """Change some fields of a supplier."""
    with unit_of_work(session):
        supplier = _live_supplier(session, supplier_id, lock=True)
        if "cnpj" in changes and changes["cnpj"] != supplier.cnpj:
            _check_cnpj_free(session, changes["cnpj"])
        for name, value in changes.items():
            setattr(supplier, name, value)
        _flush_unique(session)
    return supplier


def delete_supplier(session: Session, supplier_id: uuid.UUID) -> None:
    """Hide a supplier (soft delete): products and orders keep their reference to it."""
    with unit_of_work(session):
        supplier = _live_supplier(session, supplier_id, lock=True)
        supplier.deleted_at = func.now()
        supplier.active = False


# -- products ---------------------------------------------------------------------------


def create_product(
    session: Session,
    *,
    data: Mapping[str, Any],
    actor: str,
    correlation_id: str | None = None,
    low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT,
    today: date | None = None,
) -> Product:
    """Add a product with its stock level and an `initial` ledger row for its first stock."""
    fields = dict(data)
    initial_stock = int(fields.pop("initial_stock", 0) or 0)
    if is_expired(fields.get("expiry_date"), today=today or business_today()):
        raise ExpiryInPast(EXPIRY_IN_PAST, field="expiry_date")
    with unit_of_work(session):
        if fields.get("supplier_id") is not None:
            _check_supplier_exists(session, fields["supplier_id"])
        if fields.get("barcode"):
            _check_barcode_free(session, fields["barcode"])
        product = Product(id=uuid.uuid4(), **fields)
        product.stock = StockLevel(product_id=product.id, on_hand=0, reserved=0, low_stock=False)
        # Moved before the first flush: the level is inserted with its initial stock, never
        # at 0 and then raised, so the stock.changed its trigger writes (the order service's
        # catalogue copy) carries no 0 this product never had.
        move_stock(
            session,
            product.stock,
            cause=LedgerCause.INITIAL,
            actor=actor,
            delta_on_hand=initial_stock,
        )
        session.add(product)
        _flush_unique(session)
        watch_low_stock(
            session,
            product.stock,
            product,
            percent=low_stock_percent,
            correlation_id=correlation_id,
        )
    return product


def update_product(
    session: Session,
    product_id: uuid.UUID,
    *,
    changes: Mapping[str, Any],
    actor: str,
    correlation_id: str | None = None,
    low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT,
    today: date | None = None,
) -> Product:
    """Change some fields of a product (stock changes go through adjustments, not here).

    A new ideal quantity may cross the low-stock threshold either way.
    """
    with unit_of_work(session):
        # Lock the stock row first (the one lock order); the product is read after it.
        lock_levels(session, [product_id])
        product = _live_product(session, product_id, lock=True)
        new_expiry = changes.get("expiry_date")
        if (
            "expiry_date" in changes
            and new_expiry != product.expiry_date
            and is_expired(new_expiry, today=today or business_today())
        ):
            raise ExpiryInPast(EXPIRY_IN_PAST, field="expiry_date")
        if changes.get("supplier_id") is not None and changes["supplier_id"] != product.supplier_id:
            _check_supplier_exists(session, changes["supplier_id"])
        if changes.get("barcode") and changes["barcode"] != product.barcode:
            _check_barcode_free(session, changes["barcode"], besides=product.id)
        for name, value in changes.items():
            setattr(product, name, value)
        _flush_unique(session)
        if "ideal_quantity" in changes:
            watch_low_stock(
                session,
                product.stock,
                product,
                percent=low_stock_percent,
                correlation_id=correlation_id,
            )
    return product


def delete_product(
    session: Session, product_id: uuid.UUID, *, files: ImageFiles | None = None
) -> None:
    """Hide a product (soft delete) and remove its images; the ledger keeps its history.

    A product with units reserved for orders cannot be deleted (409): those orders would
    hold stock nobody can see.
    """
    with unit_of_work(session):
        levels = lock_levels(session, [product_id])
        product = _live_product(session, product_id, lock=True)
        level = levels.get(product_id)
        if level is not None and level.reserved > 0:
            raise ProductHasReservations(data={"reserved": level.reserved})
        product.deleted_at = func.now()
        file_names = [image.file_name for image in product.images]
        for image in list(product.images):
            session.delete(image)
    # Files go only after the commit: a rolled-back delete must still have its images.
    if files is not None:
        for name in file_names:
            files.remove(name)


# -- images -----------------------------------------------------------------------------


def add_product_image(
    session: Session,
    product_id: uuid.UUID,
    *,
    content: bytes,
    files: ImageFiles,
    max_bytes: int,
) -> ProductImage:
    """Store a JPEG, PNG or WebP image of a product, recognised by its content."""
    if len(content) > max_bytes:
        raise ImageTooLarge(
            Text(
                "Imagem grande demais: o máximo é {mib} MiB.", "Image too large: at most {mib} MiB."
            ).format(mib=round(max_bytes / (1024 * 1024), 2)),
            data={"max_bytes": max_bytes},
        )
    kind = detect_image(content[:SIGNATURE_BYTES])
    if kind is None:
        raise UnsupportedImage(field="file")
    file_name: str | None = None
    try:
        with unit_of_work(session):
            product = _live_product(session, product_id, lock=True)
            if len(product.images) >= MAX_IMAGES_PER_PRODUCT:
                raise TooManyImages(data={"max_images": MAX_IMAGES_PER_PRODUCT})
            file_name = files.save(content, kind.extension)
            image = ProductImage(
                product_id=product.id,
                content_type=kind.content_type,
                size_bytes=len(content),
                file_name=file_name,
            )
            session.add(image)
    except BaseException:
        if file_name is not None:
            files.remove(file_name)
        raise
    return image


def delete_product_image(
    session: Session, product_id: uuid.UUID, image_id: uuid.UUID, *, files: ImageFiles
) -> None:
    """Remove an image: its row, then its file."""
    with unit_of_work(session):
        _live_product(session, product_id)
        image = session.get(ProductImage, image_id)
        if image is None or image.product_id != product_id:
            raise ImageNotFound()
        file_name = image.file_name
        session.delete(image)
    files.remove(file_name)


# -- manual stock changes ---------------------------------------------------------------


@dataclass(frozen=True)
class StockAdjustment:
    level: StockLevel
    movement: StockLedgerEntry


def adjust_stock(
    session: Session,
    product_id: uuid.UUID,
    *,
    delta: int,
    reason: AdjustmentReason,
    note: str | None,
    actor: str,
    correlation_id: str | None = None,
    low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT,
) -> StockAdjustment:
    """Add to or take from on_hand by hand; only free (unreserved) units can be taken."""
    check_adjustment(delta, reason)
    with unit_of_work(session):
        level = lock_levels(session, [product_id]).get(product_id)
        if level is None or level.product.deleted_at is not None:
            raise ProductNotFound()
        check_removal(delta, on_hand=level.on_hand, reserved=level.reserved)
        check_on_hand_limit(delta, on_hand=level.on_hand)
        movement = move_stock(
            session,
            level,
            cause=LedgerCause(reason.value),
            actor=actor,
            delta_on_hand=delta,
            note=note,
        )
        watch_low_stock(
            session, level, level.product, percent=low_stock_percent, correlation_id=correlation_id
        )
    return StockAdjustment(level=level, movement=movement)


# -- inside a transaction ---------------------------------------------------------------


def _live_supplier(session: Session, supplier_id: uuid.UUID, *, lock: bool = False) -> Supplier:
    stmt = select(Supplier).where(Supplier.id == supplier_id, Supplier.deleted_at.is_(None))
    supplier = session.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
    if supplier is None:
        raise SupplierNotFound()
    return supplier


def _live_product(session: Session, product_id: uuid.UUID, *, lock: bool = False) -> Product:
    stmt = select(Product).where(Product.id == product_id, Product.deleted_at.is_(None))
    if lock:
        stmt = stmt.with_for_update()
    product = session.scalars(stmt.execution_options(populate_existing=True)).one_or_none()
    if product is None:
        raise ProductNotFound()
    return product


def _check_supplier_exists(session: Session, supplier_id: uuid.UUID) -> None:
    found = session.scalar(
        select(Supplier.id).where(Supplier.id == supplier_id, Supplier.deleted_at.is_(None))
    )
    if found is None:
        raise UnknownSupplier(
            Text("Fornecedor não encontrado.", "Supplier not found."), field="supplier_id"
        )


def _check_cnpj_free(session: Session, cnpj: str) -> None:
    taken = session.scalar(
        select(Supplier.id).where(Supplier.cnpj == cnpj, Supplier.deleted_at.is_(None))
    )
    if taken is not None:
        raise DuplicateCnpj(field="cnpj", data={"supplier_id": str(taken)})


def _check_barcode_free(
    session: Session, barcode: str, *, besides: uuid.UUID | None = None
) -> None:
    stmt = select(Product.id).where(
        func.lpad(Product.barcode, 14, "0") == gtin_key(barcode),
        Product.barcode.is_not(None),
        Product.deleted_at.is_(None),
    )
    if besides is not None:
        stmt = stmt.where(Product.id != besides)
    taken = session.scalar(stmt)
    if taken is not None:
        raise DuplicateBarcode(field="barcode", data={"product_id": str(taken)})


def _flush_unique(session: Session) -> None:
    """Flush, turning a lost race on a unique index into the duplicate error it means."""
    try:
        session.flush()
    except IntegrityError as exc:
        diag = getattr(exc.orig, "diag", None)
        duplicate = _DUPLICATES.get(getattr(diag, "constraint_name", None) or "")
        if duplicate is None:
            raise
        error, field = duplicate
        raise error(field=field) from exc
