"""What /ready says of the notifications: how many wait to be sent, how many failed lately."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func, select

from order_service.notifications.tables import Notification, NotificationStatus
from shared import clock

RECENT = timedelta(hours=1)


def notifications_backlog_report(db: SQLAlchemy) -> Callable[[], Mapping[str, Any]]:
    """Queued now (and the oldest one's age) and failed in the last hour; informative only."""

    def report() -> Mapping[str, Any]:
        now = clock.now()
        try:
            queued, oldest, failed = db.session.execute(
                select(
                    func.count().filter(Notification.status == NotificationStatus.QUEUED),
                    func.min(Notification.created_at).filter(
                        Notification.status == NotificationStatus.QUEUED
                    ),
                    func.count().filter(
                        Notification.status == NotificationStatus.FAILED,
                        Notification.updated_at >= now - RECENT,
                    ),
                ).where(
                    (Notification.status == NotificationStatus.QUEUED)
                    | (Notification.updated_at >= now - RECENT)
                )
            ).one()
        finally:
            db.session.rollback()
        return {
            "queued": queued,
            "oldest_queued_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0,
            "failed_last_hour": failed,
        }

    return report
