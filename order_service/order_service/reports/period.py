"""The period report: sales between two business days, overall and by client, product,
supplier and status (SPEC §3, requirement 003 "Pedidos por Período").

Two aggregates, whatever the groupings asked for: the window's orders by client and status
(the orders' report index), and the window's lines by product, by client and by supplier,
each with the status, in one pass (GROUPING SETS over the lines' report index: lines carry
their order's status and client, and whether they are their supplier's first line on the
order, so no join and no DISTINCT). The figures are folded in Python from those few
thousand rows. Names are the latest ones the order lines captured, so a renamed product is
reported under its current name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, literal_column, select, text
from sqlalchemy.orm import Session

from order_service.domain.orders import OrderStatus, OrderType
from order_service.domain.reports import CENT, NOT_VOLUME, ReportWindow, average_ticket
from order_service.models import Client, Order, OrderItem
from shared.clock import business_timezone, start_of_business_day

NO_SUPPLIER = "Sem fornecedor"
NOT_VOLUME_NAMES = frozenset(s.value for s in NOT_VOLUME)


def period_report(
    session: Session, window: ReportWindow, group_by: Sequence[str] = ()
) -> dict[str, Any]:
    """The report's data: period, overall and the requested groupings, in that order."""
    start = start_of_business_day(window.first)
    end = start_of_business_day(window.end_exclusive)
    tune_report_transaction(session)
    figures = WindowFigures.read(session, start, end)
    report: dict[str, Any] = {
        "period": {
            "date_from": window.first,
            "date_to": window.last,
            "days": window.days,
            "timezone": business_timezone().key,
        },
        "overall": figures.overall(),
    }
    for grouping in group_by:
        report[f"by_{grouping}"] = _GROUPINGS[grouping](session, figures)
    return report


@dataclass
class Sums:
    orders: int = 0
    quantity: int = 0
    value: Decimal = field(default_factory=lambda: Decimal("0"))


@dataclass
class WindowFigures:
    """The window's sales as (key, status) → Sums, per dimension, read in three queries."""

    orders: dict[tuple[Any, str], Sums]  # (client_id, status): orders and value, from orders
    by_client: dict[tuple[Any, str], Sums]  # quantity from the lines
    by_product: dict[tuple[Any, str], Sums]  # a product is once per order: lines = orders
    by_supplier: dict[tuple[Any, str], Sums]

    @classmethod
    def read(cls, session: Session, start: datetime, end: datetime) -> WindowFigures:
        orders: dict[tuple[Any, str], Sums] = {}
        for row in session.execute(
            select(Order.client_id, Order.status, func.count(), func.sum(Order.total))
            .where(*sales_between(start, end))
            .group_by(Order.client_id, Order.status)
        ):
            orders[(row[0], row[1])] = Sums(row[2], 0, Decimal(row[3]))
        by: dict[str, dict[tuple[Any, str], Sums]] = {"product": {}, "client": {}, "supplier": {}}
        which = func.grouping(OrderItem.product_id, OrderItem.client_id, OrderItem.supplier_id)
        keys = {0b011: "product", 0b101: "client", 0b110: "supplier"}
        rows = session.execute(
            select(
                which,
                OrderItem.product_id,
                OrderItem.client_id,
                OrderItem.supplier_id,
                OrderItem.order_status,
                func.count(),
                # An order once per supplier: its first line of that supplier.
                func.count().filter(OrderItem.supplier_first),
                func.sum(OrderItem.quantity),
                func.sum(OrderItem.line_total),
            )
            .where(*sale_lines_between(start, end))
            .group_by(literal_column(_LINE_SETS))
        )
        for (
            flags,
            product_id,
            client_id,
            supplier_id,
            status,
            lines,
            firsts,
            quantity,
            value,
        ) in rows:
            name = keys[flags]
            key = {"product": product_id, "client": client_id, "supplier": supplier_id}[name]
            orders_of = firsts if name == "supplier" else lines
            by[name][(key, status)] = Sums(orders_of, int(quantity), Decimal(value))
        return cls(orders, by["client"], by["product"], by["supplier"])

    def overall(self) -> dict[str, Any]:
        volume = [
            (key, sums) for key, sums in self.orders.items() if key[1] not in NOT_VOLUME_NAMES
        ]
        orders = sum(s.orders for _, s in volume)
        value = sum((s.value for _, s in volume), Decimal("0"))
        return {
            "total_orders": orders,
            "total_value": value.quantize(CENT),
            "clients_served": len({key[0] for key, _ in volume}),
            "distinct_products": len(
                {key[0] for key in self.by_product if key[1] not in NOT_VOLUME_NAMES}
            ),
            "average_ticket": average_ticket(value, orders),
            "cancelled_orders": self._count(OrderStatus.CANCELLED),
            "returned_orders": self._count(OrderStatus.RETURNED),
        }

    def _count(self, status: OrderStatus) -> int:
        return sum(s.orders for key, s in self.orders.items() if key[1] == status)


# One pass over the window's lines, three sums (GROUPING() tells the sets apart).
_LINE_SETS = (
    "GROUPING SETS ((product_id, order_status), (client_id, order_status),"
    " (supplier_id, order_status))"
)


def folded(
    sums: dict[tuple[Any, str], Sums], *, volume_only: bool = True, by_status: bool = False
) -> dict[Any, Sums]:
    """(key, status) → Sums folded to key → Sums (or status → Sums), volume only by default."""
    total: dict[Any, Sums] = defaultdict(Sums)
    for (key, status), s in sums.items():
        if volume_only and status in NOT_VOLUME_NAMES:
            continue
        into = total[status if by_status else key]
        into.orders += s.orders
        into.quantity += s.quantity
        into.value += s.value
    return total


def tune_report_transaction(session: Session) -> None:
    """No JIT (compiling took 66 ms of a 600 ms report and gained less), and room to hash the
    window's lines in memory (the default 4 MB spilled a month of lines to disk)."""
    session.execute(text("SET LOCAL jit = off"))
    session.execute(text("SET LOCAL work_mem = '32MB'"))


def volume() -> ColumnElement[bool]:
    """Orders that count as sales volume: not cancelled nor returned (docs/reports.md)."""
    return Order.status.not_in([s.value for s in NOT_VOLUME])


def line_volume() -> ColumnElement[bool]:
    """Lines of orders that count as volume (a line carries its order's status)."""
    return OrderItem.order_status.not_in([s.value for s in NOT_VOLUME])


def sales_between(start: datetime, end: datetime) -> tuple[ColumnElement[bool], ...]:
    """Live sales created in [start, end)."""
    return (
        Order.deleted_at.is_(None),
        Order.type == OrderType.SALE,
        Order.created_at >= start,
        Order.created_at < end,
    )


def lines_between(start: datetime, end: datetime) -> tuple[ColumnElement[bool], ...]:
    """The live lines of orders created in [start, end) (ix_order_items_live_order_created)."""
    return (
        OrderItem.order_live,
        OrderItem.order_created_at >= start,
        OrderItem.order_created_at < end,
    )


def sale_lines_between(start: datetime, end: datetime) -> tuple[ColumnElement[bool], ...]:
    """The live lines of sales created in [start, end): only a sale has a client."""
    return (*lines_between(start, end), OrderItem.client_id.is_not(None))


# The name each key's most recent live line captured: one probe of the key's "recent" index
# per group, instead of carrying every line's name through the aggregate.
_LATEST_NAMES = """
SELECT k.id, (SELECT i.{name} FROM orders.order_items i
               WHERE i.order_live AND i.{key} = k.id
               ORDER BY i.order_created_at DESC LIMIT 1) AS name
  FROM unnest(CAST(:ids AS uuid[])) AS k(id)
"""


def latest_names(session: Session, key: str, name: str, ids: list[Any]) -> dict[Any, str]:
    """{id: the name its most recent live order line captured} (products, suppliers)."""
    if not ids:
        return {}
    rows = session.execute(text(_LATEST_NAMES.format(key=key, name=name)), {"ids": ids})
    return {row.id: row.name for row in rows}


def _groups(sums: dict[Any, Sums], names: dict[Any, str | None]) -> list[dict[str, Any]]:
    groups = [
        {
            "id": None if key is None else str(key),
            "name": names.get(key),
            "orders": s.orders,
            "quantity": s.quantity,
            "value": s.value.quantize(CENT),  # written as is (no schema): two decimals
            "average_ticket": average_ticket(s.value, s.orders),
        }
        for key, s in sums.items()
    ]
    # Largest first; ties by name, then id, so the order never depends on the plan.
    groups.sort(key=lambda g: (-g["value"], -g["orders"], g["name"] or "", str(g["id"])))
    return groups


def _by_client(session: Session, figures: WindowFigures) -> list[dict]:
    counted = folded(figures.orders)
    quantities = folded(figures.by_client)
    for client_id, s in counted.items():
        s.quantity = quantities[client_id].quantity
    rows = session.execute(select(Client.id, Client.name).where(Client.id.in_(list(counted))))
    return _groups(counted, {row.id: row.name for row in rows})


def _by_product(session: Session, figures: WindowFigures) -> list[dict]:
    sums = folded(figures.by_product)
    return _groups(sums, latest_names(session, "product_id", "product_name", list(sums)))


def _by_supplier(session: Session, figures: WindowFigures) -> list[dict]:
    sums = folded(figures.by_supplier)
    names = latest_names(session, "supplier_id", "supplier_name", [k for k in sums if k])
    names[None] = NO_SUPPLIER
    return _groups(sums, names)


def _by_status(session: Session, figures: WindowFigures) -> list[dict]:
    # Every live sale of the window, cancelled and returned included: this is where they show.
    counted = folded(figures.orders, volume_only=False, by_status=True)
    quantities = folded(figures.by_client, volume_only=False, by_status=True)
    for status, s in counted.items():
        s.quantity = quantities[status].quantity
    return _groups(counted, {status: status for status in counted})


_GROUPINGS = {
    "client": _by_client,
    "product": _by_product,
    "supplier": _by_supplier,
    "status": _by_status,
}
