"""The order's rules: statuses and their lifecycle, who may move an order, scope, money.

Plain Python (no Flask, no SQLAlchemy): use cases pass in the facts about an order and an
`Actor`; a refusal is an exception from domain/errors.py, mapped to HTTP at the edge.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from order_service.domain.access import (
    NO_CLIENT_BOUND,
    NOT_YOUR_CLIENT,
    STAFF_ONLY,
    Actor,
    ActorRole,
)
from order_service.domain.errors import ConflictError, ForbiddenError, InvalidInput
from shared.texts import Text

CENT = Decimal("0.01")
MAX_ITEMS_PER_ORDER = 200
# A line's quantity: a typo (an extra digit run) is refused rather than reserved.
MAX_QUANTITY = 1_000_000


class OrderType(StrEnum):
    SALE = "sale"  # to a client
    REPLENISHMENT = "replenishment"  # to a supplier, to restock


class OrderStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURNED = "returned"


class StockStatus(StrEnum):
    """Where the order's reservation stands (the saga with the stock service)."""

    AWAITING = "awaiting"  # order.created / order.items_changed sent, no reply yet
    RESERVED = "reserved"
    REJECTED = "rejected"
    NOT_REQUIRED = "not_required"  # replenishment orders bring goods in: nothing to reserve


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

STATUS_NAMES = tuple(s.value for s in OrderStatus)
STOCK_STATUS_NAMES = tuple(s.value for s in StockStatus)
ORDER_TYPE_NAMES = tuple(t.value for t in OrderType)


@dataclass(frozen=True)
class OrderFacts:
    """What the rules need to know about one order."""

    type: OrderType
    status: OrderStatus
    stock_status: StockStatus
    client_id: uuid.UUID | None = None
    supplier_id: uuid.UUID | None = None
    item_supplier_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)


# -- refusals ---------------------------------------------------------------------------


class IllegalTransition(ConflictError):
    code = "illegal_transition"


class StockNotReserved(ConflictError):
    code = "stock_not_reserved"


class OrderNotEditable(ConflictError):
    code = "order_not_pending"


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


# -- lifecycle --------------------------------------------------------------------------


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


def facts_of(order: Mapping[str, Any], items: Iterable[Mapping[str, Any]]) -> OrderFacts:
    """The facts of an order given as plain values (a row and its lines)."""
    return OrderFacts(
        type=OrderType(order["type"]),
        status=OrderStatus(order["status"]),
        stock_status=StockStatus(order["stock_status"]),
        client_id=order["client_id"],
        supplier_id=order["supplier_id"],
        item_supplier_ids=frozenset(i["supplier_id"] for i in items if i["supplier_id"]),
    )


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


# -- scope: who sees and touches which order ---------------------------------------------


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


# -- items ------------------------------------------------------------------------------


def ensure_items_editable(status: OrderStatus) -> None:
    """Items change only while the order is pending (for everyone)."""
    if status != OrderStatus.PENDING:
        raise OrderNotEditable(
            Text(
                f"Os itens só podem ser alterados com o pedido pendente (status atual: "
                f"{status.value}).",
                f"Items can only change while the order is pending (current status: "
                f"{status.value}).",
            ),
            data={"status": status.value},
        )


def ensure_can_remove_item(item_count: int) -> None:
    if item_count <= 1:
        raise ConflictError(
            Text(
                "Não é possível remover o último item: cancele o pedido.",
                "Cannot remove the last item: cancel the order instead.",
            ),
            code="last_item",
        )


def supplier_first_positions(lines: Iterable[tuple[int, uuid.UUID | None]]) -> set[int]:
    """The position of each supplier's first line on an order (lines without one: one group).

    A report counts an order once per supplier by counting these lines only.
    """
    seen: set[uuid.UUID | None] = set()
    firsts: set[int] = set()
    for position, supplier_id in sorted(lines, key=lambda line: line[0]):
        if supplier_id not in seen:
            seen.add(supplier_id)
            firsts.add(position)
    return firsts


def check_order_lines(lines: Iterable[Mapping[str, Any]]) -> list[tuple[uuid.UUID, int]]:
    """At least one line, whole quantities above zero, each product once; [(product, qty)]."""
    result: list[tuple[uuid.UUID, int]] = []
    errors: list[dict[str, Any]] = []
    seen: set[uuid.UUID] = set()
    for index, line in enumerate(lines):
        product_id, quantity = line.get("product_id"), line.get("quantity")
        if not isinstance(product_id, uuid.UUID):
            errors.append({"field": f"items.{index}.product_id", "message": BAD_PRODUCT_ID})
            continue
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            errors.append({"field": f"items.{index}.quantity", "message": BAD_QUANTITY})
        if product_id in seen:
            errors.append({"field": f"items.{index}.product_id", "message": REPEATED_PRODUCT})
        seen.add(product_id)
        if isinstance(quantity, int):
            result.append((product_id, quantity))
    if not result and not errors:
        errors.append({"field": "items", "message": NO_ITEMS})
    if len(result) > MAX_ITEMS_PER_ORDER:
        errors.append({"field": "items", "message": TOO_MANY_ITEMS})
    if errors:
        raise InvalidInput(errors=errors)
    return result


NOT_A_UUID = Text("Não é um UUID válido.", "Not a valid UUID.")
BAD_PRODUCT_ID = NOT_A_UUID
# Why a product or a date cannot be on an order: POST /orders and imports say it alike.
UNKNOWN_PRODUCT = Text(
    "Produto {id} não encontrado (inexistente ou excluído).",
    "Product {id} not found (unknown or deleted).",
)
INACTIVE_PRODUCT = Text(
    "O produto {name} está inativo e não pode ser pedido.",
    "Product {name} is inactive and cannot be ordered.",
)
PAST_DELIVERY_DATE = Text(
    "A data de entrega desejada não pode estar no passado.",
    "The desired delivery date cannot be in the past.",
)
BAD_QUANTITY = Text(
    "A quantidade deve ser um número inteiro maior que zero.",
    "Quantity must be a whole number greater than zero.",
)
REPEATED_PRODUCT = Text(
    "Produto repetido no pedido: junte as quantidades em um só item.",
    "Product repeated on the order: put the quantities in one item.",
)
NO_ITEMS = Text("Informe ao menos um item.", "Give at least one item.")
TOO_MANY_ITEMS = Text(
    f"No máximo {MAX_ITEMS_PER_ORDER} itens por pedido.",
    f"At most {MAX_ITEMS_PER_ORDER} items per order.",
)


# -- money ------------------------------------------------------------------------------


def line_total(quantity: int, unit_price: Decimal) -> Decimal:
    """quantity × unit price, in cents (prices have two decimals, so this is exact)."""
    return (unit_price * quantity).quantize(CENT, rounding=ROUND_HALF_UP)


def order_total(lines: Iterable[tuple[int, Decimal]]) -> Decimal:
    """Σ quantity × unit price over the lines, with Decimal (never floats)."""
    return sum((line_total(q, p) for q, p in lines), Decimal("0.00")).quantize(CENT)


# -- the saga with the stock service ----------------------------------------------------

# The state in which an order still waits for a stock reply (stock_reply_applies). The
# consumer applies a reply with one UPDATE guarded by these same values.
REPLY_AWAITED_STATUS = OrderStatus.PENDING
REPLY_AWAITED_STOCK_STATUS = StockStatus.AWAITING


def stock_reply_applies(
    *,
    status: OrderStatus,
    stock_status: StockStatus,
    order_version: int,
    reply_version: int,
    deleted: bool,
) -> bool:
    """Whether a stock.reserved/stock.rejected changes the order (else it is old or repeated).

    Only the reply to the order's current item list counts, and only once: a reply for an
    older `order_version` (the items changed since) or a second reply changes nothing. A
    cancelled or deleted order keeps its state; the stock service releases on its own.
    """
    return (
        not deleted
        and status == REPLY_AWAITED_STATUS
        and stock_status == REPLY_AWAITED_STOCK_STATUS
        and reply_version == order_version
    )
