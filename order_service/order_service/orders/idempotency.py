"""The Idempotency-Key of POST /orders: one key never makes two orders.

The first response is stored with the key's row; a repeat of the same body gets it back, a
repeat with another body is refused (409).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from order_service.domain.access import Actor
from order_service.domain.errors import ConflictError, OrderNotFound
from order_service.models import IdempotencyKey
from shared.i18n import Text


@dataclass(frozen=True)
class IdempotencyRequest:
    """The caller's Idempotency-Key and the fingerprint of the body it came with."""

    key: str
    fingerprint: str


@dataclass(frozen=True)
class PlacedOrder:
    order_id: uuid.UUID
    status_code: int
    body: str | None  # the response body (replayed verbatim for a repeated key)
    replayed: bool


class IdempotencyKeyReused(ConflictError):
    code = "idempotency_key_reused"
    message = Text(
        "Esta Idempotency-Key já foi usada com outro corpo de requisição. "
        "Use uma chave nova para um pedido diferente.",
        "This Idempotency-Key was already used with a different request body. "
        "Use a new key for a different order.",
    )


# The Idempotency-Key statements, built once: a request binds its caller, key and values.
_keys = IdempotencyKey.__table__
_STORED_KEY = select(
    _keys.c.request_fingerprint, _keys.c.order_id, _keys.c.status_code, _keys.c.response_body
).where(_keys.c.caller == bindparam("caller"), _keys.c.key == bindparam("key"))
_CLAIM_KEY = pg_insert(_keys).on_conflict_do_nothing().returning(_keys.c.key)
STORE_RESPONSE = (
    update(_keys)
    .where(_keys.c.caller == bindparam("by_caller"), _keys.c.key == bindparam("by_key"))
    .values(
        order_id=bindparam("placed_order_id"),
        status_code=bindparam("placed_status_code"),
        response_body=bindparam("placed_body"),
    )
)


def stored_response(
    session: Session, actor: Actor, idempotency: IdempotencyRequest
) -> PlacedOrder | None:
    found = session.execute(_STORED_KEY, {"caller": actor.subject, "key": idempotency.key}).first()
    session.rollback()  # read only: end the transaction before anything slow happens
    if found is None:
        return None
    fingerprint, order_id, status_code, body = found
    if fingerprint != idempotency.fingerprint:
        raise IdempotencyKeyReused(field="Idempotency-Key")
    if order_id is None:
        raise OrderNotFound()  # the order it made was removed for good
    return PlacedOrder(order_id, status_code or 201, body, replayed=True)


def claim_key(session: Session, actor: Actor, idempotency: IdempotencyRequest) -> bool:
    """Insert the key row; False when another request holds it (waits for it to commit)."""
    claimed = session.execute(
        _CLAIM_KEY,
        {
            "caller": actor.subject,
            "key": idempotency.key,
            "request_fingerprint": idempotency.fingerprint,
        },
    ).first()
    return claimed is not None
