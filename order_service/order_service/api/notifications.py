"""Notifications for staff: what was (or was not) sent to whom, and retrying a failed one."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, request
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from order_service.api import examples as ex
from order_service.api import settings
from order_service.domain.errors import ForbiddenError
from order_service.models import db
from order_service.notifications.receipts import (
    apply_receipts,
    signature_matches,
    verify_token_matches,
)
from order_service.notifications.staff import (
    NotificationFilters,
    list_notifications,
    notification_view,
    retry_failed,
)
from order_service.notifications.tables import NOTIFICATION_STATUSES
from order_service.notifications.who import reason_text
from shared.api import (
    ApiBlueprint,
    EmptySchema,
    ErrorEnvelopeSchema,
    Matches,
    envelope,
    ok,
    ok_page,
)
from shared.auth import Role, public, roles_required
from shared.db import unit_of_work
from shared.errors import Unauthorized
from shared.i18n import FieldMessage, Text, localize
from shared.pagination import PaginationQuerySchema

blp = ApiBlueprint(
    "notifications",
    __name__,
    url_prefix="/api/v1/notifications",
    description="Notificações por WhatsApp: o que foi (ou não) enviado a quem (admin e staff).",
)

NOTIFICATION_ID = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"
EXAMPLE = {
    "id": NOTIFICATION_ID,
    "event_id": "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9",
    "event_type": "order.status_changed",
    "order_id": ex.ORDER_ID,
    "channel": "whatsapp",
    "recipient_kind": "client",
    "recipient": "+5511987654321",
    "template": "pedido_aprovado",
    "parameters": {
        "name": "Escola Municipal João da Silva",
        "number": "1042",
        "total": "R$ 405,96",
    },
    "message": "Olá, Escola Municipal João da Silva! Seu pedido nº 1042 (R$ 405,96) foi aprovado.",
    "status": "skipped",
    "reason": "WhatsApp não configurado (WHATSAPP_ACCESS_TOKEN e WHATSAPP_PHONE_NUMBER_ID); "
    "nada foi enviado.",
    "attempts": 0,
    "created_at": ex.NOW,
    "updated_at": ex.NOW,
}
NOT_FOUND = ex.failure("Notificação não encontrada.", "not_found")
WEBHOOK_REFUSED = ex.failure("Token de verificação inválido.", "invalid_verify_token")
BAD_SIGNATURE = ex.failure(
    "Assinatura X-Hub-Signature-256 ausente ou inválida; nada foi alterado.", "invalid_signature"
)
NOT_FAILED = ex.failure(
    "Só uma notificação com falha pode ser reenviada (status atual: skipped).", "not_failed"
)


class NotificationQuerySchema(PaginationQuerySchema):
    status = fields.String(load_default=None, validate=validate.OneOf(NOTIFICATION_STATUSES))
    order_id = fields.UUID(load_default=None)
    recipient = fields.String(
        load_default=None,
        validate=Matches(
            r"^\+[0-9]{8,15}$",
            Text("Use o formato E.164: +5511987654321.", "Use the E.164 format: +5511987654321."),
        ),
    )
    date_from = fields.Date(load_default=None)
    date_to = fields.Date(load_default=None)

    @validates_schema
    def _ordered(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(
                FieldMessage(Text("date_from depois de date_to.", "date_from after date_to.")),
                field_name="date_from",
            )


class NotificationSchema(Schema):
    id = fields.UUID()
    event_id = fields.String()
    event_type = fields.String()
    order_id = fields.UUID(allow_none=True)
    channel = fields.String()
    recipient_kind = fields.String(metadata={"description": "client, supplier ou staff"})
    recipient = fields.String(allow_none=True, metadata={"description": "E.164; null sem número."})
    template = fields.String()
    parameters = fields.Dict()
    message = fields.String(metadata={"description": "O texto como o destinatário o lê."})
    status = fields.String(metadata={"description": ", ".join(NOTIFICATION_STATUSES)})
    reason = fields.Function(
        lambda view: localize(reason) if (reason := reason_text(view["reason"])) else None,
        allow_none=True,
        metadata={
            "type": "string",
            "description": "Por que não foi enviada (ou falhou), no idioma de quem pergunta; "
            "a do provedor vem como ele a deu.",
        },
    )
    attempts = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class WebhookRefused(ForbiddenError):
    code = "invalid_verify_token"
    message = Text("Token de verificação inválido.", "Invalid verify token.")


@blp.route("")
class Notifications(MethodView):
    @roles_required(Role.ADMIN, Role.STAFF)
    @blp.arguments(NotificationQuerySchema(), location="query")
    @blp.response(
        200,
        envelope(NotificationSchema, paginated=True),
        example=ex.success([EXAMPLE], "1 notificação.", meta=ex.META),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.STAFF_ONLY)
    def get(self, args: dict):
        """Listar notificações

        `admin` e `staff`. Cada notificação é uma mensagem de WhatsApp para um destinatário
        por evento (nunca duas para o mesmo evento): `status` queued (a enviar), sent,
        delivered, read, failed (com o motivo) ou skipped (não enviada, com o motivo: sem
        número válido, destinatário optou por não receber, WhatsApp não configurado).
        Filtros: `status`, `order_id`, `recipient` (E.164), `date_from`/`date_to` (dias de
        criação no calendário de Brasília). Mais recentes primeiro; paginado.
        """
        page = list_notifications(
            db.session,
            NotificationFilters(
                status=args["status"],
                order_id=args["order_id"],
                recipient=args["recipient"],
                date_from=args["date_from"],
                date_to=args["date_to"],
            ),
            page=args["page"],
            page_size=args["page_size"],
        )
        return ok_page(
            page, Text(f"{page.total} notificação(ões).", f"{page.total} notification(s).")
        )


@blp.route("/<uuid:notification_id>/retry")
class NotificationRetry(MethodView):
    @roles_required(Role.ADMIN, Role.STAFF)
    @blp.response(200, envelope(NotificationSchema), example=ex.success(
        {**EXAMPLE, "status": "queued", "reason": None}, "Notificação na fila de novo."
    ))  # fmt: skip
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.STAFF_ONLY)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=NOT_FOUND)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=NOT_FAILED)
    def post(self, notification_id: uuid.UUID):
        """Reenviar uma notificação com falha

        `admin` e `staff`. Uma notificação `failed` volta para a fila (`queued`, motivo
        apagado) e é enviada de novo; em qualquer outro status, 409 e nada muda.
        """
        row = retry_failed(db.session, notification_id)
        return ok(
            notification_view(row),
            Text("Notificação na fila de novo.", "Notification queued again."),
        )


# -- delivery receipts (Meta's webhook) --------------------------------------------------


class WebhookQuerySchema(Schema):
    mode = fields.String(data_key="hub.mode", required=True)
    verify_token = fields.String(data_key="hub.verify_token", required=True)
    challenge = fields.String(
        data_key="hub.challenge", required=True, validate=validate.Length(min=1, max=200)
    )


_BAD_SIGNATURE = Text(
    "Assinatura X-Hub-Signature-256 ausente ou inválida; nada foi alterado.",
    "Missing or invalid X-Hub-Signature-256; nothing changed.",
)


@blp.route("/whatsapp/webhook")
class WhatsAppWebhook(MethodView):
    @public  # Meta calls it: no access token; the verify token / signature stand in for one
    @blp.arguments(WebhookQuerySchema(), location="query")
    @blp.doc(
        responses={
            "200": {
                "description": "O `hub.challenge` recebido, em texto.",
                "content": {"text/plain": {"example": "1158201444"}},
            }
        }
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=WEBHOOK_REFUSED)
    def get(self, args: dict):
        """Verificar o webhook do WhatsApp (handshake da Meta)

        Sem token de acesso. A Meta chama com `hub.mode=subscribe`, `hub.verify_token` e
        `hub.challenge`; se o token for o de `WHATSAPP_VERIFY_TOKEN`, a resposta é o
        `hub.challenge` em texto; senão, 403.
        """
        if not verify_token_matches(
            settings().whatsapp_verify_token, args["mode"], args["verify_token"]
        ):
            raise WebhookRefused()
        return Response(args["challenge"], mimetype="text/plain")

    @public
    @blp.response(200, envelope(EmptySchema), example=ex.success(None, "Recibos registrados."))
    @blp.alt_response(401, schema=ErrorEnvelopeSchema, example=BAD_SIGNATURE)
    def post(self):
        """Recibos de entrega do WhatsApp (webhook da Meta)

        Sem token de acesso: o corpo deve vir assinado (`X-Hub-Signature-256`, HMAC-SHA256
        do corpo com `WHATSAPP_APP_SECRET`, comparado em tempo constante); sem assinatura
        ou com uma errada, 401 e nada muda. Cada `statuses[]` (`id` da mensagem, `status`
        delivered, read ou failed) avança a notificação correspondente — nunca para trás
        (sent → delivered → read); `failed` guarda o motivo informado.
        """
        body = request.get_data(cache=True)
        if not signature_matches(
            settings().whatsapp_app_secret, body, request.headers.get("X-Hub-Signature-256")
        ):
            # Its own code: a refused receipt, not a missing access token.
            raise Unauthorized(_BAD_SIGNATURE, code="invalid_signature")
        with unit_of_work(db.session):
            apply_receipts(db.session, request.get_json(silent=True))
        return ok(None, Text("Recibos registrados.", "Receipts recorded."))
