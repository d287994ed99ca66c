"""The order service's own copy of what it needs from the catalogue: fed by the stock
service's `product.changed` and `stock.changed` events, read by POST /orders instead of an
HTTP call (docs/orders.md "The catalogue copy").

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

SCHEMA = "orders"


def upgrade() -> None:
    op.create_table(
        "catalogue_products",
        sa.Column("product_id", UUID(as_uuid=True), primary_key=True),
        # From product.changed (all NULL until the first one arrives).
        sa.Column("name", sa.String(200)),
        sa.Column("unit", sa.String(3)),
        sa.Column("price", sa.Numeric(12, 2)),
        sa.Column("section", sa.String(100)),
        sa.Column("category", sa.String(100)),
        sa.Column("supplier_id", UUID(as_uuid=True)),
        sa.Column("supplier_name", sa.String(200)),
        sa.Column("active", sa.Boolean),
        sa.Column("deleted", sa.Boolean),
        sa.Column("product_revision", sa.BigInteger),
        # From stock.changed.
        sa.Column("available", sa.Integer),
        sa.Column("stock_revision", sa.BigInteger),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "product_revision IS NULL OR (name IS NOT NULL AND unit IS NOT NULL"
            " AND price IS NOT NULL AND active IS NOT NULL AND deleted IS NOT NULL)",
            name="ck_catalogue_products_complete",
        ),
        sa.CheckConstraint(
            "(available IS NULL) = (stock_revision IS NULL)",
            name="ck_catalogue_products_stock_with_revision",
        ),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("catalogue_products", schema=SCHEMA)
