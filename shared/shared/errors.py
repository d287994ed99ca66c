"""One error envelope for every failure, built by one function and mapped once at the edge.

Domain code raises `DomainError` subclasses (Flask-free, `shared.domain_errors`), whose kind
picks the status; HTTP code may raise `ApiError` subclasses; everything else — werkzeug HTTP
errors, webargs validation, unexpected exceptions — is turned into the same JSON body here,
never an HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

import sentry_sdk
from flask import Flask, Response, g, jsonify
from werkzeug.exceptions import HTTPException

from shared.domain_errors import DomainError, ErrorKind
from shared.i18n import Text, localize, localize_field_message

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error with a status, a stable machine code and a message people can read."""

    status = 400
    code = "bad_request"
    message: Text | str = Text("Requisição inválida.", "Bad request.")

    def __init__(
        self,
        message: Text | str | None = None,
        *,
        code: str | None = None,
        errors: Iterable[Mapping[str, Any]] | None = None,
        status: int | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(str(message or self.message))
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.errors = list(errors or [])
        self.data = dict(data or {})


class ValidationError(ApiError):
    status, code = 400, "validation_error"
    message = Text("Dados inválidos.", "Invalid data.")


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"
    message = Text("Autenticação necessária ou token inválido.", "Missing or invalid token.")


class Forbidden(ApiError):
    status, code = 403, "forbidden"
    message = Text("Você não tem permissão para esta operação.", "You may not do this.")


class NotFound(ApiError):
    status, code = 404, "not_found"
    message = Text("Recurso não encontrado.", "Not found.")


class Conflict(ApiError):
    status, code = 409, "conflict"
    message = Text("Conflito com o estado atual do recurso.", "Conflict with current state.")


class PayloadTooLarge(ApiError):
    status, code = 413, "payload_too_large"
    message = Text("Corpo da requisição grande demais.", "Request body too large.")


class UnsupportedMediaType(ApiError):
    status, code = 415, "unsupported_media_type"
    message = Text("Tipo de conteúdo não suportado.", "Unsupported content type.")


class TooManyRequests(ApiError):
    status, code = 429, "rate_limited"
    message = Text("Muitas tentativas. Tente novamente mais tarde.", "Too many requests.")


class ServiceUnavailable(ApiError):
    status, code = 503, "service_unavailable"
    message = Text("Serviço indisponível no momento.", "Service unavailable.")


# The status of each kind of domain refusal.
_DOMAIN_STATUS: dict[ErrorKind, int] = {
    ErrorKind.INVALID: ValidationError.status,
    ErrorKind.FORBIDDEN: Forbidden.status,
    ErrorKind.NOT_FOUND: NotFound.status,
    ErrorKind.CONFLICT: Conflict.status,
    ErrorKind.TOO_LARGE: PayloadTooLarge.status,
    ErrorKind.UNSUPPORTED_MEDIA: UnsupportedMediaType.status,
    ErrorKind.UNAVAILABLE: ServiceUnavailable.status,
}


# Messages for the HTTP statuses werkzeug raises on its own (routing, limits, ...).
_HTTP_DEFAULTS: dict[int, tuple[str, Text | str]] = {
    400: ("bad_request", ApiError.message),
    401: ("unauthorized", Unauthorized.message),
    403: ("forbidden", Forbidden.message),
    404: ("not_found", Text("Rota não encontrada.", "Route not found.")),
    405: ("method_not_allowed", Text("Método não permitido nesta rota.", "Method not allowed.")),
    409: ("conflict", Conflict.message),
    413: ("payload_too_large", PayloadTooLarge.message),
    415: ("unsupported_media_type", UnsupportedMediaType.message),
    422: ("validation_error", ValidationError.message),
    429: ("rate_limited", TooManyRequests.message),
    500: ("internal_error", Text("Erro interno. Já fomos avisados.", "Internal error.")),
    502: ("bad_gateway", Text("Resposta inválida de um serviço interno.", "Bad gateway.")),
    503: ("service_unavailable", ServiceUnavailable.message),
    504: ("gateway_timeout", Text("Um serviço interno demorou demais.", "Gateway timeout.")),
}


def error_body(
    status: int,
    message: Text | str,
    *,
    code: str,
    errors: Iterable[Mapping[str, Any]] = (),
    data: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The one function that builds every error body of the API."""
    body: dict[str, Any] = {
        "status": "error",
        "message": localize(message),
        "code": code,
        "errors": [
            {"field": e.get("field"), "message": localize(e.get("message", ""))} for e in errors
        ],
        "request_id": getattr(g, "request_id", None),
    }
    if data:
        body["data"] = dict(data)
    return body


def error_response(
    status: int,
    message: Text | str,
    *,
    code: str,
    errors: Iterable[Mapping[str, Any]] = (),
    data: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    response = jsonify(error_body(status, message, code=code, errors=errors, data=data))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_field_errors(messages: Any, prefix: str = "") -> list[dict[str, str | None]]:
    """Turn marshmallow's nested {field: [msg]} into [{field: "a.0.b", message}]."""
    out: list[dict[str, str | None]] = []
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            # webargs nests by location ("json", "query", ...): not part of the field name.
            if not prefix and key in {"json", "query", "form", "files", "headers", "view_args"}:
                out.extend(flatten_field_errors(value, ""))
                continue
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                name = prefix
            out.extend(flatten_field_errors(value, name))
    elif isinstance(messages, list | tuple):
        if all(isinstance(m, str) for m in messages):
            out.extend(
                {"field": prefix or None, "message": localize_field_message(m)} for m in messages
            )
        else:
            for m in messages:
                out.extend(flatten_field_errors(m, prefix))
    elif isinstance(messages, str):
        out.append({"field": prefix or None, "message": localize_field_message(messages)})
    return out


def _handle_api_error(exc: ApiError) -> Response:
    headers = {"Retry-After": str(exc.data.pop("retry_after"))} if "retry_after" in exc.data else {}
    return error_response(
        exc.status, exc.message, code=exc.code, errors=exc.errors, data=exc.data, headers=headers
    )


def _handle_domain_error(exc: DomainError) -> Response:
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
    return error_response(
        _DOMAIN_STATUS[exc.kind],
        exc.message,
        code=exc.code,
        errors=exc.field_errors(),
        data=exc.data,
        headers=headers,
    )


def _handle_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    code, message = _HTTP_DEFAULTS.get(status, ("http_error", Text(exc.name, exc.name)))
    errors: list[dict[str, str | None]] = []
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages") if isinstance(data, Mapping) else None
    if messages is not None:
        # webargs/flask-smorest validation failure: per-field messages.
        errors = flatten_field_errors(messages)
        if any(e["message"] in {"Invalid JSON body.", "Corpo JSON inválido."} for e in errors):
            code, message = "malformed_json", Text("Corpo JSON malformado.", "Malformed JSON body.")
            errors = []
        else:
            status, code, message = 400, "validation_error", ValidationError.message
    response = error_response(status, message, code=code, errors=errors)
    valid_methods = getattr(exc, "valid_methods", None)
    if status == 405 and valid_methods:
        response.headers["Allow"] = ", ".join(valid_methods)
    return response


def _handle_unexpected(exc: Exception) -> Response:
    # Our catch-all handler means Flask never signals the error as unhandled, so report it
    # ourselves (a no-op without SENTRY_DSN).
    sentry_sdk.capture_exception(exc)
    log.exception("unhandled error", exc_info=exc)
    code, message = _HTTP_DEFAULTS[500]
    return error_response(500, message, code=code)


def register_error_handlers(app: Flask) -> None:
    """Map every error to the envelope; called by every app factory."""
    app.register_error_handler(ApiError, _handle_api_error)
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(Exception, _handle_unexpected)
