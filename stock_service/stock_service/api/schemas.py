"""marshmallow schemas of the stock API: what comes in (validated) and what goes out."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from shared.clock import business_today
from shared.documents import only_digits, validate_cnpj, validate_gtin
from shared.i18n import FieldMessage, Text
from shared.pagination import PaginationQuerySchema
from stock_service.domain.catalogue import (
    UNITS,
    is_expired,
    is_valid_whatsapp,
    price_problem,
)
from stock_service.domain.stock import MAX_ON_HAND, AdjustmentReason, LedgerCause, percent_of_ideal
from stock_service.queries import PRODUCT_SORTS

# -- fields -----------------------------------------------------------------------------


class Trimmed(fields.String):
    """A string without surrounding blanks."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Digits(fields.String):
    """A document or phone typed with or without punctuation, kept as its digits."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return only_digits(super()._deserialize(value, attr, data, **kwargs))


class UtcDateTime(fields.DateTime):
    """Timestamps always go out in UTC."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def _not_blank(value: str) -> None:
    if not value:
        raise ValidationError(FieldMessage(Text("Não pode ficar em branco.", "Must not be blank.")))


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


def _valid_price(value: Decimal) -> None:
    problem = price_problem(value)
    if problem:
        raise ValidationError(FieldMessage(problem))


def _strict_int(**kwargs: Any) -> fields.Integer:
    # strict: 1.5 or "3" are refused instead of silently becoming 1 or 3.
    return fields.Integer(strict=True, **kwargs)


# -- suppliers --------------------------------------------------------------------------


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
    name = Trimmed(required=True, validate=[_not_blank, validate.Length(max=200)])
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


# -- products ---------------------------------------------------------------------------


class StockSchema(Schema):
    on_hand = fields.Integer(metadata={"description": "Unidades na prateleira."})
    reserved = fields.Integer(metadata={"description": "Unidades reservadas para pedidos."})
    available = fields.Integer(metadata={"description": "on_hand − reserved."})
    percent_of_ideal = fields.Function(
        lambda level: percent_of_ideal(level.available, level.product.ideal_quantity),
        allow_none=True,
        metadata={
            "type": "number",
            "description": "available ÷ ideal_quantity × 100 (null sem quantidade ideal).",
        },
    )
    low_stock = fields.Boolean(
        metadata={"description": "Abaixo do limite de estoque baixo desde a última travessia."}
    )


class ImageSchema(Schema):
    id = fields.UUID()
    content_type = fields.String()
    size_bytes = fields.Integer()
    url = fields.Function(
        lambda image: f"/api/v1/products/{image.product_id}/images/{image.id}",
        metadata={"description": "GET autenticado que devolve o arquivo."},
    )
    created_at = UtcDateTime()


class ProductSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    description = fields.String(allow_none=True)
    price = fields.Decimal(as_string=False, places=2, metadata={"example": 27.90})
    barcode = fields.String(allow_none=True)
    section = fields.String()
    category = fields.String(allow_none=True)
    unit = fields.String()
    seasonality = fields.String(allow_none=True)
    expiry_date = fields.Date(allow_none=True)
    supplier_id = fields.UUID(allow_none=True)
    supplier_name = fields.Function(
        lambda product: product.supplier.name if product.supplier else None, allow_none=True
    )
    ideal_quantity = fields.Integer()
    active = fields.Boolean()
    stock = fields.Nested(StockSchema)
    images = fields.List(fields.Nested(ImageSchema))
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class _ProductFields(Schema):
    name = Trimmed(required=True, validate=[_not_blank, validate.Length(max=200)])
    description = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=4000)
    )
    price = fields.Decimal(
        required=True,
        as_string=False,
        validate=_valid_price,
        metadata={"description": "Maior que zero, no máximo duas casas decimais."},
    )
    barcode = Trimmed(
        load_default=None,
        allow_none=True,
        validate=validate_gtin,
        metadata={"description": "EAN-8, EAN-13 ou GTIN-12/14 com dígito verificador válido."},
    )
    section = Trimmed(required=True, validate=[_not_blank, validate.Length(max=100)])
    category = Trimmed(load_default=None, allow_none=True, validate=validate.Length(max=100))
    unit = fields.String(required=True, validate=validate.OneOf(UNITS))
    seasonality = Trimmed(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=100),
        metadata={"description": "Texto livre, por exemplo 'ano todo' ou 'dezembro a março'."},
    )
    expiry_date = fields.Date(load_default=None, allow_none=True)
    supplier_id = fields.UUID(load_default=None, allow_none=True)
    ideal_quantity = _strict_int(load_default=0, validate=validate.Range(min=0, max=MAX_ON_HAND))
    active = fields.Boolean(load_default=True)


class ProductCreateSchema(_ProductFields):
    initial_stock = _strict_int(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_ON_HAND),
        metadata={
            "description": "Estoque inicial (só na criação); vira a linha `initial` do razão."
        },
    )

    @validates("expiry_date")
    def _not_expired(self, value: Any, **kwargs: Any) -> None:
        if is_expired(value, today=business_today()):
            raise ValidationError(
                FieldMessage(
                    Text(
                        "A data de validade não pode estar no passado.",
                        "The expiry date cannot be in the past.",
                    )
                )
            )


class ProductUpdateSchema(_ProductFields):
    """The same fields, all optional (send only what changes); stock is not changed here."""

    initial_stock = fields.Raw(
        metadata={"description": "Não aceito na alteração: use POST /stock/{id}/adjustments."}
    )

    @validates("initial_stock")
    def _create_only(self, value: Any, **kwargs: Any) -> None:
        raise ValidationError(
            FieldMessage(
                Text(
                    "O estoque inicial só é informado na criação;"
                    " use POST /stock/{id}/adjustments.",
                    "The initial stock is only given on creation;"
                    " use POST /stock/{id}/adjustments.",
                )
            )
        )


class ProductQuerySchema(PaginationQuerySchema):
    section = fields.String(metadata={"description": "Seção exata (sem diferenciar maiúsculas)."})
    category = fields.String(
        metadata={"description": "Categoria exata (sem diferenciar maiúsculas)."}
    )
    min_price = fields.Decimal(as_string=False, validate=validate.Range(min=0))
    max_price = fields.Decimal(as_string=False, validate=validate.Range(min=0))
    available = fields.Boolean(
        metadata={"description": "true: disponível > 0; false: sem estoque livre."}
    )
    supplier_id = fields.UUID()
    q = Trimmed(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Busca por parte do nome ou início do código de barras."},
    )
    active = fields.Boolean()
    sort = fields.String(
        load_default="name",
        validate=validate.OneOf(list(PRODUCT_SORTS)),
        metadata={"description": "Ordenação; '-' na frente inverte (ex.: -price)."},
    )

    @validates_schema
    def _price_range(self, data: dict[str, Any], **kwargs: Any) -> None:
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            raise ValidationError(
                FieldMessage(
                    Text(
                        "min_price não pode ser maior que max_price.",
                        "min_price cannot be greater than max_price.",
                    )
                ),
                "min_price",
            )


# A search's exclusion list: the products of a catalogue that had an order in a month.
MAX_EXCLUDED_IDS = 10_000


class UuidList(fields.List):
    """A list of UUIDs, checked in one pass and kept as text: a search may exclude thousands,
    and a field object per item cost more than the query."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(fields.UUID(), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        if not isinstance(value, list):
            raise ValidationError(
                FieldMessage(Text("Deve ser uma lista de UUIDs.", "Must be a list of UUIDs."))
            )
        try:
            return [str(uuid.UUID(item)) for item in value]
        except (TypeError, ValueError, AttributeError) as exc:
            raise ValidationError(
                FieldMessage(Text("Cada item deve ser um UUID.", "Each item must be a UUID."))
            ) from exc


class ProductSearchSchema(ProductQuerySchema):
    """GET /products' filters in a JSON body, and two that would not fit in a URL."""

    created_before = fields.AwareDateTime(
        metadata={"description": "Só produtos cadastrados antes deste instante (ISO 8601)."}
    )
    exclude_ids = UuidList(
        load_default=list,
        validate=validate.Length(max=MAX_EXCLUDED_IDS),
        metadata={"description": "Até 10.000 ids de produtos a deixar de fora."},
    )


class ImageUploadSchema(Schema):
    file = Upload(
        required=True,
        metadata={"description": "JPEG, PNG ou WebP; o tipo é verificado pelo conteúdo."},
    )


# -- stock ------------------------------------------------------------------------------


class StockLevelSchema(Schema):
    product_id = fields.UUID()
    product_name = fields.String()
    section = fields.String()
    category = fields.String(allow_none=True)
    unit = fields.String()
    price = fields.Decimal(as_string=False, places=2)
    supplier_id = fields.UUID(allow_none=True)
    active = fields.Boolean()
    ideal_quantity = fields.Integer()
    on_hand = fields.Integer()
    reserved = fields.Integer()
    available = fields.Integer()
    percent_of_ideal = fields.Float(
        allow_none=True, metadata={"description": "available × 100 / ideal_quantity."}
    )
    low_stock = fields.Boolean(
        metadata={"description": "Abaixo do limite de estoque baixo desde a última travessia."}
    )
    updated_at = UtcDateTime()


class StockQuerySchema(PaginationQuerySchema):
    below_percent = fields.Decimal(
        as_string=False,
        validate=validate.Range(min=0, min_inclusive=False, max=1000),
        metadata={"description": "Só produtos com disponível < ideal × pct / 100."},
    )
    section = fields.String()
    supplier_id = fields.UUID()
    active = fields.Boolean()


class MovementSchema(Schema):
    id = fields.Integer()
    product_id = fields.UUID()
    delta_on_hand = fields.Integer()
    delta_reserved = fields.Integer()
    on_hand_after = fields.Integer()
    reserved_after = fields.Integer()
    available_after = fields.Function(lambda m: m.on_hand_after - m.reserved_after)
    cause = fields.String(metadata={"enum": [c.value for c in LedgerCause]})
    order_id = fields.UUID(allow_none=True)
    event_id = fields.UUID(allow_none=True)
    note = fields.String(allow_none=True)
    actor = fields.String(metadata={"description": "Usuário (sub) ou serviço que fez a mudança."})
    created_at = UtcDateTime()


class MovementQuerySchema(PaginationQuerySchema):
    cause = fields.String(validate=validate.OneOf([c.value for c in LedgerCause]))
    order_id = fields.UUID()


class AdjustmentRequestSchema(Schema):
    delta = _strict_int(
        required=True,
        validate=validate.Range(min=-MAX_ON_HAND, max=MAX_ON_HAND),
        metadata={
            "description": "Variação de on_hand, diferente de zero; o estoque não passa de"
            " 1.000.000.000 unidades."
        },
    )
    reason = fields.Enum(
        AdjustmentReason,
        by_value=True,
        required=True,
        metadata={
            "description": "receipt/return: positivo; loss: negativo; count: qualquer sinal."
        },
    )
    note = Trimmed(load_default=None, allow_none=True, validate=validate.Length(max=500))

    @validates("delta")
    def _not_zero(self, value: int, **kwargs: Any) -> None:
        if value == 0:
            raise ValidationError(
                FieldMessage(Text("O ajuste não pode ser zero.", "The adjustment cannot be zero."))
            )


class AdjustmentSchema(Schema):
    stock = fields.Nested(StockSchema)
    movement = fields.Nested(MovementSchema)


class AvailabilityItemSchema(Schema):
    product_id = fields.UUID(required=True)
    quantity = _strict_int(required=True, validate=validate.Range(min=1))


class AvailabilityRequestSchema(Schema):
    items = fields.List(
        fields.Nested(AvailabilityItemSchema),
        required=True,
        validate=validate.Length(min=1, max=500),
    )


class ShortageSchema(Schema):
    product_id = fields.UUID()
    requested = fields.Integer()
    available = fields.Integer()


class AvailableProductSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    unit = fields.String()
    price = fields.Decimal(as_string=False, places=2)
    section = fields.String()
    category = fields.String(allow_none=True)
    supplier_id = fields.UUID(allow_none=True)
    supplier_name = fields.String(allow_none=True)
    supplier_active = fields.Boolean()
    active = fields.Boolean()
    available = fields.Integer()


class AvailabilitySchema(Schema):
    available = fields.Boolean()
    shortages = fields.List(fields.Nested(ShortageSchema))
    unknown_product_ids = fields.List(fields.UUID())
    products = fields.List(fields.Nested(AvailableProductSchema))
