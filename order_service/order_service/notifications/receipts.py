"""Delivery receipts from Meta's webhook: checked by signature, applied forward only."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from order_service.notifications.tables import Notification, NotificationStatus
from shared import clock

# A receipt only moves a notification forward: sent → delivered → read (failed from either).
FORWARD = {
    NotificationStatus.DELIVERED: (NotificationStatus.SENT,),
    NotificationStatus.READ: (NotificationStatus.SENT, NotificationStatus.DELIVERED),
    NotificationStatus.FAILED: (NotificationStatus.SENT, NotificationStatus.DELIVERED),
}


def signature_matches(secret: str, body: bytes, header: str | None) -> bool:
    """Meta's X-Hub-Signature-256: "sha256=" + HMAC-SHA256(app secret, raw body), in hex."""
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def verify_token_matches(expected: str, mode: str, given: str) -> bool:
    """The handshake: `hub.mode=subscribe` and our verify token (compared in constant time)."""
    return (
        mode == "subscribe"
        and bool(expected)
        and hmac.compare_digest(expected.encode(), given.encode())
    )


def _dicts(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, dict))


def statuses(payload: Any) -> Iterator[dict[str, Any]]:
    """Each `entry[].changes[].value.statuses[]` with an id and a status; anything else skipped."""
    if not isinstance(payload, dict):
        return
    for entry in _dicts(payload.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            for status in _dicts(value.get("statuses") if isinstance(value, dict) else None):
                if status.get("id") and status.get("status"):
                    yield status


def apply_receipts(session: Session, payload: Any) -> int:
    """Move each notification a receipt names forward (in the caller's transaction)."""
    moved = 0
    for receipt in statuses(payload):
        try:
            target = NotificationStatus(receipt["status"])
        except ValueError:
            continue  # a status we do not track
        if target not in FORWARD:
            continue  # "sent": we know
        values: dict[str, Any] = {"status": target, "updated_at": clock.now()}
        if target == NotificationStatus.FAILED:
            first = next(_dicts(receipt.get("errors")), {})
            values["reason"] = (
                f"{first.get('code', '?')}: {first.get('title') or first.get('message')}"
            )
        # An UPDATE's result is a CursorResult (it has rowcount); Session.execute says Result.
        result = cast(
            CursorResult[Any],
            session.execute(
                update(Notification)
                .where(
                    Notification.provider_message_id == str(receipt["id"])[:200],
                    Notification.status.in_([s.value for s in FORWARD[target]]),
                )
                .values(**values)
            ),
        )
        moved += result.rowcount or 0
    return moved
