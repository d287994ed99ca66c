"""marshmallow schemas of the clients: a client as shown, created, changed and searched."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from order_service.api.field_types import Digits, LowerEmail, Trimmed, UtcDateTime
from shared.documents import validate_cpf_or_cnpj
from shared.i18n import FieldMessage, Text
from shared.pagination import PaginationQuerySchema


def _not_blank(value: str) -> None:
    if not value:
        raise ValidationError(FieldMessage(Text("Não pode ficar em branco.", "Must not be blank.")))


def _valid_phone(value: str) -> None:
    if not 10 <= len(value) <= 13:
        raise ValidationError(
            FieldMessage(
                Text(
                    "Informe o telefone (WhatsApp) com DDD: de 10 a 13 dígitos.",
                    "Give the (WhatsApp) phone with its area code: 10 to 13 digits.",
                )
            )
        )


class ClientSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    email = fields.String()
    document = fields.String(metadata={"description": "CPF (11) ou CNPJ (14), só dígitos."})
    phone = fields.String(allow_none=True, metadata={"description": "WhatsApp, só dígitos."})
    address = fields.String(allow_none=True)
    notify_whatsapp = fields.Boolean(
        metadata={"description": "false: não recebe notificações por WhatsApp."}
    )
    user_id = fields.UUID(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class ClientCreateSchema(Schema):
    name = Trimmed(required=True, validate=[_not_blank, validate.Length(max=200)])
    email = LowerEmail(required=True, validate=validate.Length(max=254))
    document = Digits(
        required=True,
        validate=validate_cpf_or_cnpj,
        metadata={
            "description": "CPF ou CNPJ com dígitos verificadores válidos; pontuação opcional."
        },
    )
    phone = Digits(
        load_default=None,
        allow_none=True,
        validate=_valid_phone,
        metadata={"description": "WhatsApp com DDD (pontuação opcional)."},
    )
    address = Trimmed(load_default=None, allow_none=True, validate=validate.Length(max=500))
    notify_whatsapp = fields.Boolean(
        load_default=True,
        metadata={"description": "false: o cliente não quer notificações por WhatsApp."},
    )
    user_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "Só o serviço de autenticação (papel service), no cadastro."},
    )


class ClientUpdateSchema(Schema):
    name = Trimmed(validate=[_not_blank, validate.Length(max=200)])
    email = LowerEmail(validate=validate.Length(max=254))
    document = Digits(validate=validate_cpf_or_cnpj)
    phone = Digits(allow_none=True, validate=_valid_phone)
    address = Trimmed(allow_none=True, validate=validate.Length(max=500))
    notify_whatsapp = fields.Boolean()

    @validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ValidationError(
                FieldMessage(
                    Text(
                        "Informe ao menos um campo para alterar.",
                        "Give at least one field to change.",
                    )
                )
            )


class ClientQuerySchema(PaginationQuerySchema):
    name = fields.String(metadata={"description": "Parte do nome, sem diferenciar maiúsculas."})
    email = fields.String(metadata={"description": "Parte do e-mail."})
    document = Digits(metadata={"description": "Início do CPF/CNPJ (só dígitos contam)."})
