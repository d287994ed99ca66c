"""Domain errors mapped, once, to the error envelope and its HTTP status."""

from __future__ import annotations

from flask import Flask, Response

from shared.errors import error_response
from shared.i18n import localize
from stock_service.domain.errors import (
    ConflictError,
    ImageTooLarge,
    InvalidInput,
    NotFoundError,
    StockDomainError,
    UnsupportedImage,
)

_STATUS: tuple[tuple[type[StockDomainError], int], ...] = (
    (NotFoundError, 404),
    (ConflictError, 409),
    (InvalidInput, 400),
    (ImageTooLarge, 413),
    (UnsupportedImage, 415),
)


def status_of(error: StockDomainError) -> int:
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 400


def _handle(error: StockDomainError) -> Response:
    # Errors about one field name it, as marshmallow's per-field errors do.
    errors = [{"field": error.field, "message": localize(error.message)}] if error.field else []
    return error_response(
        status_of(error), error.message, code=error.code, errors=errors, data=error.data or None
    )


def register_domain_errors(app: Flask) -> None:
    app.register_error_handler(StockDomainError, _handle)
