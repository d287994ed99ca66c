"""What can go wrong with clients and orders, as exceptions; each kind maps to one HTTP status
in `shared.errors`."""

from __future__ import annotations

from shared.domain_errors import DomainError, ErrorKind
from shared.texts import Text


class OrderDomainError(DomainError):
    """A business rule of orders refused the operation (see `DomainError`)."""

    code = "order_error"


class NotFoundError(OrderDomainError):
    kind = ErrorKind.NOT_FOUND
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
    kind = ErrorKind.FORBIDDEN
    code = "forbidden"
    message = Text("Você não tem permissão para esta operação.", "You may not do this.")


class ConflictError(OrderDomainError):
    kind = ErrorKind.CONFLICT
    code = "conflict"
    message = Text("Conflito com o estado atual do recurso.", "Conflict with current state.")


class OrderNotEditable(ConflictError):
    code = "order_not_pending"


class InvalidInput(OrderDomainError):
    kind = ErrorKind.INVALID
    code = "validation_error"
    message = Text("Dados inválidos.", "Invalid data.")


class DependencyUnavailable(OrderDomainError):
    kind = ErrorKind.UNAVAILABLE
    retry_after = 5
    code = "service_unavailable"
    message = Text("Serviço indisponível no momento.", "Service unavailable.")
