"""An order as the rules see it: its type, its status, where its stock stands (OrderFacts).

Plain Python (no Flask, no SQLAlchemy): use cases pass in the facts about an order.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class OrderType(StrEnum):
    SALE = "sale"  # to a client
    REPLENISHMENT = "replenishment"  # to a supplier, to restock


class OrderStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURNED = "returned"


class StockStatus(StrEnum):
    """Where the order's reservation stands (the saga with the stock service)."""

    AWAITING = "awaiting"  # order.created / order.items_changed sent, no reply yet
    RESERVED = "reserved"
    REJECTED = "rejected"
    NOT_REQUIRED = "not_required"  # replenishment orders bring goods in: nothing to reserve


STATUS_NAMES = tuple(s.value for s in OrderStatus)
STOCK_STATUS_NAMES = tuple(s.value for s in StockStatus)
ORDER_TYPE_NAMES = tuple(t.value for t in OrderType)


@dataclass(frozen=True)
class OrderFacts:
    """What the rules need to know about one order."""

    type: OrderType
    status: OrderStatus
    stock_status: StockStatus
    client_id: uuid.UUID | None = None
    supplier_id: uuid.UUID | None = None
    item_supplier_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)


def facts_of(order: Mapping[str, Any], items: Iterable[Mapping[str, Any]]) -> OrderFacts:
    """The facts of an order given as plain values (a row and its lines)."""
    return OrderFacts(
        type=OrderType(order["type"]),
        status=OrderStatus(order["status"]),
        stock_status=StockStatus(order["stock_status"]),
        client_id=order["client_id"],
        supplier_id=order["supplier_id"],
        item_supplier_ids=frozenset(i["supplier_id"] for i in items if i["supplier_id"]),
    )
