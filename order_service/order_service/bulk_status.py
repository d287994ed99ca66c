"""Changing the status of many orders at once (PUT /orders/status, requirement 003
"Operações em Lote").

Each order is moved by `orders.lifecycle.move_order`, the same rules as PUT /orders/{id}: its
lifecycle, who may make the move, approval only with the stock reserved. One order's
refusal never blocks the others: the checks run before anything changes, so a refused
order is reported and the transaction goes on. All the moves commit together, with their
history rows and events; the orders are locked in id order, so two bulk changes that share
orders wait for each other instead of deadlocking.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from order_service.domain.access import Actor
from order_service.domain.errors import OrderDomainError
from order_service.domain.statuses import OrderStatus
from order_service.models import Order
from order_service.orders.lifecycle import move_order
from shared import clock
from shared.db import unit_of_work

# A screen's worth of orders, or a month of a school network's: beyond it, split the list.
MAX_BULK_ORDERS = 1000


@dataclass
class BulkStatusOutcome:
    details: list[dict[str, Any]] = field(default_factory=list)  # the orders moved
    failed: list[dict[str, Any]] = field(default_factory=list)  # refused, with the reason
    not_found: list[uuid.UUID] = field(default_factory=list)

    @property
    def updated(self) -> int:
        return len(self.details)

    @property
    def total_value_approved(self) -> Decimal:
        return sum(
            (d["total"] for d in self.details if d["new_status"] == OrderStatus.APPROVED),
            Decimal("0.00"),
        )


def change_statuses(
    *,
    session: Session,
    actor: Actor,
    order_ids: Sequence[uuid.UUID],
    target: OrderStatus,
    note: str | None = None,
    cancel_reason: str | None = None,
    request_id: str | None = None,
) -> BulkStatusOutcome:
    """Move each order to `target` if the rules let it; report every order either way.

    Repeated ids count once. A deleted order is not found, as for GET /orders/{id}.
    """
    wanted = list(dict.fromkeys(order_ids))
    outcome = BulkStatusOutcome()
    with unit_of_work(session):
        orders = {
            order.id: order
            for order in session.scalars(
                select(Order)
                .where(Order.id.in_(wanted), Order.deleted_at.is_(None))
                .order_by(Order.id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        }
        now = clock.now()
        for order_id in wanted:
            order = orders.get(order_id)
            if order is None:
                outcome.not_found.append(order_id)
                continue
            try:
                previous = move_order(
                    session,
                    order,
                    target,
                    actor=actor,
                    at=now,
                    note=note,
                    cancel_reason=cancel_reason,
                    request_id=request_id,
                )
            except OrderDomainError as refused:
                outcome.failed.append(
                    {
                        "order_id": order.id,
                        "number": order.number,
                        "status": order.status,
                        "code": refused.code,
                        "reason": refused.message,
                    }
                )
                continue
            outcome.details.append(
                {
                    "order_id": order.id,
                    "number": order.number,
                    "previous_status": previous,
                    "new_status": target,
                    "total": order.total,
                }
            )
    return outcome
