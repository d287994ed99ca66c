"""Clients: the customers who order (shops' buyers, kitchens, schools)."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from order_service.api import current_actor
from order_service.api import examples as ex
from order_service.api.client_schemas import (
    ClientCreateSchema,
    ClientQuerySchema,
    ClientSchema,
    ClientUpdateSchema,
)
from order_service.api.page_schemas import listed
from order_service.api.party_order_schemas import ClientOrdersQuerySchema, ClientOrdersSchema
from order_service.clients.queries import client_orders, get_client, list_clients
from order_service.clients.records import create_client, delete_client, update_client
from order_service.models import db
from shared.api import ApiBlueprint, ErrorEnvelopeSchema, envelope, ok
from shared.auth import Scope, allow_services
from shared.i18n import Text

# @blp.arguments take schema instances: given a class, webargs builds (and deep-copies
# the fields of) a new instance on every request.
blp = ApiBlueprint(
    "clients",
    __name__,
    url_prefix="/api/v1/clients",
    description="Clientes: quem faz pedidos (lojas, cozinhas, escolas). E-mail e CPF/CNPJ "
    "únicos; excluir um cliente preserva o histórico dos seus pedidos.",
)

CLIENTS_FOUND = Text("Clientes encontrados.", "Clients found.")
CLIENT_FOUND = Text("Cliente encontrado.", "Client found.")


@blp.route("")
class Clients(MethodView):
    @blp.arguments(ClientQuerySchema(), location="query")
    @blp.response(
        200,
        listed(ClientSchema, many=True),
        example=ex.success([ex.CLIENT], "Clientes encontrados.", meta=ex.META),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.CLIENT_FORBIDDEN)
    def get(self, args: dict):
        """Listar clientes

        Qualquer usuário autenticado; um usuário `client` vê só o próprio cadastro.
        Clientes excluídos não aparecem. Filtros: `name` e `email` (parte do texto, sem
        diferenciar maiúsculas), `document` (início do CPF/CNPJ; pontuação ignorada).
        Ordenado por nome; paginado (`page`, `page_size` ≤ 100).
        """
        page = list_clients(db.session, current_actor(), **args)
        return ok(page.items, CLIENTS_FOUND, meta=page.meta)

    @allow_services(Scope.CLIENTS_REGISTER)
    @blp.arguments(ClientCreateSchema(), example=ex.CLIENT_REQUEST)
    @blp.response(201, envelope(ClientSchema), example=ex.success(ex.CLIENT, "Cliente cadastrado."))
    @blp.alt_response(
        200,
        schema=envelope(ClientSchema),
        example=ex.success(
            {**ex.CLIENT, "user_id": "0c9a3f57-1d2b-4f6e-8a10-77b2c4d5e6f7"},
            "Cliente já cadastrado.",
        ),
        description="Cadastro já existente "
        "devolvido ao serviço de autenticação (chamada repetida com o mesmo user_id).",
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.CLIENT_FORBIDDEN)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.DUPLICATE_CLIENT)
    def post(self, data: dict):
        """Cadastrar cliente

        `admin` e `staff`. Nome, e-mail e CPF ou CNPJ (dígitos verificadores válidos,
        pontuação opcional, guardado só com dígitos) são obrigatórios; telefone (WhatsApp,
        com DDD) e endereço, opcionais. E-mail (sem diferenciar maiúsculas) e documento são
        únicos entre os clientes não excluídos: 409 `duplicate` com o campo em `errors`.

        O serviço de autenticação (papel `service`) cria aqui o cliente de quem se cadastra,
        com `user_id`: repetir a chamada para o mesmo usuário devolve o mesmo cadastro
        (200); um cadastro de um cadastro anterior que não se concluiu (mesmo e-mail e
        documento, sem pedidos) é reaproveitado. Só o papel `service` envia `user_id`, e só
        com o escopo `clients:register` (o do serviço de autenticação); nenhum outro token
        de serviço chega a rota alguma deste serviço.
        """
        saved = create_client(session=db.session, actor=current_actor(), data=data)
        if saved.created:
            return ok(saved.client, Text("Cliente cadastrado.", "Client created."))
        return ok(saved.client, Text("Cliente já cadastrado.", "Client already exists.")), 200


@blp.route("/<uuid:client_id>")
class ClientById(MethodView):
    @blp.response(200, envelope(ClientSchema), example=ex.success(ex.CLIENT, "Cliente encontrado."))
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.CLIENT_FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.CLIENT_NOT_FOUND)
    def get(self, client_id: uuid.UUID):
        """Ver um cliente

        Qualquer usuário autenticado; um usuário `client` só o próprio cadastro (403 para
        outro). Excluído ou inexistente: 404.
        """
        return ok(get_client(db.session, current_actor(), client_id), CLIENT_FOUND)

    @blp.arguments(ClientUpdateSchema(), example=ex.CLIENT_UPDATE_REQUEST)
    @blp.response(200, envelope(ClientSchema), example=ex.success(ex.CLIENT, "Cliente atualizado."))
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.CLIENT_FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.CLIENT_NOT_FOUND)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.DUPLICATE_CLIENT)
    def put(self, data: dict, client_id: uuid.UUID):
        """Alterar um cliente

        `admin` e `staff`. Envie só os campos que mudam (nome, e-mail, documento, telefone,
        endereço), com as mesmas regras do cadastro; e-mail ou documento de outro cliente:
        409. Os pedidos já feitos não mudam (o nome mostrado nas listas é o atual).
        """
        client = update_client(
            session=db.session, actor=current_actor(), client_id=client_id, data=data
        )
        return ok(client, Text("Cliente atualizado.", "Client updated."))

    @blp.response(200, envelope(ClientSchema), example=ex.success(ex.CLIENT, "Cliente excluído."))
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.CLIENT_FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.CLIENT_NOT_FOUND)
    def delete(self, client_id: uuid.UUID):
        """Excluir um cliente

        Só `admin`. Exclusão lógica: o cliente some das listas e não pode mais fazer
        pedidos, mas os seus pedidos e o histórico deles continuam (em `GET /orders` e em
        `GET /clients/{id}/orders`). O e-mail e o documento ficam livres para um novo
        cadastro.
        """
        client = delete_client(session=db.session, actor=current_actor(), client_id=client_id)
        return ok(client, Text("Cliente excluído.", "Client deleted."))


@blp.route("/<uuid:client_id>/orders")
class ClientOrders(MethodView):
    @blp.arguments(ClientOrdersQuerySchema(), location="query")
    @blp.response(
        200,
        listed(ClientOrdersSchema, many=False),
        example=ex.success(ex.CLIENT_ORDERS, "Pedidos do cliente encontrados.", meta=ex.META),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.CLIENT_FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.CLIENT_NOT_FOUND)
    def get(self, args: dict, client_id: uuid.UUID):
        """Pedidos de um cliente (com resumo)

        `admin`, `staff` e o próprio cliente (outro cliente ou fornecedor: 403). Também para
        clientes excluídos (o histórico fica). Filtros `status`, `date_from`, `date_to`
        (AAAA-MM-DD, dia de criação no horário de Brasília; date_from depois de date_to é
        400). `orders` é uma página (com detalhes: nomes de produtos e fornecedores);
        `meta` pagina os pedidos. Com `summary=true` a resposta traz **só** o resumo de
        todos os pedidos do filtro (sem `orders` nem `meta`): `total_orders` e
        `total_value` (Σ dos totais) sem pedidos cancelados e devolvidos, `by_status` com
        todos os status (com zero, cancelados e devolvidos inclusive) e `top_product` (o
        produto em mais pedidos válidos; empate: maior quantidade) — as mesmas regras dos
        relatórios. Pedidos excluídos não contam.
        """
        data, meta = client_orders(db.session, current_actor(), client_id, **args)
        return ok(data, Text("Pedidos do cliente encontrados.", "Client orders found."), meta=meta)
