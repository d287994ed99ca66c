"""marshmallow schemas of the orders: what comes in (validated, 400 per field) and goes out."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from order_service.api.field_types import TEXT_MAX, Money, Trimmed, UtcDateTime
from order_service.api.order_item_schemas import OrderItemSchema, OrderLineSchema
from order_service.api.status_change_schemas import CancelReason, StatusChangeSchema, StatusNote
from order_service.domain.items import MAX_ITEMS_PER_ORDER
from order_service.domain.statuses import STATUS_NAMES, STOCK_STATUS_NAMES, OrderStatus
from order_service.orders.lists import ORDER_SORTS
from shared.api import Matches
from shared.i18n import FieldMessage, Text
from shared.pagination import PaginationQuerySchema


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


class OrderPeriodQuerySchema(PaginationQuerySchema):
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


class OrderQuerySchema(OrderPeriodQuerySchema):
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
