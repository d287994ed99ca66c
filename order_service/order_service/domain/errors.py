"""What can go wrong with clients and orders, as exceptions; mapped to HTTP once, at the edge."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shared.i18n import Text


class OrderDomainError(Exception):
    """A business rule refused the operation; `code` is stable, `message` is for people."""

    code = "order_error"
    message = Text("Operação recusada.", "Operation refused.")

    def __init__(
        self,
        message: Text | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        errors: Iterable[Mapping[str, Any]] | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        super().__init__(self.message.en)
        self.field = field
        self.errors = [dict(e) for e in errors or []]
        self.data = dict(data or {})


class NotFoundError(OrderDomainError):
    code = "not_found"
    message = Text("Recurso não encontrado.", "Not found.")


class ClientNotFound(NotFoundError):
    message = Text("Cliente não encontrado.", "Client not found.")


class OrderNotFound(NotFoundError):
    message = Text("Pedido não encontrado.", "Order not found.")


class OrderItemNotFound(NotFoundError):
    message = Text("Item não encontrado neste pedido.", "Item not found on this order.")


class SupplierNotFound(NotFoundError):
    message = Text("Fornecedor não encontrado.", "Supplier not found.")


class ForbiddenError(OrderDomainError):
    code = "forbidden"
    message = Text("Você não tem permissão para esta operação.", "You may not do this.")


class ConflictError(OrderDomainError):
    code = "conflict"
    message = Text("Conflito com o estado atual do recurso.", "Conflict with current state.")


class InvalidInput(OrderDomainError):
    code = "validation_error"
    message = Text("Dados inválidos.", "Invalid data.")


class DependencyUnavailable(OrderDomainError):
    code = "service_unavailable"
    message = Text("Serviço indisponível no momento.", "Service unavailable.")
