"""Orders: placing them, their lifecycle, their items, and the lists people work from."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from flask import Response, current_app
from flask.views import MethodView

from order_service.api import current_actor, request_id, stock_catalogue
from order_service.api import examples as ex
from order_service.api.order_item_schemas import (
    OrderItemCreateSchema,
    OrderItemQuantitySchema,
    OrderItemSchema,
)
from order_service.api.order_schemas import (
    IdempotencyHeaderSchema,
    OrderCreateSchema,
    OrderDetailQuerySchema,
    OrderDetailSchema,
    OrderQuerySchema,
    OrderSummarySchema,
    OrderUpdateSchema,
)
from order_service.api.page_schemas import listed
from order_service.domain.lifecycle import allowed_transitions
from order_service.domain.statuses import facts_of
from order_service.models import db
from order_service.orders.criteria import OrderFilters
from order_service.orders.idempotency import IdempotencyRequest
from order_service.orders.items import add_order_item, change_item_quantity, remove_order_item
from order_service.orders.lifecycle import delete_order, update_order
from order_service.orders.lists import list_orders
from order_service.orders.placement import NewOrder, place_order
from order_service.orders.views import get_order, list_order_items, order_detail
from order_service.supplier_details import add_supplier_blocks
from shared.api import ApiBlueprint, EmptySchema, ErrorEnvelopeSchema, envelope, ok
from shared.i18n import Text

# @blp.arguments take schema instances: given a class, webargs builds (and deep-copies
# the fields of) a new instance on every request.
blp = ApiBlueprint(
    "orders",
    __name__,
    url_prefix="/api/v1/orders",
    description="Pedidos: criação com verificação de estoque, ciclo de vida dos status, itens "
    "(enquanto pendente), listas com filtros. A reserva de estoque acontece em seguida, "
    "por eventos (`stock_status`).",
)

ORDER_FOUND = Text("Pedido encontrado.", "Order found.")
ORDER_CREATED = Text("Pedido criado.", "Order created.")
IDEMPOTENT_REPLAY_HEADER = "Idempotent-Replayed"


def _fingerprint(data: dict[str, Any]) -> str:
    """SHA-256 of the body as understood: key order, spacing and UUID case do not matter."""
    canonical = {
        "client_id": str(data["client_id"]) if data.get("client_id") else None,
        "items": [
            {"product_id": str(line["product_id"]), "quantity": line["quantity"]}
            for line in data["items"]
        ],
        "notes": data.get("notes"),
        "desired_delivery_date": (
            data["desired_delivery_date"].isoformat() if data.get("desired_delivery_date") else None
        ),
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


# Built once: a Schema instance deep-copies its fields (and its nested schemas') on creation.
_ORDER_CREATED_SCHEMA = envelope(OrderDetailSchema)()


def _created_body(new: NewOrder) -> str:
    """The 201 body for a new order, exactly as sent (and as a repeated key replays it).

    Rendered from the values place_order just wrote: they are what a read would return.
    """
    detail = order_detail(
        new.order,
        new.items,
        client=new.client,
        history=new.history,
        shortages=None,
        allowed=allowed_transitions(current_actor(), facts_of(new.order, new.items)),
    )
    # Already in the documented shape (views.py): written without a marshmallow pass, a
    # tenth of an order worker's CPU (test_the_201_body_is_the_order_as_get_shows_it).
    return current_app.json.dumps(ok(detail, ORDER_CREATED))


def _stored_order_body(order_id: uuid.UUID) -> str:
    """The 201 body read back, for a replayed key whose response was not stored."""
    order = get_order(db.session, current_actor(), order_id)
    return current_app.json.dumps(_ORDER_CREATED_SCHEMA.dump(ok(order, ORDER_CREATED)))


@blp.route("")
class Orders(MethodView):
    @blp.arguments(OrderQuerySchema(), location="query")
    @blp.response(
        200,
        listed(OrderSummarySchema, many=True),
        example=ex.success([ex.ORDER_SUMMARY], "Pedidos encontrados.", meta=ex.META),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    def get(self, args: dict):
        """Listar pedidos

        `admin` e `staff` veem todos; um `client`, só os do seu cliente (filtrar por outro
        `client_id`: 403); um `supplier`, só os que têm produtos seus ou são endereçados a
        ele (outro `supplier_id`: 403). Pedidos excluídos não aparecem.

        Filtros (combináveis): `date_from`/`date_to` (AAAA-MM-DD, dia de criação no horário
        de Brasília, inclusivos; date_from depois de date_to é 400), `status`,
        `stock_status`, `id`, `client_id`, `product_id`, `section` (algum item da seção,
        sem diferenciar maiúsculas), `supplier_id` (algum item do fornecedor, ou endereçado
        a ele). Nomes de status desconhecidos são 400. `with_details=true` acrescenta o
        nome do cliente e, em cada item, produto, unidade, seção e fornecedor.
        Ordenação `sort`: `-created_at` (padrão, mais novos primeiro), `created_at`,
        `number`, `total` (com `-` para inverter). Paginado (`page_size` ≤ 100); `meta.total`
        é exato até 1.000 pedidos e, acima disso, uma estimativa (`meta.total_exact`
        false).
        """
        page_number, page_size = args.pop("page"), args.pop("page_size")
        sort, with_details = args.pop("sort"), args.pop("with_details")
        page = list_orders(
            db.session,
            current_actor(),
            OrderFilters(**args),
            page=page_number,
            page_size=page_size,
            sort=sort,
            with_details=with_details,
        )
        body = ok(page.items, Text("Pedidos encontrados.", "Orders found."), meta=page.meta)
        # The busiest read of the system: its rows are already in the documented shape, so
        # they are written without a marshmallow pass (tests check both give the same JSON).
        return current_app.json.response(body)

    @blp.arguments(OrderCreateSchema(), example=ex.ORDER_REQUEST)
    @blp.arguments(IdempotencyHeaderSchema(), location="headers")
    @blp.response(201, envelope(OrderDetailSchema), example=ex.success(ex.ORDER, "Pedido criado."))
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.UNKNOWN_PRODUCT)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.CLIENT_NOT_FOUND)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.INSUFFICIENT_STOCK)
    @blp.alt_response(503, schema=ErrorEnvelopeSchema, example=ex.STOCK_UNAVAILABLE)
    def post(self, data: dict, headers: dict):
        """Fazer um pedido

        `admin` e `staff` (informam `client_id`) e `client` (para o próprio cliente: outro
        `client_id` é 403). `items`: de 1 a 200, cada `{product_id, quantity}` com
        quantidade inteira maior que zero e cada produto uma vez só (400 por campo, por
        exemplo `items.0.quantity`). `desired_delivery_date` não pode estar no passado.

        A disponibilidade é verificada na hora, antes de gravar qualquer coisa, na cópia do
        catálogo que o serviço de pedidos mantém a partir dos eventos do estoque (sem
        chamada de rede; uma queda de estoque chega à cópia em 1–2 s, uma entrada na hora):
        estoque insuficiente é 409 com as faltas em `data.shortages`; cliente inexistente
        404; produto inexistente, excluído ou inativo 400 (no campo do item); 503 só se o
        produto ainda não está na cópia e o serviço de estoque está fora do ar. Quem decide
        é a reserva: um pedido aceito com a cópia atrasada pode terminar `rejected`, nunca
        vendido sem estoque. Senão o pedido nasce `pending` com
        `stock_status: awaiting` (201) e o evento `order.created` pede a reserva; a resposta
        do estoque muda `stock_status` para `reserved` ou `rejected` em seguida.
        Cada item guarda nome, unidade, preço, seção, categoria e fornecedor do produto
        naquele momento: mudanças de preço não alteram o pedido. `total` = Σ quantidade ×
        preço unitário. `number` é sequencial e legível.

        Cabeçalho opcional `Idempotency-Key` (por usuário): repetir a mesma chave com o
        mesmo corpo devolve a primeira resposta, idêntica (cabeçalho
        `Idempotent-Replayed: true`), nunca um segundo pedido, mesmo com as duas
        requisições ao mesmo tempo; a mesma chave com outro corpo é 409. Respostas de erro
        não ficam guardadas: depois de um 409 de estoque ou 503, a mesma chave tenta de novo.
        """
        key = headers.get("idempotency_key")
        placed = place_order(
            session=db.session,
            actor=current_actor(),
            data=data,
            stock=stock_catalogue(),
            request_id=request_id(),
            idempotency=IdempotencyRequest(key, _fingerprint(data)) if key else None,
            render=_created_body,
        )
        body = placed.body if placed.body is not None else _stored_order_body(placed.order_id)
        response = Response(body, status=placed.status_code, mimetype="application/json")
        response.headers["Location"] = f"{blp.url_prefix}/{placed.order_id}"
        if placed.replayed:
            response.headers[IDEMPOTENT_REPLAY_HEADER] = "true"
        return response


@blp.route("/<uuid:order_id>")
class OrderById(MethodView):
    @blp.arguments(OrderDetailQuerySchema(), location="query")
    @blp.response(
        200, envelope(OrderDetailSchema), example=ex.success(ex.ORDER, "Pedido encontrado.")
    )
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.ORDER_NOT_FOUND)
    @blp.alt_response(503, schema=ErrorEnvelopeSchema, example=ex.STOCK_UNAVAILABLE)
    def get(self, args: dict, order_id: uuid.UUID):
        """Ver um pedido

        Quem pode ver (como na lista): `admin`/`staff`; o cliente dono; o fornecedor com
        produtos no pedido ou a quem ele é endereçado. Fora do seu escopo: 403;
        inexistente ou excluído: 404. Traz os itens (produto, unidade, preço unitário,
        total da linha), o total, o cliente, `status_history` (de, para, quando, quem,
        papel, observação), `stock_status` e, se o estoque recusou, `shortages`.

        `with_details=true` acrescenta a cada item o bloco `supplier` (nome, CNPJ, WhatsApp e
        e-mail, do cadastro do serviço de estoque; `null` sem fornecedor; só o nome
        registrado no item e `known: false` se o estoque não conhece mais o fornecedor). O
        estoque fora do ar com `with_details=true`: 503.
        """
        order = get_order(db.session, current_actor(), order_id)
        if args["with_details"]:
            order = add_supplier_blocks(order, stock_catalogue())
        return ok(order, ORDER_FOUND)

    @blp.arguments(OrderUpdateSchema(), example=ex.ORDER_UPDATE_REQUEST)
    @blp.response(
        200,
        envelope(OrderDetailSchema),
        example=ex.success(ex.ORDER_APPROVED, "Pedido atualizado."),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.ORDER_NOT_FOUND)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.ILLEGAL_TRANSITION)
    def put(self, data: dict, order_id: uuid.UUID):
        """Alterar um pedido ou mudar o seu status

        `notes` e `desired_delivery_date`: `admin`/`staff` a qualquer momento; o cliente
        dono só enquanto o pedido está `pending` (depois: 409).

        `status` muda o pedido no ciclo de vida: pending → approved → processing → shipped
        → delivered; cancelled a partir de pending, approved ou processing; returned a
        partir de shipped ou delivered. Qualquer outra mudança é 409 com as permitidas em
        `data.allowed` e na mensagem. `approved` exige `stock_status: reserved` (awaiting
        ou rejected: 409). Quem: aprovar e cancelar — `admin`, `staff` (o cliente pode
        cancelar o próprio pedido enquanto `pending`); processing/shipped/delivered —
        `admin`, `staff` e o fornecedor nos pedidos de reposição endereçados a ele;
        returned — `admin`, `staff`. Sem permissão: 403. `note` vai para o histórico;
        `cancel_reason` (só com cancelled) fica no pedido. Cada mudança entra em
        `status_history` e publica `order.status_changed` (o estoque libera a reserva ao
        cancelar, baixa ao enviar, repõe na devolução).
        """
        order = update_order(
            session=db.session,
            actor=current_actor(),
            order_id=order_id,
            changes=data,
            request_id=request_id(),
        )
        return ok(
            get_order(db.session, current_actor(), order.id),
            Text("Pedido atualizado.", "Order updated."),
        )

    @blp.response(200, envelope(EmptySchema), example=ex.success(None, "Pedido excluído."))
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.ORDER_NOT_FOUND)
    def delete(self, order_id: uuid.UUID):
        """Excluir um pedido

        `admin` e `staff` (cliente e fornecedor: 403). Exclusão lógica: o pedido some das
        listas, dos resumos e dos relatórios (e passa a responder 404), e o evento
        `order.status_changed` com `deleted: true` faz o estoque liberar a reserva que ele
        ainda tiver.
        """
        delete_order(
            session=db.session, actor=current_actor(), order_id=order_id, request_id=request_id()
        )
        return ok(None, Text("Pedido excluído.", "Order deleted."))


@blp.route("/<uuid:order_id>/items")
class OrderItems(MethodView):
    @blp.response(
        200, envelope(OrderItemSchema, many=True), example=ex.success([ex.ITEM], "Itens do pedido.")
    )
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.ORDER_NOT_FOUND)
    def get(self, order_id: uuid.UUID):
        """Itens de um pedido

        Quem pode ver o pedido. Cada item com produto, unidade, seção, fornecedor,
        quantidade, preço unitário capturado e total da linha.
        """
        items = list_order_items(db.session, current_actor(), order_id)
        return ok(items, Text("Itens do pedido.", "Order items."))

    @blp.arguments(OrderItemCreateSchema(), example=ex.ITEM_REQUEST)
    @blp.response(
        201, envelope(OrderDetailSchema), example=ex.success(ex.ORDER, "Item adicionado.")
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.UNKNOWN_PRODUCT)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.ORDER_NOT_FOUND)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.NOT_PENDING)
    @blp.alt_response(503, schema=ErrorEnvelopeSchema, example=ex.STOCK_UNAVAILABLE)
    def post(self, data: dict, order_id: uuid.UUID):
        """Adicionar um item

        `admin`, `staff` e o cliente dono; só com o pedido `pending` (senão 409). Um
        produto que já está no pedido é 409 (remova e adicione com a nova quantidade).
        O produto é verificado no estoque como na criação (inexistente/inativo 400, falta
        409 com `data.shortages`). O pedido ganha uma nova `order_version`, o total é
        recalculado, `stock_status` volta a `awaiting` e `order.items_changed` pede a
        reserva da lista inteira outra vez (também tenta de novo um pedido recusado).
        Devolve o pedido completo.
        """
        add_order_item(
            session=db.session,
            actor=current_actor(),
            order_id=order_id,
            product_id=data["product_id"],
            quantity=data["quantity"],
            stock=stock_catalogue(),
            request_id=request_id(),
        )
        return ok(
            get_order(db.session, current_actor(), order_id),
            Text("Item adicionado.", "Item added."),
        )


@blp.route("/<uuid:order_id>/items/<uuid:item_id>")
class OrderItemById(MethodView):
    @blp.arguments(OrderItemQuantitySchema(), example={"quantity": 12})
    @blp.response(
        200, envelope(OrderDetailSchema), example=ex.success(ex.ORDER, "Quantidade alterada.")
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.ITEM_NOT_FOUND)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.INSUFFICIENT_STOCK)
    @blp.alt_response(503, schema=ErrorEnvelopeSchema, example=ex.STOCK_UNAVAILABLE)
    def patch(self, data: dict, order_id: uuid.UUID, item_id: uuid.UUID):
        """Mudar a quantidade de um item

        `admin`, `staff` e o cliente dono; só com o pedido `pending` (senão 409). O item
        mantém o preço que capturou. Para aumentar, o estoque é consultado antes: se o
        pedido já tem a reserva, só as unidades a mais precisam estar livres; se ainda
        espera (ou foi recusado), todas. Faltando: 409 `insufficient_stock` com a falta
        (`requested` = a nova quantidade, `available` = o que o pedido poderia ter) e nada
        muda. Mudou: nova `order_version`, total recalculado, `stock_status: awaiting` e
        `order.items_changed` com a lista nova — o estoque refaz a reserva (o razão mostra
        a liberação e a nova reserva). A mesma quantidade não muda nada. Devolve o pedido.
        """
        change_item_quantity(
            session=db.session,
            actor=current_actor(),
            order_id=order_id,
            item_id=item_id,
            quantity=data["quantity"],
            stock=stock_catalogue(),
            request_id=request_id(),
        )
        return ok(
            get_order(db.session, current_actor(), order_id),
            Text("Quantidade alterada.", "Quantity changed."),
        )

    @blp.response(200, envelope(OrderDetailSchema), example=ex.success(ex.ORDER, "Item removido."))
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.ITEM_NOT_FOUND)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.NOT_PENDING)
    def delete(self, order_id: uuid.UUID, item_id: uuid.UUID):
        """Remover um item

        `admin`, `staff` e o cliente dono; só com o pedido `pending` (senão 409). O último
        item não pode sair (409: cancele o pedido). Nova `order_version`, total
        recalculado, `stock_status: awaiting` e `order.items_changed` com a lista nova.
        Devolve o pedido completo.
        """
        remove_order_item(
            session=db.session,
            actor=current_actor(),
            order_id=order_id,
            item_id=item_id,
            request_id=request_id(),
        )
        return ok(
            get_order(db.session, current_actor(), order_id),
            Text("Item removido.", "Item removed."),
        )
