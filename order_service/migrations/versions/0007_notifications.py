"""Notifications: one row per (event, recipient); clients may opt out of WhatsApp messages.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SCHEMA = "orders"


def upgrade() -> None:
    op.add_column(
        "clients",
        sa.Column("notify_whatsapp", sa.Boolean, nullable=False, server_default=sa.true()),
        schema=SCHEMA,
    )
    op.create_table(
        "notifications",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("order_id", UUID(as_uuid=True)),
        sa.Column("channel", sa.String(20), nullable=False, server_default="whatsapp"),
        sa.Column("recipient_kind", sa.String(20), nullable=False),
        sa.Column("recipient_ref", UUID(as_uuid=True)),
        sa.Column("recipient", sa.String(20)),
        sa.Column("recipient_key", sa.String(80), nullable=False),
        sa.Column("template", sa.String(64), nullable=False),
        sa.Column("parameters", JSONB, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("provider_message_id", sa.String(200)),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.UniqueConstraint(
            "event_id", "recipient_key", name="uq_notifications_event_recipient"
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'delivered', 'read', 'failed', 'skipped')",
            name="ck_notifications_status_known",
        ),
        sa.CheckConstraint("channel = 'whatsapp'", name="ck_notifications_channel_known"),
        sa.CheckConstraint(
            "status <> 'skipped' OR reason IS NOT NULL", name="ck_notifications_skip_says_why"
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_notifications_created", "notifications", ["created_at", "id"], schema=SCHEMA)
    op.create_index(
        "ix_notifications_order",
        "notifications",
        ["order_id"],
        schema=SCHEMA,
        postgresql_where=sa.text("order_id IS NOT NULL"),
    )
    # The sender's question: which queued ones are due?
    op.create_index(
        "ix_notifications_due",
        "notifications",
        ["next_attempt_at"],
        schema=SCHEMA,
        postgresql_where=sa.text("status = 'queued'"),
    )
    # A delivery receipt names the provider's message id.
    op.create_index(
        "ix_notifications_provider_message",
        "notifications",
        ["provider_message_id"],
        schema=SCHEMA,
        postgresql_where=sa.text("provider_message_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_table("notifications", schema=SCHEMA)
    op.drop_column("clients", "notify_whatsapp", schema=SCHEMA)
