"""Tables of an import: the job, its uploaded file (in chunks) and the result of each line.

Mirrors migration 0005. A job's progress, the orders of a batch and the batch's line results
are written in one transaction, so a worker that dies resumes after the last batch it
committed: no line is imported twice and none is skipped.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from order_service.models import db


class ImportState(StrEnum):
    QUEUED = "queued"  # stored, waiting for a worker
    RUNNING = "running"  # a worker (or the request itself, for a small file) is on it
    DONE = "done"  # every line has its result
    FAILED = "failed"  # the file could not be read to the end; lines before are kept


class ImportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


class LineOutcome(StrEnum):
    CREATED = "created"
    FAILED = "failed"


IMPORT_STATES = tuple(state.value for state in ImportState)


class ImportJob(db.Model):
    __tablename__ = "import_jobs"
    __table_args__ = (
        Index(
            "ix_import_jobs_pending",
            "created_at",
            postgresql_where=text("state IN ('queued', 'running')"),
        ),
        Index("ix_import_jobs_by_creator", "created_by", "created_at"),
        # One key per caller, as on POST /orders: a repeated upload creates nothing twice.
        UniqueConstraint("created_by", "idempotency_key", name="uq_import_jobs_key"),
        CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed')", name="ck_import_jobs_state"
        ),
        CheckConstraint("source_format IN ('csv', 'json')", name="ck_import_jobs_format"),
        CheckConstraint(
            "processed_lines = created_lines + failed_lines"
            " AND processed_lines <= total_lines AND created_lines >= 0 AND failed_lines >= 0",
            name="ck_import_jobs_progress",
        ),
        {"schema": "orders"},
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_by_role: Mapped[str] = mapped_column(String(20))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(128))  # X-Request-ID: up to 128
    source_format: Mapped[str] = mapped_column(String(10))
    file_name: Mapped[str | None] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(20))
    total_lines: Mapped[int] = mapped_column(Integer)
    processed_lines: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    created_lines: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    failed_lines: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    orders_created: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    total_value: Mapped[Decimal] = mapped_column(Numeric(14, 2), server_default=text("0"))
    # Why a failed job stopped ({"pt": ..., "en": ...}).
    error: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    # The response a small import got, replayed for a repeated Idempotency-Key.
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    # Which worker holds the job, until when (a worker that dies lets it go at lease end).
    lease_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ImportUploadChunk(db.Model):
    """A large file as received, in pieces that end on a line end (read back in order)."""

    __tablename__ = "import_upload_chunks"
    __table_args__ = {"schema": "orders"}

    job_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("orders.import_jobs.id", ondelete="CASCADE"),
        primary_key=True,
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ImportLineResult(db.Model):
    __tablename__ = "import_line_results"
    __table_args__ = (
        CheckConstraint("outcome IN ('created', 'failed')", name="ck_import_line_outcome"),
        CheckConstraint(
            "(outcome = 'created') = (order_id IS NOT NULL AND errors = '[]'::jsonb)",
            name="ck_import_line_created_has_order",
        ),
        {"schema": "orders"},
    )

    job_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("orders.import_jobs.id", ondelete="CASCADE"),
        primary_key=True,
    )
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    outcome: Mapped[str] = mapped_column(String(10))
    order_ref: Mapped[str | None] = mapped_column(String(100))
    # No foreign key: an order deleted later does not rewrite what the import did.
    order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    order_number: Mapped[int | None] = mapped_column(BigInteger)
    order_total: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    raw: Mapped[dict[str, str]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
