"""What the report routes take and give, and their examples (OpenAPI)."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from webargs.fields import DelimitedList

from order_service.api import examples as ex
from order_service.api.field_types import Money
from order_service.domain.reports import (
    GROUPINGS,
    MAX_MONTHS,
    MAX_REPORT_DAYS,
    ReportWindow,
    month_window_problem,
)
from shared.api import Matches
from shared.clock import DEFAULT_BUSINESS_TIMEZONE, business_today
from shared.i18n import FieldMessage, Text

# -- what comes in ----------------------------------------------------------------------


class PeriodReportQuerySchema(Schema):
    date_from = fields.Date(
        required=True, metadata={"description": "AAAA-MM-DD, primeiro dia (Brasília), incluso."}
    )
    date_to = fields.Date(
        required=True, metadata={"description": "AAAA-MM-DD, último dia (Brasília), incluso."}
    )
    group_by = DelimitedList(
        fields.String(validate=validate.OneOf(GROUPINGS)),
        load_default=list,
        metadata={"description": "Agrupamentos, separados por vírgula: client, product, "
                  "supplier, status."},
    )  # fmt: skip

    @validates_schema
    def _reportable_window(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "date_from" not in data or "date_to" not in data:
            return  # the required-field errors already say it
        problem = ReportWindow(data["date_from"], data["date_to"]).problem()
        if problem:
            raise ValidationError(FieldMessage(problem[1]), field_name=problem[0])


# -- what goes out ----------------------------------------------------------------------


class ReportPeriodSchema(Schema):
    date_from = fields.Date()
    date_to = fields.Date()
    days = fields.Integer()
    timezone = fields.String(metadata={"description": "O fuso dos dias (BUSINESS_TIMEZONE)."})


class PeriodOverallSchema(Schema):
    total_orders = fields.Integer(metadata={"description": "Vendas, sem canceladas e devolvidas."})
    total_value = Money(metadata={"description": "Σ dos totais dessas vendas."})
    clients_served = fields.Integer()
    distinct_products = fields.Integer()
    average_ticket = Money(metadata={"description": "total_value ÷ total_orders (0 sem vendas)."})
    cancelled_orders = fields.Integer()
    returned_orders = fields.Integer()


class ReportGroupSchema(Schema):
    id = fields.String(
        allow_none=True, metadata={"description": "Id do cliente/produto/fornecedor, ou o status."}
    )
    name = fields.String(allow_none=True)
    orders = fields.Integer()
    quantity = fields.Integer(metadata={"description": "Σ das quantidades das linhas."})
    value = Money(metadata={"description": "Σ de quantidade × preço das linhas."})
    average_ticket = Money(metadata={"description": "value ÷ orders."})


class PeriodReportSchema(Schema):
    period = fields.Nested(ReportPeriodSchema)
    overall = fields.Nested(PeriodOverallSchema)
    by_client = fields.List(fields.Nested(ReportGroupSchema))
    by_product = fields.List(fields.Nested(ReportGroupSchema))
    by_supplier = fields.List(fields.Nested(ReportGroupSchema))
    by_status = fields.List(fields.Nested(ReportGroupSchema))


PERIOD_REPORT = {
    "period": {
        "date_from": "2026-11-01",
        "date_to": "2026-11-30",
        "days": 30,
        "timezone": DEFAULT_BUSINESS_TIMEZONE,
    },
    "overall": {
        "total_orders": 3,
        "total_value": 1098.00,
        "clients_served": 2,
        "distinct_products": 2,
        "average_ticket": 366.00,
        "cancelled_orders": 1,
        "returned_orders": 0,
    },
    "by_client": [
        {
            "id": ex.CLIENT_ID,
            "name": "Escola Municipal João da Silva",
            "orders": 2,
            "quantity": 30,
            "value": 837.00,
            "average_ticket": 418.50,
        }
    ],
    "by_status": [
        {
            "id": "delivered",
            "name": "delivered",
            "orders": 2,
            "quantity": 30,
            "value": 837.00,
            "average_ticket": 418.50,
        }
    ],
}
WINDOW_TOO_LONG = ex.failure(
    "Dados inválidos.",
    "validation_error",
    [{"field": "date_to", "message": f"O período pode ter no máximo {MAX_REPORT_DAYS} dias."}],
)


# -- performance ------------------------------------------------------------------------


class PerformanceReportQuerySchema(Schema):
    months = fields.Integer(
        load_default=3,
        validate=validate.Range(min=1, max=MAX_MONTHS),
        metadata={"description": f"Meses inteiros analisados, de 1 a {MAX_MONTHS}."},
    )
    until = fields.String(
        load_default=None,
        validate=Matches(
            r"^(19|[2-9]\d)\d\d-(0[1-9]|1[0-2])$",
            Text("Use AAAA-MM, de 1900 em diante.", "Use YYYY-MM, from 1900 on."),
        ),
        metadata={"description": "AAAA-MM, o último mês analisado (padrão: o mês passado)."},
    )
    include_details = fields.Boolean(
        load_default=False, metadata={"description": "true: `by_client` com todos os clientes."}
    )

    @validates_schema
    def _reportable_months(self, data: dict[str, Any], **kwargs: Any) -> None:
        until = data.get("until")
        if until and until > business_today().strftime("%Y-%m"):
            future = Text("until não pode ser um mês futuro.", "until cannot be a future month.")
            raise ValidationError(FieldMessage(future), field_name="until")
        if until and "months" in data:
            problem = month_window_problem(date.fromisoformat(until + "-01"), data["months"])
            if problem:
                raise ValidationError(FieldMessage(problem), field_name="until")


class MonthSchema(Schema):
    month = fields.String(metadata={"description": "AAAA-MM"})
    orders = fields.Integer()
    value = Money()
    growth_percent = fields.Decimal(
        as_string=False,
        allow_none=True,
        metadata={"description": "Valor contra o mês anterior, em %; null se ele foi 0."},
    )


class PerformanceOverallSchema(Schema):
    total_orders = fields.Integer()
    total_value = Money()
    average_ticket = Money()
    monthly = fields.List(fields.Nested(MonthSchema))
    monthly_growth = fields.Decimal(
        as_string=False, allow_none=True, metadata={"description": "Média dos growth_percent."}
    )
    avg_approval_hours = fields.Decimal(
        as_string=False,
        allow_none=True,
        metadata={"description": "Horas da criação à aprovação (approved_at), em média."},
    )
    cancellation_rate = fields.Decimal(
        as_string=False, metadata={"description": "% das vendas do período canceladas."}
    )


class TrendingProductSchema(Schema):
    product_id = fields.String()
    name = fields.String()
    first_half_quantity = fields.Integer()
    second_half_quantity = fields.Integer()
    growth_percent = fields.Decimal(as_string=False)
    orders = fields.Integer()


class ClientActivitySchema(Schema):
    client_id = fields.String()
    name = fields.String()
    orders = fields.Integer()
    value = Money()
    average_ticket = Money()
    cancelled_orders = fields.Integer()


class TrendsSchema(Schema):
    trending_products = fields.List(fields.Nested(TrendingProductSchema))
    most_active_clients = fields.List(fields.Nested(ClientActivitySchema))


class AlertSchema(Schema):
    type = fields.String(
        metadata={
            "enum": [
                "critical_stock",
                "products_without_orders",
                "suppliers_without_orders",
                "price_outliers",
            ]
        }  # fmt: skip
    )
    description = fields.String()
    recommendation = fields.String()
    count = fields.Integer()
    items = fields.List(fields.Dict())
    unavailable = fields.Boolean(metadata={"description": "true: o estoque não respondeu."})


class PerformancePeriodSchema(Schema):
    months = fields.Integer()
    date_from = fields.Date()
    date_to = fields.Date()
    timezone = fields.String()


class PerformanceReportSchema(Schema):
    period = fields.Nested(PerformancePeriodSchema)
    overall = fields.Nested(PerformanceOverallSchema)
    trends = fields.Nested(TrendsSchema)
    alerts = fields.List(fields.Nested(AlertSchema))
    by_client = fields.List(fields.Nested(ClientActivitySchema))


PERFORMANCE_REPORT = {
    "period": {
        "months": 3,
        "date_from": "2026-09-01",
        "date_to": "2026-11-30",
        "timezone": DEFAULT_BUSINESS_TIMEZONE,
    },
    "overall": {
        "total_orders": 450,
        "total_value": 125750.50,
        "average_ticket": 279.45,
        "monthly": [
            {"month": "2026-09", "orders": 140, "value": 38000.00, "growth_percent": 5.0},
            {"month": "2026-10", "orders": 150, "value": 42000.00, "growth_percent": 10.53},
            {"month": "2026-11", "orders": 160, "value": 45750.50, "growth_percent": 8.93},
        ],
        "monthly_growth": 8.15,
        "avg_approval_hours": 60.0,
        "cancellation_rate": 3.2,
    },
    "trends": {
        "trending_products": [
            {
                "product_id": ex.PRODUCT_ID,
                "name": "Arroz Integral 1kg",
                "first_half_quantity": 400,
                "second_half_quantity": 502,
                "growth_percent": 25.5,
                "orders": 95,
            }
        ],
        "most_active_clients": [
            {
                "client_id": ex.CLIENT_ID,
                "name": "Escola Municipal João da Silva",
                "orders": 65,
                "value": 18750.00,
                "average_ticket": 288.46,
                "cancelled_orders": 1,
            }
        ],
    },
    "alerts": [
        {
            "type": "products_without_orders",
            "description": "3 produto(s) sem pedidos há 30 dias ou mais.",
            "recommendation": "Revisar o cardápio ou a disponibilidade desses produtos.",
            "count": 3,
            "items": [
                {
                    "id": ex.PRODUCT_2_ID,
                    "name": "Feijão carioca 1kg",
                    "last_order_at": "2026-10-02T13:00:00Z",
                    "days_without_orders": 66,
                }
            ],
        }
    ],
}
