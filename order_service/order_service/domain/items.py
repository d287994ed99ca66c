"""An order's items: when they may change, each product once with a whole quantity, and
why a product or a date cannot be on an order (POST /orders and imports say it alike).

Plain Python (no Flask, no SQLAlchemy); a refusal is an exception from domain/errors.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from order_service.domain.errors import ConflictError, InvalidInput, OrderNotEditable
from order_service.domain.statuses import OrderStatus
from shared.texts import Text

MAX_ITEMS_PER_ORDER = 200
# A line's quantity: a typo (an extra digit run) is refused rather than reserved.
MAX_QUANTITY = 1_000_000


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
