"""marshmallow schemas of stock: levels, the ledger's movements, adjustments, availability."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates

from shared.i18n import FieldMessage, Text
from shared.pagination import PaginationQuerySchema
from stock_service.api.fields import Trimmed, UtcDateTime, strict_int
from stock_service.domain.stock import MAX_ON_HAND, AdjustmentReason, LedgerCause, percent_of_ideal


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
    delta = strict_int(
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
    quantity = strict_int(required=True, validate=validate.Range(min=1))


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
