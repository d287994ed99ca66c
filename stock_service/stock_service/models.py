"""Tables of schema "stock": suppliers, products, images, stock levels, ledger, reservations.

The migrations (migrations/versions) are the source of truth for the database, including
the ledger's append-only trigger; these mappings mirror its columns, constraints and
indexes (tests/test_stock_schema.py checks that they agree).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.db import create_db
from shared.inbox import processed_messages_table
from shared.outbox import outbox_table

SCHEMA = "stock"
# Most lists show live rows only: their indexes leave the deleted ones out.
LIVE = text("deleted_at IS NULL")
TRIGRAM_INDEX = "ix_products_name_trgm"

db = create_db(SCHEMA)

outbox = outbox_table(db.metadata)
processed_messages = processed_messages_table(db.metadata)


def _now_column(*, onupdate: bool = False) -> Mapped[datetime]:
    return mapped_column(
        DateTime(timezone=True),
        nullable=False,
        server_default=func.now(),
        onupdate=func.now() if onupdate else None,
    )


class Supplier(db.Model):
    __tablename__ = "suppliers"
    __table_args__ = (
        CheckConstraint("cnpj ~ '^[0-9]{14}$'", name="cnpj_digits"),
        CheckConstraint("whatsapp ~ '^[0-9]{10,13}$'", name="whatsapp_digits"),
        # A deleted supplier's CNPJ may be registered again.
        Index("uq_suppliers_cnpj_live", "cnpj", unique=True, postgresql_where=LIVE),
        Index("ix_suppliers_name_lower", text("lower(name)"), "id", postgresql_where=LIVE),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    cnpj: Mapped[str] = mapped_column(String(14), nullable=False)
    email: Mapped[str | None] = mapped_column(String(254))
    whatsapp: Mapped[str | None] = mapped_column(String(13))
    # False: the supplier receives no WhatsApp notifications from the order service.
    notify_whatsapp: Mapped[bool] = mapped_column(
        nullable=False, default=True, server_default=text("true")
    )
    active: Mapped[bool] = mapped_column(nullable=False, default=True, server_default=text("true"))
    created_at: Mapped[datetime] = _now_column()
    updated_at: Mapped[datetime] = _now_column(onupdate=True)
    # Soft delete: products and orders keep pointing at the supplier they had.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("unit IN ('un', 'kg', 'g', 'l', 'ml', 'cx', 'pct')", name="unit_known"),
        CheckConstraint("ideal_quantity >= 0", name="ideal_quantity_not_negative"),
        CheckConstraint("barcode ~ '^([0-9]{8}|[0-9]{12,14})$'", name="barcode_gtin"),
        # GTIN-12/13/14 of one item differ only by leading zeros: unique on the 14-digit form.
        Index(
            "uq_products_gtin_live",
            text("lpad(barcode, 14, '0')"),
            unique=True,
            postgresql_where=text("deleted_at IS NULL AND barcode IS NOT NULL"),
        ),
        # Barcode prefix search (LIKE '789%') needs the pattern operator class.
        Index(
            "ix_products_barcode_prefix",
            "barcode",
            postgresql_ops={"barcode": "varchar_pattern_ops"},
            postgresql_where=text("deleted_at IS NULL AND barcode IS NOT NULL"),
        ),
        Index(
            "ix_products_section_category",
            text("lower(section)"),
            text("lower(category)"),
            postgresql_where=LIVE,
        ),
        Index("ix_products_category", text("lower(category)"), postgresql_where=LIVE),
        Index("ix_products_price", "price", "id", postgresql_where=LIVE),
        Index("ix_products_supplier_id", "supplier_id", postgresql_where=LIVE),
        Index("ix_products_name_lower", text("lower(name)"), "id", postgresql_where=LIVE),
        Index("ix_products_created_at", "created_at", "id", postgresql_where=LIVE),
        # Created by the migration only where pg_trgm is installed (shared.bootstrap does).
        Index(
            TRIGRAM_INDEX,
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
            postgresql_where=LIVE,
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    barcode: Mapped[str | None] = mapped_column(String(14))
    section: Mapped[str] = mapped_column(String(100), nullable=False)
    category: Mapped[str | None] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(3), nullable=False)
    seasonality: Mapped[str | None] = mapped_column(String(100))
    expiry_date: Mapped[date | None] = mapped_column(Date)
    supplier_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey(f"{SCHEMA}.suppliers.id", ondelete="RESTRICT")
    )
    ideal_quantity: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default=text("0")
    )
    active: Mapped[bool] = mapped_column(nullable=False, default=True, server_default=text("true"))
    created_at: Mapped[datetime] = _now_column()
    updated_at: Mapped[datetime] = _now_column(onupdate=True)
    # Soft delete: the ledger and the reservations keep their history.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    supplier: Mapped[Supplier | None] = relationship(Supplier)
    stock: Mapped[StockLevel] = relationship(back_populates="product", uselist=False)
    images: Mapped[list[ProductImage]] = relationship(
        back_populates="product", order_by="ProductImage.created_at"
    )


class ProductImage(db.Model):
    __tablename__ = "product_images"
    __table_args__ = (
        CheckConstraint(
            "content_type IN ('image/jpeg', 'image/png', 'image/webp')", name="content_type_image"
        ),
        CheckConstraint("size_bytes > 0", name="size_positive"),
        Index("ix_product_images_product_id", "product_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    product_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey(f"{SCHEMA}.products.id", ondelete="CASCADE"), nullable=False
    )
    content_type: Mapped[str] = mapped_column(String(20), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    # Generated on upload (never the client's file name); unique inside IMAGES_DIR.
    file_name: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = _now_column()

    product: Mapped[Product] = relationship(back_populates="images")


class StockLevel(db.Model):
    """One row per product: what is on the shelf, what orders hold, what is free."""

    __tablename__ = "stock_levels"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
        # Out of stock is the rare, interesting case.
        Index(
            "ix_stock_levels_out_of_stock", "product_id", postgresql_where=text("available <= 0")
        ),
    )
    # Read the generated `available` back in the UPDATE's RETURNING, not with another SELECT.
    __mapper_args__ = {"eager_defaults": True}

    product_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey(f"{SCHEMA}.products.id", ondelete="RESTRICT"), primary_key=True
    )
    on_hand: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    reserved: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    available: Mapped[int] = mapped_column(Integer, Computed("on_hand - reserved", persisted=True))
    # Set while available is below the low-stock threshold: stock.low is sent once per crossing.
    low_stock: Mapped[bool] = mapped_column(
        nullable=False, default=False, server_default=text("false")
    )
    updated_at: Mapped[datetime] = _now_column(onupdate=True)

    product: Mapped[Product] = relationship(back_populates="stock")


class PendingStockFall(db.Model):
    """A product whose free stock fell and is not announced yet (migration 0005): written by
    the stock_levels trigger, read and emptied by the stock relay (catalogue_events.py)."""

    __tablename__ = "pending_stock_falls"

    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # The first unannounced fall: the window counts from here.
    since: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.clock_timestamp()
    )


class StockLedgerEntry(db.Model):
    """One change of a stock level and why; append-only (a trigger rejects UPDATE/DELETE)."""

    __tablename__ = "stock_ledger"
    __table_args__ = (
        CheckConstraint("on_hand_after >= 0", name="on_hand_after_not_negative"),
        CheckConstraint("reserved_after >= 0", name="reserved_after_not_negative"),
        CheckConstraint("reserved_after <= on_hand_after", name="reserved_after_within_on_hand"),
        CheckConstraint(
            "cause = 'initial' OR delta_on_hand <> 0 OR delta_reserved <> 0", name="moves_stock"
        ),
        CheckConstraint(
            "cause NOT IN ('order_reserved', 'order_released', 'order_shipped', "
            "'order_returned', 'replenishment_received') OR order_id IS NOT NULL",
            name="order_causes_name_the_order",
        ),
        Index(
            "ix_stock_ledger_product_newest", "product_id", text("created_at DESC"), text("id DESC")
        ),
        Index(
            "ix_stock_ledger_order_id", "order_id", postgresql_where=text("order_id IS NOT NULL")
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey(f"{SCHEMA}.products.id", ondelete="RESTRICT"), nullable=False
    )
    delta_on_hand: Mapped[int] = mapped_column(Integer, nullable=False)
    delta_reserved: Mapped[int] = mapped_column(Integer, nullable=False)
    on_hand_after: Mapped[int] = mapped_column(Integer, nullable=False)
    reserved_after: Mapped[int] = mapped_column(Integer, nullable=False)
    cause: Mapped[str] = mapped_column(String(30), nullable=False)
    order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    note: Mapped[str | None] = mapped_column(String(500))
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = _now_column()


class Reservation(db.Model):
    """The stock service's record of one order: the version applied and what it holds."""

    __tablename__ = "reservations"
    __table_args__ = (
        CheckConstraint("order_type IN ('sale', 'replenishment')", name="order_type_known"),
        CheckConstraint(
            "status IN ('reserved', 'rejected', 'released', 'shipped', 'returned', 'received')",
            name="status_known",
        ),
        CheckConstraint("order_version >= 0", name="order_version_not_negative"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    order_type: Mapped[str] = mapped_column(String(20), nullable=False)
    order_version: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    last_event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[datetime] = _now_column()
    updated_at: Mapped[datetime] = _now_column(onupdate=True)

    lines: Mapped[list[ReservationLine]] = relationship(
        cascade="all, delete-orphan", order_by="ReservationLine.product_id"
    )


class ReservationLine(db.Model):
    """Units of one product an order holds (reserved) or took (shipped, received)."""

    __tablename__ = "reservation_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_reservation_lines_product_id", "product_id"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey(f"{SCHEMA}.reservations.order_id", ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey(f"{SCHEMA}.products.id", ondelete="RESTRICT"), primary_key=True
    )
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
