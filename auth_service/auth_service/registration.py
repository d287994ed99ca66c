"""Sign-up: a person registers as a `client` user, bound to its client record in the
order service. One transaction (shared.db.unit_of_work).
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from auth_service.client_directory import ClientDirectory, NewClient
from auth_service.domain.documents import normalise_document, normalise_phone
from auth_service.domain.passwords import check_password
from auth_service.domain.users import SELF_REGISTERED_ROLE, normalise_email
from auth_service.models import User
from auth_service.passwords import Passwords
from auth_service.users import ensure_unique, flush_unique
from shared.db import unit_of_work


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
        ensure_unique(session, email=email, document=document, exclude=None)
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
        flush_unique(session)
        user.client_id = client_directory.register_client(
            NewClient(user_id=user.id, name=name, email=email, document=document, phone=phone)
        )
    return user
