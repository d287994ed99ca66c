"""marshmallow schemas of the stock API's suppliers: what comes in (validated) and goes out."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from shared.documents import validate_cnpj
from shared.i18n import FieldMessage, Text
from shared.pagination import PaginationQuerySchema
from stock_service.api.fields import Digits, Trimmed, UtcDateTime, not_blank
from stock_service.domain.catalogue import is_valid_whatsapp


def _valid_whatsapp(value: str) -> None:
    if not is_valid_whatsapp(value):
        raise ValidationError(
            FieldMessage(
                Text(
                    "Informe o WhatsApp com DDD (10 ou 11 dígitos, com ou sem 55).",
                    "Give the WhatsApp number with its area code (10 or 11 digits, with or"
                    " without 55).",
                )
            )
        )


class SupplierSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    cnpj = fields.String(metadata={"description": "Somente dígitos."})
    email = fields.String(allow_none=True)
    whatsapp = fields.String(allow_none=True, metadata={"description": "Somente dígitos."})
    notify_whatsapp = fields.Boolean(
        metadata={"description": "false: não recebe notificações por WhatsApp."}
    )
    active = fields.Boolean()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class SupplierCreateSchema(Schema):
    name = Trimmed(required=True, validate=[not_blank, validate.Length(max=200)])
    cnpj = Digits(
        required=True,
        validate=validate_cnpj,
        metadata={"description": "CNPJ com ou sem pontuação; guardado só com dígitos."},
    )
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    whatsapp = Digits(
        load_default=None,
        allow_none=True,
        validate=_valid_whatsapp,
        metadata={"description": "Número com DDD; guardado só com dígitos."},
    )
    notify_whatsapp = fields.Boolean(load_default=True)
    active = fields.Boolean(load_default=True)


class SupplierUpdateSchema(SupplierCreateSchema):
    """The same fields, all optional (send only what changes)."""


class SupplierQuerySchema(PaginationQuerySchema):
    name = fields.String(metadata={"description": "Parte do nome (sem diferenciar maiúsculas)."})
    active = fields.Boolean()
