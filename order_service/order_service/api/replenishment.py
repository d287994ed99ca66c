"""Automatic replenishment of products in low stock (admin and staff, SPEC §2)."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from order_service.api import current_actor, request_id, stock_catalogue
from order_service.api import examples as ex
from order_service.api.field_types import Money, Trimmed
from order_service.models import db
from order_service.replenishment import DEFAULT_THRESHOLD_PERCENT, ReplenishmentPlan, replenish
from shared.api import ApiBlueprint, ErrorEnvelopeSchema, envelope, ok
from shared.auth import Role, roles_required
from shared.i18n import Text

blp = ApiBlueprint(
    "replenishment",
    __name__,
    url_prefix="/api/v1/orders/auto",
    description="Automações: pedidos de reposição para produtos com estoque baixo.",
)


class LowStockRequestSchema(Schema):
    threshold_percent = fields.Integer(
        load_default=DEFAULT_THRESHOLD_PERCENT,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "Repõe produtos com disponível abaixo deste % do ideal."},
    )
    section = Trimmed(load_default=None, validate=validate.Length(min=1, max=100), allow_none=True)
    simulate = fields.Boolean(
        load_default=False, metadata={"description": "true: só calcula, não grava nada."}
    )


class PlannedLineSchema(Schema):
    product_id = fields.UUID()
    name = fields.String()
    available = fields.Integer()
    ideal_quantity = fields.Integer()
    quantity = fields.Integer(metadata={"description": "ideal_quantity − available"})
    unit_price = Money()
    line_total = Money()


class PlannedOrderSchema(Schema):
    order_id = fields.UUID(allow_none=True, metadata={"description": "null ao simular."})
    number = fields.Integer(allow_none=True)
    supplier_id = fields.UUID()
    supplier_name = fields.String()
    items = fields.List(fields.Nested(PlannedLineSchema))
    total = Money()


class OpenProductSchema(Schema):
    product_id = fields.UUID()
    name = fields.String()
    order_id = fields.UUID()
    number = fields.Integer()


class NotProcessedSchema(Schema):
    product_id = fields.UUID()
    name = fields.String()
    reason = fields.String()


class ReplenishmentSchema(Schema):
    simulated = fields.Boolean()
    threshold_percent = fields.Integer()
    section = fields.String(allow_none=True)
    total_analyzed = fields.Integer(metadata={"description": "Produtos ativos examinados."})
    low_stock_items = fields.Integer(metadata={"description": "Deles, abaixo do limite."})
    orders_created = fields.Integer(metadata={"description": "0 ao simular."})
    details = fields.List(
        fields.Nested(PlannedOrderSchema),
        metadata={"description": "Um pedido de reposição por fornecedor."},
    )
    already_on_open_orders = fields.List(fields.Nested(OpenProductSchema))
    not_processed = fields.List(fields.Nested(NotProcessedSchema))
    total_value = Money()


EXAMPLE = {
    "simulated": False,
    "threshold_percent": 20,
    "section": None,
    "total_analyzed": 120,
    "low_stock_items": 2,
    "orders_created": 1,
    "details": [
        {
            "order_id": ex.ORDER_ID,
            "number": 1200,
            "supplier_id": ex.SUPPLIER_ID,
            "supplier_name": "Boa Safra Alimentos LTDA",
            "items": [
                {
                    "product_id": ex.PRODUCT_ID,
                    "name": "Arroz branco tipo 1 (5 kg)",
                    "available": 12,
                    "ideal_quantity": 80,
                    "quantity": 68,
                    "unit_price": 27.90,
                    "line_total": 1897.20,
                }
            ],
            "total": 1897.20,
        }
    ],
    "already_on_open_orders": [],
    "not_processed": [
        {
            "product_id": ex.PRODUCT_2_ID,
            "name": "Sal refinado 1kg",
            "reason": "Produto sem fornecedor.",
        }
    ],
    "total_value": 1897.20,
}


def _view(plan: ReplenishmentPlan, args: dict) -> dict:
    return {
        "simulated": args["simulate"],
        "threshold_percent": args["threshold_percent"],
        "section": args["section"],
        "total_analyzed": plan.analyzed,
        "low_stock_items": plan.low_stock,
        "orders_created": 0 if args["simulate"] else len(plan.orders),
        "details": [
            {
                "order_id": planned.order_id,
                "number": planned.number,
                "supplier_id": planned.supplier.id,
                "supplier_name": planned.supplier.name,
                "items": [
                    {
                        "product_id": level.product_id,
                        "name": level.name,
                        "available": level.available,
                        "ideal_quantity": level.ideal_quantity,
                        "quantity": quantity,
                        "unit_price": level.price,
                        "line_total": level.price * quantity,
                    }
                    for level, quantity in planned.lines
                ],
                "total": planned.total,
            }
            for planned in plan.orders
        ],
        "already_on_open_orders": plan.already_open,
        "not_processed": plan.not_processed,
        "total_value": plan.total_value,
    }


@blp.route("/low-stock")
class LowStock(MethodView):
    @roles_required(Role.ADMIN, Role.STAFF)  # before the body: a client learns nothing
    @blp.arguments(LowStockRequestSchema(), example={"threshold_percent": 20, "simulate": True})
    @blp.response(
        201,
        envelope(ReplenishmentSchema),
        example=ex.success(EXAMPLE, "1 pedido de reposição criado."),
    )
    @blp.alt_response(
        200,
        schema=envelope(ReplenishmentSchema),
        example=ex.success(
            {**EXAMPLE, "simulated": True, "orders_created": 0},
            "Simulação: 1 pedido de reposição.",
        ),
        description="Simulação, ou nada a repor: nada foi gravado.",
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(
        403,
        schema=ErrorEnvelopeSchema,
        example=ex.STAFF_ONLY,
    )
    @blp.alt_response(503, schema=ErrorEnvelopeSchema, example=ex.STOCK_UNAVAILABLE)
    def post(self, args: dict):
        """Repor o estoque baixo automaticamente

        `admin` e `staff`. Produtos ativos com disponível abaixo de `threshold_percent`
        (1–100, padrão 20) % da quantidade ideal, segundo o serviço de estoque (opcional:
        só da `section`), ganham **um pedido de reposição por fornecedor** (`type:
        replenishment`, `pending`, endereçado ao fornecedor) com `ideal − disponível` de
        cada um, ao preço atual do produto. Um produto que já está num pedido de reposição
        aberto (pending, approved, processing ou shipped) vai para
        `already_on_open_orders` e não é pedido de novo — rodar todo dia não acumula
        duplicados. Produto sem fornecedor, ou com fornecedor inativo/excluído, vai para
        `not_processed` com o motivo. A resposta traz `total_analyzed` (produtos ativos
        examinados), `low_stock_items` (deles, abaixo do limite), `orders_created`,
        `details` (os pedidos, um por fornecedor), `total_value` e `simulated`.
        `simulate: true` devolve o mesmo plano (sem `order_id`) e não grava nada (200); com
        pedidos criados, 201. Quando o pedido é
        entregue (`delivered`), o estoque soma as quantidades ao `on_hand` (razão:
        `replenishment_received`). Estoque fora do ar: 503, nada gravado.
        """
        plan = replenish(
            session=db.session,
            actor=current_actor(),
            stock=stock_catalogue(),
            threshold_percent=args["threshold_percent"],
            section=args["section"],
            simulate=args["simulate"],
            request_id=request_id(),
        )
        count = len(plan.orders)
        if args["simulate"]:
            message = Text(
                f"Simulação: {count} pedido(s) de reposição.", f"Simulation: {count} order(s)."
            )
            return ok(_view(plan, args), message), 200
        message = Text(
            f"{count} pedido(s) de reposição criado(s).", f"{count} replenishment order(s) created."
        )
        return ok(_view(plan, args), message), 201 if count else 200
