"""Clients, orders (number sequence), items, status history and idempotency keys.

CHECK constraints guard what code must never write (unknown status names, quantities ≤ 0,
negative prices, a sale without a client, a replenishment without a supplier); the indexes
serve the order lists (newest first, by client, status, product, supplier, section).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA = "orders"

STATUSES = ("pending", "approved", "processing", "shipped", "delivered", "cancelled", "returned")
STOCK_STATUSES = ("awaiting", "reserved", "rejected", "not_required")
ORDER_TYPES = ("sale", "replenishment")


def _in(column: str, names: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(n) for n in names)})"


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("document", sa.String(14), nullable=False),
        sa.Column("phone", sa.String(13), nullable=True),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=True),
        *_timestamps(),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_clients"),
        sa.CheckConstraint("document ~ '^([0-9]{11}|[0-9]{14})$'", name="ck_clients_document_digits"),
        sa.CheckConstraint("email = lower(email)", name="ck_clients_email_lower"),
        sa.CheckConstraint("phone IS NULL OR phone ~ '^[0-9]{10,13}$'", name="ck_clients_phone_digits"),
        schema=SCHEMA,
    )
    op.create_index(
        "uq_clients_email_live", "clients", ["email"], unique=True, schema=SCHEMA,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "uq_clients_document_live", "clients", ["document"], unique=True, schema=SCHEMA,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "uq_clients_user_id_live", "clients", ["user_id"], unique=True, schema=SCHEMA,
        postgresql_where=sa.text("deleted_at IS NULL AND user_id IS NOT NULL"),
    )
    op.create_index(
        "ix_clients_name_live", "clients", ["name"], schema=SCHEMA,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )

    op.execute(f"CREATE SEQUENCE {SCHEMA}.order_number_seq START WITH 1000")
    op.create_table(
        "orders",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column(
            "number", sa.BigInteger(), nullable=False,
            server_default=sa.text(f"nextval('{SCHEMA}.order_number_seq')"),
        ),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("client_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("supplier_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("stock_status", sa.String(20), nullable=False),
        sa.Column("stock_shortages", postgresql.JSONB(), nullable=True),
        sa.Column("order_version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column("total", sa.Numeric(14, 2), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("desired_delivery_date", sa.Date(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        *_timestamps(),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_orders"),
        sa.UniqueConstraint("number", name="uq_orders_number"),
        sa.ForeignKeyConstraint(["client_id"], [f"{SCHEMA}.clients.id"], name="fk_orders_client_id_clients"),
        sa.CheckConstraint(_in("type", ORDER_TYPES), name="ck_orders_type_known"),
        sa.CheckConstraint(_in("status", STATUSES), name="ck_orders_status_known"),
        sa.CheckConstraint(_in("stock_status", STOCK_STATUSES), name="ck_orders_stock_status_known"),
        sa.CheckConstraint("type <> 'sale' OR client_id IS NOT NULL", name="ck_orders_sale_has_client"),
        sa.CheckConstraint(
            "type <> 'replenishment' OR supplier_id IS NOT NULL", name="ck_orders_replenishment_has_supplier"
        ),
        sa.CheckConstraint("total >= 0", name="ck_orders_total_not_negative"),
        sa.CheckConstraint("order_version >= 1", name="ck_orders_order_version_positive"),
        sa.CheckConstraint("status <> 'approved' OR approved_at IS NOT NULL", name="ck_orders_approved_has_time"),
        schema=SCHEMA,
    )
    op.execute(f"ALTER SEQUENCE {SCHEMA}.order_number_seq OWNED BY {SCHEMA}.orders.number")
    # Every list is newest first over live orders; each filter has an index that keeps that order.
    op.execute(
        f"CREATE INDEX ix_orders_live_created ON {SCHEMA}.orders (created_at DESC, id DESC)"
        " WHERE deleted_at IS NULL"
    )
    op.execute(
        f"CREATE INDEX ix_orders_live_client_created ON {SCHEMA}.orders"
        " (client_id, created_at DESC, id DESC) WHERE deleted_at IS NULL"
    )
    op.execute(
        f"CREATE INDEX ix_orders_live_status_created ON {SCHEMA}.orders"
        " (status, created_at DESC, id DESC) WHERE deleted_at IS NULL"
    )
    op.execute(
        f"CREATE INDEX ix_orders_supplier_created ON {SCHEMA}.orders"
        " (supplier_id, created_at DESC) WHERE supplier_id IS NOT NULL"
    )

    op.create_table(
        "order_items",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("order_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Numeric(12, 2), nullable=False),
        sa.Column(
            "line_total", sa.Numeric(14, 2), sa.Computed("quantity * unit_price", persisted=True),
            nullable=False,
        ),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("section", sa.String(100), nullable=True),
        sa.Column("category", sa.String(100), nullable=True),
        sa.Column("supplier_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("supplier_name", sa.String(200), nullable=True),
        # The order's created_at (never changes): item filters keep the lists' newest-first order.
        sa.Column("order_created_at", sa.DateTime(timezone=True), nullable=False),
        # False once the order is deleted: item filters need not look at orders at all.
        sa.Column("order_live", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_order_items"),
        sa.ForeignKeyConstraint(
            ["order_id"], [f"{SCHEMA}.orders.id"], name="fk_order_items_order_id_orders", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("order_id", "product_id", name="uq_order_items_order_id_product_id"),
        sa.CheckConstraint("quantity > 0", name="ck_order_items_quantity_positive"),
        sa.CheckConstraint("unit_price >= 0", name="ck_order_items_unit_price_not_negative"),
        schema=SCHEMA,
    )
    # Lists filtered by product, supplier or section walk these newest first, one page at a time.
    for name, key in (
        ("ix_order_items_product_recent", "product_id"),
        ("ix_order_items_supplier_recent", "supplier_id"),
        ("ix_order_items_section_recent", "lower(section)"),
    ):
        op.execute(
            f"CREATE INDEX {name} ON {SCHEMA}.order_items"
            f" ({key}, order_created_at DESC, order_id DESC) WHERE order_live"
        )

    op.create_table(
        "order_status_history",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("order_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.Column("changed_by_role", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_order_status_history"),
        sa.ForeignKeyConstraint(
            ["order_id"], [f"{SCHEMA}.orders.id"], name="fk_order_status_history_order_id_orders",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            f"from_status IS NULL OR {_in('from_status', STATUSES)}", name="ck_order_status_history_from_known"
        ),
        sa.CheckConstraint(_in("to_status", STATUSES), name="ck_order_status_history_to_known"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_order_status_history_order_id", "order_status_history", ["order_id", "id"], schema=SCHEMA
    )

    op.create_table(
        "idempotency_keys",
        sa.Column("caller", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("request_fingerprint", sa.String(64), nullable=False),
        sa.Column("order_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("caller", "key", name="pk_idempotency_keys"),
        sa.ForeignKeyConstraint(
            ["order_id"], [f"{SCHEMA}.orders.id"], name="fk_idempotency_keys_order_id_orders",
            ondelete="SET NULL",
        ),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys", schema=SCHEMA)
    op.drop_table("order_status_history", schema=SCHEMA)
    op.drop_table("order_items", schema=SCHEMA)
    op.drop_table("orders", schema=SCHEMA)  # drops the sequence it owns
    op.drop_table("clients", schema=SCHEMA)
