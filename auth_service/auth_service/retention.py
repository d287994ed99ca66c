"""How long the auth service keeps login attempts and ended sessions (run daily by
auth_service.purge). One transaction (shared.db.unit_of_work).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from auth_service.models import LoginAttempt, RefreshTokenFamily
from shared import clock
from shared.db import unit_of_work


def purge_stale_records(
    *, session: Session, keep_login_attempts: timedelta, now: datetime | None = None
) -> dict[str, int]:
    """Delete login attempts older than `keep_login_attempts` and sessions past their end."""
    now = now or clock.now()
    with unit_of_work(session):
        attempts = session.execute(
            delete(LoginAttempt).where(LoginAttempt.attempted_at < now - keep_login_attempts)
        ).rowcount
        # Tokens go with their family (ON DELETE CASCADE).
        families = session.execute(
            delete(RefreshTokenFamily).where(RefreshTokenFamily.expires_at < now)
        ).rowcount
    return {"login_attempts": attempts, "refresh_token_families": families}
