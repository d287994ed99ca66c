"""Placing a sale order: check availability, then write the order, its lines, its first
history row and its `order.created` event in one transaction.

Availability and the product data to capture come from the order service's own catalogue
copy (order_service/catalogue/), read in the same transaction; only a product the copy does
not know yet is asked of the stock service, before any row is locked.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from order_service.clients.records import ClientCard, placing_client
from order_service.domain.access import Actor
from order_service.domain.errors import InvalidInput, OrderDomainError
from order_service.domain.items import PAST_DELIVERY_DATE, check_order_lines
from order_service.domain.scope import ensure_may_place_for
from order_service.orders.availability import orderable_products
from order_service.orders.events import record_order_created
from order_service.orders.idempotency import (
    STORE_RESPONSE,
    IdempotencyRequest,
    PlacedOrder,
    claim_key,
    stored_response,
)
from order_service.orders.rows import INSERT_HISTORY, INSERT_ITEMS, INSERT_ORDERS, sale_order_rows
from order_service.stock_catalogue import CataloguedProduct, StockCatalogue
from shared import clock
from shared.db import driver_insert, driver_insert_many, unit_of_work


class _KeyTaken(Exception):
    """Another request with the same key committed first: replay its response."""


@dataclass(frozen=True)
class NewOrder:
    """What place_order has just written, as written: the 201 is rendered from it."""

    order: Mapping[str, Any]  # the order row's values (and its number, from the database)
    items: Sequence[Mapping[str, Any]]  # each line's values and line_total, by position
    client: ClientCard
    history: Sequence[Mapping[str, Any]]  # status_history entries, oldest first


Render = Callable[[NewOrder], str]


def place_order(
    *,
    session: Session,
    actor: Actor,
    data: Mapping[str, Any],
    stock: StockCatalogue,
    request_id: str | None = None,
    idempotency: IdempotencyRequest | None = None,
    render: Render | None = None,
) -> PlacedOrder:
    """Place a sale order: check availability, then write order, items, history and event.

    Nothing is written when the client or a product is unknown, when the stock is short
    (409 with the shortages) or when a product the catalogue copy does not know yet cannot
    be checked with the stock service (503). With an
    Idempotency-Key, the first response is stored with the order (`render` builds it) and
    a repeat of the same body gets it back; a concurrent repeat waits on the key's unique
    row and then replays, so one key never makes two orders.
    """
    client_id = ensure_may_place_for(actor, data.get("client_id"))
    lines = check_order_lines(data["items"])
    desired = data.get("desired_delivery_date")
    if desired is not None:
        ensure_delivery_date_not_past(desired)
    if idempotency is not None:
        replay = stored_response(session, actor, idempotency)
        if replay is not None:
            return replay
    try:
        availability = stock.check_availability(lines)
        products = orderable_products(availability, lines)
    except OrderDomainError:
        # An unknown client is a 404 whatever the stock says (the client is otherwise read
        # in the write transaction below: one transaction and pool checkout fewer).
        try:
            placing_client(session, client_id)
        finally:
            session.rollback()
        raise
    try:
        with unit_of_work(session):
            client = placing_client(session, client_id)
            if idempotency is not None and not claim_key(session, actor, idempotency):
                raise _KeyTaken()
            new = _new_sale_order(
                session,
                actor=actor,
                client=client,
                lines=lines,
                products=products,
                notes=data.get("notes"),
                desired_delivery_date=desired,
            )
            order_id = new.order["id"]
            record_order_created(session, new.order, new.items, request_id)
            # Rendered from the values just written (never read back): same values, no query.
            body = render(new) if render is not None else None
            if idempotency is not None:
                session.execute(
                    STORE_RESPONSE,
                    {
                        "by_caller": actor.subject,
                        "by_key": idempotency.key,
                        "placed_order_id": order_id,
                        "placed_status_code": 201,
                        "placed_body": body,
                    },
                )
            return PlacedOrder(order_id, 201, body, replayed=False)
    except _KeyTaken:
        replay = stored_response(session, actor, idempotency)  # type: ignore[arg-type]
        if replay is None:  # pragma: no cover - the row was committed before we got here
            raise
        return replay


def _new_sale_order(
    session: Session,
    *,
    actor: Actor,
    client: ClientCard,
    lines: Sequence[tuple[uuid.UUID, int]],
    products: Mapping[uuid.UUID, CataloguedProduct],
    notes: str | None,
    desired_delivery_date: date | None,
) -> NewOrder:
    """Insert the order, its lines and its first history row (in the caller's transaction)."""
    rows = sale_order_rows(
        actor=actor,
        client_id=client.id,
        lines=lines,
        products=products,
        notes=notes,
        desired_delivery_date=desired_delivery_date,
        now=clock.now(),
    )
    order, items = rows.order, rows.items
    # stock_shortages is left out: SQL NULL (a None value would be stored as JSON null).
    # On the driver (shared.db.driver_insert): the hot path's statements, compiled once.
    order["number"] = driver_insert(session, INSERT_ORDERS, order)[1]
    # One multi-row INSERT; line_total is computed by the database.
    line_totals = {
        str(id_): total for id_, total in driver_insert_many(session, INSERT_ITEMS, items)
    }
    for item in items:
        item["line_total"] = line_totals[str(item["id"])]
    driver_insert(session, INSERT_HISTORY, rows.history)
    created = rows.history
    history = {
        "from": None,
        "to": created["to_status"],
        "at": created["changed_at"],
        "by": actor.subject,
        "by_role": actor.role,
        "note": None,
    }
    return NewOrder(order=order, items=items, client=client, history=[history])


def ensure_delivery_date_not_past(desired: date) -> None:
    if desired < clock.business_today():
        raise InvalidInput(
            errors=[{"field": "desired_delivery_date", "message": PAST_DELIVERY_DATE}]
        )
