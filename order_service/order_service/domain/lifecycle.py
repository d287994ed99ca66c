"""The order's lifecycle: which status may follow which, and who may make each move.

Plain Python (no Flask, no SQLAlchemy): use cases pass in the facts about an order and an
`Actor`; a refusal is an exception from domain/errors.py, mapped to HTTP at the edge.
"""

from __future__ import annotations

from collections.abc import Mapping

from order_service.domain.access import STAFF_ONLY, Actor, ActorRole
from order_service.domain.errors import ConflictError, ForbiddenError, OrderNotEditable
from order_service.domain.statuses import OrderFacts, OrderStatus, OrderType, StockStatus
from shared.texts import Text

# The lifecycle (SPEC §3): any other move is refused naming these.
TRANSITIONS: Mapping[OrderStatus, tuple[OrderStatus, ...]] = {
    OrderStatus.PENDING: (OrderStatus.APPROVED, OrderStatus.CANCELLED),
    OrderStatus.APPROVED: (OrderStatus.PROCESSING, OrderStatus.CANCELLED),
    OrderStatus.PROCESSING: (OrderStatus.SHIPPED, OrderStatus.CANCELLED),
    OrderStatus.SHIPPED: (OrderStatus.DELIVERED, OrderStatus.RETURNED),
    OrderStatus.DELIVERED: (OrderStatus.RETURNED,),
    OrderStatus.CANCELLED: (),
    OrderStatus.RETURNED: (),
}

# The supplier an order is addressed to may move it along these (SPEC §3 "Who").
SUPPLIER_TARGETS = frozenset({OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.DELIVERED})

# -- refusals ---------------------------------------------------------------------------


class IllegalTransition(ConflictError):
    code = "illegal_transition"


class StockNotReserved(ConflictError):
    code = "stock_not_reserved"


def illegal_transition(current: OrderStatus, target: OrderStatus) -> IllegalTransition:
    allowed = [s.value for s in TRANSITIONS[current]]
    names = ", ".join(allowed) if allowed else "nenhuma"
    names_en = ", ".join(allowed) if allowed else "none"
    return IllegalTransition(
        Text(
            f"Transição de status inválida: {current.value} → {target.value}. "
            f"A partir de {current.value} são permitidas: {names}.",
            f"Invalid status transition: {current.value} → {target.value}. "
            f"Allowed from {current.value}: {names_en}.",
        ),
        field="status",
        data={"current": current.value, "requested": target.value, "allowed": allowed},
    )


# -- moves -------------------------------------------------------------------------------


def allowed_targets(status: OrderStatus) -> tuple[OrderStatus, ...]:
    """The statuses an order in `status` may move to, whoever asks."""
    return TRANSITIONS[status]


def may_transition(actor: Actor, order: OrderFacts, target: OrderStatus) -> bool:
    """Who may move an order to `target` (the move itself must also be legal)."""
    if actor.is_staff:
        return True
    if actor.role == ActorRole.CLIENT:
        # A client may only give up its own order before anyone approved it.
        return (
            target == OrderStatus.CANCELLED
            and order.status == OrderStatus.PENDING
            and actor.owns_client(order.client_id)
        )
    if actor.role == ActorRole.SUPPLIER:
        return (
            target in SUPPLIER_TARGETS
            and order.type == OrderType.REPLENISHMENT
            and actor.is_supplier(order.supplier_id)
        )
    return False


def check_transition(*, order: OrderFacts, target: OrderStatus, actor: Actor) -> None:
    """Refuse an illegal move (409), a caller who may not make it (403), or an unreserved approval.

    The lifecycle is checked first: it holds for everyone, so an impossible move is a 409
    naming the allowed ones whoever asks. A client cancelling its own order after approval
    is a 409 too (too late), while a move its role never makes is a 403.
    """
    if target not in TRANSITIONS[order.status]:
        raise illegal_transition(order.status, target)
    if not may_transition(actor, order, target):
        if (
            actor.owns_client(order.client_id)
            and target == OrderStatus.CANCELLED
            and order.status != OrderStatus.PENDING
        ):
            # Its own order, just too late: a matter of state (409), not of permission.
            raise OrderNotEditable(_why_not(actor, order, target), field="status")
        raise ForbiddenError(_why_not(actor, order, target), field="status")
    if (
        target == OrderStatus.APPROVED
        and order.type == OrderType.SALE
        and order.stock_status != StockStatus.RESERVED
    ):
        raise StockNotReserved(
            Text(
                "O pedido só pode ser aprovado com o estoque reservado "
                f"(situação do estoque: {order.stock_status.value}).",
                "An order can only be approved once its stock is reserved "
                f"(stock status: {order.stock_status.value}).",
            ),
            field="status",
            data={"stock_status": order.stock_status.value},
        )


def allowed_transitions(actor: Actor, order: OrderFacts) -> list[OrderStatus]:
    """The statuses this actor may move the order to now: exactly the moves check_transition
    lets through (the web app shows these as the order's actions, never a copy of the rules)."""
    allowed = []
    for target in TRANSITIONS[order.status]:
        try:
            check_transition(order=order, target=target, actor=actor)
        except (ConflictError, ForbiddenError):
            continue
        allowed.append(target)
    return allowed


def _why_not(actor: Actor, order: OrderFacts, target: OrderStatus) -> Text:
    if actor.role == ActorRole.CLIENT:
        if target == OrderStatus.CANCELLED:
            return Text(
                "O cliente só pode cancelar o próprio pedido enquanto ele está pendente.",
                "A client may only cancel its own order while it is pending.",
            )
        return Text(
            "O cliente só pode cancelar o próprio pedido pendente; "
            "as demais mudanças de status são da equipe.",
            "A client may only cancel its own pending order; other status changes are staff's.",
        )
    if actor.role == ActorRole.SUPPLIER:
        return Text(
            "O fornecedor só pode marcar como processing, shipped ou delivered os pedidos "
            "de reposição endereçados a ele.",
            "A supplier may only move replenishment orders addressed to it to processing, "
            "shipped or delivered.",
        )
    return STAFF_ONLY
