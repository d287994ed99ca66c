"""Domain errors mapped, once, to the error envelope and its HTTP status."""

from __future__ import annotations

from flask import Flask, Response

from order_service.domain.errors import (
    ConflictError,
    DependencyUnavailable,
    ForbiddenError,
    InvalidInput,
    NotFoundError,
    OrderDomainError,
)
from shared.errors import error_response
from shared.i18n import localize

_STATUS: tuple[tuple[type[OrderDomainError], int], ...] = (
    (InvalidInput, 400),
    (ForbiddenError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (DependencyUnavailable, 503),
)


def status_of(error: OrderDomainError) -> int:
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 400


def _handle(error: OrderDomainError) -> Response:
    # Errors about one field name it, as marshmallow's per-field errors do.
    errors = [
        {"field": e.get("field"), "message": localize(e.get("message", error.message))}
        for e in error.errors
    ]
    if not errors and error.field:
        errors = [{"field": error.field, "message": localize(error.message)}]
    headers = {"Retry-After": "5"} if isinstance(error, DependencyUnavailable) else None
    return error_response(
        status_of(error),
        error.message,
        code=error.code,
        errors=errors,
        data=error.data or None,
        headers=headers,
    )


def register_domain_errors(app: Flask) -> None:
    app.register_error_handler(OrderDomainError, _handle)
