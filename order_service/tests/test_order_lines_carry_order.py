"""Order lines carry their order's status and client (migration 0006): reports read lines alone."""

from __future__ import annotations

import uuid

from sqlalchemy import select, text

from order_service.models import OrderItem


def lines_of(session, order_id):
    rows = session.execute(
        select(OrderItem.order_status, OrderItem.client_id).where(
            OrderItem.order_id == uuid.UUID(order_id)
        )
    ).all()
    session.rollback()
    return rows


def test_a_line_follows_every_status_change_and_keeps_its_client(
    client, admin, session, placed, make_client, make_product, reserve
):
    school = make_client()
    order = placed(school["id"], (make_product()["id"], 1))
    added = client.post(
        f"/api/v1/orders/{order['id']}/items",
        json={"product_id": make_product()["id"], "quantity": 2},
        headers=admin,
    )
    assert added.status_code == 201, added.get_data(as_text=True)
    school_id = uuid.UUID(school["id"])
    assert lines_of(session, order["id"]) == [("pending", school_id)] * 2

    reserve(order["id"], version=2)
    for status in ("approved", "processing", "cancelled"):
        moved = client.put(f"/api/v1/orders/{order['id']}", json={"status": status}, headers=admin)
        assert moved.status_code == 200, moved.get_data(as_text=True)
        assert lines_of(session, order["id"]) == [(status, school_id)] * 2


def test_the_database_keeps_them_equal_whatever_writes_the_status(
    session, placed, make_client, make_product
):
    order = placed(make_client()["id"], (make_product()["id"], 1))
    session.execute(
        text("UPDATE orders.orders SET status = 'cancelled' WHERE id = :id"), {"id": order["id"]}
    )
    session.commit()
    assert [status for status, _ in lines_of(session, order["id"])] == ["cancelled"]


def firsts_of(session, order_id):
    rows = session.execute(
        select(OrderItem.product_id, OrderItem.supplier_first).where(
            OrderItem.order_id == uuid.UUID(order_id)
        )
    ).all()
    session.rollback()
    return {str(product_id) for product_id, first in rows if first}


def test_each_suppliers_first_line_is_marked_through_adds_and_removals(
    client, admin, session, placed, make_client, make_product, make_supplier
):
    a, b = make_supplier(), make_supplier()
    rice = make_product(supplier_id=a["id"])
    beans = make_product(supplier_id=a["id"])
    oil = make_product(supplier_id=b["id"])
    salt, sugar = make_product(), make_product()  # no supplier: one group
    order = placed(make_client()["id"], (rice["id"], 1), (beans["id"], 1), (oil["id"], 1))
    assert firsts_of(session, order["id"]) == {rice["id"], oil["id"]}

    rice_line = next(i for i in order["items"] if i["product_id"] == rice["id"])
    removed = client.delete(f"/api/v1/orders/{order['id']}/items/{rice_line['id']}", headers=admin)
    assert removed.status_code == 200, removed.get_data(as_text=True)
    assert firsts_of(session, order["id"]) == {beans["id"], oil["id"]}

    for product in (salt, sugar):
        added = client.post(
            f"/api/v1/orders/{order['id']}/items",
            json={"product_id": product["id"], "quantity": 1},
            headers=admin,
        )
        assert added.status_code == 201, added.get_data(as_text=True)
    assert firsts_of(session, order["id"]) == {beans["id"], oil["id"], salt["id"]}
