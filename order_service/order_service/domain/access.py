"""Who is acting, and which client records each role may read or change (SPEC §2).

Plain Python: the API turns the verified token (shared.auth.Principal) into an `Actor`, so
these rules are tested without Flask or a database. Order scope rules live in scope.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from order_service.domain.errors import ForbiddenError
from shared.texts import Text


class ActorRole(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    CLIENT = "client"
    SUPPLIER = "supplier"
    # Another Pedidos service (client credentials), e.g. auth_service at sign-up.
    SERVICE = "service"


@dataclass(frozen=True)
class Actor:
    """The caller as the access token describes it: subject, role and its bound records."""

    subject: str
    role: ActorRole
    client_id: uuid.UUID | None = None
    supplier_id: uuid.UUID | None = None

    @property
    def is_staff(self) -> bool:
        """Admin or staff: the organisation's own people, who see and manage everything."""
        return self.role in (ActorRole.ADMIN, ActorRole.STAFF)

    def owns_client(self, client_id: uuid.UUID | None) -> bool:
        return (
            self.role == ActorRole.CLIENT
            and self.client_id is not None
            and client_id is not None
            and self.client_id == client_id
        )

    def is_supplier(self, supplier_id: uuid.UUID | None) -> bool:
        return (
            self.role == ActorRole.SUPPLIER
            and self.supplier_id is not None
            and supplier_id is not None
            and self.supplier_id == supplier_id
        )


NOT_YOUR_CLIENT = Text(
    "Você só pode acessar o seu próprio cadastro de cliente.",
    "You may only access your own client record.",
)
NOT_YOUR_SUPPLIER = Text(
    "Você só pode acessar os pedidos do seu próprio fornecedor.",
    "You may only access your own supplier's orders.",
)
STAFF_ONLY = Text(
    "Apenas administradores e equipe podem fazer isto.", "Only admins and staff may do this."
)
ADMIN_ONLY = Text("Apenas administradores podem fazer isto.", "Only admins may do this.")
NO_CLIENT_BOUND = Text(
    "Seu usuário não está vinculado a um cliente.", "Your user is not bound to a client."
)
USER_ID_BY_SERVICE_ONLY = Text(
    "Somente o serviço de autenticação vincula um cliente a um usuário (user_id).",
    "Only the auth service binds a client to a user (user_id).",
)


# -- clients ----------------------------------------------------------------------------


def ensure_may_list_clients(actor: Actor) -> uuid.UUID | None:
    """Every role reads clients; a `client` only its own. Returns the id to restrict to."""
    if actor.role == ActorRole.CLIENT:
        if actor.client_id is None:
            raise ForbiddenError(NO_CLIENT_BOUND)
        return actor.client_id
    return None


def ensure_may_read_client(actor: Actor, client_id: uuid.UUID) -> None:
    """A `client` reads only the record it is bound to (403 otherwise)."""
    if actor.role == ActorRole.CLIENT and not actor.owns_client(client_id):
        raise ForbiddenError(NOT_YOUR_CLIENT)


def ensure_may_create_client(actor: Actor, *, binds_user: bool) -> None:
    """Admin and staff create clients; the auth service only the one bound to a new user."""
    if binds_user:
        if actor.role != ActorRole.SERVICE:
            raise ForbiddenError(USER_ID_BY_SERVICE_ONLY, field="user_id")
        return
    if not actor.is_staff:
        raise ForbiddenError(STAFF_ONLY)


def ensure_may_update_client(actor: Actor) -> None:
    if not actor.is_staff:
        raise ForbiddenError(STAFF_ONLY)


def ensure_may_delete_client(actor: Actor) -> None:
    if actor.role != ActorRole.ADMIN:
        raise ForbiddenError(ADMIN_ONLY)


def ensure_may_read_client_orders(actor: Actor, client_id: uuid.UUID) -> None:
    """GET /clients/{id}/orders: admin, staff, or the client itself (suppliers: 403)."""
    if actor.is_staff or actor.owns_client(client_id):
        return
    raise ForbiddenError(NOT_YOUR_CLIENT if actor.role == ActorRole.CLIENT else STAFF_ONLY)


def ensure_may_read_supplier_orders(actor: Actor, supplier_id: uuid.UUID) -> None:
    """GET /suppliers/{id}/orders: admin, staff, or the supplier itself (clients: 403)."""
    if actor.is_staff or actor.is_supplier(supplier_id):
        return
    raise ForbiddenError(NOT_YOUR_SUPPLIER if actor.role == ActorRole.SUPPLIER else STAFF_ONLY)
