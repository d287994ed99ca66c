"""The notification row (migration 0007): one per (event, recipient), never two."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from order_service.models import db


class NotificationStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    SKIPPED = "skipped"


NOTIFICATION_STATUSES = tuple(s.value for s in NotificationStatus)


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # A redelivered event never notifies anyone twice.
        UniqueConstraint("event_id", "recipient_key", name="uq_notifications_event_recipient"),
        CheckConstraint(
            "status IN ('queued', 'sent', 'delivered', 'read', 'failed', 'skipped')",
            name="ck_notifications_status_known",
        ),
        CheckConstraint("channel = 'whatsapp'", name="ck_notifications_channel_known"),
        CheckConstraint(
            "status <> 'skipped' OR reason IS NOT NULL", name="ck_notifications_skip_says_why"
        ),
        Index("ix_notifications_created", "created_at", "id"),
        Index("ix_notifications_order", "order_id", postgresql_where=text("order_id IS NOT NULL")),
        Index(
            "ix_notifications_due", "next_attempt_at", postgresql_where=text("status = 'queued'")
        ),
        Index(
            "ix_notifications_provider_message",
            "provider_message_id",
            postgresql_where=text("provider_message_id IS NOT NULL"),
        ),
        {"schema": "orders"},
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(100))
    order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    channel: Mapped[str] = mapped_column(String(20), server_default=text("'whatsapp'"))
    recipient_kind: Mapped[str] = mapped_column(String(20))
    recipient_ref: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # E.164 (+5511987654321); NULL when the record has no valid number (then skipped).
    recipient: Mapped[str | None] = mapped_column(String(20))
    # What makes a recipient unique for an event: the number, or the record without one.
    recipient_key: Mapped[str] = mapped_column(String(80))
    template: Mapped[str] = mapped_column(String(64))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    # A queued one is sent once this instant has passed (later after a transient failure).
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
