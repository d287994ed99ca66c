"""python -m auth_service.purge removes what no rule needs any more."""

import uuid
from datetime import timedelta

from sqlalchemy import select

from auth_service import purge
from auth_service.models import LoginAttempt, RefreshTokenFamily, db
from shared import clock


def test_old_attempts_and_ended_sessions_are_removed(app, make_account, monkeypatch, test_database):
    account = make_account()
    long_ago = clock.now() - timedelta(days=40)
    with app.app_context():
        db.session.add(
            LoginAttempt(
                email="old@example.com", address="x", succeeded=False, attempted_at=long_ago
            )
        )
        db.session.add(
            RefreshTokenFamily(
                id=uuid.uuid4(),
                user_id=uuid.UUID(account.id),
                created_at=long_ago,
                expires_at=long_ago + timedelta(days=30),
            )
        )
        db.session.commit()
    monkeypatch.setenv("DATABASE_URL", test_database.url_for("auth_service"))

    assert purge.main([]) == 0

    with app.app_context():
        assert (
            db.session.scalars(
                select(LoginAttempt).where(LoginAttempt.email == "old@example.com")
            ).all()
            == []
        )
        live = db.session.scalars(
            select(RefreshTokenFamily).where(RefreshTokenFamily.user_id == uuid.UUID(account.id))
        ).all()
    assert len(live) == 1  # the session of the login above is kept
