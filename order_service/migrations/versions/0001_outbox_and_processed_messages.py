"""Outbox and processed-message tables of schema orders, with the relay's NOTIFY trigger.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.outbox import drop_notify_trigger_sql, notify_trigger_sql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "orders"


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", postgresql.UUID(as_uuid=False), primary_key=True),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("routing_key", sa.String(200), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("headers", postgresql.JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["created_at"],
        schema=SCHEMA,
        postgresql_where=sa.text("published_at IS NULL"),
    )
    for statement in notify_trigger_sql(SCHEMA):
        op.execute(statement)
    op.create_table(
        "processed_messages",
        sa.Column("consumer", sa.String(100), nullable=False),
        sa.Column("message_id", postgresql.UUID(as_uuid=False), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("consumer", "message_id", name="pk_processed_messages"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("processed_messages", schema=SCHEMA)
    for statement in drop_notify_trigger_sql(SCHEMA):
        op.execute(statement)
    op.drop_table("outbox", schema=SCHEMA)
