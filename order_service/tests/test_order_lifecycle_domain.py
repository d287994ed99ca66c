"""The order's rules as plain Python: lifecycle, who may move an order, scope, money, saga."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from order_service.domain.access import Actor, ActorRole
from order_service.domain.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInput,
    OrderNotEditable,
)
from order_service.domain.items import (
    check_order_lines,
    ensure_can_remove_item,
    ensure_items_editable,
)
from order_service.domain.lifecycle import (
    TRANSITIONS,
    IllegalTransition,
    StockNotReserved,
    allowed_transitions,
    check_transition,
    may_transition,
)
from order_service.domain.scope import (
    can_view,
    ensure_list_filters_in_scope,
    ensure_may_delete,
    ensure_may_edit,
    ensure_may_place_for,
)
from order_service.domain.statuses import OrderFacts, OrderStatus, OrderType, StockStatus
from order_service.domain.stock_replies import stock_reply_applies
from order_service.domain.totals import line_total, order_total

S = OrderStatus
CLIENT_ID, OTHER_CLIENT = uuid.uuid4(), uuid.uuid4()
SUPPLIER_ID, OTHER_SUPPLIER = uuid.uuid4(), uuid.uuid4()

ADMIN = Actor("u-admin", ActorRole.ADMIN)
STAFF = Actor("u-staff", ActorRole.STAFF)
CLIENT = Actor("u-client", ActorRole.CLIENT, client_id=CLIENT_ID)
OTHER = Actor("u-other", ActorRole.CLIENT, client_id=OTHER_CLIENT)
SUPPLIER = Actor("u-supplier", ActorRole.SUPPLIER, supplier_id=SUPPLIER_ID)
SERVICE = Actor("service:auth_service", ActorRole.SERVICE)


def sale(status: OrderStatus = S.PENDING, stock: StockStatus = StockStatus.RESERVED, **kw):
    return OrderFacts(
        type=OrderType.SALE,
        status=status,
        stock_status=stock,
        client_id=CLIENT_ID,
        item_supplier_ids=frozenset({SUPPLIER_ID}),
        **kw,
    )


def replenishment(status: OrderStatus = S.APPROVED, supplier_id=SUPPLIER_ID):
    return OrderFacts(
        type=OrderType.REPLENISHMENT,
        status=status,
        stock_status=StockStatus.NOT_REQUIRED,
        supplier_id=supplier_id,
    )


# -- the lifecycle ------------------------------------------------------------------------

LEGAL = {
    (S.PENDING, S.APPROVED),
    (S.PENDING, S.CANCELLED),
    (S.APPROVED, S.PROCESSING),
    (S.APPROVED, S.CANCELLED),
    (S.PROCESSING, S.SHIPPED),
    (S.PROCESSING, S.CANCELLED),
    (S.SHIPPED, S.DELIVERED),
    (S.SHIPPED, S.RETURNED),
    (S.DELIVERED, S.RETURNED),
}


def test_the_transition_table_is_exactly_the_specs():
    table = {(src, dst) for src, targets in TRANSITIONS.items() for dst in targets}

    assert table == LEGAL
    assert set(TRANSITIONS) == set(OrderStatus)


@pytest.mark.parametrize("current", list(OrderStatus))
@pytest.mark.parametrize("target", list(OrderStatus))
def test_admin_may_make_every_legal_move_and_no_other(current, target):
    order = sale(current)

    if (current, target) in LEGAL:
        check_transition(order=order, target=target, actor=ADMIN)
    else:
        with pytest.raises(IllegalTransition) as refused:
            check_transition(order=order, target=target, actor=ADMIN)
        assert refused.value.data["allowed"] == [s.value for s in TRANSITIONS[current]]


def test_an_illegal_move_names_the_allowed_ones():
    with pytest.raises(IllegalTransition) as refused:
        check_transition(order=sale(S.PENDING), target=S.SHIPPED, actor=STAFF)

    error = refused.value
    assert error.code == "illegal_transition"
    assert error.data == {
        "current": "pending",
        "requested": "shipped",
        "allowed": ["approved", "cancelled"],
    }
    assert "approved, cancelled" in error.message.pt
    assert "approved, cancelled" in error.message.en


def test_a_final_status_allows_nothing():
    with pytest.raises(IllegalTransition) as refused:
        check_transition(order=sale(S.CANCELLED), target=S.PENDING, actor=ADMIN)

    assert refused.value.data["allowed"] == []


@pytest.mark.parametrize("stock", [StockStatus.AWAITING, StockStatus.REJECTED])
def test_approval_requires_reserved_stock(stock):
    with pytest.raises(StockNotReserved) as refused:
        check_transition(order=sale(S.PENDING, stock), target=S.APPROVED, actor=STAFF)

    assert refused.value.data == {"stock_status": stock.value}


def test_a_rejected_order_may_still_be_cancelled():
    check_transition(order=sale(S.PENDING, StockStatus.REJECTED), target=S.CANCELLED, actor=STAFF)


def test_a_replenishment_order_needs_no_reservation_to_be_approved():
    check_transition(order=replenishment(S.PENDING), target=S.APPROVED, actor=STAFF)


# -- who may move an order ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "order", "target", "allowed"),
    [
        (STAFF, sale(S.PENDING), S.APPROVED, True),
        (ADMIN, sale(S.SHIPPED), S.RETURNED, True),
        (CLIENT, sale(S.PENDING), S.CANCELLED, True),
        (CLIENT, sale(S.PENDING), S.APPROVED, False),
        (CLIENT, sale(S.APPROVED), S.CANCELLED, False),
        (OTHER, sale(S.PENDING), S.CANCELLED, False),
        (SUPPLIER, replenishment(S.APPROVED), S.PROCESSING, True),
        (SUPPLIER, replenishment(S.PROCESSING), S.SHIPPED, True),
        (SUPPLIER, replenishment(S.SHIPPED), S.DELIVERED, True),
        (SUPPLIER, replenishment(S.PENDING), S.APPROVED, False),
        (SUPPLIER, replenishment(S.APPROVED), S.CANCELLED, False),
        (SUPPLIER, replenishment(S.APPROVED, OTHER_SUPPLIER), S.PROCESSING, False),
        (SUPPLIER, sale(S.APPROVED), S.PROCESSING, False),  # its products, not addressed to it
        (SERVICE, sale(S.PENDING), S.CANCELLED, False),
    ],
)
def test_who_may_move_an_order(actor, order, target, allowed):
    assert may_transition(actor, order, target) is allowed


def test_a_client_may_not_approve_its_own_order():
    with pytest.raises(ForbiddenError):
        check_transition(order=sale(S.PENDING), target=S.APPROVED, actor=CLIENT)


def test_a_client_cancelling_after_approval_is_too_late_not_forbidden():
    with pytest.raises(OrderNotEditable):
        check_transition(order=sale(S.APPROVED), target=S.CANCELLED, actor=CLIENT)


def test_a_supplier_may_ship_only_what_is_addressed_to_it():
    check_transition(order=replenishment(S.PROCESSING), target=S.SHIPPED, actor=SUPPLIER)
    with pytest.raises(ForbiddenError):
        check_transition(order=sale(S.PROCESSING), target=S.SHIPPED, actor=SUPPLIER)


# -- scope --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "order", "visible"),
    [
        (ADMIN, sale(), True),
        (STAFF, replenishment(), True),
        (CLIENT, sale(), True),
        (OTHER, sale(), False),
        (SUPPLIER, sale(), True),  # one of its products is on the order
        (SUPPLIER, replenishment(), True),  # addressed to it
        (SUPPLIER, replenishment(supplier_id=OTHER_SUPPLIER), False),
        (Actor("x", ActorRole.SUPPLIER, supplier_id=OTHER_SUPPLIER), sale(), False),
        (Actor("x", ActorRole.CLIENT), sale(), False),  # a client user bound to nothing
        (SERVICE, sale(), False),
    ],
)
def test_who_sees_an_order(actor, order, visible):
    assert can_view(actor, order) is visible


def test_a_client_edits_its_own_order_only_while_pending():
    ensure_may_edit(CLIENT, sale(S.PENDING))
    with pytest.raises(OrderNotEditable):
        ensure_may_edit(CLIENT, sale(S.APPROVED))
    with pytest.raises(ForbiddenError):
        ensure_may_edit(OTHER, sale(S.PENDING))
    with pytest.raises(ForbiddenError):
        ensure_may_edit(SUPPLIER, sale(S.PENDING))
    ensure_may_edit(STAFF, sale(S.SHIPPED))


def test_a_client_orders_only_for_itself_and_staff_must_choose():
    assert ensure_may_place_for(CLIENT, None) == CLIENT_ID
    assert ensure_may_place_for(CLIENT, CLIENT_ID) == CLIENT_ID
    assert ensure_may_place_for(STAFF, OTHER_CLIENT) == OTHER_CLIENT
    with pytest.raises(ForbiddenError):
        ensure_may_place_for(CLIENT, OTHER_CLIENT)
    with pytest.raises(ForbiddenError):
        ensure_may_place_for(SUPPLIER, CLIENT_ID)
    with pytest.raises(InvalidInput):
        ensure_may_place_for(STAFF, None)


def test_only_admin_and_staff_delete_orders():
    ensure_may_delete(ADMIN)
    ensure_may_delete(STAFF)
    for actor in (CLIENT, SUPPLIER, SERVICE):
        with pytest.raises(ForbiddenError):
            ensure_may_delete(actor)


def test_list_filters_outside_the_callers_scope_are_refused():
    ensure_list_filters_in_scope(CLIENT, client_id=CLIENT_ID, supplier_id=None)
    ensure_list_filters_in_scope(SUPPLIER, client_id=None, supplier_id=SUPPLIER_ID)
    with pytest.raises(ForbiddenError):
        ensure_list_filters_in_scope(CLIENT, client_id=OTHER_CLIENT, supplier_id=None)
    with pytest.raises(ForbiddenError):
        ensure_list_filters_in_scope(SUPPLIER, client_id=None, supplier_id=OTHER_SUPPLIER)
    with pytest.raises(ForbiddenError):
        ensure_list_filters_in_scope(SERVICE, client_id=None, supplier_id=None)


# -- items --------------------------------------------------------------------------------


def test_items_change_only_while_pending():
    ensure_items_editable(S.PENDING)
    for status in set(OrderStatus) - {S.PENDING}:
        with pytest.raises(ConflictError):
            ensure_items_editable(status)


def test_the_last_item_cannot_be_removed():
    ensure_can_remove_item(2)
    with pytest.raises(ConflictError) as refused:
        ensure_can_remove_item(1)
    assert refused.value.code == "last_item"


def test_order_lines_need_whole_positive_quantities_and_distinct_products():
    a, b = uuid.uuid4(), uuid.uuid4()

    assert check_order_lines([{"product_id": a, "quantity": 2}]) == [(a, 2)]
    with pytest.raises(InvalidInput) as refused:
        check_order_lines(
            [
                {"product_id": a, "quantity": 0},
                {"product_id": b, "quantity": True},
                {"product_id": a, "quantity": 1},
                {"product_id": "x", "quantity": 1},
            ]
        )
    fields = [e["field"] for e in refused.value.errors]
    assert fields == [
        "items.0.quantity",
        "items.1.quantity",
        "items.2.product_id",
        "items.3.product_id",
    ]
    with pytest.raises(InvalidInput):
        check_order_lines([])


# -- money --------------------------------------------------------------------------------


def test_totals_are_exact_decimals():
    assert line_total(3, Decimal("0.10")) == Decimal("0.30")
    assert order_total([(3, Decimal("27.90")), (7, Decimal("5.29"))]) == Decimal("120.73")
    # The classic float trap: 0.1 × 3 summed ten times is exactly 3.00 here.
    assert order_total([(3, Decimal("0.10"))] * 10) == Decimal("3.00")
    assert order_total([]) == Decimal("0.00")
    assert str(order_total([(1, Decimal("5"))])) == "5.00"


# -- the saga -----------------------------------------------------------------------------


def reply(**changes):
    facts = {
        "status": S.PENDING,
        "stock_status": StockStatus.AWAITING,
        "order_version": 2,
        "reply_version": 2,
        "deleted": False,
    }
    return stock_reply_applies(**{**facts, **changes})


def test_a_reply_to_the_current_version_of_an_awaiting_order_applies():
    assert reply() is True


@pytest.mark.parametrize(
    "changes",
    [
        {"reply_version": 1},  # the items changed since
        {"reply_version": 3},  # not a version we ever sent
        {"stock_status": StockStatus.RESERVED},  # already answered
        {"stock_status": StockStatus.REJECTED},
        {"status": S.CANCELLED},
        {"deleted": True},
    ],
)
def test_old_repeated_or_late_replies_change_nothing(changes):
    assert reply(**changes) is False


@pytest.mark.parametrize(
    ("actor", "status", "stock", "allowed"),
    [
        (Actor("s", ActorRole.STAFF), "pending", "awaiting", ["cancelled"]),
        (Actor("s", ActorRole.STAFF), "pending", "reserved", ["approved", "cancelled"]),
        (Actor("a", ActorRole.ADMIN), "shipped", "reserved", ["delivered", "returned"]),
        (Actor("s", ActorRole.STAFF), "cancelled", "rejected", []),
    ],
)
def test_the_allowed_transitions_are_the_moves_the_rules_let_through(actor, status, stock, allowed):
    order = OrderFacts(
        type=OrderType.SALE,
        status=OrderStatus(status),
        stock_status=StockStatus(stock),
        client_id=uuid.uuid4(),
    )

    assert [s.value for s in allowed_transitions(actor, order)] == allowed


def test_a_client_may_only_cancel_its_own_pending_order():
    mine, other = uuid.uuid4(), uuid.uuid4()
    client = Actor("c", ActorRole.CLIENT, client_id=mine)

    def facts(status, owner):
        return OrderFacts(
            type=OrderType.SALE,
            status=OrderStatus(status),
            stock_status=StockStatus.RESERVED,
            client_id=owner,
        )

    assert allowed_transitions(client, facts("pending", mine)) == [OrderStatus.CANCELLED]
    assert allowed_transitions(client, facts("approved", mine)) == []
    assert allowed_transitions(client, facts("pending", other)) == []
