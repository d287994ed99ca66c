"""What staff do with notifications: read them, and put a failed one back in the queue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from order_service.domain.errors import ConflictError, NotFoundError
from order_service.notifications.tables import Notification, NotificationStatus
from order_service.notifications.who import Template, rendered
from shared import clock
from shared.db import unit_of_work
from shared.i18n import Text
from shared.pagination import Page, paginate


class NotificationNotFound(NotFoundError):
    message = Text("Notificação não encontrada.", "Notification not found.")


@dataclass(frozen=True)
class NotificationFilters:
    status: str | None = None
    order_id: uuid.UUID | None = None
    recipient: str | None = None
    date_from: date | None = None  # business days of creation, both included
    date_to: date | None = None


def notification_view(row: Notification) -> dict[str, Any]:
    """A notification as the API shows it, with the message as the recipient reads it."""
    return {
        "id": row.id,
        "event_id": row.event_id,
        "event_type": row.event_type,
        "order_id": row.order_id,
        "channel": row.channel,
        "recipient_kind": row.recipient_kind,
        "recipient": row.recipient,
        "template": row.template,
        "parameters": row.parameters,
        "message": rendered(Template(row.template), row.parameters),
        "status": row.status,
        "reason": row.reason,
        "attempts": row.attempts,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def list_notifications(
    session: Session, filters: NotificationFilters, *, page: int, page_size: int
) -> Page:
    """Newest first, filtered; one page of notification views."""
    stmt = select(Notification).order_by(Notification.created_at.desc(), Notification.id.desc())
    if filters.status:
        stmt = stmt.where(Notification.status == filters.status)
    if filters.order_id:
        stmt = stmt.where(Notification.order_id == filters.order_id)
    if filters.recipient:
        stmt = stmt.where(Notification.recipient == filters.recipient)
    if filters.date_from:
        stmt = stmt.where(Notification.created_at >= clock.start_of_business_day(filters.date_from))
    if filters.date_to:
        end = clock.start_of_business_day(filters.date_to + timedelta(days=1))
        stmt = stmt.where(Notification.created_at < end)
    return paginate(session, stmt, page=page, page_size=page_size).map(notification_view)


def retry_failed(session: Session, notification_id: uuid.UUID) -> Notification:
    """A `failed` notification back in the queue (reason cleared; a fresh set of automatic
    retries: the cause was fixed, a transient hiccup must not fail it at once); 409 for any
    other status."""
    with unit_of_work(session):
        row = session.get(Notification, notification_id, with_for_update=True)
        if row is None:
            raise NotificationNotFound()
        if row.status != NotificationStatus.FAILED:
            raise ConflictError(
                Text(
                    "Só uma notificação com falha pode ser reenviada "
                    f"(status atual: {row.status}).",
                    f"Only a failed notification can be retried (status: {row.status}).",
                ),
                code="not_failed",
                data={"status": row.status},
            )
        session.execute(
            update(Notification)
            .where(Notification.id == notification_id)
            .values(
                status=NotificationStatus.QUEUED,
                reason=None,
                attempts=0,
                next_attempt_at=clock.now(),
                updated_at=clock.now(),
            )
        )
    row = session.get(Notification, notification_id, populate_existing=True)
    assert row is not None
    return row
