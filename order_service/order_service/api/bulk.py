"""Operations on many orders at once (admin and staff, SPEC §2)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from order_service.api import current_actor, request_id
from order_service.api import examples as ex
from order_service.api.field_types import Money
from order_service.api.status_change_schemas import CancelReason, StatusNote
from order_service.bulk_status import MAX_BULK_ORDERS, change_statuses
from order_service.domain.statuses import STATUS_NAMES, OrderStatus
from order_service.models import db
from shared.api import ApiBlueprint, ErrorEnvelopeSchema, envelope, ok
from shared.auth import Role, roles_required
from shared.i18n import FieldMessage, Text, localize

blp = ApiBlueprint(
    "bulk",
    __name__,
    url_prefix="/api/v1/orders",
    description="Operações em lote sobre pedidos (admin e staff).",
)


class BulkStatusRequestSchema(Schema):
    order_ids = fields.List(
        fields.UUID(),
        required=True,
        validate=validate.Length(
            min=1, max=MAX_BULK_ORDERS, error=f"Informe de 1 a {MAX_BULK_ORDERS} pedidos."
        ),
        metadata={"description": f"De 1 a {MAX_BULK_ORDERS} ids; repetidos contam uma vez."},
    )
    new_status = fields.String(required=True, validate=validate.OneOf(STATUS_NAMES))
    note = StatusNote()
    cancel_reason = CancelReason()

    @validates_schema
    def _coherent(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("cancel_reason") and data.get("new_status") != OrderStatus.CANCELLED:
            raise ValidationError(
                FieldMessage(
                    Text(
                        "cancel_reason só acompanha new_status cancelled.",
                        "cancel_reason only goes with new_status cancelled.",
                    )
                ),
                field_name="cancel_reason",
            )


class BulkMovedSchema(Schema):
    order_id = fields.UUID()
    number = fields.Integer()
    previous_status = fields.String()
    new_status = fields.String()
    total = Money()


class BulkFailedSchema(Schema):
    order_id = fields.UUID()
    number = fields.Integer()
    status = fields.String(metadata={"description": "O status em que o pedido ficou."})
    code = fields.String(metadata={"description": "illegal_transition, stock_not_reserved…"})
    reason = fields.String()


class BulkStatusResultSchema(Schema):
    updated = fields.Integer()
    not_found = fields.List(fields.UUID())
    details = fields.List(fields.Nested(BulkMovedSchema))
    failed = fields.List(fields.Nested(BulkFailedSchema))
    total_value_approved = Money(
        metadata={"description": "Σ dos totais dos pedidos que passaram a approved."}
    )


BULK_REQUEST = {
    "order_ids": [ex.ORDER_ID, "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"],
    "new_status": "approved",
    "note": "Aprovados na reunião de segunda.",
}
BULK_RESULT = {
    "updated": 1,
    "not_found": [],
    "details": [
        {
            "order_id": ex.ORDER_ID,
            "number": 1042,
            "previous_status": "pending",
            "new_status": "approved",
            "total": 120.73,
        }
    ],
    "failed": [
        {
            "order_id": "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d",
            "number": 1043,
            "status": "cancelled",
            "code": "illegal_transition",
            "reason": "Não é possível mudar de cancelled para approved. Permitidas: nenhuma.",
        }
    ],
    "total_value_approved": 120.73,
}
TOO_MANY = ex.failure(
    "Dados inválidos.",
    "validation_error",
    [{"field": "order_ids", "message": f"Informe de 1 a {MAX_BULK_ORDERS} pedidos."}],
)


@blp.route("/status")
class BulkStatus(MethodView):
    @roles_required(Role.ADMIN, Role.STAFF)  # before the body: a client learns nothing
    @blp.arguments(BulkStatusRequestSchema(), example=BULK_REQUEST)
    @blp.response(
        200,
        envelope(BulkStatusResultSchema),
        example=ex.success(BULK_RESULT, "1 de 2 pedidos alterados."),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=TOO_MANY)
    @blp.alt_response(
        403,
        schema=ErrorEnvelopeSchema,
        example=ex.STAFF_ONLY,
    )
    def put(self, data: dict):
        """Mudar o status de vários pedidos

        `admin` e `staff`. Cada pedido passa pelas mesmas regras de `PUT /orders/{id}`: o
        ciclo de vida, quem pode fazer a mudança e, para aprovar, o estoque reservado. Um
        pedido recusado não impede os outros: vai para `failed` com `code` e `reason`; ids
        desconhecidos ou de pedidos excluídos, para `not_found`. Os pedidos alterados
        (`details`: número, status anterior e novo, total) mudam juntos, numa transação,
        cada um com a sua linha no histórico (`note`) e o seu evento
        `order.status_changed`. `total_value_approved` soma os totais dos que passaram a
        `approved`. De 1 a 1000 ids por chamada (400 além disso); repetidos contam uma vez.
        Responde 200 mesmo quando nenhum pedido muda: o resultado diz o que houve com cada um.
        """
        outcome = change_statuses(
            session=db.session,
            actor=current_actor(),
            order_ids=data["order_ids"],
            target=OrderStatus(data["new_status"]),
            note=data.get("note"),
            cancel_reason=data.get("cancel_reason"),
            request_id=request_id(),
        )
        body = {
            "updated": outcome.updated,
            "not_found": outcome.not_found,
            "details": outcome.details,
            "failed": [{**f, "reason": localize(f["reason"])} for f in outcome.failed],
            "total_value_approved": outcome.total_value_approved,
        }
        asked = outcome.updated + len(outcome.failed) + len(outcome.not_found)
        message = Text(
            f"{outcome.updated} de {asked} pedidos alterados.",
            f"{outcome.updated} of {asked} orders changed.",
        )
        return ok(body, message)
