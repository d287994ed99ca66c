"""The notification sender: `python -m order_service.notifications.sender`.

Sends the queued notifications that are due, oldest first, one per transaction: the row is
locked (`FOR UPDATE SKIP LOCKED`, so several senders never send one twice), the template
message goes out, and the row becomes `sent` with the provider's message id. A transient
failure (429, 5xx, timeout) is tried again later, with a growing wait, at most MAX_ATTEMPTS
times; a permanent one (invalid number, template rejected) is `failed` with the provider's
reason at once. Neither ever blocks the queue. Without WhatsApp configuration nothing is
queued (rows are `skipped`), and this process only waits.
"""

from __future__ import annotations

import logging
import sys
from datetime import timedelta

from flask import Flask
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from order_service.app import create_app
from order_service.config import OrderSettings
from order_service.models import db
from order_service.notifications.recording import SEND_CHANNEL
from order_service.notifications.tables import Notification, NotificationStatus
from order_service.notifications.whatsapp import (
    CloudApiSender,
    PermanentFailure,
    TemplateSender,
    TransientFailure,
)
from order_service.notifications.who import Template
from shared import clock
from shared.config import env_float
from shared.db import unit_of_work
from shared.logging import configure_logging
from shared.messaging.shutdown import StopSignal
from shared.messaging.worker import run_woken_worker

log = logging.getLogger("pedidos.orders.notifications.sender")

MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=2)
LONGEST_WAIT = timedelta(minutes=5)


def retry_wait(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: 2 s, 4 s, 8 s … at most 5 minutes."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def send_one(session: Session, sender: TemplateSender) -> bool:
    """Send the oldest due notification, if any; True when there was one."""
    now = clock.now()
    with unit_of_work(session):
        row = session.scalar(
            select(Notification)
            .where(
                Notification.status == NotificationStatus.QUEUED,
                or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now),
            )
            .order_by(Notification.next_attempt_at, Notification.created_at)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if row is None:
            return False
        attempts = row.attempts + 1
        values: dict = {"attempts": attempts, "updated_at": clock.now()}
        try:
            sent = sender.send(row.recipient or "", Template(row.template), row.parameters)
        except TransientFailure as exc:
            if attempts >= MAX_ATTEMPTS:
                values |= {"status": NotificationStatus.FAILED, "reason": str(exc)}
            else:
                values |= {"reason": str(exc), "next_attempt_at": now + retry_wait(attempts)}
        except PermanentFailure as exc:
            values |= {"status": NotificationStatus.FAILED, "reason": str(exc)}
        else:
            values |= {
                "status": NotificationStatus.SENT,
                "reason": None,
                "provider_message_id": sent.message_id,
            }
        session.execute(update(Notification).where(Notification.id == row.id).values(**values))
        log.info(
            "notification attempt",
            extra={
                "notification_id": str(row.id),
                "attempt": attempts,
                "status": str(values.get("status", NotificationStatus.QUEUED)),
                "reason": values.get("reason"),
            },
        )
    return True


def send_due(app: Flask, sender: TemplateSender, stop: StopSignal | None = None) -> int:
    """Send every notification due now; how many were tried (tests call this directly)."""
    tried = 0
    with app.app_context():
        try:
            while (stop is None or not stop.is_set()) and send_one(db.session, sender):
                tried += 1
        finally:
            db.session.remove()
    return tried


def main() -> int:
    settings = OrderSettings.from_env()
    configure_logging(settings.service_name, settings.log_level)
    app = create_app(settings)
    if not settings.whatsapp_configured:
        log.info("WhatsApp not configured: notifications are recorded as skipped, none sent")
    sender = CloudApiSender(settings) if settings.whatsapp_configured else None
    with app.app_context():
        engine = db.engine
    return run_woken_worker(
        name="orders.notifications.sender",
        engine=engine,
        channel=SEND_CHANNEL,
        cycle=lambda stop: send_due(app, sender, stop) if sender is not None else 0,
        poll_seconds=env_float("NOTIFY_POLL_SECONDS", 1.0),
    )


if __name__ == "__main__":
    sys.exit(main())
