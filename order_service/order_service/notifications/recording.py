"""The notification consumer's handlers: from an event to its rows, in the event's transaction.

Each handler gathers the facts (the order, its client, the supplier from the stock service,
the staff numbers), asks `who` what to say to whom, and writes one row per (event,
recipient) with INSERT … ON CONFLICT DO NOTHING: a redelivered event writes nothing twice.
A row is `queued` to be sent, or `skipped` with the reason (no valid number, opted out,
WhatsApp not configured).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from order_service.catalogue.local import copied_name
from order_service.config import OrderSettings
from order_service.domain.statuses import OrderStatus, OrderType
from order_service.models import Client, Order
from order_service.notifications.tables import Notification, NotificationStatus
from order_service.notifications.who import (
    CLIENT_STATUS_TEMPLATES,
    Notice,
    Recipient,
    RecipientKind,
    Template,
    e164,
    order_notice,
    stock_low_notices,
    why_skipped,
)
from order_service.reports.period import latest_names
from order_service.stock_catalogue import StockCatalogue
from shared import clock
from shared.events import (
    Event,
    EventType,
    OrderCreated,
    OrderStatusChanged,
    StockLow,
    StockRejected,
    data_of,
)
from shared.messaging.consumer import Handler, Selective

log = logging.getLogger("pedidos.orders.notifications")

SEND_CHANNEL = "orders_notifications"

_INSERT = pg_insert(Notification.__table__).on_conflict_do_nothing(
    constraint="uq_notifications_event_recipient"
)


def _replenishment_ordered(event: Event) -> bool:
    # A client placing an order knows it did; a supplier learns of its order from us.
    return data_of(event, OrderCreated).order_type == OrderType.REPLENISHMENT


class Notifier:
    """The handlers, with what they need: the settings and the stock service client."""

    def __init__(self, settings: OrderSettings, stock: StockCatalogue) -> None:
        self.settings = settings
        self.stock = stock

    def handlers(self) -> dict[str, Handler]:
        return {
            EventType.ORDER_STATUS_CHANGED: self.on_status_changed,
            # Only a replenishment order is news (for its supplier): the queue is bound to
            # its routing key alone (shared.events.REPLENISHMENT_CREATED). A sale's, queued
            # before that binding changed or replayed from a DLQ, is acked without a
            # transaction.
            EventType.ORDER_CREATED: Selective(_replenishment_ordered, self.on_order_created),
            EventType.STOCK_REJECTED: self.on_stock_rejected,
            EventType.STOCK_LOW: self.on_stock_low,
        }

    # -- events -------------------------------------------------------------------------

    def on_status_changed(self, session: Session, event: Event) -> None:
        change = data_of(event, OrderStatusChanged)
        if change.deleted:
            return
        order = _order(session, change.order_id)
        if order is None:
            return
        to = OrderStatus(change.to_status)
        if order.type == OrderType.SALE and to in CLIENT_STATUS_TEMPLATES:
            self._to_client(session, event, order, CLIENT_STATUS_TEMPLATES[to])
        elif order.type == OrderType.REPLENISHMENT and to == OrderStatus.CANCELLED:
            self._to_supplier(session, event, order, Template.REPLENISHMENT_CANCELLED)

    def on_order_created(self, session: Session, event: Event) -> None:
        order = _order(session, data_of(event, OrderCreated).order_id)
        if order is not None:
            self._to_supplier(session, event, order, Template.REPLENISHMENT_ORDERED)

    def on_stock_rejected(self, session: Session, event: Event) -> None:
        order = _order(session, data_of(event, StockRejected).order_id)
        if order is not None and order.type == OrderType.SALE:
            self._to_client(session, event, order, Template.ORDER_WITHOUT_STOCK)

    def on_stock_low(self, session: Session, event: Event) -> None:
        low = data_of(event, StockLow)
        product_id = str(low.product_id)
        # The event names the product (an older producer did not); else the catalogue copy,
        # which may not have heard of a product created a moment ago; else its order lines.
        name = (
            low.product_name
            or copied_name(session, low.product_id)
            or latest_names(session, "product_id", "product_name", [product_id]).get(product_id)
        )
        notices = stock_low_notices(
            self.settings.notify_staff_whatsapp,
            product=name or product_id,
            available=low.available,
            ideal=low.ideal_quantity,
        )
        self._record(session, event, None, notices)

    # -- recipients ---------------------------------------------------------------------

    def _to_client(self, session: Session, event: Event, order: Any, template: Template) -> None:
        client = session.get(Client, order.client_id)
        if client is None or client.deleted_at is not None:
            return  # a removed client record is not written to
        recipient = Recipient(
            RecipientKind.CLIENT, client.id, client.name, client.phone, not client.notify_whatsapp
        )
        notice = order_notice(recipient, template, number=order.number, total=order.total)
        self._record(session, event, order.id, [notice])

    def _to_supplier(self, session: Session, event: Event, order: Any, template: Template) -> None:
        if order.supplier_id is None:
            return
        supplier = self.stock.supplier(order.supplier_id)  # StockUnavailable: redelivered
        if supplier is None:
            return
        recipient = Recipient(
            RecipientKind.SUPPLIER,
            supplier.id,
            supplier.name,
            supplier.whatsapp,
            not supplier.notify_whatsapp,
        )
        notice = order_notice(recipient, template, number=order.number, total=order.total)
        self._record(session, event, order.id, [notice])

    def _record(
        self,
        session: Session,
        event: Event,
        order_id: uuid.UUID | None,
        notices: Sequence[Notice],
    ) -> None:
        now = clock.now()
        rows = []
        for notice in notices:
            recipient = notice.recipient
            number = e164(recipient.phone)
            skipped = why_skipped(recipient, configured=self.settings.whatsapp_configured)
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "event_id": event.id,
                    "event_type": event.type,
                    "order_id": order_id,
                    "channel": "whatsapp",
                    "recipient_kind": recipient.kind,
                    "recipient_ref": recipient.ref,
                    "recipient": number,
                    "recipient_key": number or f"{recipient.kind}:{recipient.ref}",
                    "template": notice.template,
                    "parameters": dict(notice.parameters),
                    "status": NotificationStatus.SKIPPED if skipped else NotificationStatus.QUEUED,
                    "reason": skipped.value if skipped else None,
                    "next_attempt_at": None if skipped else now,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        if rows:
            session.execute(_INSERT, rows)
            if any(row["status"] == NotificationStatus.QUEUED for row in rows):
                # Wakes the sender at commit (it polls as well).
                session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": SEND_CHANNEL})
            log.info(
                "notifications recorded",
                extra={"event_id": event.id, "event_type": event.type, "count": len(rows)},
            )


def _order(session: Session, order_id: uuid.UUID) -> Any:
    """The order's number, total, type, client and supplier (a deleted one is not notified)."""
    return session.execute(
        select(
            Order.id, Order.number, Order.total, Order.type, Order.client_id, Order.supplier_id
        ).where(Order.id == order_id, Order.deleted_at.is_(None))
    ).first()
