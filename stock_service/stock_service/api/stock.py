"""Stock levels, manual adjustments, the ledger, and the availability check for new orders."""

from __future__ import annotations

import uuid

from flask import current_app, g
from flask.views import MethodView

from shared.api import ApiBlueprint, ErrorEnvelopeSchema, envelope, ok, ok_page
from shared.auth import Role, Scope, allow_services, current_principal, roles_required
from shared.i18n import Text
from stock_service import queries, services
from stock_service.api import examples as ex
from stock_service.api.stock_schemas import (
    AdjustmentRequestSchema,
    AdjustmentSchema,
    AvailabilityRequestSchema,
    AvailabilitySchema,
    MovementQuerySchema,
    MovementSchema,
    StockLevelSchema,
    StockQuerySchema,
)
from stock_service.domain.stock import merge_lines
from stock_service.models import db

blp = ApiBlueprint(
    "stock",
    __name__,
    url_prefix="/api/v1/stock",
    description="Níveis de estoque (na prateleira, reservado, disponível), ajustes manuais, "
    "razão (ledger) de cada mudança e consulta de disponibilidade.",
)


@blp.route("")
class StockLevels(MethodView):
    @allow_services(Scope.STOCK_LEVELS)
    @blp.arguments(StockQuerySchema, location="query")
    @blp.response(
        200,
        envelope(StockLevelSchema, paginated=True),
        example=ex.success([ex.STOCK_LEVEL], "Estoque encontrado.", meta=ex.META),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    def get(self, args: dict):
        """Listar níveis de estoque

        Qualquer usuário autenticado; um token de serviço só com o escopo `stock:levels` (o
        relatório de desempenho do serviço de pedidos). Uma linha por produto não excluído,
        com o nome do produto, `on_hand`, `reserved`, `available` (= on_hand − reserved),
        `percent_of_ideal` e `low_stock` (abaixo do limite de estoque baixo desde a última
        travessia). Filtro `below_percent`: só produtos com quantidade ideal e `available <
        ideal_quantity × below_percent / 100` (ex.: `below_percent=20`). Também `section`,
        `supplier_id`, `active`. Ordenado por nome; paginado.
        """
        page = queries.list_stock_levels(db.session, **args)
        return ok_page(page, Text("Estoque encontrado.", "Stock found."))


@blp.route("/<uuid:product_id>")
class StockLevelById(MethodView):
    @blp.response(
        200, envelope(StockLevelSchema), example=ex.success(ex.STOCK_LEVEL, "Estoque encontrado.")
    )
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.PRODUCT_NOT_FOUND)
    def get(self, product_id: uuid.UUID):
        """Ver o estoque de um produto

        Qualquer usuário autenticado. 404 se o produto não existe ou foi excluído.
        """
        return ok(
            queries.get_stock_level(db.session, product_id),
            Text("Estoque encontrado.", "Stock found."),
        )


@blp.route("/<uuid:product_id>/adjustments")
class StockAdjustments(MethodView):
    @roles_required(Role.ADMIN, Role.STAFF)
    @blp.arguments(AdjustmentRequestSchema, example=ex.ADJUSTMENT_REQUEST)
    @blp.response(
        201, envelope(AdjustmentSchema), example=ex.success(ex.ADJUSTMENT, "Estoque ajustado.")
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.PRODUCT_NOT_FOUND)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.INSUFFICIENT_STOCK)
    def post(self, data: dict, product_id: uuid.UUID):
        """Ajustar o estoque à mão

        `admin` e `staff`. `delta` é a variação de `on_hand` (inteiro, diferente de zero);
        `reason`: `receipt` (entrada, positiva), `return` (devolução fora de pedido,
        positiva), `loss` (perda, negativa) ou `count` (correção por contagem, qualquer
        sinal); `note` opcional. Uma saída maior que o disponível (o que não está
        reservado) é recusada com 409 e nada muda; uma entrada que levaria o estoque acima
        de 1.000.000.000 unidades também (409 `stock_limit_exceeded`). Cada ajuste vira uma
        linha do razão com o motivo, a nota e quem o fez; pode disparar `stock.low`.
        """
        adjusted = services.adjust_stock(
            db.session,
            product_id,
            delta=data["delta"],
            reason=data["reason"],
            note=data.get("note"),
            actor=current_principal().subject,
            correlation_id=g.get("correlation_id"),
            low_stock_percent=current_app.config["SETTINGS"].low_stock_percent,
        )
        return ok(
            {"stock": adjusted.level, "movement": adjusted.movement},
            Text("Estoque ajustado.", "Stock adjusted."),
        )


@blp.route("/<uuid:product_id>/movements")
class StockMovements(MethodView):
    @blp.arguments(MovementQuerySchema, location="query")
    @blp.response(
        200,
        envelope(MovementSchema, paginated=True),
        example=ex.success([ex.MOVEMENT], "Movimentações encontradas.", meta=ex.META),
    )
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.PRODUCT_NOT_FOUND)
    def get(self, args: dict, product_id: uuid.UUID):
        """Ver o razão (movimentações) de um produto

        Qualquer usuário autenticado. Cada mudança de estoque, da mais nova para a mais
        antiga: variações de `on_hand` e `reserved`, valores depois da mudança, causa
        (`initial`, `receipt`, `loss`, `count`, `return`, `order_reserved`,
        `order_released`, `order_shipped`, `order_returned`, `replenishment_received`),
        pedido e evento que a causaram, nota e quem fez. Filtros `cause` e `order_id`;
        paginado. O razão só recebe linhas novas: nada é alterado nem apagado.
        """
        page = queries.list_movements(db.session, product_id, **args)
        return ok_page(page, Text("Movimentações encontradas.", "Movements found."))


@blp.route("/availability")
class StockAvailability(MethodView):
    @allow_services(Scope.STOCK_AVAILABILITY)
    @roles_required(Role.SERVICE, Role.ADMIN, Role.STAFF)
    # An instance, not the class: webargs would build a schema (and its nested ones) per call.
    @blp.arguments(AvailabilityRequestSchema(), example=ex.AVAILABILITY_REQUEST)
    @blp.response(
        200,
        envelope(AvailabilitySchema),
        example=ex.success(ex.AVAILABILITY, "Disponibilidade consultada."),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    def post(self, data: dict):
        """Consultar disponibilidade (sem reservar)

        Para o serviço de pedidos (papel `service` com o escopo `stock:availability`, token
        de client credentials); `admin` e `staff` também podem. Diz se todas as linhas
        poderiam ser reservadas agora, sem reservar nem bloquear nada: a reserva de verdade
        acontece depois, pelo evento `order.created`. Produtos repetidos têm as quantidades
        somadas. Produtos desconhecidos ou excluídos vão para `unknown_product_ids`; eles e
        os inativos são faltas com disponível 0. `products` descreve os conhecidos (nome,
        unidade, preço, seção, categoria, fornecedor, ativo, disponível) para o pedido
        registrar em seus itens.
        """
        requested = merge_lines((item["product_id"], item["quantity"]) for item in data["items"])
        availability = queries.check_availability(db.session, requested)
        return ok(availability, Text("Disponibilidade consultada.", "Availability checked."))
