"""Users: roles, the role ↔ binding rule, and the rule that an admin always remains."""

from __future__ import annotations

from collections.abc import Set
from enum import StrEnum
from typing import Any

from auth_service.domain.errors import AdminLockout, BindingMismatch


class UserRole(StrEnum):
    """Roles a person can hold (services authenticate as `service`, never as a user)."""

    ADMIN = "admin"
    STAFF = "staff"
    CLIENT = "client"
    SUPPLIER = "supplier"


# The role people get when they sign up themselves; nobody chooses their own role.
SELF_REGISTERED_ROLE = UserRole.CLIENT


def normalise_email(email: str) -> str:
    """Emails are compared and stored trimmed and lower-cased."""
    return email.strip().lower()


def check_bindings(*, role: str, client_id: Any, supplier_id: Any) -> None:
    """A client_id only on a client user, a supplier_id only on a supplier user."""
    if client_id is not None and role != UserRole.CLIENT:
        raise BindingMismatch(
            "client_id só pode ser definido para usuários com papel client.",
            "client_id may only be set on users with role client.",
            field="client_id",
        )
    if supplier_id is not None and role != UserRole.SUPPLIER:
        raise BindingMismatch(
            "supplier_id só pode ser definido para usuários com papel supplier.",
            "supplier_id may only be set on users with role supplier.",
            field="supplier_id",
        )


def ensure_an_admin_remains(
    *,
    actor_id: Any,
    target_id: Any,
    active_admin_ids: Set[Any],
    new_role: str,
    new_active: bool,
) -> None:
    """Refuse a change that removes the caller's own admin access or the last active admin."""
    loses_admin = new_role != UserRole.ADMIN or not new_active
    if not loses_admin or target_id not in active_admin_ids:
        return
    if target_id == actor_id:
        raise AdminLockout(
            "Você não pode remover o seu próprio acesso de administrador "
            "(rebaixar, desativar ou excluir a si mesmo). Peça a outro administrador.",
            "You cannot remove your own admin access (demote, deactivate or delete "
            "yourself). Ask another admin.",
        )
    if not (set(active_admin_ids) - {target_id}):
        raise AdminLockout(
            "O sistema precisa de pelo menos um administrador ativo.",
            "The system needs at least one active admin.",
        )
