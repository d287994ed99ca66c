"""A supplier's orders (the supplier records themselves belong to the stock service)."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from order_service.api import current_actor, stock_catalogue
from order_service.api import examples as ex
from order_service.api.page_schemas import listed
from order_service.api.party_order_schemas import SupplierOrdersQuerySchema, SupplierOrdersSchema
from order_service.models import db
from order_service.supplier_orders import supplier_orders
from shared.api import ApiBlueprint, ErrorEnvelopeSchema, ok
from shared.i18n import Text

# @blp.arguments take schema instances: given a class, webargs builds (and deep-copies
# the fields of) a new instance on every request.
blp = ApiBlueprint(
    "supplier_orders",
    __name__,
    url_prefix="/api/v1/suppliers",
    description="Pedidos de um fornecedor: os que têm produtos dele ou são endereçados a ele.",
)


@blp.route("/<uuid:supplier_id>/orders")
class SupplierOrders(MethodView):
    @blp.arguments(SupplierOrdersQuerySchema(), location="query")
    @blp.response(
        200,
        listed(SupplierOrdersSchema, many=False),
        example=ex.success(ex.SUPPLIER_ORDERS, "Pedidos do fornecedor encontrados.", meta=ex.META),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.SUPPLIER_NOT_FOUND)
    def get(self, args: dict, supplier_id: uuid.UUID):
        """Pedidos de um fornecedor (com resumo)

        `admin`, `staff` e o próprio fornecedor (outro fornecedor ou cliente: 403). Um pedido
        é do fornecedor quando tem algum item de produto dele (o fornecedor gravado no item
        na criação) ou é um pedido de reposição endereçado a ele. Filtros `status`,
        `date_from`, `date_to` (AAAA-MM-DD, horário de Brasília). `orders` é uma página,
        com detalhes (nome do cliente, produtos); `summary` resume todos os pedidos do
        filtro: `total_orders`, `total_value` (Σ das linhas deste fornecedor),
        `clients_served` (clientes distintos) e `products_supplied` (produtos distintos).
        Um fornecedor sem nenhum pedido e desconhecido do estoque: 404.
        """
        data, meta = supplier_orders(
            db.session, current_actor(), supplier_id, stock=stock_catalogue(), **args
        )
        return ok(
            data, Text("Pedidos do fornecedor encontrados.", "Supplier orders found."), meta=meta
        )
