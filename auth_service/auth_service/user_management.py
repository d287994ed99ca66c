"""User management by an admin: create, update and deactivate users, always leaving an
active admin. Each use case is one transaction (shared.db.unit_of_work).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth_service.domain.passwords import check_password
from auth_service.domain.refresh_tokens import RevocationReason
from auth_service.domain.users import (
    UserRole,
    check_bindings,
    ensure_an_admin_remains,
    normalise_email,
)
from auth_service.models import User
from auth_service.passwords import Passwords
from auth_service.sessions import revoke_sessions_of
from auth_service.users import USER_NOT_FOUND, ensure_unique, flush_unique, parse_user_id
from shared import clock
from shared.auth import Principal
from shared.db import unit_of_work
from shared.errors import Forbidden, NotFound


def _user_or_404(session: Session, user_id: str | uuid.UUID, *, lock: bool = False) -> User:
    stmt = select(User).where(User.id == parse_user_id(user_id))
    user = session.scalar(stmt.with_for_update() if lock else stmt)
    if user is None:
        raise NotFound(USER_NOT_FOUND)
    return user


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
        ensure_unique(session, email=email, document=None, exclude=None)
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
        flush_unique(session)
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
            ensure_unique(session, email=email, document=None, exclude=user.id)
            user.email = email
        if "name" in changes:
            user.name = changes["name"]
        if password_hash is not None:
            user.password_hash = password_hash
            revoke_sessions_of(session, user.id, RevocationReason.PASSWORD_CHANGED, now)
        if user.active and not new_active:
            revoke_sessions_of(session, user.id, RevocationReason.USER_DEACTIVATED, now)
        user.role, user.active = new_role, new_active
        user.client_id, user.supplier_id = client_id, supplier_id
        flush_unique(session)
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
        revoke_sessions_of(session, user.id, RevocationReason.USER_DEACTIVATED, now)
    return user
