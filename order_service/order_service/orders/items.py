"""An order's items: added, their quantity changed, removed — while the order is pending.

Every change gives the order a new version and total and sends `order.items_changed`: the
whole order is reserved again. More units are checked with the stock service first, before
the transaction opens.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from order_service.domain.access import Actor
from order_service.domain.errors import ConflictError, OrderItemNotFound
from order_service.domain.items import (
    check_order_lines,
    ensure_can_remove_item,
    ensure_items_editable,
    supplier_first_positions,
)
from order_service.domain.scope import ensure_may_edit
from order_service.domain.statuses import OrderType, StockStatus
from order_service.domain.totals import order_total
from order_service.models import Order, OrderItem
from order_service.orders.availability import insufficient_stock, orderable_products
from order_service.orders.events import event_lines, record_order_event
from order_service.orders.lifecycle import live_order, lock_live_order
from order_service.orders.rows import captured_item_values
from order_service.stock_catalogue import CataloguedProduct, StockCatalogue
from shared import clock
from shared.db import unit_of_work
from shared.events import OrderItemsChanged
from shared.i18n import Text


def add_order_item(
    *,
    session: Session,
    actor: Actor,
    order_id: uuid.UUID,
    product_id: uuid.UUID,
    quantity: int,
    stock: StockCatalogue,
    request_id: str | None = None,
) -> OrderItem:
    """Add a product to a pending order; the whole order is reserved again (new version)."""
    check_order_lines([{"product_id": product_id, "quantity": quantity}])
    # Refuse early (before asking the stock) what the state already forbids...
    order = live_order(session, order_id)
    _ensure_items_may_change(actor, order)
    _ensure_not_on_order(order, product_id)
    session.rollback()
    availability = stock.check_availability([(product_id, quantity)])
    product = orderable_products(availability, [(product_id, quantity)])[product_id]
    with unit_of_work(session):
        # ...and check again under the lock: the order may have moved meanwhile.
        order = lock_live_order(session, order_id)
        _ensure_items_may_change(actor, order)
        _ensure_not_on_order(order, product_id)
        position = max((item.position for item in order.items), default=0) + 1
        item = _captured_item(product, quantity, position, order)
        order.items.append(item)
        mark_supplier_firsts(order.items)
        _items_changed(session, order, request_id=request_id)
        return item


def change_item_quantity(
    *,
    session: Session,
    actor: Actor,
    order_id: uuid.UUID,
    item_id: uuid.UUID,
    quantity: int,
    stock: StockCatalogue,
    request_id: str | None = None,
) -> Order:
    """Set a pending order's line to `quantity`; the whole order is reserved again.

    The line keeps the price it captured. More units are checked with the stock first: an
    order whose reservation is held needs only the extra units to be free, one still
    waiting (or refused) needs them all; short → 409 with the shortage, nothing changes.
    """
    item = _item_to_change(session, actor, order_id, item_id, quantity)
    if item is None:
        return live_order(session, order_id)  # the same quantity: nothing to do
    held = item.quantity if item.order.stock_status == StockStatus.RESERVED else 0
    product_id, needed = item.product_id, quantity - held
    session.rollback()
    if needed > 0:
        availability = stock.check_availability([(product_id, needed)])
        if availability.shortages:
            # Said in the order's terms: the new quantity, and all it could have.
            shortages = tuple(
                replace(s, requested=quantity, available=s.available + held)
                for s in availability.shortages
            )
            raise insufficient_stock(replace(availability, shortages=shortages))
    with unit_of_work(session):
        # Checked again under the lock: the order may have moved meanwhile.
        order = lock_live_order(session, order_id)
        _ensure_items_may_change(actor, order)
        item = _line_of(order, item_id)
        if item.quantity != quantity:
            item.quantity = quantity
            _items_changed(session, order, request_id=request_id)
        return order


def _item_to_change(
    session: Session, actor: Actor, order_id: uuid.UUID, item_id: uuid.UUID, quantity: int
) -> OrderItem | None:
    """The line to change, refused early for what the state already forbids; None when it
    already has that quantity."""
    order = live_order(session, order_id)
    _ensure_items_may_change(actor, order)
    item = _line_of(order, item_id)
    return None if item.quantity == quantity else item


def _line_of(order: Order, item_id: uuid.UUID) -> OrderItem:
    """The order's line `item_id` (404 when the order has no such line)."""
    item = next((i for i in order.items if i.id == item_id), None)
    if item is None:
        raise OrderItemNotFound()
    return item


def remove_order_item(
    *,
    session: Session,
    actor: Actor,
    order_id: uuid.UUID,
    item_id: uuid.UUID,
    request_id: str | None = None,
) -> Order:
    """Remove a line from a pending order (never the last one); the rest is reserved again."""
    with unit_of_work(session):
        order = lock_live_order(session, order_id)
        _ensure_items_may_change(actor, order)
        item = _line_of(order, item_id)
        ensure_can_remove_item(len(order.items))
        order.items.remove(item)
        mark_supplier_firsts(order.items)
        _items_changed(session, order, request_id=request_id)
        return order


def mark_supplier_firsts(items: Sequence[OrderItem]) -> None:
    """Set supplier_first on an order's lines after they changed (reports count on it)."""
    firsts = supplier_first_positions((item.position, item.supplier_id) for item in items)
    for item in items:
        item.supplier_first = item.position in firsts


def _ensure_items_may_change(actor: Actor, order: Order) -> None:
    facts = order.facts()
    ensure_may_edit(actor, facts)
    ensure_items_editable(facts.status)


def _ensure_not_on_order(order: Order, product_id: uuid.UUID) -> None:
    if any(item.product_id == product_id for item in order.items):
        raise ConflictError(
            Text(
                "Este produto já está no pedido: remova o item e adicione-o com a nova quantidade.",
                "This product is already on the order: remove the item and add it with the "
                "new quantity.",
            ),
            code="duplicate_product",
            field="product_id",
        )


def _items_changed(session: Session, order: Order, *, request_id: str | None) -> None:
    """A new item list: new version, new total, a new reservation to wait for."""
    order.order_version += 1
    order.total = order_total((item.quantity, item.unit_price) for item in order.items)
    order.stock_status = StockStatus.AWAITING
    order.stock_shortages = None
    order.updated_at = clock.now()
    session.flush()
    record_order_event(
        session,
        OrderItemsChanged(
            order_id=order.id,
            order_version=order.order_version,
            order_type=OrderType(order.type).value,
            items=event_lines(order),
        ),
        request_id,
    )


def _captured_item(
    product: CataloguedProduct, quantity: int, position: int, order: Order
) -> OrderItem:
    return OrderItem(
        **captured_item_values(product, quantity, position, order.created_at, order.client_id)
    )
