"""Imports: the job, its uploaded file in chunks, and the result of each line.

A small import is answered in its request; a large one is stored here and a worker
completes it. Progress, the batch's orders and its line results commit together.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = "orders"


def upgrade() -> None:
    op.create_table(
        "import_jobs",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_by_role", sa.String(20), nullable=False),
        sa.Column("idempotency_key", sa.String(200)),
        sa.Column("request_fingerprint", sa.String(64), nullable=False),
        sa.Column("request_id", sa.String(128)),  # X-Request-ID: up to 128
        sa.Column("source_format", sa.String(10), nullable=False),
        sa.Column("file_name", sa.String(255)),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("total_lines", sa.Integer, nullable=False),
        sa.Column("processed_lines", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("created_lines", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("failed_lines", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("orders_created", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("total_value", sa.Numeric(14, 2), nullable=False, server_default=sa.text("0")),
        sa.Column("error", JSONB),
        sa.Column("response_status", sa.Integer),
        sa.Column("response_body", sa.Text),
        sa.Column("lease_id", UUID(as_uuid=True)),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("created_by", "idempotency_key", name="uq_import_jobs_key"),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed')", name="ck_import_jobs_state"
        ),
        sa.CheckConstraint("source_format IN ('csv', 'json')", name="ck_import_jobs_format"),
        sa.CheckConstraint(
            "processed_lines = created_lines + failed_lines"
            " AND processed_lines <= total_lines AND created_lines >= 0 AND failed_lines >= 0",
            name="ck_import_jobs_progress",
        ),
        schema=SCHEMA,
    )
    # The worker's question: which job is waiting (or was left by a worker that died)?
    op.create_index(
        "ix_import_jobs_pending",
        "import_jobs",
        ["created_at"],
        schema=SCHEMA,
        postgresql_where=sa.text("state IN ('queued', 'running')"),
    )
    op.create_index(
        "ix_import_jobs_by_creator", "import_jobs", ["created_by", "created_at"], schema=SCHEMA
    )
    op.create_table(
        "import_upload_chunks",
        sa.Column(
            "job_id",
            UUID(as_uuid=True),
            sa.ForeignKey(f"{SCHEMA}.import_jobs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("content", sa.LargeBinary, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "import_line_results",
        sa.Column(
            "job_id",
            UUID(as_uuid=True),
            sa.ForeignKey(f"{SCHEMA}.import_jobs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("line", sa.Integer, primary_key=True),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("order_ref", sa.String(100)),
        sa.Column("order_id", UUID(as_uuid=True)),
        sa.Column("order_number", sa.BigInteger),
        sa.Column("order_total", sa.Numeric(14, 2)),
        sa.Column("errors", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("raw", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.CheckConstraint("outcome IN ('created', 'failed')", name="ck_import_line_outcome"),
        sa.CheckConstraint(
            "(outcome = 'created') = (order_id IS NOT NULL AND errors = '[]'::jsonb)",
            name="ck_import_line_created_has_order",
        ),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("import_line_results", schema=SCHEMA)
    op.drop_table("import_upload_chunks", schema=SCHEMA)
    op.drop_index("ix_import_jobs_by_creator", table_name="import_jobs", schema=SCHEMA)
    op.drop_index("ix_import_jobs_pending", table_name="import_jobs", schema=SCHEMA)
    op.drop_table("import_jobs", schema=SCHEMA)
