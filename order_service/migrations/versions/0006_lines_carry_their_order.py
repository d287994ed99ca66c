"""Order lines carry their order's status and client, so a report reads lines alone.

They also say whether they are the first line of their supplier on the order
(`supplier_first`), so "orders per supplier" is a count, not a DISTINCT over the window.

A 30-day report at a million orders joined 120k lines to their 40k orders for the status
(volume) and the client; the join and its heap reads were most of each grouping's time.
`order_status` follows the order's status (a trigger, so no code path can forget it);
`client_id` never changes (NULL on replenishment orders: only sales have clients). The
report index now carries both, ordered by (order_created_at, order_id), so an order's lines
come together; the orders' report index gains approved_at (the approval time, no history
probe per order).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SCHEMA = "orders"
STATUSES = ("pending", "approved", "processing", "shipped", "delivered", "cancelled", "returned")


def upgrade() -> None:
    op.add_column(
        "order_items",
        sa.Column("order_status", sa.String(20), nullable=False, server_default="pending"),
        schema=SCHEMA,
    )
    op.add_column("order_items", sa.Column("client_id", UUID(as_uuid=True)), schema=SCHEMA)
    op.add_column(
        "order_items",
        sa.Column("supplier_first", sa.Boolean, nullable=False, server_default=sa.true()),
        schema=SCHEMA,
    )
    op.execute(
        f"UPDATE {SCHEMA}.order_items AS i SET order_status = o.status, client_id = o.client_id,"
        "  supplier_first = NOT EXISTS ("
        f"    SELECT 1 FROM {SCHEMA}.order_items AS e WHERE e.order_id = i.order_id"
        "      AND e.supplier_id IS NOT DISTINCT FROM i.supplier_id AND e.position < i.position)"
        f" FROM {SCHEMA}.orders AS o WHERE o.id = i.order_id"
    )
    known = ", ".join(f"'{s}'" for s in STATUSES)
    op.execute(
        f"ALTER TABLE {SCHEMA}.order_items ADD CONSTRAINT ck_order_items_order_status_known"
        f" CHECK (order_status IN ({known}))"
    )
    op.execute(
        f"""
        CREATE FUNCTION {SCHEMA}.order_items_follow_status() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {SCHEMA}.order_items SET order_status = NEW.status
             WHERE order_id = NEW.id AND order_status <> NEW.status;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        f"CREATE TRIGGER order_items_follow_status AFTER UPDATE OF status ON {SCHEMA}.orders"
        " FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)"
        f" EXECUTE FUNCTION {SCHEMA}.order_items_follow_status()"
    )
    op.drop_index("ix_order_items_live_order_created", table_name="order_items", schema=SCHEMA)
    op.create_index(
        "ix_order_items_live_order_created",
        "order_items",
        ["order_created_at", "order_id"],
        schema=SCHEMA,
        postgresql_where="order_live",
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
    )
    op.drop_index("ix_orders_live_created_report", table_name="orders", schema=SCHEMA)
    op.create_index(
        "ix_orders_live_created_report",
        "orders",
        ["created_at"],
        schema=SCHEMA,
        postgresql_where="deleted_at IS NULL",
        postgresql_include=["type", "status", "total", "client_id", "approved_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_orders_live_created_report", table_name="orders", schema=SCHEMA)
    op.create_index(
        "ix_orders_live_created_report",
        "orders",
        ["created_at"],
        schema=SCHEMA,
        postgresql_where="deleted_at IS NULL",
        postgresql_include=["type", "status", "total", "client_id"],
    )
    op.drop_index("ix_order_items_live_order_created", table_name="order_items", schema=SCHEMA)
    op.create_index(
        "ix_order_items_live_order_created",
        "order_items",
        ["order_created_at"],
        schema=SCHEMA,
        postgresql_where="order_live",
        postgresql_include=[
            "order_id", "product_id", "supplier_id", "quantity", "unit_price", "line_total"
        ],
    )
    op.execute(f"DROP TRIGGER order_items_follow_status ON {SCHEMA}.orders")
    op.execute(f"DROP FUNCTION {SCHEMA}.order_items_follow_status()")
    op.execute(f"ALTER TABLE {SCHEMA}.order_items DROP CONSTRAINT ck_order_items_order_status_known")
    op.drop_column("order_items", "supplier_first", schema=SCHEMA)
    op.drop_column("order_items", "client_id", schema=SCHEMA)
    op.drop_column("order_items", "order_status", schema=SCHEMA)
