"""Use cases of the auth service: each function is one transaction (shared.db.unit_of_work).

Outcomes that must be remembered even though the caller gets an error — a failed login, a
family revoked because a spent refresh token came back — are committed first; the error is
raised after the transaction.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from auth_service.client_directory import ClientDirectory, NewClient
from auth_service.domain import rate_limit
from auth_service.domain.documents import normalise_document, normalise_phone
from auth_service.domain.passwords import check_password
from auth_service.domain.rate_limit import FailureCount, LockoutPolicy
from auth_service.domain.refresh_tokens import (
    RefreshTokenState,
    RefreshVerdict,
    RevocationReason,
    fingerprint,
    judge,
    new_refresh_token,
    next_expiry,
)
from auth_service.domain.users import (
    SELF_REGISTERED_ROLE,
    UserRole,
    check_bindings,
    ensure_an_admin_remains,
    normalise_email,
)
from auth_service.models import LoginAttempt, RefreshToken, RefreshTokenFamily, User
from auth_service.passwords import Passwords
from auth_service.tokens import ServiceClients, TokenIssuer
from shared import clock
from shared.auth import Principal
from shared.db import unit_of_work
from shared.errors import Conflict, Forbidden, NotFound, TooManyRequests, Unauthorized
from shared.i18n import Text

log = logging.getLogger(__name__)

TOKEN_TYPE = "Bearer"
UNKNOWN_ADDRESS = "unknown"

INVALID_CREDENTIALS = Text("E-mail ou senha inválidos.", "Invalid email or password.")
USER_INACTIVE = Text(
    "Usuário desativado. Procure um administrador.", "User deactivated. Contact an admin."
)
USER_NOT_FOUND = Text("Usuário não encontrado.", "User not found.")
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
# The constraint each duplicate violates, and the field it is about.
_UNIQUE_FIELDS = {"uq_users_email_lower": "email", "uq_users_document": "document"}
_DUPLICATE_MESSAGES = {
    "email": Text("Já existe um usuário com este e-mail.", "A user with this email exists."),
    "document": Text(
        "Já existe um usuário com este CPF/CNPJ.", "A user with this CPF/CNPJ exists."
    ),
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


@dataclass(frozen=True)
class ServiceToken:
    access_token: str
    expires_in: int
    token_type: str = TOKEN_TYPE


# --- lookups shared by the use cases -------------------------------------------------------


def parse_user_id(raw: str | uuid.UUID) -> uuid.UUID:
    """The user id from a path segment; a malformed one is simply a user we do not have."""
    if isinstance(raw, uuid.UUID):
        return raw
    try:
        return uuid.UUID(str(raw))
    except ValueError as exc:
        raise NotFound(USER_NOT_FOUND) from exc


def _user_or_404(session: Session, user_id: str | uuid.UUID, *, lock: bool = False) -> User:
    stmt = select(User).where(User.id == parse_user_id(user_id))
    user = session.scalar(stmt.with_for_update() if lock else stmt)
    if user is None:
        raise NotFound(USER_NOT_FOUND)
    return user


def _user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def _ensure_unique(
    session: Session, *, email: str | None, document: str | None, exclude: uuid.UUID | None
) -> None:
    clashes: list[str] = []
    for field, column, value in (
        ("email", func.lower(User.email), email),
        ("document", User.document, document),
    ):
        if value is None:
            continue
        stmt = select(User.id).where(column == value)
        if exclude is not None:
            stmt = stmt.where(User.id != exclude)
        if session.scalar(stmt.limit(1)) is not None:
            clashes.append(field)
    if clashes:
        raise _duplicate(clashes)


def _duplicate(fields: list[str]) -> Conflict:
    return Conflict(
        _DUPLICATE_MESSAGES[fields[0]],
        code="duplicate",
        errors=[{"field": f, "message": _DUPLICATE_MESSAGES[f]} for f in fields],
    )


def _flush_unique(session: Session) -> None:
    """Flush, turning a unique violation (a concurrent duplicate) into a 409."""
    try:
        session.flush()
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
        if constraint in _UNIQUE_FIELDS:
            raise _duplicate([_UNIQUE_FIELDS[constraint]]) from exc
        raise


def _revoke_family(family: RefreshTokenFamily, reason: RevocationReason, now: datetime) -> None:
    if family.revoked_at is None:
        family.revoked_at = now
        family.revoked_reason = reason


def _revoke_sessions_of(
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


# --- sign-up, login, refresh, logout ---------------------------------------------------


def register(
    *,
    session: Session,
    name: str,
    email: str,
    password: str,
    document: str,
    phone: str,
    passwords: Passwords,
    client_directory: ClientDirectory,
) -> User:
    """Sign a person up as a `client` user (never any other role) and bind its client record."""
    check_password(password)
    email = normalise_email(email)
    document, phone = normalise_document(document), normalise_phone(phone)
    password_hash = passwords.hash(password)  # slow on purpose: before the transaction opens
    with unit_of_work(session):
        _ensure_unique(session, email=email, document=document, exclude=None)
        user = User(
            id=uuid.uuid4(),
            name=name,
            email=email,
            password_hash=password_hash,
            role=SELF_REGISTERED_ROLE,
            document=document,
            phone=phone,
            active=True,
        )
        session.add(user)
        _flush_unique(session)
        user.client_id = client_directory.register_client(
            NewClient(user_id=user.id, name=name, email=email, document=document, phone=phone)
        )
    return user


def _login_decision(
    session: Session, *, email: str, address: str, policy: LockoutPolicy, now: datetime
) -> rate_limit.RateDecision:
    """The lockout rules (domain/rate_limit.py) on this email's attempts in the window."""
    if not policy.enabled:
        return rate_limit.ALLOWED
    window_start = now - policy.window
    of_email = (LoginAttempt.email == email, LoginAttempt.attempted_at > window_start)
    from_address = LoginAttempt.address == address
    pair_success, account_success = session.execute(
        select(
            func.max(LoginAttempt.attempted_at).filter(from_address),
            func.max(LoginAttempt.attempted_at),
        ).where(*of_email, LoginAttempt.succeeded.is_(True))
    ).one()
    pair_since = rate_limit.counting_since(now=now, policy=policy, last_success_at=pair_success)
    account_since = rate_limit.counting_since(
        now=now, policy=policy, last_success_at=account_success
    )
    in_pair = from_address & (LoginAttempt.attempted_at > pair_since)
    in_account = LoginAttempt.attempted_at > account_since
    row = session.execute(
        select(
            func.count().filter(in_pair),
            func.max(LoginAttempt.attempted_at).filter(in_pair),
            func.count().filter(in_account),
            func.max(LoginAttempt.attempted_at).filter(in_account),
        ).where(*of_email, LoginAttempt.succeeded.is_(False))
    ).one()
    return rate_limit.decide(
        policy=policy,
        pair=FailureCount(row[0], row[1]),
        account=FailureCount(row[2], row[3]),
        now=now,
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
        decision = _login_decision(session, email=email, address=address, policy=lockout, now=now)
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
        user = _user_by_email(session, email)
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


def current_user(*, session: Session, actor: Principal) -> User:
    """The user behind an access token; 401 when it is gone or deactivated."""
    try:
        user_id = uuid.UUID(actor.subject)
    except ValueError:
        user_id = None  # e.g. "service:order_service": a service is not a user
    user = session.get(User, user_id) if user_id else None
    if user is None or not user.active:
        raise Unauthorized(
            Text("Usuário inexistente ou desativado.", "User missing or deactivated."),
            code="user_inactive",
        )
    return user


def issue_service_token(
    *,
    client_id: str,
    client_secret: str,
    clients: ServiceClients,
    issuer: TokenIssuer,
    now: datetime | None = None,
) -> ServiceToken:
    """OAuth2 client_credentials: a service-to-service access token for a known client."""
    if not clients.authenticate(client_id, client_secret):
        raise Unauthorized(
            Text("Credenciais do cliente inválidas.", "Invalid client credentials."),
            code="invalid_client",
        )
    token = issuer.service_token(client_id=client_id, now=now or clock.now())
    return ServiceToken(access_token=token, expires_in=issuer.expires_in)


# --- user management (admin) -----------------------------------------------------------


def _lock_active_admins(session: Session, actor: Principal) -> set[uuid.UUID]:
    """Lock every active admin row and check the caller is still one of them."""
    admin_ids = set(
        session.scalars(
            select(User.id)
            .where(User.role == UserRole.ADMIN, User.active.is_(True))
            .order_by(User.id)
            .with_for_update()
        )
    )
    # The token may be up to 15 minutes old: the database says who is an admin now.
    if actor.subject not in {str(i) for i in admin_ids}:
        raise Forbidden()
    return admin_ids


def create_user(
    *,
    session: Session,
    actor: Principal,
    name: str,
    email: str,
    password: str,
    role: str,
    passwords: Passwords,
    client_id: uuid.UUID | None = None,
    supplier_id: uuid.UUID | None = None,
    active: bool = True,
) -> User:
    """Create a user with any role (admin only)."""
    check_password(password)
    check_bindings(role=role, client_id=client_id, supplier_id=supplier_id)
    email = normalise_email(email)
    password_hash = passwords.hash(password)  # slow on purpose: before any lock is taken
    with unit_of_work(session):
        _lock_active_admins(session, actor)
        _ensure_unique(session, email=email, document=None, exclude=None)
        user = User(
            id=uuid.uuid4(),
            name=name,
            email=email,
            password_hash=password_hash,
            role=role,
            client_id=client_id,
            supplier_id=supplier_id,
            active=active,
        )
        session.add(user)
        _flush_unique(session)
    return user


def update_user(
    *,
    session: Session,
    actor: Principal,
    user_id: str | uuid.UUID,
    changes: Mapping[str, Any],
    passwords: Passwords,
    now: datetime | None = None,
) -> User:
    """Change name, email, role, active, bindings or password; keeps at least one admin."""
    now = now or clock.now()
    password_hash = None
    if "password" in changes:
        check_password(changes["password"])
        password_hash = passwords.hash(changes["password"])  # before any lock is taken
    with unit_of_work(session):
        admin_ids = _lock_active_admins(session, actor)
        user = _user_or_404(session, user_id, lock=True)
        new_role = changes.get("role", user.role)
        new_active = changes.get("active", user.active)
        ensure_an_admin_remains(
            actor_id=uuid.UUID(actor.subject),
            target_id=user.id,
            active_admin_ids=admin_ids,
            new_role=new_role,
            new_active=new_active,
        )
        client_id = changes["client_id"] if "client_id" in changes else user.client_id
        supplier_id = changes["supplier_id"] if "supplier_id" in changes else user.supplier_id
        check_bindings(role=new_role, client_id=client_id, supplier_id=supplier_id)
        if "email" in changes:
            email = normalise_email(changes["email"])
            _ensure_unique(session, email=email, document=None, exclude=user.id)
            user.email = email
        if "name" in changes:
            user.name = changes["name"]
        if password_hash is not None:
            user.password_hash = password_hash
            _revoke_sessions_of(session, user.id, RevocationReason.PASSWORD_CHANGED, now)
        if user.active and not new_active:
            _revoke_sessions_of(session, user.id, RevocationReason.USER_DEACTIVATED, now)
        user.role, user.active = new_role, new_active
        user.client_id, user.supplier_id = client_id, supplier_id
        _flush_unique(session)
    return user


def deactivate_user(
    *, session: Session, actor: Principal, user_id: str | uuid.UUID, now: datetime | None = None
) -> User:
    """DELETE /users/{id}: deactivate (history keeps pointing at the user) and end its sessions."""
    now = now or clock.now()
    with unit_of_work(session):
        admin_ids = _lock_active_admins(session, actor)
        user = _user_or_404(session, user_id, lock=True)
        ensure_an_admin_remains(
            actor_id=uuid.UUID(actor.subject),
            target_id=user.id,
            active_admin_ids=admin_ids,
            new_role=user.role,
            new_active=False,
        )
        user.active = False
        _revoke_sessions_of(session, user.id, RevocationReason.USER_DEACTIVATED, now)
    return user


# --- operations ------------------------------------------------------------------------


def seed_user(
    *,
    session: Session,
    passwords: Passwords,
    name: str,
    email: str,
    password: str,
    role: str,
    client_id: uuid.UUID | None = None,
    supplier_id: uuid.UUID | None = None,
) -> bool:
    """Create the user unless its email exists (then only fill in given bindings); True if new."""
    with unit_of_work(session):
        user = _user_by_email(session, email)
        if user is None:
            check_password(password)
            check_bindings(role=role, client_id=client_id, supplier_id=supplier_id)
            session.add(
                User(
                    id=uuid.uuid4(),
                    name=name,
                    email=normalise_email(email),
                    password_hash=passwords.hash(password),
                    role=role,
                    client_id=client_id,
                    supplier_id=supplier_id,
                    active=True,
                )
            )
            return True
        # An existing user keeps its password and role: the seed never undoes an admin's edits.
        new_client_id = client_id or user.client_id
        new_supplier_id = supplier_id or user.supplier_id
        check_bindings(role=user.role, client_id=new_client_id, supplier_id=new_supplier_id)
        user.client_id, user.supplier_id = new_client_id, new_supplier_id
        return False


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
