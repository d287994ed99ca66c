"""Statistics on lower(section), so the planner's estimate of a section's orders is right.

Past COUNT_CAP an order list's `meta.total` is the planner's estimate. The only index on
lower(section) is partial (WHERE order_live), and PostgreSQL does not use a partial index's
statistics for estimates: without these, a section matched 0.5 % of the items whatever it
held, and a section with 300,000 of 1,000,000 orders was reported as about 15,000.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA = "orders"


def upgrade() -> None:
    op.execute(
        f"CREATE STATISTICS {SCHEMA}.st_order_items_section ON (lower(section))"
        f" FROM {SCHEMA}.order_items"
    )
    # Fill them now rather than at autovacuum's next visit (ANALYZE samples: quick at any size).
    op.execute(f"ANALYZE {SCHEMA}.order_items")


def downgrade() -> None:
    op.execute(f"DROP STATISTICS IF EXISTS {SCHEMA}.st_order_items_section")
