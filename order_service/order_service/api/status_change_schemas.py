"""marshmallow fields and schemas of an order's status changes: the note and the cancel
reason that come with one, and an entry of the status history."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from order_service.api.field_types import TEXT_MAX, UtcDateTime


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


class StatusChangeSchema(Schema):
    from_ = fields.String(data_key="from", attribute="from", allow_none=True)
    to = fields.String()
    at = UtcDateTime()
    by = fields.String()
    by_role = fields.String()
    note = fields.String(allow_none=True)
