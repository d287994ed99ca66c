"""Tables of schema "orders": clients, orders, their items and status history, idempotency keys.

The CHECK constraints and indexes here mirror migration 0002 (the migration is what creates
them; these declarations keep the models honest about what the database enforces).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    Sequence,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from order_service.domain.statuses import (
    ORDER_TYPE_NAMES,
    STATUS_NAMES,
    STOCK_STATUS_NAMES,
    OrderFacts,
    OrderStatus,
    OrderType,
    StockStatus,
)
from shared.db import create_db
from shared.events import EventType
from shared.inbox import processed_messages_table
from shared.outbox import outbox_table

SCHEMA = "orders"

db = create_db(SCHEMA)

outbox = outbox_table(db.metadata)
# The events the stock service answers with a reservation reply: an order waits for it.
STOCK_BOUND_EVENTS = (EventType.ORDER_CREATED, EventType.ORDER_ITEMS_CHANGED)
# As SQL, literal: a partial index serves a query only when the planner sees its predicate.
STOCK_BOUND_SQL = "event_type IN ({})".format(", ".join(f"'{t.value}'" for t in STOCK_BOUND_EVENTS))
# The order relay's sweep finds an order's stock-bound events (stuck_orders.py, migration 0008).
Index(
    "outbox_order_events",
    # Written as PostgreSQL prints it back, so that the drift check can compare it.
    text("((payload -> 'data'::text) ->> 'order_id'::text)"),
    outbox.c.created_at,
    postgresql_where=text(STOCK_BOUND_SQL),
)
processed_messages = processed_messages_table(db.metadata)

# Human-readable order numbers: a sequence, so numbers are unique and increasing (a rolled
# back order leaves a gap, which is fine for a reference number).
order_number_seq = Sequence("order_number_seq", schema=SCHEMA, metadata=db.metadata)


def _in(column: str, names: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(n) for n in names)})"


class Client(db.Model):
    """A customer: a shop's buyer, a restaurant, a school of the school-meals programme."""

    __tablename__ = "clients"
    __table_args__ = (
        CheckConstraint("document ~ '^([0-9]{11}|[0-9]{14})$'", name="document_digits"),
        CheckConstraint("email = lower(email)", name="email_lower"),
        CheckConstraint("phone IS NULL OR phone ~ '^[0-9]{10,13}$'", name="phone_digits"),
        # Unique among live clients: a deleted client keeps its orders but frees its keys.
        Index(
            "uq_clients_email_live",
            "email",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index(
            "uq_clients_document_live",
            "document",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index(
            "uq_clients_user_id_live",
            "user_id",
            unique=True,
            postgresql_where=text("deleted_at IS NULL AND user_id IS NOT NULL"),
        ),
        Index("ix_clients_name_live", "name", postgresql_where=text("deleted_at IS NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    document: Mapped[str] = mapped_column(String(14))
    phone: Mapped[str | None] = mapped_column(String(13))
    address: Mapped[str | None] = mapped_column(String(500))
    # False: the client receives no WhatsApp notifications (they are recorded as skipped).
    notify_whatsapp: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    # The auth user who registered as this client (sign-up), if any.
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __mapper_args__ = {"eager_defaults": True}


class Order(db.Model):
    """A sale to a client or a replenishment from a supplier, with the items it captured."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(_in("type", ORDER_TYPE_NAMES), name="type_known"),
        CheckConstraint(_in("status", STATUS_NAMES), name="status_known"),
        CheckConstraint(_in("stock_status", STOCK_STATUS_NAMES), name="stock_status_known"),
        CheckConstraint("type <> 'sale' OR client_id IS NOT NULL", name="sale_has_client"),
        CheckConstraint(
            "type <> 'replenishment' OR supplier_id IS NOT NULL",
            name="replenishment_has_supplier",
        ),
        CheckConstraint("total >= 0", name="total_not_negative"),
        CheckConstraint("order_version >= 1", name="order_version_positive"),
        CheckConstraint(
            "status <> 'approved' OR approved_at IS NOT NULL", name="approved_has_time"
        ),
        # Keyset-friendly: newest first is the default order of every list.
        Index(
            "ix_orders_live_created",
            text("created_at DESC"),
            text("id DESC"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index(
            "ix_orders_live_client_created",
            "client_id",
            text("created_at DESC"),
            text("id DESC"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index(
            "ix_orders_live_status_created",
            "status",
            text("created_at DESC"),
            text("id DESC"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # Reports (reports/): a window's orders with what they add up (index-only scans).
        Index(
            "ix_orders_live_created_report",
            "created_at",
            postgresql_where=text("deleted_at IS NULL"),
            postgresql_include=["type", "status", "total", "client_id", "approved_at"],
        ),
        Index(
            "ix_orders_supplier_created",
            "supplier_id",
            text("created_at DESC"),
            postgresql_where=text("supplier_id IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    number: Mapped[int] = mapped_column(
        BigInteger, server_default=order_number_seq.next_value(), unique=True
    )
    type: Mapped[str] = mapped_column(String(20))
    client_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("orders.clients.id")
    )
    # Replenishment orders are addressed to a supplier (a stock_service record: no FK).
    supplier_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(String(20))
    stock_status: Mapped[str] = mapped_column(String(20))
    # [{product_id, requested, available}] from the last stock.rejected, shown on the order.
    stock_shortages: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    order_version: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    notes: Mapped[str | None] = mapped_column(Text)
    desired_delivery_date: Mapped[date | None] = mapped_column(Date)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_by: Mapped[str | None] = mapped_column(String(200))

    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order",
        order_by="OrderItem.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    __mapper_args__ = {"eager_defaults": True}

    def facts(self) -> OrderFacts:
        """What the domain rules need to know about this order."""
        return OrderFacts(
            type=OrderType(self.type),
            status=OrderStatus(self.status),
            stock_status=StockStatus(self.stock_status),
            client_id=self.client_id,
            supplier_id=self.supplier_id,
            item_supplier_ids=frozenset(i.supplier_id for i in self.items if i.supplier_id),
        )


class OrderItem(db.Model):
    """One product on an order, as it was when ordered: name, unit, price, section, supplier."""

    __tablename__ = "order_items"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        CheckConstraint(_in("order_status", STATUS_NAMES), name="order_status_known"),
        UniqueConstraint("order_id", "product_id", name="uq_order_items_order_id_product_id"),
        # Lists filtered by product, supplier or section walk these newest first and stop
        # after one page, as the order-level filters do on the orders' own indexes.
        Index(
            "ix_order_items_product_recent",
            "product_id",
            text("order_created_at DESC"),
            text("order_id DESC"),
            postgresql_where=text("order_live"),
        ),
        Index(
            "ix_order_items_supplier_recent",
            "supplier_id",
            text("order_created_at DESC"),
            text("order_id DESC"),
            postgresql_where=text("order_live"),
        ),
        # A report's window of lines (reports/): the lines of the orders created in it, an
        # order's lines together, with all a report adds up (no join to the orders).
        Index(
            "ix_order_items_live_order_created",
            "order_created_at",
            "order_id",
            postgresql_where=text("order_live"),
            postgresql_include=[
                "client_id",
                "order_status",
                "product_id",
                "supplier_id",
                "supplier_first",
                "quantity",
                "unit_price",
                "line_total",
            ],
        ),
        # Sections are matched without regard to case, as the stock service does.
        Index(
            "ix_order_items_section_recent",
            func.lower(text("section")),
            text("order_created_at DESC"),
            text("order_id DESC"),
            postgresql_where=text("order_live"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("orders.orders.id", ondelete="CASCADE")
    )
    # The order in which lines were added (lists show items in that order).
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    line_total: Mapped[Decimal] = mapped_column(
        Numeric(14, 2), Computed("quantity * unit_price", persisted=True)
    )
    product_name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(10))
    section: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(String(100))
    supplier_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    supplier_name: Mapped[str | None] = mapped_column(String(200))
    # The order's created_at (never changes) and whether it is live (false once it is
    # deleted), copied so that item filters walk only items and keep the list order.
    order_created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    order_live: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    # The order's status, kept equal by a trigger on orders (migration 0006), and its client
    # (never changes; NULL on replenishment orders): a report reads lines without a join.
    order_status: Mapped[str] = mapped_column(String(20), server_default=text("'pending'"))
    client_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # The first line of its supplier on the order (by position): a report counts an order
    # once per supplier by counting these (orders.items.mark_supplier_firsts keeps it).
    supplier_first: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    order: Mapped[Order] = relationship(back_populates="items")

    __mapper_args__ = {"eager_defaults": True}


class OrderStatusChange(db.Model):
    """One row per status change (the first one: created as pending), with who, when, why."""

    __tablename__ = "order_status_history"
    __table_args__ = (
        CheckConstraint(
            f"from_status IS NULL OR {_in('from_status', STATUS_NAMES)}", name="from_known"
        ),
        CheckConstraint(_in("to_status", STATUS_NAMES), name="to_known"),
        Index("ix_order_status_history_order_id", "order_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("orders.orders.id", ondelete="CASCADE")
    )
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_by_role: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class IdempotencyKey(db.Model):
    """An `Idempotency-Key` a caller used on POST /orders, and the response it got."""

    __tablename__ = "idempotency_keys"

    caller: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    # SHA-256 of the request body as understood (canonical JSON): same key, other body → 409.
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("orders.orders.id", ondelete="SET NULL")
    )
    status_code: Mapped[int | None] = mapped_column(Integer)
    # The exact body first sent, replayed byte for byte.
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
