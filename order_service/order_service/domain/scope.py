"""Scope: who sees and touches which order (SPEC §2), and for which client a caller orders.

Plain Python (no Flask, no SQLAlchemy): use cases pass in the facts about an order and an
`Actor`; a refusal is an exception from domain/errors.py, mapped to HTTP at the edge.
"""

from __future__ import annotations

import uuid

from order_service.domain.access import (
    NO_CLIENT_BOUND,
    NOT_YOUR_CLIENT,
    STAFF_ONLY,
    Actor,
    ActorRole,
)
from order_service.domain.errors import ForbiddenError, InvalidInput, OrderNotEditable
from order_service.domain.statuses import OrderFacts, OrderStatus
from shared.texts import Text


def can_view(actor: Actor, order: OrderFacts) -> bool:
    """Admin/staff: all; client: its own; supplier: orders with its products or addressed to it."""
    if actor.is_staff:
        return True
    if actor.role == ActorRole.CLIENT:
        return actor.owns_client(order.client_id)
    if actor.role == ActorRole.SUPPLIER:
        return actor.is_supplier(order.supplier_id) or (
            actor.supplier_id is not None and actor.supplier_id in order.item_supplier_ids
        )
    return False


def ensure_may_view(actor: Actor, order: OrderFacts) -> None:
    if not can_view(actor, order):
        raise ForbiddenError(
            Text("Este pedido não é seu.", "This order is not yours.")
            if actor.role in (ActorRole.CLIENT, ActorRole.SUPPLIER)
            else STAFF_ONLY
        )


def ensure_may_edit(actor: Actor, order: OrderFacts) -> None:
    """Notes, delivery date and items: admin/staff, or the client while its order is pending.

    Outside the caller's scope is a 403; its own order that is no longer pending is a 409
    (the state forbids it, not the role).
    """
    ensure_may_view(actor, order)
    if actor.is_staff:
        return
    if actor.role == ActorRole.CLIENT:
        if order.status != OrderStatus.PENDING:
            raise OrderNotEditable(
                Text(
                    "O cliente só pode alterar o próprio pedido enquanto ele está pendente "
                    f"(status atual: {order.status.value}).",
                    "A client may only change its own order while it is pending "
                    f"(current status: {order.status.value}).",
                ),
                data={"status": order.status.value},
            )
        return
    raise ForbiddenError(
        Text(
            "Fornecedores não alteram pedidos (só o status dos pedidos de reposição "
            "endereçados a eles).",
            "Suppliers do not change orders (only the status of replenishment orders "
            "addressed to them).",
        )
    )


def ensure_may_place_for(actor: Actor, client_id: uuid.UUID | None) -> uuid.UUID:
    """The client a new sale order is for: admin/staff choose; a client orders for itself."""
    if actor.is_staff:
        if client_id is None:
            raise InvalidInput(
                Text("Informe o cliente (client_id).", "Give the client (client_id)."),
                field="client_id",
                errors=[{"field": "client_id", "message": Text("Campo obrigatório.", "Required.")}],
            )
        return client_id
    if actor.role == ActorRole.CLIENT:
        if actor.client_id is None:
            raise ForbiddenError(NO_CLIENT_BOUND)
        if client_id is not None and client_id != actor.client_id:
            raise ForbiddenError(
                Text(
                    "Você só pode fazer pedidos para o seu próprio cliente.",
                    "You may only order for your own client.",
                ),
                field="client_id",
            )
        return actor.client_id
    raise ForbiddenError(
        Text(
            "Apenas administradores, equipe e clientes fazem pedidos.",
            "Only admins, staff and clients place orders.",
        )
    )


def ensure_may_delete(actor: Actor) -> None:
    if not actor.is_staff:
        raise ForbiddenError(STAFF_ONLY)


def client_scope(actor: Actor) -> uuid.UUID | None:
    """The client a list is restricted to for a `client` caller (403 when it has none)."""
    if actor.role != ActorRole.CLIENT:
        return None
    if actor.client_id is None:
        raise ForbiddenError(NO_CLIENT_BOUND)
    return actor.client_id


def ensure_list_filters_in_scope(
    actor: Actor, *, client_id: uuid.UUID | None, supplier_id: uuid.UUID | None
) -> None:
    """A client filtering by another client, or a supplier by another supplier: 403."""
    if actor.is_staff:
        return
    if actor.role == ActorRole.CLIENT:
        if client_id is not None and client_id != actor.client_id:
            raise ForbiddenError(NOT_YOUR_CLIENT, field="client_id")
        return
    if actor.role == ActorRole.SUPPLIER:
        if actor.supplier_id is None:
            raise ForbiddenError(
                Text(
                    "Seu usuário não está vinculado a um fornecedor.",
                    "Your user is not bound to a supplier.",
                )
            )
        if supplier_id is not None and supplier_id != actor.supplier_id:
            raise ForbiddenError(
                Text(
                    "Você só pode ver os pedidos do seu próprio fornecedor.",
                    "You may only see your own supplier's orders.",
                ),
                field="supplier_id",
            )
        return
    raise ForbiddenError(STAFF_ONLY)
