"""Writing one batch of imported orders: checked as POST /orders checks, written at once.

A batch is a few hundred lines (whole orders): one availability call to the stock service,
one query for the clients, then every good order's rows, `order.created` events, the
batch's line results and the job's progress in one transaction — the same rules and events
as `POST /orders`, at a fraction of the statements.

Stock: each order is checked against what the stock service reports *minus what this import
has already taken* (the stock service reserves from the events a moment later, so without
that a file with 20,000 lines of rice would pass every batch against the same shelf). The
reservation after the event remains the authority, as for any order.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from order_service.config import SERVICE_NAME
from order_service.domain.access import Actor
from order_service.domain.errors import DependencyUnavailable
from order_service.domain.items import INACTIVE_PRODUCT, UNKNOWN_PRODUCT
from order_service.imports.imported_orders import ImportedOrder, LineError
from order_service.imports.tables import ImportJob, ImportLineResult, LineOutcome
from order_service.models import Client, outbox
from order_service.orders.events import order_created_data
from order_service.orders.rows import INSERT_HISTORY, INSERT_ITEMS, INSERT_ORDERS, sale_order_rows
from order_service.stock_catalogue import CataloguedProduct, StockCatalogue
from shared import clock
from shared.db import driver_insert_many, unit_of_work
from shared.events import event_of
from shared.i18n import Text
from shared.messaging.publisher import REQUEST_ID_HEADER
from shared.outbox import record_events

# Lines per batch (a batch ends on an order's last line). The availability call takes at
# most 500 products; an order has at most 200: 300 + 200 stays within it.
BATCH_LINES = 300


def batches(
    orders: Iterable[ImportedOrder], size: int = BATCH_LINES
) -> Iterator[list[ImportedOrder]]:
    """Whole orders, about `size` lines at a time."""
    batch: list[ImportedOrder] = []
    lines = 0
    for order in orders:
        batch.append(order)
        lines += len(order.items)
        if lines >= size:
            yield batch
            batch, lines = [], 0
    if batch:
        yield batch


@dataclass
class StockAllocation:
    """What this import has taken of each product, against what it first saw available."""

    first_seen: dict[uuid.UUID, int] = field(default_factory=dict)
    taken: dict[uuid.UUID, int] = field(default_factory=dict)

    def available(self, product_id: uuid.UUID, reported: int) -> int:
        first = self.first_seen.setdefault(product_id, reported)
        return max(0, min(reported, first - self.taken.get(product_id, 0)))

    def take(self, product_id: uuid.UUID, quantity: int) -> None:
        self.taken[product_id] = self.taken.get(product_id, 0) + quantity


@dataclass(frozen=True)
class JobLease:
    """The job a batch belongs to and the lease under which it is written."""

    job_id: uuid.UUID
    lease_id: uuid.UUID
    actor: Actor
    request_id: str | None


@dataclass(frozen=True)
class BatchResult:
    lines: int
    created_lines: int
    failed_lines: int
    orders_created: int
    total_value: Decimal
    stock_unavailable: bool = False  # the lines failed because the stock service was away


class LeaseLost(Exception):
    """Another worker holds the job now: this batch is rolled back, not written twice."""


def import_batch(
    session: Session,
    *,
    lease: JobLease,
    orders: Sequence[ImportedOrder],
    stock: StockCatalogue,
    allocation: StockAllocation,
    stock_unavailable_fails_lines: bool = False,
) -> BatchResult:
    """Check, write and record one batch in one transaction; returns what it did.

    When the stock service does not answer, the batch is not written (DependencyUnavailable)
    — unless `stock_unavailable_fails_lines`, for an import answered in its request, where
    the lines fail with that reason so the user can send them again.
    """
    candidates = [order for order in orders if order.valid]
    products = _products(candidates, stock, stock_unavailable_fails_lines)
    good: list[ImportedOrder] = []
    try:
        with unit_of_work(session):
            known_clients = _live_clients(session, candidates)
            good = [o for o in candidates if _settle(o, known_clients, products, allocation)]
            created = _write_orders(session, lease, good, products)
            result = _record_results(session, lease, orders, created)
            _advance(session, lease, result)
            return replace(result, stock_unavailable=products is None)
    except BaseException:
        # The transaction did not happen: neither did what its orders took of the stock.
        for order in good:
            for item in order.items:
                allocation.take(item.product_id, -item.quantity)  # type: ignore[arg-type,operator]
        raise


def _products(
    candidates: Sequence[ImportedOrder], stock: StockCatalogue, fail_lines: bool
) -> Mapping[uuid.UUID, CataloguedProduct] | None:
    wanted: dict[uuid.UUID, int] = {}
    for order in candidates:
        for item in order.items:
            assert item.product_id is not None and item.quantity is not None
            wanted[item.product_id] = wanted.get(item.product_id, 0) + item.quantity
    if not wanted:
        return {}
    try:
        availability = stock.check_availability(list(wanted.items()))
    except DependencyUnavailable:
        if not fail_lines:
            raise
        for order in candidates:
            order.fail("product_id", _STOCK_UNAVAILABLE)
        return None
    return availability.products


def _live_clients(session: Session, orders: Sequence[ImportedOrder]) -> set[uuid.UUID]:
    ids = {order.client_id for order in orders if order.client_id is not None}
    if not ids:
        return set()
    found = session.scalars(
        select(Client.id).where(Client.id.in_(ids), Client.deleted_at.is_(None))
    )
    return set(found)


def _settle(
    order: ImportedOrder,
    clients: set[uuid.UUID],
    products: Mapping[uuid.UUID, CataloguedProduct] | None,
    allocation: StockAllocation,
) -> bool:
    """Apply the rules POST /orders applies; True when the order may be written (stock taken)."""
    if products is None or not order.valid:
        return False
    if order.client_id not in clients:
        order.fail("client_id", _CLIENT_NOT_FOUND.format(id=order.client_id))
        return False
    short: list[tuple[Any, str, int, int]] = []
    for item in order.items:
        product = products.get(item.product_id)  # type: ignore[arg-type]
        if product is None:
            item.errors.append(LineError("product_id", UNKNOWN_PRODUCT.format(id=item.product_id)))
        elif not product.active:
            item.errors.append(LineError("product_id", INACTIVE_PRODUCT.format(name=product.name)))
        else:
            available = allocation.available(product.id, product.available)
            if item.quantity > available:  # type: ignore[operator]
                short.append((item, product.name, item.quantity, available))
    for item, name, requested, available in short:
        item.errors.append(
            LineError(
                "quantity",
                _SHORTAGE.format(name=name, requested=requested, available=available),
            )
        )
    if not order.valid:
        order.fail_siblings()
        return False
    for item in order.items:
        allocation.take(item.product_id, item.quantity)  # type: ignore[arg-type]
    return True


@dataclass(frozen=True)
class _Created:
    order_id: uuid.UUID
    number: int
    total: Decimal


def _write_orders(
    session: Session,
    lease: JobLease,
    orders: Sequence[ImportedOrder],
    products: Mapping[uuid.UUID, CataloguedProduct] | None,
) -> dict[int, _Created]:
    """Insert the good orders (three statements for all of them) and their events."""
    if not orders or products is None:
        return {}
    now = clock.now()
    rows = [
        sale_order_rows(
            actor=lease.actor,
            client_id=order.client_id,  # type: ignore[arg-type]
            lines=[(item.product_id, item.quantity) for item in order.items],  # type: ignore[misc]
            products=products,
            notes=order.notes,
            desired_delivery_date=order.desired_delivery_date,
            now=now,
        )
        for order in orders
    ]
    # The same statements as POST /orders, on the driver, many rows each.
    numbers = {
        str(order_id): number
        for order_id, number in driver_insert_many(session, INSERT_ORDERS, [r.order for r in rows])
    }
    driver_insert_many(session, INSERT_ITEMS, [item for r in rows for item in r.items])
    driver_insert_many(session, INSERT_HISTORY, [r.history for r in rows])
    record_events(
        session,
        outbox,
        [
            event_of(
                order_created_data(r.order, r.items),
                source=SERVICE_NAME,
                correlation_id=lease.request_id,
            )
            for r in rows
        ],
        headers={REQUEST_ID_HEADER: lease.request_id} if lease.request_id else None,
    )
    created: dict[int, _Created] = {}
    for order, r in zip(orders, rows, strict=True):
        made = _Created(r.order["id"], numbers[str(r.order["id"])], r.order["total"])
        for line in order.lines:
            created[line] = made
    return created


_results = ImportLineResult.__table__


def _record_results(
    session: Session,
    lease: JobLease,
    orders: Sequence[ImportedOrder],
    created: Mapping[int, _Created],
) -> BatchResult:
    """One result row per line (a JSON order is one line however many items it has)."""
    rows: dict[int, dict[str, Any]] = {}
    for order in orders:
        for item in order.items:
            row = rows.get(item.line)
            if row is None:
                made = created.get(item.line)
                row = rows[item.line] = {
                    "job_id": lease.job_id,
                    "line": item.line,
                    "outcome": LineOutcome.CREATED if made else LineOutcome.FAILED,
                    "order_ref": order.ref,
                    "order_id": made.order_id if made else None,
                    "order_number": made.number if made else None,
                    "order_total": made.total if made else None,
                    "errors": [],
                    "raw": item.raw,
                }
            if row["outcome"] == LineOutcome.FAILED:
                row["errors"].extend(error.to_dict() for error in item.errors)
    if rows:
        session.execute(insert(_results), list(rows.values()))
    by_order = {made.order_id: made.total for made in created.values()}
    created_lines = sum(1 for r in rows.values() if r["outcome"] == LineOutcome.CREATED)
    return BatchResult(
        lines=len(rows),
        created_lines=created_lines,
        failed_lines=len(rows) - created_lines,
        orders_created=len(by_order),
        total_value=sum(by_order.values(), Decimal("0")),
    )


_jobs = ImportJob.__table__
_ADVANCE = (
    update(_jobs)
    .where(_jobs.c.id == bindparam("job"), _jobs.c.lease_id == bindparam("lease"))
    .values(
        processed_lines=_jobs.c.processed_lines + bindparam("lines"),
        created_lines=_jobs.c.created_lines + bindparam("created_lines"),
        failed_lines=_jobs.c.failed_lines + bindparam("failed_lines"),
        orders_created=_jobs.c.orders_created + bindparam("orders"),
        total_value=_jobs.c.total_value + bindparam("value"),
    )
    .returning(_jobs.c.id)
)


def _advance(session: Session, lease: JobLease, result: BatchResult) -> None:
    moved = session.execute(
        _ADVANCE,
        {
            "job": lease.job_id,
            "lease": lease.lease_id,
            "lines": result.lines,
            "created_lines": result.created_lines,
            "failed_lines": result.failed_lines,
            "orders": result.orders_created,
            "value": result.total_value,
        },
    ).first()
    if moved is None:
        raise LeaseLost()


_CLIENT_NOT_FOUND = Text(
    "Cliente {id} não encontrado (inexistente ou excluído).", "Client {id} not found."
)
_SHORTAGE = Text(
    "Estoque insuficiente: {name} (pedido {requested}, disponível {available}).",
    "Insufficient stock: {name} (requested {requested}, available {available}).",
)
_STOCK_UNAVAILABLE = Text(
    "O serviço de estoque não respondeu; envie esta linha de novo em instantes.",
    "The stock service did not answer; send this line again shortly.",
)
