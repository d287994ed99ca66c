"""flask-smorest wired to the Pedidos conventions: 400 on bad input, our envelopes in the docs.

Views return `ok(data, message)`; `@blp.response(200, envelope(ProductSchema))` serialises it
and documents the whole envelope, so the OpenAPI document shows exactly what clients get.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import flask_smorest
from marshmallow import Schema, fields, validate
from marshmallow import ValidationError as MarshmallowValidationError
from webargs.flaskparser import FlaskParser

from shared import errors
from shared.auth import public
from shared.i18n import Text, localize
from shared.pagination import Page, PageMetaSchema
from shared.texts import FieldMessage

NUL_MESSAGE = FieldMessage(
    Text(
        "Não pode conter o caractere nulo (\\u0000).",
        "Must not contain the null character (\\u0000).",
    )
)


def nul_character_errors(value: Any) -> Any:
    """marshmallow-style messages for every text holding U+0000, or None when there is none.

    PostgreSQL cannot store that character in text, so a value holding it would fail at
    the database (a 500) instead of at validation (a 400 naming the field).
    """
    if isinstance(value, str):
        return [NUL_MESSAGE] if "\x00" in value else None
    if isinstance(value, Mapping):
        found = {key: nul_character_errors(value[key]) for key in value}
    elif isinstance(value, list | tuple):
        found = {index: nul_character_errors(item) for index, item in enumerate(value)}
    else:
        return None
    found = {key: messages for key, messages in found.items() if messages}
    return found or None


class Matches(validate.Regexp):
    """A pattern check whose message is ours in both languages (marshmallow's `Regexp`
    formats its message into a plain string, losing the English)."""

    def __init__(self, regex: str, message: Text) -> None:
        super().__init__(regex, error=message.pt)
        self.message = message

    def _format_error(self, value: str | bytes) -> str:
        return FieldMessage(self.message)


class _ArgumentsParser(FlaskParser):
    # The SPEC answers bad input with 400, not webargs' default 422.
    DEFAULT_VALIDATION_STATUS = 400

    def pre_load(self, location_data: Any, *, schema: Any, req: Any, location: str) -> Any:
        """Refuse U+0000 in any argument (query, JSON, form) before the schema loads it."""
        data = super().pre_load(location_data, schema=schema, req=req, location=location)
        if location == "json" and _JSON_NUL not in req.get_data(cache=True):
            return data  # nothing to look for: the walk was a tenth of parsing an order
        errors = nul_character_errors(_what_the_schema_reads(data, schema))
        if errors:
            raise MarshmallowValidationError(errors)
        return data


# Parsed JSON text holds U+0000 only if the body spelled it as this escape: a raw NUL byte is
# not valid JSON, and the escape's digits have no case.
_JSON_NUL = b"\\u0000"


def _what_the_schema_reads(data: Any, schema: Schema) -> Any:
    """Of a location's mapping, the keys the schema loads (a request's headers hold many more)."""
    if not isinstance(data, Mapping):
        return data
    keys = (field.data_key or name for name, field in schema.load_fields.items())
    return {key: data[key] for key in keys if key in data}


class ApiBlueprint(flask_smorest.Blueprint):
    """The blueprint every service uses; argument errors become 400 in the envelope."""

    ARGUMENTS_PARSER = _ArgumentsParser()


class FieldErrorSchema(Schema):
    field = fields.String(allow_none=True, metadata={"example": "document"})
    message = fields.String(metadata={"example": "CPF inválido."})


class ErrorEnvelopeSchema(Schema):
    status = fields.String(metadata={"example": "error"})
    message = fields.String(metadata={"example": "Dados inválidos."})
    code = fields.String(metadata={"example": "validation_error"})
    errors = fields.List(fields.Nested(FieldErrorSchema))
    request_id = fields.String(allow_none=True, metadata={"example": "7f1c0a4e9b2d4c3a"})
    data = fields.Dict(required=False)


class PedidosApi(flask_smorest.Api):
    ERROR_SCHEMA = ErrorEnvelopeSchema

    def handle_http_exception(self, error):
        return errors._handle_http_exception(error)

    @public
    def _openapi_json(self):
        """The API description is public: the gateway merges every service's into one document."""
        return super()._openapi_json()


_ENVELOPES: dict[tuple[str, bool, bool], type[Schema]] = {}


def envelope(
    schema: type[Schema] | Schema, *, many: bool = False, paginated: bool = False
) -> type[Schema]:
    """A schema for {"status", "message", "data": <schema>, "meta"?}, built once per schema."""
    schema_cls = schema if isinstance(schema, type) else type(schema)
    key = (schema_cls.__name__, many, paginated)
    if key not in _ENVELOPES:
        name = schema_cls.__name__.removesuffix("Schema")
        attrs: dict[str, Any] = {
            "status": fields.String(metadata={"example": "success"}),
            "message": fields.String(metadata={"example": "Operação realizada com sucesso."}),
            "data": fields.Nested(schema_cls, many=many or paginated),
        }
        if paginated:
            attrs["meta"] = fields.Nested(PageMetaSchema)
        suffix = "Page" if paginated else ("List" if many else "")
        _ENVELOPES[key] = type(f"{name}{suffix}EnvelopeSchema", (Schema,), attrs)
    return _ENVELOPES[key]


class EmptySchema(Schema):
    pass


SUCCESS = Text("Operação realizada com sucesso.", "Success.")


def ok(
    data: Any = None,
    message: Text | str = SUCCESS,
    *,
    meta: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The body of a success response, to be serialised by an `envelope` schema."""
    body: dict[str, Any] = {"status": "success", "message": localize(message), "data": data}
    if meta is not None:
        body["meta"] = dict(meta)
    return body


def ok_page(page: Page, message: Text | str) -> dict[str, Any]:
    return ok(page.items, message, meta=page.meta)


def example_success(
    data: Any, message: str, *, meta: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A success envelope for the OpenAPI examples (Swagger UI)."""
    body: dict[str, Any] = {"status": "success", "message": message, "data": data}
    if meta is not None:
        body["meta"] = dict(meta)
    return body


def example_error(
    message: str, code: str, errors: list[dict[str, str]] | None = None, **data: Any
) -> dict[str, Any]:
    """An error envelope for the OpenAPI examples."""
    body: dict[str, Any] = {
        "status": "error",
        "message": message,
        "code": code,
        "errors": errors or [],
        "request_id": "7f1c0a4e9b2d4c3a",
    }
    if data:
        body["data"] = data
    return body
