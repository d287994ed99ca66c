"""marshmallow schemas of an order's items: a line as ordered, added or re-quantified, and
an item as shown (with its supplier block)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from order_service.api.field_types import Money, WholeNumber
from order_service.domain.items import MAX_QUANTITY


class OrderLineSchema(Schema):
    product_id = fields.UUID(required=True)
    quantity = WholeNumber(required=True, validate=validate.Range(min=1, max=MAX_QUANTITY))


class OrderItemCreateSchema(OrderLineSchema):
    pass


class OrderItemQuantitySchema(Schema):
    quantity = WholeNumber(required=True, validate=validate.Range(min=1, max=MAX_QUANTITY))


class SupplierBlockSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    cnpj = fields.String(allow_none=True, metadata={"description": "Somente dígitos."})
    whatsapp = fields.String(allow_none=True, metadata={"description": "Somente dígitos."})
    email = fields.String(allow_none=True)
    known = fields.Boolean(
        metadata={"description": "false: o estoque não conhece mais o fornecedor (só o nome)."}
    )


class OrderItemSchema(Schema):
    id = fields.UUID()
    product_id = fields.UUID()
    product_name = fields.String()
    unit = fields.String()
    section = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    supplier_id = fields.UUID(allow_none=True)
    supplier_name = fields.String(allow_none=True)
    quantity = fields.Integer()
    unit_price = Money(metadata={"description": "Preço unitário capturado na criação."})
    line_total = Money(metadata={"description": "quantity × unit_price."})
    supplier = fields.Nested(
        SupplierBlockSchema,
        allow_none=True,
        metadata={"description": "Só com with_details=true: o fornecedor e seus contatos."},
    )
