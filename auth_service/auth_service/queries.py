"""The read side: user lists and lookups for the admin screens."""

from __future__ import annotations

import uuid

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from auth_service.domain.users import normalise_email
from auth_service.models import User
from auth_service.users import USER_NOT_FOUND, parse_user_id
from shared.errors import NotFound
from shared.pagination import Page, paginate


def _contains(value: str) -> str:
    # The search term is literal text: escape LIKE's wildcards.
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_users(
    *,
    session: Session,
    page: int,
    page_size: int,
    role: str | None = None,
    email: str | None = None,
    q: str | None = None,
    active: bool | None = None,
) -> Page:
    """Users, newest first; `email` matches exactly (any case), `q` searches name and email."""
    stmt = select(User).order_by(User.created_at.desc(), User.id)
    if role:
        stmt = stmt.where(User.role == role)
    if email:
        stmt = stmt.where(func.lower(User.email) == normalise_email(email))
    if q and q.strip():
        pattern = _contains(q.strip())
        stmt = stmt.where(
            or_(User.name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\"))
        )
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    return paginate(session, stmt, page=page, page_size=page_size)


def get_user(*, session: Session, user_id: str | uuid.UUID) -> User:
    """One user by id; 404 when there is none (or the id is malformed)."""
    user = session.get(User, parse_user_id(user_id))
    if user is None:
        raise NotFound(USER_NOT_FOUND)
    return user
