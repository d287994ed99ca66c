"""The order relay's sweep finds an order's stock-bound events in the outbox by order id.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Partial: only the two event types the stock service answers, so the index stays a
    # fraction of the outbox.
    op.execute(
        "CREATE INDEX outbox_order_events ON orders.outbox"
        " ((payload -> 'data' ->> 'order_id'), created_at)"
        " WHERE event_type IN ('order.created', 'order.items_changed')"
    )


def downgrade() -> None:
    op.execute("DROP INDEX orders.outbox_order_events")
