"""Use cases of the order service: each one is one function and one transaction.

Every change and the event that announces it are written together (the outbox row is in the
same transaction), so an event is never lost and never sent for a rolled-back change.
Calls to the stock service happen *before* the transaction opens: no connection or row lock
is held while waiting on the network.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from order_service.config import SERVICE_NAME
from order_service.domain.access import (
    Actor,
    ensure_may_create_client,
    ensure_may_delete_client,
    ensure_may_update_client,
)
from order_service.domain.errors import (
    ClientNotFound,
    ConflictError,
    InvalidInput,
    OrderDomainError,
    OrderItemNotFound,
    OrderNotFound,
)
from order_service.domain.orders import (
    INACTIVE_PRODUCT,
    PAST_DELIVERY_DATE,
    UNKNOWN_PRODUCT,
    OrderStatus,
    OrderType,
    StockStatus,
    check_order_lines,
    check_transition,
    ensure_can_remove_item,
    ensure_items_editable,
    ensure_may_delete,
    ensure_may_edit,
    ensure_may_place_for,
    order_total,
    supplier_first_positions,
)
from order_service.models import (
    Client,
    IdempotencyKey,
    Order,
    OrderItem,
    OrderStatusChange,
    outbox,
)
from order_service.stock_catalogue import Availability, CataloguedProduct, StockCatalogue
from shared import clock
from shared.db import unit_of_work
from shared.events import (
    EventData,
    OrderCreated,
    OrderItemsChanged,
    OrderLine,
    OrderStatusChanged,
    event_of,
)
from shared.i18n import Text
from shared.messaging.publisher import REQUEST_ID_HEADER
from shared.outbox import record_event

log = logging.getLogger("pedidos.orders")

_CLIENT_UNIQUE = {
    "uq_clients_email_live": "email",
    "uq_clients_document_live": "document",
    "uq_clients_user_id_live": "user_id",
}
_DUPLICATE_CLIENT = {
    "email": Text("Já existe um cliente com este e-mail.", "A client with this email exists."),
    "document": Text(
        "Já existe um cliente com este CPF/CNPJ.", "A client with this CPF/CNPJ exists."
    ),
    "user_id": Text(
        "Este usuário já está vinculado a outro cliente.", "This user is bound to another client."
    ),
}


# -- clients ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedClient:
    client: Client
    created: bool  # False: an existing record was returned (idempotent sign-up)


def create_client(*, session: Session, actor: Actor, data: Mapping[str, Any]) -> SavedClient:
    """Register a client; the auth service's sign-up call (with user_id) is idempotent.

    Sign-up calls this with the new user's id while the user row is still uncommitted on the
    auth side. If the auth service then fails to commit, this record is left behind with a
    user that never existed; the person's next sign-up (same email and document, and a new
    user id) finds it and rebinds it instead of failing with a duplicate. Only a record made
    by sign-up, with no orders, is ever rebound.
    """
    user_id: uuid.UUID | None = data.get("user_id")
    ensure_may_create_client(actor, binds_user=user_id is not None)
    with unit_of_work(session):
        if user_id is not None:
            existing = _client_for_sign_up(session, user_id=user_id, data=data)
            if existing is not None:
                return SavedClient(existing, created=False)
        _ensure_unique_client(session, email=data["email"], document=data["document"])
        client = Client(
            id=uuid.uuid4(),
            name=data["name"],
            email=data["email"],
            document=data["document"],
            phone=data.get("phone"),
            address=data.get("address"),
            notify_whatsapp=data.get("notify_whatsapp", True),
            user_id=user_id,
            created_by=actor.subject,
        )
        session.add(client)
        _flush_client(session)
        return SavedClient(client, created=True)


def _client_for_sign_up(
    session: Session, *, user_id: uuid.UUID, data: Mapping[str, Any]
) -> Client | None:
    """The record a repeated sign-up call should get back, if any (see create_client)."""
    same_user = session.scalar(
        select(Client).where(Client.user_id == user_id, Client.deleted_at.is_(None))
    )
    if same_user is not None:
        return same_user
    orphan = session.scalar(
        select(Client)
        .where(
            Client.email == data["email"],
            Client.document == data["document"],
            Client.user_id.is_not(None),
            Client.deleted_at.is_(None),
        )
        .with_for_update()
    )
    if orphan is None:
        return None
    has_orders = session.scalar(select(Order.id).where(Order.client_id == orphan.id).limit(1))
    if has_orders is not None:
        return None  # a real customer with history: a duplicate, never taken over
    log.warning(
        "client record of an unfinished sign-up rebound to the new user",
        extra={"client_id": str(orphan.id), "user_id": str(user_id)},
    )
    orphan.user_id = user_id
    orphan.name = data["name"]
    orphan.phone = data.get("phone")
    orphan.updated_at = clock.now()
    return orphan


def update_client(
    *, session: Session, actor: Actor, client_id: uuid.UUID, data: Mapping[str, Any]
) -> Client:
    """Change a client's name, email, document, phone, address or WhatsApp opt-out."""
    ensure_may_update_client(actor)
    with unit_of_work(session):
        client = _live_client(session, client_id, lock=True)
        _ensure_unique_client(
            session, email=data.get("email"), document=data.get("document"), exclude=client.id
        )
        for name in ("name", "email", "document", "phone", "address", "notify_whatsapp"):
            if name in data:
                setattr(client, name, data[name])
        client.updated_at = clock.now()
        _flush_client(session)
        return client


def delete_client(*, session: Session, actor: Actor, client_id: uuid.UUID) -> Client:
    """Hide a client (admin): its orders and their history stay, its email/document are freed."""
    ensure_may_delete_client(actor)
    with unit_of_work(session):
        client = _live_client(session, client_id, lock=True)
        client.deleted_at = clock.now()
        client.updated_at = client.deleted_at
        return client


# Built once (each order reads its client): only the id is bound per call.
_LIVE_CLIENT = select(Client).where(
    Client.id == bindparam("client_id"), Client.deleted_at.is_(None)
)
_LIVE_CLIENT_LOCKED = _LIVE_CLIENT.with_for_update()


def _live_client(session: Session, client_id: uuid.UUID, *, lock: bool = False) -> Client:
    stmt = _LIVE_CLIENT_LOCKED if lock else _LIVE_CLIENT
    client = session.scalar(stmt, {"client_id": client_id})
    if client is None:
        raise ClientNotFound()
    return client


def _ensure_unique_client(
    session: Session,
    *,
    email: str | None,
    document: str | None,
    exclude: uuid.UUID | None = None,
) -> None:
    clashes = []
    for field, column, value in (
        ("email", Client.email, email),
        ("document", Client.document, document),
    ):
        if value is None:
            continue
        stmt = select(Client.id).where(column == value, Client.deleted_at.is_(None))
        if exclude is not None:
            stmt = stmt.where(Client.id != exclude)
        if session.scalar(stmt.limit(1)) is not None:
            clashes.append(field)
    if clashes:
        raise _duplicate_client(clashes)


def _duplicate_client(fields: Sequence[str]) -> ConflictError:
    return ConflictError(
        _DUPLICATE_CLIENT[fields[0]],
        code="duplicate",
        errors=[{"field": f, "message": _DUPLICATE_CLIENT[f]} for f in fields],
    )


def _flush_client(session: Session) -> None:
    """Flush, turning a concurrent duplicate (unique index) into the same 409."""
    try:
        session.flush()
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
        if constraint in _CLIENT_UNIQUE:
            raise _duplicate_client([_CLIENT_UNIQUE[constraint]]) from exc
        raise


# -- placing an order ---------------------------------------------------------------------


@dataclass(frozen=True)
class IdempotencyRequest:
    """The caller's Idempotency-Key and the fingerprint of the body it came with."""

    key: str
    fingerprint: str


@dataclass(frozen=True)
class PlacedOrder:
    order_id: uuid.UUID
    status_code: int
    body: str | None  # the response body (replayed verbatim for a repeated key)
    replayed: bool


class InsufficientStock(ConflictError):
    code = "insufficient_stock"


class IdempotencyKeyReused(ConflictError):
    code = "idempotency_key_reused"
    message = Text(
        "Esta Idempotency-Key já foi usada com outro corpo de requisição. "
        "Use uma chave nova para um pedido diferente.",
        "This Idempotency-Key was already used with a different request body. "
        "Use a new key for a different order.",
    )


class _KeyTaken(Exception):
    """Another request with the same key committed first: replay its response."""


@dataclass(frozen=True)
class NewOrder:
    """What place_order has just written, as written: the 201 is rendered from it."""

    order: Mapping[str, Any]  # the order row's values (and its number, from the database)
    items: Sequence[Mapping[str, Any]]  # each line's values and line_total, by position
    client: Client
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
    """Place a sale order: check stock now, then write order, items, history and event at once.

    Nothing is written when the client or a product is unknown, when the stock is short
    (409 with the shortages) or when the stock service does not answer (503). With an
    Idempotency-Key, the first response is stored with the order (`render` builds it) and
    a repeat of the same body gets it back; a concurrent repeat waits on the key's unique
    row and then replays, so one key never makes two orders.
    """
    client_id = ensure_may_place_for(actor, data.get("client_id"))
    lines = check_order_lines(data["items"])
    desired = data.get("desired_delivery_date")
    if desired is not None:
        _ensure_not_past(desired)
    if idempotency is not None:
        replay = _replay(session, actor, idempotency)
        if replay is not None:
            return replay
    try:
        availability = stock.check_availability(lines)
        products = _orderable_products(availability, lines)
    except OrderDomainError:
        # An unknown client is a 404 whatever the stock says (the client is otherwise read
        # in the write transaction below: one transaction and pool checkout fewer).
        try:
            _live_client(session, client_id)
        finally:
            session.rollback()
        raise
    try:
        with unit_of_work(session):
            client = _live_client(session, client_id)
            if idempotency is not None and not _claim_key(session, actor, idempotency):
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
                    _STORE_RESPONSE,
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
        replay = _replay(session, actor, idempotency)  # type: ignore[arg-type]
        if replay is None:  # pragma: no cover - the row was committed before we got here
            raise
        return replay


# The Idempotency-Key statements, built once: a request binds its caller, key and values.
_keys = IdempotencyKey.__table__
_STORED_KEY = select(
    _keys.c.request_fingerprint, _keys.c.order_id, _keys.c.status_code, _keys.c.response_body
).where(_keys.c.caller == bindparam("caller"), _keys.c.key == bindparam("key"))
_CLAIM_KEY = pg_insert(_keys).on_conflict_do_nothing().returning(_keys.c.key)
_STORE_RESPONSE = (
    update(_keys)
    .where(_keys.c.caller == bindparam("by_caller"), _keys.c.key == bindparam("by_key"))
    .values(
        order_id=bindparam("placed_order_id"),
        status_code=bindparam("placed_status_code"),
        response_body=bindparam("placed_body"),
    )
)


def _replay(session: Session, actor: Actor, idempotency: IdempotencyRequest) -> PlacedOrder | None:
    found = session.execute(_STORED_KEY, {"caller": actor.subject, "key": idempotency.key}).first()
    session.rollback()  # read only: end the transaction before anything slow happens
    if found is None:
        return None
    fingerprint, order_id, status_code, body = found
    if fingerprint != idempotency.fingerprint:
        raise IdempotencyKeyReused(field="Idempotency-Key")
    if order_id is None:
        raise OrderNotFound()  # the order it made was removed for good
    return PlacedOrder(order_id, status_code or 201, body, replayed=True)


def _claim_key(session: Session, actor: Actor, idempotency: IdempotencyRequest) -> bool:
    """Insert the key row; False when another request holds it (waits for it to commit)."""
    claimed = session.execute(
        _CLAIM_KEY,
        {
            "caller": actor.subject,
            "key": idempotency.key,
            "request_fingerprint": idempotency.fingerprint,
        },
    ).first()
    return claimed is not None


def _ensure_not_past(desired: date) -> None:
    if desired < clock.business_today():
        raise InvalidInput(
            errors=[{"field": "desired_delivery_date", "message": PAST_DELIVERY_DATE}]
        )


def _orderable_products(
    availability: Availability, lines: Sequence[tuple[uuid.UUID, int]]
) -> dict[uuid.UUID, CataloguedProduct]:
    """The products of `lines` as the stock describes them; 400 unknown/inactive, 409 short."""
    unknown = set(availability.unknown_product_ids)
    errors = []
    for index, (product_id, _) in enumerate(lines):
        product = availability.products.get(product_id)
        if product_id in unknown or product is None:
            errors.append(
                {
                    "field": f"items.{index}.product_id",
                    "message": UNKNOWN_PRODUCT.format(id=product_id),
                }
            )
        elif not product.active:
            errors.append(
                {
                    "field": f"items.{index}.product_id",
                    "message": INACTIVE_PRODUCT.format(name=product.name),
                }
            )
    if errors:
        raise InvalidInput(
            Text("Há produtos que não podem ser pedidos.", "Some products cannot be ordered."),
            code="unknown_product",
            errors=errors,
        )
    if availability.shortages:
        raise _insufficient_stock(availability)
    return {product_id: availability.products[product_id] for product_id, _ in lines}


def _insufficient_stock(availability: Availability) -> InsufficientStock:
    shortages = []
    described = []
    for shortage in availability.shortages:
        product = availability.products.get(shortage.product_id)
        name = product.name if product else str(shortage.product_id)
        shortages.append({**shortage.to_dict(), "product_name": name})
        described.append(f"{name} (pedido {shortage.requested}, disponível {shortage.available})")
    described_en = [
        f"{s['product_name']} (requested {s['requested']}, available {s['available']})"
        for s in shortages
    ]
    return InsufficientStock(
        Text(
            "Estoque insuficiente: " + "; ".join(described) + ". Nada foi gravado.",
            "Insufficient stock: " + "; ".join(described_en) + ". Nothing was saved.",
        ),
        data={"shortages": shortages},
    )


@dataclass(frozen=True)
class SaleOrderRows:
    """A new sale order as rows: the order, its lines by position, its first history row."""

    order: dict[str, Any]
    items: list[dict[str, Any]]
    history: dict[str, Any]


def sale_order_rows(
    *,
    actor: Actor,
    client_id: uuid.UUID,
    lines: Sequence[tuple[uuid.UUID, int]],
    products: Mapping[uuid.UUID, CataloguedProduct],
    notes: str | None,
    desired_delivery_date: date | None,
    now: datetime,
) -> SaleOrderRows:
    """The rows of a new pending sale order, each line capturing its product as it is now.

    One definition for `POST /orders` and for imports, which insert many at once.
    """
    order: dict[str, Any] = {
        "id": uuid.uuid4(),
        "type": OrderType.SALE,
        "client_id": client_id,
        "supplier_id": None,
        "status": OrderStatus.PENDING,
        "stock_status": StockStatus.AWAITING,
        "order_version": 1,
        "total": order_total((q, products[p].price) for p, q in lines),
        "notes": notes,
        "desired_delivery_date": desired_delivery_date,
        "cancel_reason": None,
        "created_by": actor.subject,
        "created_at": now,
        "updated_at": now,
        "approved_at": None,
    }
    items = [
        {
            **_captured_item_values(products[product_id], quantity, position, now, client_id),
            "order_id": order["id"],
        }
        for position, (product_id, quantity) in enumerate(lines, start=1)
    ]
    firsts = supplier_first_positions((item["position"], item["supplier_id"]) for item in items)
    for item in items:
        item["supplier_first"] = item["position"] in firsts
    history = {
        "order_id": order["id"],
        "from_status": None,
        "to_status": OrderStatus.PENDING,
        "changed_at": now,
        "changed_by": actor.subject,
        "changed_by_role": actor.role,
        "note": None,
    }
    return SaleOrderRows(order, items, history)


# Core INSERTs, built once: a new order is three statements (the lines in one multi-row
# INSERT) without the ORM's unit of work, which cost more CPU than the rest of the request.
# Imports run the same statements with many orders' rows at once (executemany, in order).
_orders_table = Order.__table__
_items_table = OrderItem.__table__
# Rows come back matched by their id (given by us), so many rows need no ordering guarantee.
INSERT_ORDERS = insert(_orders_table).returning(_orders_table.c.id, _orders_table.c.number)
INSERT_ITEMS = insert(_items_table).returning(_items_table.c.id, _items_table.c.line_total)
INSERT_HISTORY = insert(OrderStatusChange.__table__)


def _new_sale_order(
    session: Session,
    *,
    actor: Actor,
    client: Client,
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
    order["number"] = session.execute(INSERT_ORDERS, order).one().number
    # One multi-row INSERT (insertmanyvalues); line_total is computed by the database.
    line_totals = dict(session.execute(INSERT_ITEMS, items).tuples().all())
    for item in items:
        item["line_total"] = line_totals[item["id"]]
    session.execute(INSERT_HISTORY, rows.history)
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


def _captured_item_values(
    product: CataloguedProduct,
    quantity: int,
    position: int,
    order_created_at: datetime,
    client_id: uuid.UUID | None,
) -> dict[str, Any]:
    """An order line with the product as it is now: later catalogue changes never alter it.

    It carries its order's created_at and client (reports read lines alone); its
    order_status starts as the database default, pending, as every new order does.
    """
    return {
        "id": uuid.uuid4(),
        "position": position,
        "order_created_at": order_created_at,
        "client_id": client_id,
        "product_id": product.id,
        "quantity": quantity,
        "unit_price": product.price,
        "product_name": product.name,
        "unit": product.unit,
        "section": product.section,
        "category": product.category,
        "supplier_id": product.supplier_id,
        "supplier_name": product.supplier_name,
    }


def _captured_item(
    product: CataloguedProduct, quantity: int, position: int, order: Order
) -> OrderItem:
    return OrderItem(
        **_captured_item_values(product, quantity, position, order.created_at, order.client_id)
    )


# -- changing an order --------------------------------------------------------------------


def update_order(
    *,
    session: Session,
    actor: Actor,
    order_id: uuid.UUID,
    changes: Mapping[str, Any],
    request_id: str | None = None,
) -> Order:
    """Change notes / desired delivery date and/or move the order along its lifecycle.

    The order row is locked, so a status change and a concurrent item edit or stock reply
    are applied one after the other (approval sees the stock status of that moment).
    """
    with unit_of_work(session):
        order = _lock_live_order(session, order_id)
        facts = order.facts()
        edits = {k: changes[k] for k in ("notes", "desired_delivery_date") if k in changes}
        if edits:
            ensure_may_edit(actor, facts)
            desired = edits.get("desired_delivery_date")
            if desired is not None and desired != order.desired_delivery_date:
                _ensure_not_past(desired)
            for name, value in edits.items():
                setattr(order, name, value)
        now = clock.now()
        if changes.get("status") is not None:
            move_order(
                session,
                order,
                OrderStatus(changes["status"]),
                actor=actor,
                at=now,
                note=changes.get("note"),
                cancel_reason=changes.get("cancel_reason"),
                request_id=request_id,
            )
        order.updated_at = now
        return order


def move_order(
    session: Session,
    order: Order,
    target: OrderStatus,
    *,
    actor: Actor,
    at: datetime,
    note: str | None = None,
    cancel_reason: str | None = None,
    request_id: str | None = None,
) -> OrderStatus:
    """Move a locked order to `target` (lifecycle and permission checked first), with its
    history row and its event, in the caller's transaction. Returns the previous status.

    The one way an order's status changes on request: PUT /orders/{id} and the bulk change.
    """
    check_transition(order=order.facts(), target=target, actor=actor)
    previous = OrderStatus(order.status)
    order.status = target
    order.updated_at = at
    if target == OrderStatus.APPROVED:
        order.approved_at = at
    if target == OrderStatus.CANCELLED:
        order.cancel_reason = cancel_reason
    session.add(
        OrderStatusChange(
            order_id=order.id,
            from_status=previous,
            to_status=target,
            changed_at=at,
            changed_by=actor.subject,
            changed_by_role=actor.role,
            note=note,
        )
    )
    _record_status_changed(
        session, order, previous=previous, actor=actor, at=at, request_id=request_id
    )
    return previous


def delete_order(
    *, session: Session, actor: Actor, order_id: uuid.UUID, request_id: str | None = None
) -> Order:
    """Hide an order from lists and reports (admin, staff); the stock releases what it held."""
    ensure_may_delete(actor)
    with unit_of_work(session):
        order = _lock_live_order(session, order_id)
        now = clock.now()
        order.deleted_at = now
        order.deleted_by = actor.subject
        order.updated_at = now
        for item in order.items:
            item.order_live = False
        status = OrderStatus(order.status)
        _record_status_changed(
            session,
            order,
            previous=status,
            actor=actor,
            at=now,
            request_id=request_id,
            deleted=True,
        )
        return order


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
    order = _live_order(session, order_id)
    _ensure_items_may_change(actor, order)
    _ensure_not_on_order(order, product_id)
    session.rollback()
    availability = stock.check_availability([(product_id, quantity)])
    product = _orderable_products(availability, [(product_id, quantity)])[product_id]
    with unit_of_work(session):
        # ...and check again under the lock: the order may have moved meanwhile.
        order = _lock_live_order(session, order_id)
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
        return _live_order(session, order_id)  # the same quantity: nothing to do
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
            raise _insufficient_stock(replace(availability, shortages=shortages))
    with unit_of_work(session):
        # Checked again under the lock: the order may have moved meanwhile.
        order = _lock_live_order(session, order_id)
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
    order = _live_order(session, order_id)
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
        order = _lock_live_order(session, order_id)
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
    _record(
        session,
        OrderItemsChanged(
            order_id=order.id,
            order_version=order.order_version,
            order_type=OrderType(order.type).value,
            items=_event_items(order),
        ),
        request_id,
    )


# -- shared by the use cases --------------------------------------------------------------


def _live_order(session: Session, order_id: uuid.UUID) -> Order:
    order = session.scalar(select(Order).where(Order.id == order_id, Order.deleted_at.is_(None)))
    if order is None:
        raise OrderNotFound()
    return order


def _lock_live_order(session: Session, order_id: uuid.UUID) -> Order:
    order = session.scalar(
        select(Order)
        .where(Order.id == order_id, Order.deleted_at.is_(None))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if order is None:
        raise OrderNotFound()
    return order


def _event_items(order: Order) -> list[OrderLine]:
    return [
        OrderLine(item.product_id, item.quantity)
        for item in sorted(order.items, key=lambda i: i.position)
    ]


def _record(session: Session, data: EventData, request_id: str | None) -> None:
    record_event(
        session,
        outbox,
        event_of(data, source=SERVICE_NAME, correlation_id=request_id),
        headers={REQUEST_ID_HEADER: request_id} if request_id else None,
    )


def record_order_created(
    session: Session,
    order: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    request_id: str | None,
) -> None:
    _record(session, order_created_data(order, items), request_id)


def order_created_data(
    order: Mapping[str, Any], items: Sequence[Mapping[str, Any]]
) -> OrderCreated:
    """The `order.created` event's data for a new order's rows (one shape for every producer)."""
    sale = order["type"] == OrderType.SALE
    return OrderCreated(
        order_id=order["id"],
        order_version=order["order_version"],
        order_type=OrderType(order["type"]).value,
        client_id=order["client_id"] if sale else None,
        supplier_id=None if sale else order["supplier_id"],
        items=[
            OrderLine(item["product_id"], item["quantity"])
            for item in sorted(items, key=lambda i: i["position"])
        ],
    )


def _record_status_changed(
    session: Session,
    order: Order,
    *,
    previous: OrderStatus,
    actor: Actor,
    at: datetime,
    request_id: str | None,
    deleted: bool = False,
) -> None:
    _record(
        session,
        OrderStatusChanged(
            order_id=order.id,
            order_version=order.order_version,
            order_type=OrderType(order.type).value,
            from_status=previous.value,
            to_status=OrderStatus(order.status).value,
            by=actor.subject,
            at=at,
            deleted=deleted,
            items=_event_items(order),
        ),
        request_id,
    )
