"""marshmallow schemas of the orders of one party — a client (GET /clients/{id}/orders) or
a supplier (GET /suppliers/{id}/orders): the period asked for, a page of its orders and
their summary.

Both parties live in one module because both name their party with `_Named`, whose class
name is an OpenAPI component.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from order_service.api.field_types import Money
from order_service.api.order_schemas import OrderPeriodQuerySchema, OrderSummarySchema


class ClientOrdersQuerySchema(OrderPeriodQuerySchema):
    summary = fields.Boolean(
        load_default=False,
        metadata={"description": "true: inclui o resumo (totais, por status, produto top)."},
    )


class SupplierOrdersQuerySchema(OrderPeriodQuerySchema):
    pass


class _Named(Schema):
    id = fields.UUID()
    name = fields.String(allow_none=True)


class ClientRefSchema(_Named):
    deleted = fields.Boolean()


class PeriodSchema(Schema):
    date_from = fields.Date(allow_none=True)
    date_to = fields.Date(allow_none=True)


class TopProductSchema(Schema):
    product_id = fields.UUID()
    name = fields.String()
    orders = fields.Integer(metadata={"description": "Em quantos pedidos aparece."})
    quantity = fields.Integer(metadata={"description": "Quantidade somada."})


class ClientSummarySchema(Schema):
    total_orders = fields.Integer()
    total_value = Money()
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    top_product = fields.Nested(TopProductSchema, allow_none=True)


class ClientOrdersSchema(Schema):
    client = fields.Nested(ClientRefSchema)
    period = fields.Nested(PeriodSchema)
    orders = fields.List(fields.Nested(OrderSummarySchema))
    summary = fields.Nested(ClientSummarySchema)


class SupplierSummarySchema(Schema):
    total_orders = fields.Integer()
    total_value = Money(metadata={"description": "Σ das linhas deste fornecedor."})
    clients_served = fields.Integer()
    products_supplied = fields.Integer()


class SupplierOrdersSchema(Schema):
    supplier = fields.Nested(_Named)
    period = fields.Nested(PeriodSchema)
    orders = fields.List(fields.Nested(OrderSummarySchema))
    summary = fields.Nested(SupplierSummarySchema)
