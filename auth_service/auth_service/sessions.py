"""Login sessions: login opens one (a refresh-token family), refresh rotates its token,
logout ends it. Each use case is one transaction (shared.db.unit_of_work).

Outcomes that must be remembered even though the caller gets an error — a failed login, a
family revoked because a spent refresh token came back — are committed first; the error is
raised after the transaction.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from auth_service.domain.rate_limit import LockoutPolicy
from auth_service.domain.refresh_tokens import (
    RefreshTokenState,
    RefreshVerdict,
    RevocationReason,
    fingerprint,
    judge,
    new_refresh_token,
    next_expiry,
)
from auth_service.domain.users import normalise_email
from auth_service.login_attempts import lockout_decision
from auth_service.models import LoginAttempt, RefreshToken, RefreshTokenFamily, User
from auth_service.passwords import Passwords
from auth_service.tokens import TokenIssuer
from auth_service.users import user_by_email
from shared import clock
from shared.auth import Principal
from shared.db import unit_of_work
from shared.errors import Forbidden, TooManyRequests, Unauthorized
from shared.i18n import Text

log = logging.getLogger(__name__)

TOKEN_TYPE = "Bearer"
UNKNOWN_ADDRESS = "unknown"
INVALID_CREDENTIALS = Text("E-mail ou senha inválidos.", "Invalid email or password.")
USER_INACTIVE = Text(
    "Usuário desativado. Procure um administrador.", "User deactivated. Contact an admin."
)
_REFRESH_REFUSALS: dict[str, tuple[str, Text]] = {
    "unknown": (
        "refresh_token_invalid",
        Text("Refresh token inválido.", "Invalid refresh token."),
    ),
    RefreshVerdict.EXPIRED: (
        "refresh_token_expired",
        Text("Refresh token expirado. Entre novamente.", "Refresh token expired. Log in again."),
    ),
    RefreshVerdict.REVOKED: (
        "refresh_token_revoked",
        Text("Sessão encerrada. Entre novamente.", "Session ended. Log in again."),
    ),
    RefreshVerdict.REUSED: (
        "refresh_token_reused",
        Text(
            "Refresh token já utilizado: por segurança a sessão foi encerrada. Entre novamente.",
            "Refresh token already used: the session was ended for safety. Log in again.",
        ),
    ),
    "user_inactive": ("user_inactive", USER_INACTIVE),
}


@dataclass(frozen=True)
class SessionPolicy:
    """How long refresh tokens and the login sessions (families) they belong to live."""

    token_ttl: timedelta
    max_age: timedelta


@dataclass(frozen=True)
class IssuedSession:
    """What login and refresh hand back: a token pair and the user it is for."""

    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    user: User
    token_type: str = TOKEN_TYPE


def _revoke_family(family: RefreshTokenFamily, reason: RevocationReason, now: datetime) -> None:
    if family.revoked_at is None:
        family.revoked_at = now
        family.revoked_reason = reason


def revoke_sessions_of(
    session: Session, user_id: uuid.UUID, reason: RevocationReason, now: datetime
) -> None:
    session.execute(
        update(RefreshTokenFamily)
        .where(RefreshTokenFamily.user_id == user_id, RefreshTokenFamily.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
    )


def _issue_pair(
    session: Session,
    *,
    user: User,
    family: RefreshTokenFamily,
    issuer: TokenIssuer,
    sessions: SessionPolicy,
    now: datetime,
) -> IssuedSession:
    raw = new_refresh_token()
    expires_at = next_expiry(now=now, ttl=sessions.token_ttl, family_expires_at=family.expires_at)
    session.add(
        RefreshToken(
            id=uuid.uuid4(),
            family=family,
            token_hash=fingerprint(raw),
            created_at=now,
            expires_at=expires_at,
        )
    )
    access = issuer.access_token(
        subject=str(user.id),
        role=user.role,
        now=now,
        client_id=str(user.client_id) if user.client_id else None,
        supplier_id=str(user.supplier_id) if user.supplier_id else None,
    )
    return IssuedSession(
        access_token=access,
        refresh_token=raw,
        expires_in=issuer.expires_in,
        refresh_expires_in=int((expires_at - now).total_seconds()),
        user=user,
    )


def login(
    *,
    session: Session,
    email: str,
    password: str,
    address: str | None,
    passwords: Passwords,
    issuer: TokenIssuer,
    sessions: SessionPolicy,
    lockout: LockoutPolicy,
    now: datetime | None = None,
) -> IssuedSession:
    """Check the credentials (within the rate limits) and open a new session.

    Two short transactions instead of one: the attempt is recorded as a failure and
    committed before the password is hashed, so parallel guesses see each other at once
    and no lock or transaction is held during the (deliberately slow) argon2 check.
    """
    now = now or clock.now()
    email = normalise_email(email)
    address = (address or UNKNOWN_ADDRESS)[:64]
    with unit_of_work(session):
        # Serialise the limit check of one email across workers and replicas (held for ms).
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"login:{email}"},
        )
        decision = lockout_decision(session, email=email, address=address, policy=lockout, now=now)
        if not decision.allowed:
            log.warning("login rate limited", extra={"address": address})
            raise TooManyRequests(
                Text(
                    "Muitas tentativas de login. Tente novamente em {seconds} segundos.",
                    "Too many login attempts. Try again in {seconds} seconds.",
                ).format(seconds=decision.retry_after_seconds),
                data={"retry_after": decision.retry_after_seconds},
            )
        attempt = LoginAttempt(email=email, address=address, succeeded=False, attempted_at=now)
        session.add(attempt)
        user = user_by_email(session, email)
    if not passwords.verify(user.password_hash if user else None, password):
        raise Unauthorized(INVALID_CREDENTIALS, code="invalid_credentials")
    assert user is not None
    with unit_of_work(session):
        user = session.get(User, user.id, populate_existing=True)
        if user is None or not user.active:
            # Right password, deactivated user: only its owner learns that it is inactive.
            raise Unauthorized(USER_INACTIVE, code="user_inactive")
        session.execute(
            update(LoginAttempt).where(LoginAttempt.id == attempt.id).values(succeeded=True)
        )
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash(password)
        family = RefreshTokenFamily(
            id=uuid.uuid4(), user_id=user.id, created_at=now, expires_at=now + sessions.max_age
        )
        session.add(family)
        return _issue_pair(
            session, user=user, family=family, issuer=issuer, sessions=sessions, now=now
        )


def _find_refresh_token(
    session: Session, refresh_token: str
) -> tuple[RefreshToken, RefreshTokenFamily] | None:
    # FOR UPDATE: two concurrent refreshes with one token are serialised; the second is reuse.
    row = session.execute(
        select(RefreshToken, RefreshTokenFamily)
        .join(RefreshToken.family)
        .where(RefreshToken.token_hash == fingerprint(refresh_token))
        .with_for_update()
    ).first()
    return (row[0], row[1]) if row else None


def refresh(
    *,
    session: Session,
    refresh_token: str,
    issuer: TokenIssuer,
    sessions: SessionPolicy,
    now: datetime | None = None,
) -> IssuedSession:
    """Spend a refresh token for a new pair; a spent token coming back revokes its family."""
    now = now or clock.now()
    outcome: str = "unknown"
    issued: IssuedSession | None = None
    with unit_of_work(session):
        found = _find_refresh_token(session, refresh_token)
        if found is not None:
            token, family = found
            outcome = judge(
                RefreshTokenState(
                    expires_at=token.expires_at,
                    rotated_at=token.rotated_at,
                    family_expires_at=family.expires_at,
                    family_revoked_at=family.revoked_at,
                ),
                now=now,
            )
            user = session.get(User, family.user_id)
            if outcome == RefreshVerdict.REUSED:
                log.warning(
                    "refresh token reuse: family %s of user %s revoked", family.id, user and user.id
                )
                _revoke_family(family, RevocationReason.REUSE_DETECTED, now)
            elif outcome == RefreshVerdict.VALID and (user is None or not user.active):
                outcome = "user_inactive"
                _revoke_family(family, RevocationReason.USER_DEACTIVATED, now)
            elif outcome == RefreshVerdict.VALID:
                assert user is not None
                token.rotated_at = now
                issued = _issue_pair(
                    session, user=user, family=family, issuer=issuer, sessions=sessions, now=now
                )
    if issued is None:
        code, message = _REFRESH_REFUSALS[outcome]
        raise Unauthorized(message, code=code)
    return issued


def logout(
    *, session: Session, refresh_token: str, actor: Principal, now: datetime | None = None
) -> None:
    """End the session (family) of a refresh token; unknown or already ended ones are fine."""
    now = now or clock.now()
    with unit_of_work(session):
        found = _find_refresh_token(session, refresh_token)
        if found is None:
            return
        _, family = found
        if str(family.user_id) != actor.subject:
            raise Forbidden(
                Text(
                    "Este refresh token pertence a outro usuário.",
                    "This refresh token belongs to another user.",
                )
            )
        _revoke_family(family, RevocationReason.LOGOUT, now)
