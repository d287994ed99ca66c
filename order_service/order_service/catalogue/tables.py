"""A product as the order service last heard of it (migration 0010)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, Integer, Numeric, String
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from order_service.models import db


class CatalogueProduct(db.Model):
    """product.changed fills the product's columns, stock.changed its free stock; each keeps
    the revision it came with and only a newer one replaces it."""

    __tablename__ = "catalogue_products"
    __table_args__ = (
        CheckConstraint(
            "product_revision IS NULL OR (name IS NOT NULL AND unit IS NOT NULL"
            " AND price IS NOT NULL AND active IS NOT NULL AND deleted IS NOT NULL)",
            name="ck_catalogue_products_complete",
        ),
        CheckConstraint(
            "(available IS NULL) = (stock_revision IS NULL)",
            name="ck_catalogue_products_stock_with_revision",
        ),
    )

    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(3))
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    section: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(String(100))
    supplier_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    supplier_name: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool | None] = mapped_column(Boolean)
    deleted: Mapped[bool | None] = mapped_column(Boolean)
    product_revision: Mapped[int | None] = mapped_column(BigInteger)
    available: Mapped[int | None] = mapped_column(Integer)
    stock_revision: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
