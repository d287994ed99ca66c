"""Client records: register one (sign-up's call is idempotent), change it, hide it.

Each use case is one function and one transaction. A duplicate email or CPF/CNPJ is the
same 409 whether it is found before writing or by the unique index of a concurrent request.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from order_service.domain.access import (
    Actor,
    ensure_may_create_client,
    ensure_may_delete_client,
    ensure_may_update_client,
)
from order_service.domain.errors import ClientNotFound, ConflictError
from order_service.models import Client, Order
from shared import clock
from shared.db import driver_execute, unit_of_work
from shared.i18n import Text

log = logging.getLogger("pedidos.orders")

_CLIENT_UNIQUE = {
    "uq_clients_email_live": "email",
    "uq_clients_document_live": "document",
    "uq_clients_user_id_live": "user_id",
}
_DUPLICATE_CLIENT = {
    "email": Text("Já existe um cliente com este e-mail.", "A client with this email exists."),
    "document": Text(
        "Já existe um cliente com este CPF/CNPJ.", "A client with this CPF/CNPJ exists."
    ),
    "user_id": Text(
        "Este usuário já está vinculado a outro cliente.", "This user is bound to another client."
    ),
}


@dataclass(frozen=True)
class SavedClient:
    client: Client
    created: bool  # False: an existing record was returned (idempotent sign-up)


def create_client(*, session: Session, actor: Actor, data: Mapping[str, Any]) -> SavedClient:
    """Register a client; the auth service's sign-up call (with user_id) is idempotent.

    Sign-up calls this with the new user's id while the user row is still uncommitted on the
    auth side. If the auth service then fails to commit, this record is left behind with a
    user that never existed; the person's next sign-up (same email and document, and a new
    user id) finds it and rebinds it instead of failing with a duplicate. Only a record made
    by sign-up, with no orders, is ever rebound.
    """
    user_id: uuid.UUID | None = data.get("user_id")
    ensure_may_create_client(actor, binds_user=user_id is not None)
    with unit_of_work(session):
        if user_id is not None:
            existing = _client_for_sign_up(session, user_id=user_id, data=data)
            if existing is not None:
                return SavedClient(existing, created=False)
        _ensure_unique_client(session, email=data["email"], document=data["document"])
        client = Client(
            id=uuid.uuid4(),
            name=data["name"],
            email=data["email"],
            document=data["document"],
            phone=data.get("phone"),
            address=data.get("address"),
            notify_whatsapp=data.get("notify_whatsapp", True),
            user_id=user_id,
            created_by=actor.subject,
        )
        session.add(client)
        _flush_client(session)
        return SavedClient(client, created=True)


def _client_for_sign_up(
    session: Session, *, user_id: uuid.UUID, data: Mapping[str, Any]
) -> Client | None:
    """The record a repeated sign-up call should get back, if any (see create_client)."""
    same_user = session.scalar(
        select(Client).where(Client.user_id == user_id, Client.deleted_at.is_(None))
    )
    if same_user is not None:
        return same_user
    orphan = session.scalar(
        select(Client)
        .where(
            Client.email == data["email"],
            Client.document == data["document"],
            Client.user_id.is_not(None),
            Client.deleted_at.is_(None),
        )
        .with_for_update()
    )
    if orphan is None:
        return None
    has_orders = session.scalar(select(Order.id).where(Order.client_id == orphan.id).limit(1))
    if has_orders is not None:
        return None  # a real customer with history: a duplicate, never taken over
    log.warning(
        "client record of an unfinished sign-up rebound to the new user",
        extra={"client_id": str(orphan.id), "user_id": str(user_id)},
    )
    orphan.user_id = user_id
    orphan.name = data["name"]
    orphan.phone = data.get("phone")
    orphan.updated_at = clock.now()
    return orphan


def update_client(
    *, session: Session, actor: Actor, client_id: uuid.UUID, data: Mapping[str, Any]
) -> Client:
    """Change a client's name, email, document, phone, address or WhatsApp opt-out."""
    ensure_may_update_client(actor)
    with unit_of_work(session):
        client = live_client(session, client_id, lock=True)
        _ensure_unique_client(
            session, email=data.get("email"), document=data.get("document"), exclude=client.id
        )
        for name in ("name", "email", "document", "phone", "address", "notify_whatsapp"):
            if name in data:
                setattr(client, name, data[name])
        client.updated_at = clock.now()
        _flush_client(session)
        return client


def delete_client(*, session: Session, actor: Actor, client_id: uuid.UUID) -> Client:
    """Hide a client (admin): its orders and their history stay, its email/document are freed."""
    ensure_may_delete_client(actor)
    with unit_of_work(session):
        client = live_client(session, client_id, lock=True)
        client.deleted_at = clock.now()
        client.updated_at = client.deleted_at
        return client


_LIVE_CLIENT = select(Client).where(
    Client.id == bindparam("client_id"), Client.deleted_at.is_(None)
)
_LIVE_CLIENT_LOCKED = _LIVE_CLIENT.with_for_update()


def live_client(session: Session, client_id: uuid.UUID, *, lock: bool = False) -> Client:
    stmt = _LIVE_CLIENT_LOCKED if lock else _LIVE_CLIENT
    client = session.scalar(stmt, {"client_id": client_id})
    if client is None:
        raise ClientNotFound()
    return client


def _ensure_unique_client(
    session: Session,
    *,
    email: str | None,
    document: str | None,
    exclude: uuid.UUID | None = None,
) -> None:
    clashes = []
    for field, column, value in (
        ("email", Client.email, email),
        ("document", Client.document, document),
    ):
        if value is None:
            continue
        stmt = select(Client.id).where(column == value, Client.deleted_at.is_(None))
        if exclude is not None:
            stmt = stmt.where(Client.id != exclude)
        if session.scalar(stmt.limit(1)) is not None:
            clashes.append(field)
    if clashes:
        raise _duplicate_client(clashes)


def _duplicate_client(fields: Sequence[str]) -> ConflictError:
    return ConflictError(
        _DUPLICATE_CLIENT[fields[0]],
        code="duplicate",
        errors=[{"field": f, "message": _DUPLICATE_CLIENT[f]} for f in fields],
    )


def _flush_client(session: Session) -> None:
    """Flush, turning a concurrent duplicate (unique index) into the same 409."""
    try:
        session.flush()
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
        if constraint in _CLIENT_UNIQUE:
            raise _duplicate_client([_CLIENT_UNIQUE[constraint]]) from exc
        raise


@dataclass(frozen=True, slots=True)
class ClientCard:
    """A live client as placing an order reads it: what the order and its 201 show."""

    id: uuid.UUID
    name: str
    email: str
    document: str
    phone: str | None
    address: str | None
    deleted_at: None = None  # only live clients are read


# Every order reads its client: on the driver (shared.db.driver_execute), without an ORM entity
# — a tenth of an order worker's CPU went to loading one through the session.
_CLIENT_CARD = select(
    Client.id, Client.name, Client.email, Client.document, Client.phone, Client.address
).where(Client.id == bindparam("client_id"), Client.deleted_at.is_(None))


def placing_client(session: Session, client_id: uuid.UUID) -> ClientCard:
    """The live client an order is placed for; ClientNotFound if there is none."""
    rows = driver_execute(session, _CLIENT_CARD, {"client_id": str(client_id)})
    if not rows:
        raise ClientNotFound()
    return ClientCard(*rows[0])
