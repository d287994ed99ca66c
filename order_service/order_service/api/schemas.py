"""marshmallow schemas of the order API: what comes in (validated, 400 per field) and goes out."""

from __future__ import annotations

import numbers
from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from order_service.domain.items import MAX_ITEMS_PER_ORDER, MAX_QUANTITY
from order_service.domain.statuses import STATUS_NAMES, STOCK_STATUS_NAMES, OrderStatus
from order_service.orders.lists import ORDER_SORTS
from shared.api import Matches
from shared.documents import only_digits, validate_cpf_or_cnpj
from shared.i18n import FieldMessage, Text
from shared.pagination import PageMetaSchema, PaginationQuerySchema

TEXT_MAX = 2000

# -- fields -----------------------------------------------------------------------------


class Trimmed(fields.String):
    """A string without surrounding blanks."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Digits(fields.String):
    """A document or phone typed with or without punctuation, kept as its digits."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return only_digits(super()._deserialize(value, attr, data, **kwargs))


class LowerEmail(fields.Email):
    """An email address, trimmed and lower-cased (emails are unique without regard to case)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            value = value.strip()
        return super()._deserialize(value, attr, data, **kwargs).lower()


class WholeNumber(fields.Integer):
    """A JSON integer: "3", 2.5 and true are refused instead of becoming 3, 2 or 1."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class UtcDateTime(fields.DateTime):
    """Timestamps always go out in UTC."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def Money(**kwargs: Any) -> fields.Decimal:  # noqa: N802 - reads as a field type
    """Money out: a JSON number with two decimals (the app's JSON provider keeps the digits)."""
    return fields.Decimal(as_string=False, places=2, **kwargs)


def _not_blank(value: str) -> None:
    if not value:
        raise ValidationError(FieldMessage(Text("Não pode ficar em branco.", "Must not be blank.")))


def _valid_phone(value: str) -> None:
    if not 10 <= len(value) <= 13:
        raise ValidationError(
            FieldMessage(
                Text(
                    "Informe o telefone (WhatsApp) com DDD: de 10 a 13 dígitos.",
                    "Give the (WhatsApp) phone with its area code: 10 to 13 digits.",
                )
            )
        )


# -- clients ----------------------------------------------------------------------------


class ClientSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    email = fields.String()
    document = fields.String(metadata={"description": "CPF (11) ou CNPJ (14), só dígitos."})
    phone = fields.String(allow_none=True, metadata={"description": "WhatsApp, só dígitos."})
    address = fields.String(allow_none=True)
    notify_whatsapp = fields.Boolean(
        metadata={"description": "false: não recebe notificações por WhatsApp."}
    )
    user_id = fields.UUID(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class ClientCreateSchema(Schema):
    name = Trimmed(required=True, validate=[_not_blank, validate.Length(max=200)])
    email = LowerEmail(required=True, validate=validate.Length(max=254))
    document = Digits(
        required=True,
        validate=validate_cpf_or_cnpj,
        metadata={
            "description": "CPF ou CNPJ com dígitos verificadores válidos; pontuação opcional."
        },
    )
    phone = Digits(
        load_default=None,
        allow_none=True,
        validate=_valid_phone,
        metadata={"description": "WhatsApp com DDD (pontuação opcional)."},
    )
    address = Trimmed(load_default=None, allow_none=True, validate=validate.Length(max=500))
    notify_whatsapp = fields.Boolean(
        load_default=True,
        metadata={"description": "false: o cliente não quer notificações por WhatsApp."},
    )
    user_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "Só o serviço de autenticação (papel service), no cadastro."},
    )


class ClientUpdateSchema(Schema):
    name = Trimmed(validate=[_not_blank, validate.Length(max=200)])
    email = LowerEmail(validate=validate.Length(max=254))
    document = Digits(validate=validate_cpf_or_cnpj)
    phone = Digits(allow_none=True, validate=_valid_phone)
    address = Trimmed(allow_none=True, validate=validate.Length(max=500))
    notify_whatsapp = fields.Boolean()

    @validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ValidationError(
                FieldMessage(
                    Text(
                        "Informe ao menos um campo para alterar.",
                        "Give at least one field to change.",
                    )
                )
            )


class ClientQuerySchema(PaginationQuerySchema):
    name = fields.String(metadata={"description": "Parte do nome, sem diferenciar maiúsculas."})
    email = fields.String(metadata={"description": "Parte do e-mail."})
    document = Digits(metadata={"description": "Início do CPF/CNPJ (só dígitos contam)."})


# -- orders: what comes in --------------------------------------------------------------


class OrderLineSchema(Schema):
    product_id = fields.UUID(required=True)
    quantity = WholeNumber(required=True, validate=validate.Range(min=1, max=MAX_QUANTITY))


class OrderCreateSchema(Schema):
    client_id = fields.UUID(
        load_default=None,
        metadata={"description": "Obrigatório para admin/staff; um cliente pede para si."},
    )
    items = fields.List(
        fields.Nested(OrderLineSchema),
        required=True,
        validate=validate.Length(
            min=1,
            max=MAX_ITEMS_PER_ORDER,
            error=f"Informe de 1 a {MAX_ITEMS_PER_ORDER} itens.",
        ),
    )
    notes = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=TEXT_MAX)
    )
    desired_delivery_date = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def _each_product_once(self, data: dict[str, Any], **kwargs: Any) -> None:
        seen = set()
        errors: dict[str, Any] = {}
        for index, line in enumerate(data.get("items") or []):
            if line["product_id"] in seen:
                errors[index] = {
                    "product_id": [
                        "Produto repetido no pedido: junte as quantidades em um só item."
                    ]
                }
            seen.add(line["product_id"])
        if errors:
            raise ValidationError({"items": errors})


class IdempotencyHeaderSchema(Schema):
    idempotency_key = fields.String(
        data_key="Idempotency-Key",
        load_default=None,
        validate=Matches(
            r"^[\x21-\x7e]{1,200}$",
            Text(
                "Use de 1 a 200 caracteres ASCII visíveis (por exemplo um UUID).",
                "Use 1 to 200 visible ASCII characters (a UUID, for example).",
            ),
        ),
        metadata={
            "description": "Opcional. A mesma chave com o mesmo corpo repete a primeira "
            "resposta (nunca um segundo pedido); com outro corpo, 409."
        },
    )


def StatusNote() -> fields.String:  # noqa: N802 - reads as a field type
    """The note of a status change (goes into the order's history)."""
    return fields.String(
        allow_none=True,
        validate=validate.Length(max=TEXT_MAX),
        metadata={"description": "Observação da mudança de status (vai para o histórico)."},
    )


def CancelReason() -> fields.String:  # noqa: N802 - reads as a field type
    """Why an order is cancelled (kept on the order); only with the cancelled status."""
    return fields.String(
        allow_none=True,
        validate=validate.Length(max=TEXT_MAX),
        metadata={"description": "Motivo do cancelamento (só com o status cancelled)."},
    )


class OrderUpdateSchema(Schema):
    notes = fields.String(allow_none=True, validate=validate.Length(max=TEXT_MAX))
    desired_delivery_date = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(STATUS_NAMES))
    note = StatusNote()
    cancel_reason = CancelReason()

    @validates_schema
    def _coherent(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not ({"notes", "desired_delivery_date", "status"} & set(data)):
            raise ValidationError(
                FieldMessage(
                    Text(
                        "Informe notes, desired_delivery_date ou status.",
                        "Give notes, desired_delivery_date or status.",
                    )
                ),
                field_name="_schema",
            )
        if data.get("cancel_reason") and data.get("status") != OrderStatus.CANCELLED:
            raise ValidationError(
                FieldMessage(
                    Text(
                        "cancel_reason só acompanha status cancelled.",
                        "cancel_reason only goes with status cancelled.",
                    )
                ),
                field_name="cancel_reason",
            )
        if data.get("note") and not data.get("status"):
            raise ValidationError(
                FieldMessage(
                    Text(
                        "note é a observação de uma mudança de status: envie status junto.",
                        "note is the remark of a status change: send status with it.",
                    )
                ),
                field_name="note",
            )


class OrderItemCreateSchema(OrderLineSchema):
    pass


class OrderItemQuantitySchema(Schema):
    quantity = WholeNumber(required=True, validate=validate.Range(min=1, max=MAX_QUANTITY))


class _PeriodQuery(PaginationQuerySchema):
    date_from = fields.Date(metadata={"description": "AAAA-MM-DD, dia de criação (Brasília)."})
    date_to = fields.Date(metadata={"description": "AAAA-MM-DD, inclusivo."})
    status = fields.String(validate=validate.OneOf(STATUS_NAMES))

    @validates_schema
    def _ordered_period(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(
                FieldMessage(
                    Text(
                        "date_from não pode ser depois de date_to.",
                        "date_from cannot be after date_to.",
                    )
                ),
                field_name="date_from",
            )


class OrderQuerySchema(_PeriodQuery):
    section = Trimmed(metadata={"description": "Pedidos com algum item desta seção."})
    id = fields.UUID(metadata={"description": "Um pedido pelo id."})
    client_id = fields.UUID()
    product_id = fields.UUID(metadata={"description": "Pedidos com este produto."})
    supplier_id = fields.UUID(
        metadata={"description": "Pedidos com produtos deste fornecedor ou endereçados a ele."}
    )
    stock_status = fields.String(validate=validate.OneOf(STOCK_STATUS_NAMES))
    with_details = fields.Boolean(
        load_default=False,
        metadata={"description": "true: nomes do cliente, dos produtos e dos fornecedores."},
    )
    sort = fields.String(
        load_default="-created_at",
        validate=validate.OneOf(ORDER_SORTS),
        metadata={"description": "created_at, number ou total; prefixo - para decrescente."},
    )


class ClientOrdersQuerySchema(_PeriodQuery):
    summary = fields.Boolean(
        load_default=False,
        metadata={"description": "true: inclui o resumo (totais, por status, produto top)."},
    )


class SupplierOrdersQuerySchema(_PeriodQuery):
    pass


# -- orders: what goes out --------------------------------------------------------------


class SupplierBlockSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    cnpj = fields.String(allow_none=True, metadata={"description": "Somente dígitos."})
    whatsapp = fields.String(allow_none=True, metadata={"description": "Somente dígitos."})
    email = fields.String(allow_none=True)
    known = fields.Boolean(
        metadata={"description": "false: o estoque não conhece mais o fornecedor (só o nome)."}
    )


class OrderItemSchema(Schema):
    id = fields.UUID()
    product_id = fields.UUID()
    product_name = fields.String()
    unit = fields.String()
    section = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    supplier_id = fields.UUID(allow_none=True)
    supplier_name = fields.String(allow_none=True)
    quantity = fields.Integer()
    unit_price = Money(metadata={"description": "Preço unitário capturado na criação."})
    line_total = Money(metadata={"description": "quantity × unit_price."})
    supplier = fields.Nested(
        SupplierBlockSchema,
        allow_none=True,
        metadata={"description": "Só com with_details=true: o fornecedor e seus contatos."},
    )


class OrderDetailQuerySchema(Schema):
    with_details = fields.Boolean(
        load_default=False,
        metadata={"description": "true: o bloco do fornecedor (CNPJ, WhatsApp, e-mail) por item."},
    )


class ShortageSchema(Schema):
    product_id = fields.UUID()
    product_name = fields.String()
    requested = fields.Integer()
    available = fields.Integer()


class StatusChangeSchema(Schema):
    from_ = fields.String(data_key="from", attribute="from", allow_none=True)
    to = fields.String()
    at = UtcDateTime()
    by = fields.String()
    by_role = fields.String()
    note = fields.String(allow_none=True)


class ClientBriefSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    email = fields.String()
    document = fields.String()
    phone = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    deleted = fields.Boolean()


class OrderSummarySchema(Schema):
    id = fields.UUID()
    number = fields.Integer()
    type = fields.String()
    client_id = fields.UUID(allow_none=True)
    client_name = fields.String(allow_none=True, metadata={"description": "Com with_details."})
    supplier_id = fields.UUID(allow_none=True)
    status = fields.String()
    stock_status = fields.String()
    order_version = fields.Integer()
    total = Money()
    item_count = fields.Integer()
    notes = fields.String(allow_none=True)
    desired_delivery_date = fields.Date(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    created_by = fields.String()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    approved_at = UtcDateTime(allow_none=True)
    items = fields.List(fields.Nested(OrderItemSchema))


class OrderDetailSchema(OrderSummarySchema):
    client = fields.Nested(ClientBriefSchema, allow_none=True)
    shortages = fields.List(
        fields.Nested(ShortageSchema),
        metadata={"description": "Faltas da última recusa do estoque (stock_status rejected)."},
    )
    status_history = fields.List(fields.Nested(StatusChangeSchema))
    allowed_transitions = fields.List(
        fields.String(validate=validate.OneOf(STATUS_NAMES)),
        metadata={
            "description": "Os status para os quais quem pergunta pode mover o pedido agora "
            "(pelo ciclo de vida, pelo seu papel e, para aprovar, com o estoque reservado)."
        },
    )


class ListMetaSchema(PageMetaSchema):
    total_exact = fields.Boolean(
        metadata={"description": "false: acima de 1.000, o total é uma estimativa do banco."}
    )


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


def listed(schema: type[Schema], *, many: bool) -> type[Schema]:
    """An envelope {status, message, data, meta} whose meta says whether the total is exact."""
    name = schema.__name__.removesuffix("Schema") + ("Page" if many else "") + "EnvelopeSchema"
    return type(
        name,
        (Schema,),
        {
            "status": fields.String(metadata={"example": "success"}),
            "message": fields.String(),
            "data": fields.Nested(schema, many=many),
            "meta": fields.Nested(ListMetaSchema),
        },
    )
