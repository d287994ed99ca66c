"""Suppliers may opt out of WhatsApp notifications: `notify_whatsapp` (SPEC §3).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA = "stock"


def upgrade() -> None:
    op.add_column(
        "suppliers",
        sa.Column("notify_whatsapp", sa.Boolean, nullable=False, server_default=sa.true()),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_column("suppliers", "notify_whatsapp", schema=SCHEMA)
