"""marshmallow schemas of the catalogue's products and their images: what comes in
(validated) and what goes out."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from shared.clock import business_today
from shared.documents import validate_gtin
from shared.i18n import FieldMessage, Text
from shared.pagination import PaginationQuerySchema
from stock_service.api.fields import Trimmed, UtcDateTime, not_blank, strict_int
from stock_service.api.stock_schemas import StockSchema
from stock_service.domain.catalogue import UNITS, is_expired, price_problem
from stock_service.domain.stock import MAX_ON_HAND
from stock_service.queries import PRODUCT_SORTS


def _valid_price(value: Decimal) -> None:
    problem = price_problem(value)
    if problem:
        raise ValidationError(FieldMessage(problem))


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
    name = Trimmed(required=True, validate=[not_blank, validate.Length(max=200)])
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
    section = Trimmed(required=True, validate=[not_blank, validate.Length(max=100)])
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
    ideal_quantity = strict_int(load_default=0, validate=validate.Range(min=0, max=MAX_ON_HAND))
    active = fields.Boolean(load_default=True)


class ProductCreateSchema(_ProductFields):
    initial_stock = strict_int(
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
