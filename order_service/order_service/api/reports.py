"""Reports for the people who run the programme: what was sold, to whom, from whom (admin
and staff only, SPEC §2)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from webargs.fields import DelimitedList

from order_service.api import examples as ex
from order_service.api.schemas import Money
from order_service.domain.reports import GROUPINGS, MAX_REPORT_DAYS, ReportWindow
from order_service.models import db
from order_service.reports.period import period_report
from shared.api import ApiBlueprint, ErrorEnvelopeSchema, envelope, ok
from shared.auth import Role, roles_required
from shared.clock import DEFAULT_BUSINESS_TIMEZONE
from shared.i18n import Text

blp = ApiBlueprint(
    "reports",
    __name__,
    url_prefix="/api/v1/orders/reports",
    description="Relatórios de vendas (admin e staff): por período, agrupados por cliente, "
    "produto, fornecedor e status. Dias do calendário de Brasília.",
)

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
            raise ValidationError(problem[1], field_name=problem[0])


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
STAFF_ONLY = ex.failure("Você não tem permissão para esta operação.", "forbidden")


@blp.route("/period")
class PeriodReport(MethodView):
    @roles_required(Role.ADMIN, Role.STAFF)  # before the arguments: a client learns nothing
    @blp.arguments(PeriodReportQuerySchema(), location="query")
    @blp.response(
        200,
        envelope(PeriodReportSchema),
        example=ex.success(PERIOD_REPORT, "Relatório do período gerado."),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=WINDOW_TOO_LONG)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=STAFF_ONLY)
    def get(self, args: dict):
        """Relatório de vendas por período

        `admin` e `staff`. Vendas (pedidos do tipo `sale`) criadas entre `date_from` e
        `date_to`, dias do calendário de Brasília, ambos inclusos; no máximo 366 dias
        (400 se faltar uma data, se estiver malformada, invertida ou longa demais).

        `overall`: `total_orders`, `total_value`, `clients_served`, `distinct_products` e
        `average_ticket` (= valor ÷ pedidos, 0 sem pedidos) contam só vendas que valeram:
        pedidos **cancelados e devolvidos ficam fora** desses números e aparecem em
        `cancelled_orders`, `returned_orders` e em `by_status`. Pedidos excluídos não
        aparecem em número algum.

        `group_by` (vírgulas: `client,product,supplier,status`) acrescenta `by_client`,
        `by_product`, `by_supplier`, `by_status`: cada grupo com `id`, `name` (o nome mais
        recente registrado nas linhas), `orders`, `quantity`, `value` (Σ quantidade × preço
        das linhas) e `average_ticket`; do maior valor para o menor. Em `by_supplier`, as
        linhas sem fornecedor formam o grupo `id: null`, "Sem fornecedor"; um pedido com
        produtos de dois fornecedores conta em ambos, com o valor das suas linhas.
        """
        window = ReportWindow(args["date_from"], args["date_to"])
        report = period_report(db.session, window, list(dict.fromkeys(args["group_by"])))
        return ok(report, Text("Relatório do período gerado.", "Period report generated."))
