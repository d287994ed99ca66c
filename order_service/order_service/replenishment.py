"""Automatic replenishment (POST /orders/auto/low-stock, requirement 003 "Automações").

Products whose available quantity is below `threshold_percent` % of their ideal quantity
(as the stock service reports it) get one `replenishment` order per supplier, for
`ideal − available` of each, at the product's current price. A product already on an open
replenishment order (pending, approved, processing or shipped) is reported and not ordered
again, so running it every day never piles up duplicates; a product without an active
supplier is reported as not processed, with the reason. `simulate` answers the same plan and
writes nothing. Delivering the order makes the stock service add its quantities to
`on_hand` (ledger cause `replenishment_received`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from order_service.domain.access import Actor
from order_service.domain.statuses import OrderStatus, OrderType, StockStatus
from order_service.domain.totals import order_total
from order_service.models import Order, OrderItem, OrderStatusChange
from order_service.orders.events import record_order_created
from order_service.orders.items import mark_supplier_firsts
from order_service.stock_catalogue import StockCatalogue, StockLevel, SupplierInfo
from shared import clock
from shared.db import unit_of_work

DEFAULT_THRESHOLD_PERCENT = 20
OPEN_STATUSES = (
    OrderStatus.PENDING,
    OrderStatus.APPROVED,
    OrderStatus.PROCESSING,
    OrderStatus.SHIPPED,
)
NO_SUPPLIER = "Produto sem fornecedor."
SUPPLIER_UNAVAILABLE = "Fornecedor inativo ou excluído."
AT_IDEAL = "O disponível já alcança a quantidade ideal."


@dataclass
class PlannedOrder:
    supplier: SupplierInfo
    lines: list[tuple[StockLevel, int]]
    order_id: uuid.UUID | None = None
    number: int | None = None

    @property
    def total(self) -> Decimal:
        return order_total((quantity, level.price) for level, quantity in self.lines)


@dataclass
class ReplenishmentPlan:
    analyzed: int = 0  # active products looked at (in the section)
    low_stock: int = 0  # of them, below the threshold
    orders: list[PlannedOrder] = field(default_factory=list)
    already_open: list[dict[str, Any]] = field(default_factory=list)
    not_processed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total_value(self) -> Decimal:
        return sum((order.total for order in self.orders), Decimal("0.00"))


def replenish(
    *,
    session: Session,
    actor: Actor,
    stock: StockCatalogue,
    threshold_percent: int = DEFAULT_THRESHOLD_PERCENT,
    section: str | None = None,
    simulate: bool = False,
    request_id: str | None = None,
) -> ReplenishmentPlan:
    """Plan the replenishment orders and, unless simulating, write them (one transaction)."""
    analyzed = stock.count_active(section)
    levels = stock.below_percent_of_ideal(threshold_percent, section=section)
    suppliers = {
        supplier_id: stock.supplier(supplier_id)
        for supplier_id in {lv.supplier_id for lv in levels if lv.supplier_id}
    }
    if simulate:
        plan = _plan(levels, suppliers, _open_orders(session))
    else:
        with unit_of_work(session):
            # One run at a time: the second one sees the first one's orders as open.
            session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended('replenish', 0))"))
            plan = _plan(levels, suppliers, _open_orders(session))
            for planned in plan.orders:
                _write(session, planned, actor=actor, request_id=request_id)
    plan.analyzed, plan.low_stock = analyzed, len(levels)
    return plan


def _open_orders(session: Session) -> dict[uuid.UUID, tuple[uuid.UUID, int]]:
    """product → (order id, number) of an open replenishment order that holds it."""
    rows = session.execute(
        select(OrderItem.product_id, Order.id, Order.number)
        .join(Order, Order.id == OrderItem.order_id)
        .where(
            Order.type == OrderType.REPLENISHMENT,
            Order.deleted_at.is_(None),
            Order.status.in_([s.value for s in OPEN_STATUSES]),
        )
        .order_by(Order.number)
    )
    return {product_id: (order_id, number) for product_id, order_id, number in rows}


def _plan(
    levels: Sequence[StockLevel],
    suppliers: dict[uuid.UUID, SupplierInfo | None],
    open_orders: dict[uuid.UUID, tuple[uuid.UUID, int]],
) -> ReplenishmentPlan:
    plan = ReplenishmentPlan()
    by_supplier: dict[uuid.UUID, PlannedOrder] = {}
    for level in sorted(levels, key=lambda lv: (lv.name, str(lv.product_id))):
        product = {"product_id": level.product_id, "name": level.name}
        if level.product_id in open_orders:
            order_id, number = open_orders[level.product_id]
            plan.already_open.append({**product, "order_id": order_id, "number": number})
            continue
        supplier = suppliers.get(level.supplier_id) if level.supplier_id else None
        reason = _why_not(level, supplier)
        if reason:
            plan.not_processed.append({**product, "reason": reason})
            continue
        assert supplier is not None
        planned = by_supplier.setdefault(supplier.id, PlannedOrder(supplier=supplier, lines=[]))
        planned.lines.append((level, level.ideal_quantity - level.available))
    plan.orders = sorted(by_supplier.values(), key=lambda o: (o.supplier.name, str(o.supplier.id)))
    return plan


def _why_not(level: StockLevel, supplier: SupplierInfo | None) -> str | None:
    """Why a low product cannot be ordered from its supplier now, or None when it can."""
    if level.supplier_id is None:
        return NO_SUPPLIER
    if supplier is None or not supplier.active:
        return SUPPLIER_UNAVAILABLE
    if level.ideal_quantity <= level.available:
        return AT_IDEAL
    return None


def _write(session: Session, planned: PlannedOrder, *, actor: Actor, request_id: str | None):
    now = clock.now()
    order = Order(
        id=uuid.uuid4(),
        type=OrderType.REPLENISHMENT,
        client_id=None,
        supplier_id=planned.supplier.id,
        status=OrderStatus.PENDING,
        # A replenishment brings goods in: nothing to reserve.
        stock_status=StockStatus.NOT_REQUIRED,
        order_version=1,
        total=planned.total,
        notes="Reposição automática de estoque baixo.",
        created_by=actor.subject,
        created_at=now,
        updated_at=now,
    )
    for position, (level, quantity) in enumerate(planned.lines, start=1):
        order.items.append(
            OrderItem(
                id=uuid.uuid4(),
                position=position,
                order_created_at=now,
                product_id=level.product_id,
                quantity=quantity,
                unit_price=level.price,
                product_name=level.name,
                unit=level.unit,
                section=level.section,
                category=level.category,
                supplier_id=planned.supplier.id,
                supplier_name=planned.supplier.name,
            )
        )
    mark_supplier_firsts(order.items)
    session.add(order)
    session.add(
        OrderStatusChange(
            order_id=order.id,
            from_status=None,
            to_status=OrderStatus.PENDING,
            changed_at=now,
            changed_by=actor.subject,
            changed_by_role=actor.role,
            note="Reposição automática.",
        )
    )
    session.flush()
    planned.order_id, planned.number = order.id, order.number
    record_order_created(
        session,
        {"id": order.id, "order_version": 1, "type": order.type, "supplier_id": order.supplier_id},
        [{"product_id": i.product_id, "quantity": i.quantity, "position": i.position}
         for i in order.items],
        request_id,
    )  # fmt: skip
