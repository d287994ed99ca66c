"""Reports for the people who run the programme: what was sold, to whom, from whom (admin
and staff only, SPEC §2)."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask.views import MethodView

from order_service.api import examples as ex
from order_service.api import stock_catalogue
from order_service.api.report_schemas import (
    PERFORMANCE_REPORT,
    PERIOD_REPORT,
    WINDOW_TOO_LONG,
    PerformanceReportQuerySchema,
    PerformanceReportSchema,
    PeriodReportQuerySchema,
    PeriodReportSchema,
)
from order_service.domain.reports import (
    MonthWindow,
    ReportWindow,
)
from order_service.models import db
from order_service.reports.performance import default_last_month, performance_report
from order_service.reports.period import period_report
from order_service.reports.rollup import fold_report_changes
from shared.api import ApiBlueprint, ErrorEnvelopeSchema, envelope, ok
from shared.auth import Role, roles_required
from shared.clock import business_today
from shared.db import unit_of_work
from shared.i18n import Text

blp = ApiBlueprint(
    "reports",
    __name__,
    url_prefix="/api/v1/orders/reports",
    description="Relatórios de vendas (admin e staff): por período, agrupados por cliente, "
    "produto, fornecedor e status. Dias do calendário de Brasília.",
)


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
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.STAFF_ONLY)
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
        bring_rollups_up_to_date()
        report = period_report(db.session, window, list(dict.fromkeys(args["group_by"])))
        # Thousands of groups: written in their documented shape without a marshmallow pass,
        # which cost more than the queries (tests check both give the same JSON).
        body = ok(report, Text("Relatório do período gerado.", "Period report generated."))
        return current_app.json.response(body)


@blp.route("/performance")
class PerformanceReport(MethodView):
    @roles_required(Role.ADMIN, Role.STAFF)  # before the arguments: a client learns nothing
    @blp.arguments(PerformanceReportQuerySchema(), location="query")
    @blp.response(
        200,
        envelope(PerformanceReportSchema),
        example=ex.success(PERFORMANCE_REPORT, "Relatório de desempenho gerado."),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.STAFF_ONLY)
    def get(self, args: dict):
        """Relatório de desempenho

        `admin` e `staff`. Analisa `months` meses inteiros (1 a 24, padrão 3) terminando em
        `until` (AAAA-MM; padrão: o mês passado — um mês entra quando termina), pelas
        mesmas regras do relatório por período: vendas, sem excluídas; canceladas e
        devolvidas fora do volume.

        `overall`: pedidos, valor e ticket médio do período; `monthly` mês a mês com
        `growth_percent` (valor contra o mês anterior, o primeiro contra o mês antes do
        período; null se aquele foi 0) e `monthly_growth` (a média deles);
        `avg_approval_hours` (horas da criação à aprovação — `approved_at`, gravado junto
        com o histórico —, nas vendas aprovadas do período); `cancellation_rate`
        (canceladas ÷ todas as vendas do período × 100). `trends`: `trending_products` (até
        10 produtos cuja quantidade cresceu da primeira para a segunda metade do período,
        maior crescimento primeiro) e
        `most_active_clients` (até 10, mais pedidos primeiro). `include_details=true`
        acrescenta `by_client` com todos os clientes do período.

        `alerts` (de hoje, só os que têm itens; cada um com `type`, `description`,
        `recommendation`, `count` e até 100 `items`): `critical_stock` — disponível abaixo
        de 20% do ideal, segundo o serviço de estoque (se ele não responder, o alerta vem
        com `unavailable: true`); `products_without_orders` — produtos já pedidos e sem
        pedidos há 30 dias ou mais; `suppliers_without_orders` — idem, fornecedores, 60
        dias; `price_outliers` — linhas do período com preço mais de 50% acima ou abaixo da
        mediana do produto nos últimos 90 dias do período (com pelo menos 3 linhas).
        """
        today = business_today()
        last = (
            date.fromisoformat(args["until"] + "-01")
            if args["until"]
            else default_last_month(today)
        )
        bring_rollups_up_to_date()
        report = performance_report(
            db.session,
            MonthWindow(last, args["months"]),
            include_details=args["include_details"],
            stock=stock_catalogue(),
        )
        body = ok(report, Text("Relatório de desempenho gerado.", "Performance report generated."))
        return current_app.json.response(body)  # as the period report: no marshmallow pass


def bring_rollups_up_to_date() -> None:
    """Fold every committed change into the day rollups before reading them (its own
    transaction: a report never waits on another report's reading, only on a fold). The
    half-months are left to the order relay; the report reads their days meanwhile."""
    with unit_of_work(db.session):
        fold_report_changes(db.session.connection(), half_months=False)
