"""Suppliers: the companies products are bought from."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from shared.api import ApiBlueprint, EmptySchema, ErrorEnvelopeSchema, envelope, ok, ok_page
from shared.auth import Role, Scope, allow_services, current_principal, roles_required
from shared.errors import Forbidden
from shared.i18n import Text
from shared.pagination import Page
from stock_service import queries, services
from stock_service.api import examples as ex
from stock_service.api.supplier_schemas import (
    SupplierCreateSchema,
    SupplierQuerySchema,
    SupplierSchema,
    SupplierUpdateSchema,
)
from stock_service.models import db

blp = ApiBlueprint(
    "suppliers",
    __name__,
    url_prefix="/api/v1/suppliers",
    description="Fornecedores: CNPJ validado e único, contato (e-mail, WhatsApp), ativo/inativo.",
)


def _check_scope(supplier_id: uuid.UUID) -> None:
    """A supplier user sees only its own supplier record."""
    principal = current_principal()
    if principal.role == Role.SUPPLIER and principal.supplier_id != str(supplier_id):
        raise Forbidden()


@blp.route("")
class Suppliers(MethodView):
    @blp.arguments(SupplierQuerySchema, location="query")
    @blp.response(
        200,
        envelope(SupplierSchema, paginated=True),
        example=ex.success([ex.SUPPLIER], "Fornecedores encontrados.", meta=ex.META),
    )
    def get(self, args: dict):
        """Listar fornecedores

        Qualquer usuário autenticado. Fornecedores excluídos não aparecem. Filtros: `name`
        (parte do nome, sem diferenciar maiúsculas) e `active`. Ordenado por nome; paginado
        (`page`, `page_size` ≤ 100). Um usuário `supplier` vê só o próprio cadastro.
        """
        principal = current_principal()
        only_id = None
        if principal.role == Role.SUPPLIER:
            if not principal.supplier_id:
                return ok_page(
                    Page([], args["page"], args["page_size"], 0),
                    Text("Fornecedores encontrados.", "Suppliers found."),
                )
            only_id = uuid.UUID(principal.supplier_id)
        page = queries.list_suppliers(db.session, only_id=only_id, **args)
        return ok_page(page, Text("Fornecedores encontrados.", "Suppliers found."))

    @roles_required(Role.ADMIN, Role.STAFF)
    @blp.arguments(SupplierCreateSchema, example=ex.SUPPLIER_REQUEST)
    @blp.response(
        201, envelope(SupplierSchema), example=ex.success(ex.SUPPLIER, "Fornecedor cadastrado.")
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.DUPLICATE_CNPJ)
    def post(self, data: dict):
        """Cadastrar fornecedor

        `admin` e `staff`. O CNPJ (com ou sem pontuação) precisa ter dígitos verificadores
        válidos e é guardado só com dígitos; 409 se outro fornecedor (não excluído) já o
        usa. O WhatsApp precisa de DDD (10 ou 11 dígitos, com ou sem o 55 do país).
        """
        supplier = services.create_supplier(db.session, data=data)
        return ok(supplier, Text("Fornecedor cadastrado.", "Supplier created."))


@blp.route("/<uuid:supplier_id>")
class SupplierById(MethodView):
    @allow_services(Scope.SUPPLIERS_READ)
    @blp.response(
        200, envelope(SupplierSchema), example=ex.success(ex.SUPPLIER, "Fornecedor encontrado.")
    )
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.SUPPLIER_NOT_FOUND)
    def get(self, supplier_id: uuid.UUID):
        """Ver fornecedor

        Qualquer usuário autenticado; um usuário `supplier` só o próprio (403 para outro);
        um token de serviço só com o escopo `suppliers:read` (o serviço de pedidos, que
        nomeia o fornecedor nas suas listas). 404 se não existe ou foi excluído.
        """
        _check_scope(supplier_id)
        supplier = queries.get_supplier(db.session, supplier_id)
        return ok(supplier, Text("Fornecedor encontrado.", "Supplier found."))

    @roles_required(Role.ADMIN, Role.STAFF)
    @blp.arguments(SupplierUpdateSchema(partial=True), example=ex.SUPPLIER_UPDATE_REQUEST)
    @blp.response(
        200, envelope(SupplierSchema), example=ex.success(ex.SUPPLIER, "Fornecedor atualizado.")
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.SUPPLIER_NOT_FOUND)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=ex.DUPLICATE_CNPJ)
    def put(self, changes: dict, supplier_id: uuid.UUID):
        """Alterar fornecedor

        `admin` e `staff`. Envie só os campos que mudam; as regras são as do cadastro.
        Desativar (`active: false`) mantém o fornecedor visível, mas a reposição automática
        deixa de gerar pedidos para ele.
        """
        supplier = services.update_supplier(db.session, supplier_id, changes=changes)
        return ok(supplier, Text("Fornecedor atualizado.", "Supplier updated."))

    @roles_required(Role.ADMIN)
    @blp.response(200, envelope(EmptySchema), example=ex.success(None, "Fornecedor excluído."))
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.FORBIDDEN)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=ex.SUPPLIER_NOT_FOUND)
    def delete(self, supplier_id: uuid.UUID):
        """Excluir fornecedor

        Só `admin`. Exclusão lógica: o fornecedor some das listas e leituras (404 depois),
        mas produtos e pedidos continuam apontando para ele; seu CNPJ pode ser cadastrado
        de novo.
        """
        services.delete_supplier(db.session, supplier_id)
        return ok(None, Text("Fornecedor excluído.", "Supplier deleted."))
