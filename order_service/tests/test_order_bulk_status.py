"""PUT /orders/status: many orders by the rules of one, each reported, none blocking another."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from order_service.models import Order, OrderStatusChange

BULK = "/api/v1/orders/status"
PRICES = ["27.90", "5.29", "13.33", "0.01", "999.99", "42.42", "7.77"]


@pytest.fixture
def pending_reserved(placed, make_client, make_product, reserve):
    """Pending orders whose stock is reserved (approvable), one per price, quantity 3."""

    def build(prices):
        school = make_client()
        orders = []
        for price in prices:
            order = placed(school["id"], (make_product(price=price, on_hand=50)["id"], 3))
            reserve(order["id"])
            orders.append(order)
        return orders

    return build


def test_ten_ids_two_unknown_one_cancelled_approve_seven_to_the_cent(
    client, admin, pending_reserved, session, events, money
):
    good = pending_reserved(PRICES)
    [cancelled] = pending_reserved(["10.00"])
    assert client.put(f"/api/v1/orders/{cancelled['id']}", json={"status": "cancelled"},
                      headers=admin).status_code == 200  # fmt: skip
    unknown = [str(uuid.uuid4()), str(uuid.uuid4())]
    ids = [o["id"] for o in good[:4]] + unknown + [cancelled["id"]] + [o["id"] for o in good[4:]]

    response = client.put(
        BULK,
        json={"order_ids": ids, "new_status": "approved", "note": "Reunião de segunda"},
        headers=admin,
    )

    assert response.status_code == 200, response.get_data(as_text=True)
    data = money(response)["data"]
    assert response.json["message"] == "7 de 10 pedidos alterados."
    assert data["updated"] == 7
    assert data["not_found"] == unknown
    assert [(d["order_id"], d["previous_status"], d["new_status"]) for d in data["details"]] == [
        (o["id"], "pending", "approved") for o in good
    ]
    # 3 × (27.90 + 5.29 + 13.33 + 0.01 + 999.99 + 42.42 + 7.77) = 3 × 1096.71
    assert data["total_value_approved"] == Decimal("3290.13")
    assert sum(d["total"] for d in data["details"]) == Decimal("3290.13")
    [failed] = data["failed"]
    assert (failed["order_id"], failed["status"], failed["code"]) == (
        cancelled["id"],
        "cancelled",
        "illegal_transition",
    )
    assert "cancelled" in failed["reason"]
    # In the database: the seven approved with their history row and event; the rest as they were.
    statuses = dict(session.execute(select(Order.id, Order.status).where(
        Order.id.in_([uuid.UUID(o["id"]) for o in [*good, cancelled]]))).all())  # fmt: skip
    assert {str(k): v for k, v in statuses.items()} == {
        **{o["id"]: "approved" for o in good},
        cancelled["id"]: "cancelled",
    }
    notes = session.scalars(
        select(OrderStatusChange.note).where(
            OrderStatusChange.order_id == uuid.UUID(good[0]["id"]),
            OrderStatusChange.to_status == "approved",
        )
    ).all()
    assert notes == ["Reunião de segunda"]
    session.rollback()
    for order in good:
        [event] = events(session, order["id"], "order.status_changed")
        assert (event["data"]["from"], event["data"]["to"]) == ("pending", "approved")
    assert events(session, cancelled["id"], "order.status_changed")[-1]["data"]["to"] == "cancelled"


def test_an_order_without_reserved_stock_is_refused_and_the_others_move(
    client, admin, pending_reserved, placed, make_client, make_product
):
    [ready] = pending_reserved(["12.50"])
    waiting = placed(make_client()["id"], (make_product(on_hand=5)["id"], 1))  # awaiting

    data = client.put(
        BULK, json={"order_ids": [waiting["id"], ready["id"]], "new_status": "approved"},
        headers=admin,
    ).json["data"]  # fmt: skip

    assert [d["order_id"] for d in data["details"]] == [ready["id"]]
    assert [(f["order_id"], f["code"]) for f in data["failed"]] == [
        (waiting["id"], "stock_not_reserved")
    ]


def test_cancelling_in_bulk_keeps_the_reason_and_repeated_ids_count_once(
    client, admin, pending_reserved, session
):
    orders = pending_reserved(["1.00", "2.00"])
    ids = [orders[0]["id"], orders[1]["id"], orders[0]["id"]]

    data = client.put(
        BULK,
        json={"order_ids": ids, "new_status": "cancelled", "cancel_reason": "Escola fechada"},
        headers=admin,
    ).json["data"]

    assert data["updated"] == 2
    assert data["total_value_approved"] == 0
    reasons = session.scalars(
        select(Order.cancel_reason).where(Order.id.in_([uuid.UUID(o["id"]) for o in orders]))
    ).all()
    assert reasons == ["Escola fechada", "Escola fechada"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"new_status": "approved"}, "order_ids"),
        ({"order_ids": [], "new_status": "approved"}, "order_ids"),
        ({"order_ids": [str(uuid.uuid4())] * 1001, "new_status": "approved"}, "order_ids"),
        ({"order_ids": ["nope"], "new_status": "approved"}, "order_ids"),
        ({"order_ids": [str(uuid.uuid4())], "new_status": "flying"}, "new_status"),
        ({"order_ids": [str(uuid.uuid4())]}, "new_status"),
        (
            {"order_ids": [str(uuid.uuid4())], "new_status": "approved", "cancel_reason": "x"},
            "cancel_reason",
        ),
        ({"order_ids": [str(uuid.uuid4())], "new_status": "approved", "colour": 1}, "colour"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(client, admin, body, field):
    response = client.put(BULK, json=body, headers=admin)

    assert response.status_code == 400, response.get_data(as_text=True)
    assert field in [e["field"].split(".")[0] for e in response.json["errors"]]


def test_only_admin_and_staff_change_orders_in_bulk(
    client, staff, as_client, as_supplier, pending_reserved
):
    [order] = pending_reserved(["3.00"])
    body = {"order_ids": [order["id"]], "new_status": "cancelled"}
    school_id = client.get(f"/api/v1/orders/{order['id']}", headers=staff).json["data"]["client_id"]

    as_owner = client.put(BULK, json=body, headers=as_client(school_id))
    as_a_supplier = client.put(BULK, json=body, headers=as_supplier(uuid.uuid4()))
    anonymous = client.put(BULK, json=body)
    by_staff = client.put(BULK, json=body, headers=staff)

    assert (as_owner.status_code, as_a_supplier.status_code, anonymous.status_code) == (
        403,
        403,
        401,
    )
    assert by_staff.json["data"]["updated"] == 1
