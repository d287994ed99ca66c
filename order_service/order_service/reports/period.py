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

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, literal_column, select, text
from sqlalchemy.orm import Session

from order_service.domain.orders import OrderStatus, OrderType
from order_service.domain.reports import CENT, NOT_VOLUME, ReportWindow, average_ticket
from order_service.models import Order, OrderItem
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
    """The window's sales per client, status, product and supplier (ids as text), read in
    two aggregates; every grouping but `by_status` counts volume only."""

    by_client: dict[str, Sums]
    by_status: dict[str, Sums]
    by_product: dict[str, Sums]
    by_supplier: dict[str | None, Sums]

    @classmethod
    def read(cls, session: Session, start: datetime, end: datetime) -> WindowFigures:
        by_client: dict[str, Sums] = {}
        by_status: dict[str, Sums] = {}
        counted = volume()
        for flags, client_id, status, orders, value, every, total in session.execute(
            select(
                func.grouping(Order.client_id, Order.status),
                cast(Order.client_id, String),
                Order.status,
                func.count().filter(counted),
                func.coalesce(func.sum(Order.total).filter(counted), 0),
                func.count(),
                func.sum(Order.total),
            )
            .where(*sales_between(start, end))
            .group_by(literal_column("GROUPING SETS ((client_id), (status))"))
        ):
            if flags == _CLIENT_SET and orders:
                by_client[client_id] = Sums(orders, 0, Decimal(value))
            elif flags == _STATUS_SET:
                by_status[status] = Sums(every, 0, Decimal(total))
        by_product: dict[str, Sums] = {}
        by_supplier: dict[str | None, Sums] = {}
        # Volume is a grouping key, computed once per line, not a FILTER on every aggregate.
        counted = literal_column(_COUNTED)
        for (
            flags,
            product_id,
            client_id,
            supplier_id,
            status,
            is_volume,
            lines,
            firsts,
            qty,
            value,
        ) in session.execute(
            select(
                func.grouping(
                    OrderItem.product_id,
                    OrderItem.client_id,
                    OrderItem.supplier_id,
                    OrderItem.order_status,
                    literal_column(_COUNTED),
                ),
                cast(OrderItem.product_id, String),
                cast(OrderItem.client_id, String),
                cast(OrderItem.supplier_id, String),
                OrderItem.order_status,
                counted,
                func.count(),
                # An order once per supplier: its first line of that supplier.
                func.count().filter(OrderItem.supplier_first),
                func.sum(OrderItem.quantity),
                func.sum(OrderItem.line_total),
            )
            .where(*sale_lines_between(start, end))
            .group_by(literal_column(_LINE_SETS))
        ):
            if flags == _LINE_STATUS_SET:
                if status in by_status:
                    by_status[status].quantity = int(qty)
            elif not is_volume:
                continue  # cancelled and returned lines: not volume
            elif flags == _PRODUCT_SET:  # a product is once per order: its lines are orders
                by_product[product_id] = Sums(lines, int(qty), Decimal(value))
            elif flags == _LINE_CLIENT_SET:
                if client_id in by_client:  # always (orders and lines agree), never a 500
                    by_client[client_id].quantity = int(qty)
            else:
                by_supplier[supplier_id] = Sums(firsts, int(qty), Decimal(value))
        return cls(by_client, by_status, by_product, by_supplier)

    def overall(self) -> dict[str, Any]:
        orders = sum(s.orders for s in self.by_client.values())
        value = sum((s.value for s in self.by_client.values()), Decimal("0"))
        return {
            "total_orders": orders,
            "total_value": value.quantize(CENT),
            "clients_served": len(self.by_client),
            "distinct_products": len(self.by_product),
            "average_ticket": average_ticket(value, orders),
            "cancelled_orders": self._count(OrderStatus.CANCELLED),
            "returned_orders": self._count(OrderStatus.RETURNED),
        }

    def _count(self, status: OrderStatus) -> int:
        found = self.by_status.get(status.value)
        return found.orders if found else 0


# GROUPING() of each set: a 1 bit for each column the set leaves out.
_CLIENT_SET, _STATUS_SET = 0b01, 0b10
_PRODUCT_SET, _LINE_CLIENT_SET = 0b01110, 0b10110
_SUPPLIER_SET, _LINE_STATUS_SET = 0b11010, 0b11101
# Whether a line is volume (its order neither cancelled nor returned), as a grouping key.
_COUNTED = "(order_status NOT IN ({}))".format(", ".join(f"'{s.value}'" for s in NOT_VOLUME))
# One pass over the window's lines, four sums.
_LINE_SETS = (
    f"GROUPING SETS ((product_id, {_COUNTED}), (client_id, {_COUNTED}),"
    f" (supplier_id, {_COUNTED}), (order_status))"
)


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
SELECT CAST(k.id AS text) AS id, (SELECT i.{name} FROM orders.order_items i
               WHERE i.order_live AND i.{key} = k.id
               ORDER BY i.order_created_at DESC LIMIT 1) AS name
  FROM unnest(CAST(:ids AS uuid[])) AS k(id)
"""


def latest_names(session: Session, key: str, name: str, ids: list[Any]) -> dict[str, str]:
    """{id as text: the name its most recent live order line captured} (products, suppliers)."""
    if not ids:
        return {}
    rows = session.execute(
        text(_LATEST_NAMES.format(key=key, name=name)), {"ids": [str(i) for i in ids]}
    )
    return {row.id: row.name for row in rows}


def _groups(sums: dict[Any, Sums], names: dict[Any, str | None]) -> list[dict[str, Any]]:
    groups = [
        {
            "id": key,
            "name": names.get(key),
            "orders": s.orders,
            "quantity": s.quantity,
            "value": s.value.quantize(CENT),  # written as is (no schema): two decimals
            "average_ticket": average_ticket(s.value, s.orders),
        }
        for key, s in sums.items()
    ]
    # Largest first; ties by name, then id, so the order never depends on the plan.
    groups.sort(key=lambda g: (-g["value"], -g["orders"], g["name"] or "", g["id"] or ""))
    return groups


_CLIENT_NAMES = text(
    "SELECT CAST(id AS text) AS id, name FROM orders.clients WHERE id = ANY(CAST(:ids AS uuid[]))"
)


def client_names(session: Session, ids: list[str]) -> dict[str, str]:
    """{client id as text: its name} for these clients."""
    if not ids:
        return {}
    return {row.id: row.name for row in session.execute(_CLIENT_NAMES, {"ids": ids})}


def _by_client(session: Session, figures: WindowFigures) -> list[dict]:
    return _groups(figures.by_client, client_names(session, list(figures.by_client)))


def _by_product(session: Session, figures: WindowFigures) -> list[dict]:
    names = latest_names(session, "product_id", "product_name", list(figures.by_product))
    return _groups(figures.by_product, names)


def _by_supplier(session: Session, figures: WindowFigures) -> list[dict]:
    sums = figures.by_supplier
    names: dict[str | None, str | None] = dict(
        latest_names(session, "supplier_id", "supplier_name", [k for k in sums if k])
    )
    names[None] = NO_SUPPLIER
    return _groups(sums, names)


def _by_status(session: Session, figures: WindowFigures) -> list[dict]:
    # Every live sale of the window, cancelled and returned included: this is where they show.
    return _groups(figures.by_status, {status: status for status in figures.by_status})


_GROUPINGS = {
    "client": _by_client,
    "product": _by_product,
    "supplier": _by_supplier,
    "status": _by_status,
}
