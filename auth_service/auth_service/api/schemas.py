"""Request and response schemas of the auth API (marshmallow; unknown fields are refused)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from auth_service.domain.documents import normalise_document, normalise_phone
from auth_service.domain.errors import RuleViolation
from auth_service.domain.passwords import password_violations
from auth_service.domain.users import UserRole, normalise_email
from shared.i18n import Text, localize
from shared.pagination import PaginationQuerySchema

ROLES = [role.value for role in UserRole]


def _message(violation: RuleViolation) -> str:
    return localize(Text(violation.pt, violation.en))


def _validate_password(value: str) -> None:
    problems = password_violations(value)
    if problems:
        raise ValidationError([_message(p) for p in problems])


class _Normalised(fields.String):
    """A string turned into its canonical form by a domain rule (digits, lower case...)."""

    normalise: Callable[[str], str]

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        raw = super()._deserialize(value, attr, data, **kwargs)
        try:
            return type(self).normalise(raw)
        except RuleViolation as exc:
            raise ValidationError(_message(exc)) from exc


class Document(_Normalised):
    """CPF or CNPJ, punctuation allowed, check digits verified; loaded as digits."""

    normalise = staticmethod(normalise_document)


class Phone(_Normalised):
    normalise = staticmethod(normalise_phone)


class Trimmed(_Normalised):
    normalise = staticmethod(str.strip)


class Email(fields.Email):
    """An email, trimmed and lower-cased before it is validated."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return normalise_email(super()._deserialize(value, attr, data, **kwargs))


def _name(**kwargs: Any) -> fields.Field:
    return Trimmed(
        validate=validate.Length(min=1, max=200), metadata={"example": "Maria Souza"}, **kwargs
    )


def _email(**kwargs: Any) -> fields.Field:
    return Email(
        validate=validate.Length(max=320), metadata={"example": "maria@example.com"}, **kwargs
    )


def _password(**kwargs: Any) -> fields.Field:
    return fields.String(
        load_only=True,
        validate=_validate_password,
        metadata={
            "description": "Pelo menos 8 caracteres, não apenas números.",
            "example": "Segura#2026",
        },
        **kwargs,
    )


# --- requests --------------------------------------------------------------------------


class RegisterSchema(Schema):
    """Sign-up data; anything else sent (e.g. "role") is dropped, never honoured."""

    class Meta:
        # Public form: extra fields are ignored, not an error (every other schema refuses them).
        unknown = EXCLUDE

    name = _name(required=True)
    email = _email(required=True)
    password = _password(required=True)
    document = Document(
        required=True,
        metadata={
            "description": "CPF ou CNPJ (com ou sem pontuação).",
            "example": "529.982.247-25",
        },
    )
    phone = Phone(
        required=True,
        metadata={"description": "Telefone/WhatsApp com DDD.", "example": "(11) 91234-5678"},
    )


class LoginSchema(Schema):
    email = _email(required=True)
    password = fields.String(required=True, load_only=True, metadata={"example": "Segura#2026"})


class RefreshTokenSchema(Schema):
    refresh_token = fields.String(
        required=True,
        validate=validate.Length(min=1, max=512),
        metadata={"example": "q5mX0l8b2Y1oV6n3dZ9sQw4tR7uE2aH0cK5jL8pF1gM"},
    )


class ServiceTokenRequestSchema(Schema):
    grant_type = fields.String(
        required=True,
        validate=validate.OneOf(["client_credentials"]),
        metadata={"example": "client_credentials"},
    )
    client_id = fields.String(
        required=True,
        validate=validate.Length(min=1, max=64),
        metadata={"example": "order_service"},
    )
    client_secret = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=1, max=512),
        metadata={"example": "gerado-por-make-run-ou-definido-em-SERVICE_CLIENTS"},
    )


class UserCreateSchema(Schema):
    name = _name(required=True)
    email = _email(required=True)
    password = _password(required=True)
    role = fields.String(
        required=True, validate=validate.OneOf(ROLES), metadata={"example": "staff"}
    )
    client_id = fields.UUID(allow_none=True, load_default=None)
    supplier_id = fields.UUID(allow_none=True, load_default=None)
    active = fields.Boolean(load_default=True)


class UserUpdateSchema(Schema):
    """Only the fields sent change; null clears a binding."""

    name = _name()
    email = _email()
    password = _password()
    role = fields.String(validate=validate.OneOf(ROLES), metadata={"example": "staff"})
    client_id = fields.UUID(allow_none=True)
    supplier_id = fields.UUID(allow_none=True)
    active = fields.Boolean()


class UserQuerySchema(PaginationQuerySchema):
    role = fields.String(validate=validate.OneOf(ROLES), metadata={"description": "Papel exato."})
    email = fields.String(metadata={"description": "E-mail exato (sem diferenciar maiúsculas)."})
    q = fields.String(
        validate=validate.Length(max=200),
        metadata={"description": "Busca por trecho do nome ou do e-mail."},
    )
    active = fields.Boolean(metadata={"description": "true: só ativos; false: só desativados."})


# --- responses -------------------------------------------------------------------------


class UserSchema(Schema):
    id = fields.UUID(metadata={"example": "5b0e5f9e-3c1e-4d8a-9a53-2f3f4c1d7e21"})
    name = fields.String(metadata={"example": "Maria Souza"})
    email = fields.String(metadata={"example": "maria@example.com"})
    role = fields.String(metadata={"example": "client"})
    document = fields.String(allow_none=True, metadata={"example": "52998224725"})
    phone = fields.String(allow_none=True, metadata={"example": "11912345678"})
    client_id = fields.UUID(allow_none=True)
    supplier_id = fields.UUID(allow_none=True)
    active = fields.Boolean(metadata={"example": True})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class TokenPairSchema(Schema):
    access_token = fields.String(metadata={"example": "eyJhbGciOiJSUzI1NiIsImtpZCI6Ii4uLiJ9..."})
    refresh_token = fields.String(
        metadata={"example": "q5mX0l8b2Y1oV6n3dZ9sQw4tR7uE2aH0cK5jL8pF1gM"}
    )
    token_type = fields.String(metadata={"example": "Bearer"})
    expires_in = fields.Integer(
        metadata={"description": "Validade do access token (s).", "example": 900}
    )
    refresh_expires_in = fields.Integer(
        metadata={"description": "Validade do refresh token (s).", "example": 604800}
    )
    user = fields.Nested(UserSchema)


class ServiceTokenSchema(Schema):
    access_token = fields.String(metadata={"example": "eyJhbGciOiJSUzI1NiIsImtpZCI6Ii4uLiJ9..."})
    token_type = fields.String(metadata={"example": "Bearer"})
    expires_in = fields.Integer(metadata={"example": 900})


class JwkSchema(Schema):
    kty = fields.String()
    use = fields.String()
    alg = fields.String()
    kid = fields.String()
    n = fields.String()
    e = fields.String()


class JwksSchema(Schema):
    keys = fields.List(fields.Nested(JwkSchema))
