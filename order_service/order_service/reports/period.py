"""The period report: sales between two business days, overall and by client, product,
supplier and status (SPEC §3, requirement 003 "Pedidos por Período").

Read from the sales rollups (reports/rollup.py), brought up to date by the caller: the
window is covered by its whole half-months and the days left at its edges (`rollup_spans`;
a half-month whose rows lag a change is read as its days), so a 30-day window reads about
1 half-month and 15 days of rows, a year 24 half-months — never the order lines. Each
figure is one aggregate of one rollup; the groupings are folded in Python from those few
thousand rows. Names are the latest ones the
order lines captured, so a renamed product is reported under its current name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, String, Table, and_, cast, func, or_, select, text
from sqlalchemy.orm import Session

from order_service.domain.reports import (
    CENT,
    NOT_VOLUME,
    ReportWindow,
    RollupSpans,
    average_ticket,
    rollup_spans,
)
from order_service.domain.statuses import OrderStatus
from order_service.models import Order, OrderItem
from order_service.reports.rollup import stale_half_months
from order_service.reports.rollup_tables import (
    DAY,
    HALF_MONTH,
    sales_rollup_client,
    sales_rollup_product,
    sales_rollup_status,
    sales_rollup_supplier,
)
from shared.clock import business_timezone
from shared.i18n import Text, localize

NO_SUPPLIER = Text("Sem fornecedor", "No supplier")


def period_report(
    session: Session, window: ReportWindow, group_by: Sequence[str] = ()
) -> dict[str, Any]:
    """The report's data: period, overall and the requested groupings, in that order."""
    tune_report_transaction(session)
    stale = stale_half_months(session)
    figures = WindowFigures.read(session, rollup_spans(window.first, window.end_exclusive, stale))
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


def in_spans(table: Table, spans: RollupSpans) -> ColumnElement[bool]:
    """The rollup rows of these spans (the primary key's leading columns)."""
    return or_(
        and_(table.c.grain == HALF_MONTH, table.c.starts.in_(spans.half_months)),
        and_(table.c.grain == DAY, table.c.starts.in_(spans.days)),
    )


def _volume_sums(
    session: Session, table: Table, key: str, orders: str, spans: RollupSpans
) -> dict[Any, Sums]:
    """{key as text: its volume's orders, quantity and value} over the spans."""
    rows = session.execute(
        select(
            cast(table.c[key], String),
            func.sum(table.c[orders]),
            func.sum(table.c.quantity),
            func.sum(table.c.value),
        )
        .where(in_spans(table, spans), table.c.counted)
        .group_by(table.c[key])
    )
    return {k: Sums(int(n), int(q), Decimal(v)) for k, n, q, v in rows if n}


@dataclass
class WindowFigures:
    """The window's sales per client, status, product and supplier (ids as text); every
    grouping but `by_status` counts volume only."""

    by_client: dict[str, Sums]
    by_status: dict[str, Sums]
    by_product: dict[str, Sums]
    by_supplier: dict[str | None, Sums]

    @classmethod
    def read(cls, session: Session, spans: RollupSpans) -> WindowFigures:
        status = sales_rollup_status
        by_status = {
            name: Sums(int(n), int(q), Decimal(v))
            for name, n, q, v in session.execute(
                select(
                    status.c.status,
                    func.sum(status.c.orders),
                    func.sum(status.c.quantity),
                    func.sum(status.c.value),
                )
                .where(in_spans(status, spans))
                .group_by(status.c.status)
            )
            if n
        }
        return cls(
            by_client=_volume_sums(session, sales_rollup_client, "client_id", "orders", spans),
            by_status=by_status,
            by_product=_volume_sums(session, sales_rollup_product, "product_id", "lines", spans),
            by_supplier=_volume_sums(
                session, sales_rollup_supplier, "supplier_id", "orders", spans
            ),
        )

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


def tune_report_transaction(session: Session) -> None:
    """No JIT (compiling took 66 ms of a 600 ms report and gained less), and room to hash a
    year of rollup rows in memory."""
    session.execute(text("SET LOCAL jit = off"))
    session.execute(text("SET LOCAL work_mem = '32MB'"))


def volume() -> ColumnElement[bool]:
    """Orders that count as sales volume: not cancelled nor returned (docs/reports.md)."""
    return Order.status.not_in([s.value for s in NOT_VOLUME])


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
    names[None] = localize(NO_SUPPLIER)
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
