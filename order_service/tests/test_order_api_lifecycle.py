"""PUT/DELETE /orders/{id}: the lifecycle, who may move an order, history and events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from order_service.models import Order, OrderItem, OrderStatusChange
from shared.clock import business_today
from shared.db import unit_of_work

ORDERS = "/api/v1/orders"


@pytest.fixture
def sale_order(placed, make_client, make_product):
    def build():
        school = make_client()
        product = make_product(on_hand=20)
        return placed(school["id"], (product["id"], 2)), school, product

    return build


@pytest.fixture
def replenishment_order(session):
    """A replenishment order addressed to a supplier (created by a later issue's use case)."""

    def build(supplier_id: str, status: str = "approved") -> str:
        order_id = uuid.uuid4()
        now = datetime.now(UTC)
        with unit_of_work(session):
            order = Order(
                id=order_id,
                type="replenishment",
                supplier_id=uuid.UUID(supplier_id),
                status=status,
                stock_status="not_required",
                order_version=1,
                total=Decimal("50.00"),
                created_by="test",
                created_at=now,
                approved_at=None if status == "pending" else now,
            )
            order.items = [
                OrderItem(
                    id=uuid.uuid4(),
                    position=1,
                    product_id=uuid.uuid4(),
                    quantity=5,
                    unit_price=Decimal("10.00"),
                    product_name="Arroz",
                    unit="pct",
                    supplier_id=uuid.UUID(supplier_id),
                    order_created_at=now,
                )
            ]
            session.add(order)
            session.flush()
            session.add(
                OrderStatusChange(
                    order_id=order_id,
                    to_status=status,
                    changed_at=now,
                    changed_by="test",
                    changed_by_role="staff",
                )
            )
        return str(order_id)

    return build


def move(client, order_id: str, headers, **body):
    return client.put(f"{ORDERS}/{order_id}", json=body, headers=headers)


def test_an_order_goes_all_the_way_with_history_and_events(
    client, admin, staff, sale_order, reserve, session, events
):
    order, _, product = sale_order()
    reserve(order["id"])

    steps = [("approved", admin), ("processing", staff), ("shipped", staff), ("delivered", admin)]
    for status, who in steps:
        response = move(client, order["id"], who, status=status, note=f"para {status}")
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.json["data"]["status"] == status

    detail = client.get(f"{ORDERS}/{order['id']}", headers=admin).json["data"]
    history = detail["status_history"]
    assert [(h["from"], h["to"]) for h in history] == [
        (None, "pending"),
        ("pending", "approved"),
        ("approved", "processing"),
        ("processing", "shipped"),
        ("shipped", "delivered"),
    ]
    assert [h["by_role"] for h in history] == ["admin", "admin", "staff", "staff", "admin"]
    assert all(h["at"] and h["by"] for h in history)
    assert history[2]["note"] == "para processing"
    assert detail["approved_at"]
    changes = events(session, order["id"], "order.status_changed")
    assert [(e["data"]["from"], e["data"]["to"]) for e in changes] == [
        ("pending", "approved"),
        ("approved", "processing"),
        ("processing", "shipped"),
        ("shipped", "delivered"),
    ]
    shipped = changes[2]["data"]
    assert set(shipped) == {
        "order_id",
        "order_version",
        "order_type",
        "from",
        "to",
        "by",
        "at",
        "deleted",
        "items",
    }
    assert shipped["order_type"] == "sale"
    assert shipped["order_version"] == 1
    assert shipped["deleted"] is False
    assert shipped["items"] == [{"product_id": product["id"], "quantity": 2}]
    assert shipped["at"].endswith("Z")


def test_an_illegal_move_is_a_409_naming_the_allowed_ones(client, admin, sale_order):
    order, _, _ = sale_order()

    response = move(client, order["id"], admin, status="shipped")

    assert response.status_code == 409
    body = response.json
    assert body["code"] == "illegal_transition"
    assert body["data"]["allowed"] == ["approved", "cancelled"]
    assert "approved, cancelled" in body["message"]
    assert body["errors"][0]["field"] == "status"


def test_an_order_awaiting_stock_cannot_be_approved(client, admin, sale_order, session):
    order, _, _ = sale_order()

    response = move(client, order["id"], admin, status="approved")

    assert response.status_code == 409
    assert response.json["code"] == "stock_not_reserved"
    again = client.get(f"{ORDERS}/{order['id']}", headers=admin).json["data"]
    assert again["status"] == "pending"
    assert len(again["status_history"]) == 1


def test_cancelling_keeps_the_reason_and_publishes_the_change(
    client, staff, sale_order, session, events
):
    order, _, _ = sale_order()

    response = move(
        client, order["id"], staff, status="cancelled", cancel_reason="Escola em recesso"
    )

    assert response.status_code == 200
    assert response.json["data"]["cancel_reason"] == "Escola em recesso"
    [change] = events(session, order["id"], "order.status_changed")
    assert (change["data"]["from"], change["data"]["to"]) == ("pending", "cancelled")
    assert move(client, order["id"], staff, status="approved").status_code == 409


def test_notes_and_delivery_date_change_without_a_status(
    client, admin, sale_order, events, session
):
    order, _, _ = sale_order()
    day = (business_today() + timedelta(days=10)).isoformat()

    response = move(client, order["id"], admin, notes="Portão lateral", desired_delivery_date=day)

    assert response.status_code == 200
    assert response.json["data"]["notes"] == "Portão lateral"
    assert response.json["data"]["desired_delivery_date"] == day
    assert events(session, order["id"], "order.status_changed") == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, None),
        ({"status": "aprovado"}, "status"),
        ({"status": "cancelled", "cancel_reason": 5}, "cancel_reason"),
        ({"status": "approved", "cancel_reason": "x"}, "cancel_reason"),
        ({"notes": "x", "note": "sem status"}, "note"),
        ({"desired_delivery_date": "2020-01-01"}, "desired_delivery_date"),
        ({"desired_delivery_date": "amanhã"}, "desired_delivery_date"),
        ({"status": "approved", "extra": True}, "extra"),
    ],
)
def test_bad_changes_are_a_400(client, admin, sale_order, body, field):
    order, _, _ = sale_order()

    response = move(client, order["id"], admin, **body)

    assert response.status_code == 400, response.get_data(as_text=True)
    assert field in [e["field"] for e in response.json["errors"]]


def test_unknown_and_malformed_order_ids_are_404(client, admin):
    assert move(client, str(uuid.uuid4()), admin, notes="x").status_code == 404
    response = client.put(f"{ORDERS}/not-a-uuid", json={"notes": "x"}, headers=admin)
    assert response.status_code == 404
    assert response.json["status"] == "error"


# -- who --------------------------------------------------------------------------------


def test_a_client_may_cancel_its_own_pending_order_but_not_approve_it(
    client, as_client, sale_order, reserve
):
    order, school, _ = sale_order()
    reserve(order["id"])
    mine = as_client(school["id"])

    assert move(client, order["id"], mine, status="approved").status_code == 403
    edited = move(client, order["id"], mine, notes="Sem lactose, por favor")
    assert edited.status_code == 200
    cancelled = move(client, order["id"], mine, status="cancelled", cancel_reason="Desisti")
    assert cancelled.status_code == 200
    assert cancelled.json["data"]["status_history"][-1]["by_role"] == "client"


def test_a_client_may_not_change_its_order_once_approved(
    client, admin, as_client, sale_order, reserve
):
    order, school, _ = sale_order()
    reserve(order["id"])
    move(client, order["id"], admin, status="approved")
    mine = as_client(school["id"])

    assert move(client, order["id"], mine, status="cancelled").status_code == 409
    assert move(client, order["id"], mine, notes="mudei de ideia").status_code == 409


def test_another_client_gets_403_everywhere(client, as_client, make_client, sale_order):
    order, _, _ = sale_order()
    stranger = as_client(make_client()["id"])

    assert client.get(f"{ORDERS}/{order['id']}", headers=stranger).status_code == 403
    assert move(client, order["id"], stranger, status="cancelled").status_code == 403
    assert client.get(f"{ORDERS}/{order['id']}/items", headers=stranger).status_code == 403
    assert client.delete(f"{ORDERS}/{order['id']}", headers=stranger).status_code == 403


def test_a_supplier_sees_orders_with_its_products_but_does_not_change_them(
    client, as_supplier, make_supplier, make_product, make_client, placed, reserve, admin
):
    supplier = make_supplier()
    product = make_product(supplier_id=supplier["id"])
    order = placed(make_client()["id"], (product["id"], 1))
    reserve(order["id"])
    move(client, order["id"], admin, status="approved")
    own = as_supplier(supplier["id"])

    seen = client.get(f"{ORDERS}/{order['id']}", headers=own)
    assert seen.status_code == 200
    assert seen.json["data"]["items"][0]["supplier_name"] == supplier["name"]
    assert move(client, order["id"], own, status="processing").status_code == 403
    assert move(client, order["id"], own, notes="x").status_code == 403
    assert client.delete(f"{ORDERS}/{order['id']}", headers=own).status_code == 403
    other = as_supplier(make_supplier()["id"])
    assert client.get(f"{ORDERS}/{order['id']}", headers=other).status_code == 403


def test_a_supplier_moves_the_replenishment_orders_addressed_to_it(
    client, as_supplier, replenishment_order, admin
):
    supplier_id = str(uuid.uuid4())
    order_id = replenishment_order(supplier_id, status="approved")
    own = as_supplier(supplier_id)

    for status in ("processing", "shipped", "delivered"):
        response = move(client, order_id, own, status=status)
        assert response.status_code == 200, response.get_data(as_text=True)
    assert move(client, order_id, own, status="returned").status_code == 403
    assert (
        move(client, order_id, as_supplier(str(uuid.uuid4())), status="returned").status_code == 403
    )
    history = client.get(f"{ORDERS}/{order_id}", headers=admin).json["data"]["status_history"]
    assert [h["by_role"] for h in history[1:]] == ["supplier", "supplier", "supplier"]


# -- delete -----------------------------------------------------------------------------


def test_deleting_hides_the_order_and_asks_the_stock_to_release(
    client, staff, sale_order, session, events, reserve
):
    order, school, product = sale_order()
    reserve(order["id"])

    response = client.delete(f"{ORDERS}/{order['id']}", headers=staff)

    assert response.status_code == 200
    assert client.get(f"{ORDERS}/{order['id']}", headers=staff).status_code == 404
    listed = client.get(ORDERS, query_string={"client_id": school["id"]}, headers=staff).json
    assert listed["data"] == []
    [deleted] = events(session, order["id"], "order.status_changed")
    assert deleted["data"]["deleted"] is True
    assert deleted["data"]["from"] == deleted["data"]["to"] == "pending"
    assert deleted["data"]["items"] == [{"product_id": product["id"], "quantity": 2}]
    assert client.delete(f"{ORDERS}/{order['id']}", headers=staff).status_code == 404


def test_a_supplier_lists_orders_addressed_to_it_even_for_other_suppliers_products(
    client, as_supplier, replenishment_order, session
):
    supplier_id = str(uuid.uuid4())
    addressed = replenishment_order(supplier_id, status="approved")
    # Its line names another supplier: the order is found because it is addressed to ours.
    with unit_of_work(session):
        session.query(OrderItem).filter(OrderItem.order_id == uuid.UUID(addressed)).update(
            {"supplier_id": uuid.uuid4()}
        )
    newer = replenishment_order(supplier_id, status="approved")  # its line names ours

    first = client.get(ORDERS, query_string={"page_size": 1}, headers=as_supplier(supplier_id))
    second = client.get(
        ORDERS, query_string={"page_size": 1, "page": 2}, headers=as_supplier(supplier_id)
    )

    assert first.json["meta"]["total"] == 2
    assert [o["id"] for o in first.json["data"]] == [newer]
    assert [o["id"] for o in second.json["data"]] == [addressed]


def test_an_order_names_the_moves_its_reader_may_make(
    client, admin, placed, reserve, make_client, make_product, as_client
):
    school = make_client()
    order = placed(school["id"], (make_product()["id"], 1))

    def allowed(headers):
        response = client.get(f"/api/v1/orders/{order['id']}", headers=headers)
        assert response.status_code == 200
        return response.json["data"]["allowed_transitions"]

    waiting = allowed(admin)  # approving waits for the reservation
    reserve(order["id"])

    assert order["allowed_transitions"] == ["cancelled"]  # the 201 says it too
    assert waiting == ["cancelled"]
    assert allowed(admin) == ["approved", "cancelled"]
    assert allowed(as_client(school["id"])) == ["cancelled"]  # its own, pending
