"""User records: lookups by id and email, the uniqueness of email and document, the user
behind an access token, and the seed's create-unless-present.

Each use case is one transaction (shared.db.unit_of_work).
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from auth_service.domain.passwords import check_password
from auth_service.domain.users import check_bindings, normalise_email
from auth_service.models import User
from auth_service.passwords import Passwords
from shared.auth import Principal
from shared.db import unit_of_work
from shared.errors import Conflict, NotFound, Unauthorized
from shared.i18n import Text

USER_NOT_FOUND = Text("Usuário não encontrado.", "User not found.")
# The constraint each duplicate violates, and the field it is about.
_UNIQUE_FIELDS = {"uq_users_email_lower": "email", "uq_users_document": "document"}
_DUPLICATE_MESSAGES = {
    "email": Text("Já existe um usuário com este e-mail.", "A user with this email exists."),
    "document": Text(
        "Já existe um usuário com este CPF/CNPJ.", "A user with this CPF/CNPJ exists."
    ),
}


def parse_user_id(raw: str | uuid.UUID) -> uuid.UUID:
    """The user id from a path segment; a malformed one is simply a user we do not have."""
    if isinstance(raw, uuid.UUID):
        return raw
    try:
        return uuid.UUID(str(raw))
    except ValueError as exc:
        raise NotFound(USER_NOT_FOUND) from exc


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def ensure_unique(
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


def flush_unique(session: Session) -> None:
    """Flush, turning a unique violation (a concurrent duplicate) into a 409."""
    try:
        session.flush()
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
        if constraint in _UNIQUE_FIELDS:
            raise _duplicate([_UNIQUE_FIELDS[constraint]]) from exc
        raise


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
        user = user_by_email(session, email)
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
