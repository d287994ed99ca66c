"""PATCH /orders/{id}/items/{item_id}: a pending order's line changes quantity, and the
stock is asked again for exactly what the change needs."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select

from order_service.models import Order


def url(order, item_id=None):
    return f"/api/v1/orders/{order['id']}/items/{item_id or order['items'][0]['id']}"


def test_a_one_line_order_changes_quantity_up_and_down(
    client, admin, placed, make_client, make_product, events, session, money
):
    order = placed(make_client()["id"], (make_product(price="27.90", on_hand=10)["id"], 2))

    up = client.patch(url(order), json={"quantity": 5}, headers=admin)
    down = client.patch(url(order), json={"quantity": 1}, headers=admin)

    assert up.status_code == 200, up.get_data(as_text=True)
    raised = money(up)["data"]
    assert (raised["order_version"], raised["total"]) == (2, Decimal("139.50"))
    body = money(down)["data"]
    assert (body["order_version"], body["total"], body["stock_status"]) == (
        3,
        Decimal("27.90"),
        "awaiting",
    )
    assert [(i["quantity"], i["unit_price"]) for i in body["items"]] == [(1, Decimal("27.90"))]
    changed = events(session, order["id"], "order.items_changed")
    assert [(e["data"]["order_version"], e["data"]["items"][0]["quantity"]) for e in changed] == [
        (2, 5),
        (3, 1),
    ]


def test_more_than_the_stock_has_is_a_409_and_nothing_changes(
    client, admin, placed, make_client, make_product, events, session
):
    rice = make_product(on_hand=4)
    order = placed(make_client()["id"], (rice["id"], 2))

    response = client.patch(url(order), json={"quantity": 5}, headers=admin)

    assert response.status_code == 409
    assert response.json["code"] == "insufficient_stock"
    [shortage] = response.json["data"]["shortages"]
    # Not reserved yet: all five must be free, and four are.
    assert (shortage["product_id"], shortage["requested"], shortage["available"]) == (
        rice["id"],
        5,
        4,
    )
    version = session.scalar(select(Order.order_version).where(Order.id == uuid.UUID(order["id"])))
    session.rollback()
    assert version == 1
    assert events(session, order["id"], "order.items_changed") == []


def test_with_the_reservation_held_only_the_extra_units_must_be_free(
    client, admin, placed, make_client, make_product, reserve
):
    rice = make_product(on_hand=5)  # the in-process stock has reserved nothing: 5 are free
    order = placed(make_client()["id"], (rice["id"], 2))
    reserve(order["id"])  # the order holds 2

    fits = client.patch(url(order), json={"quantity": 7}, headers=admin)  # 5 more: ok
    reserve(order["id"], version=2)
    short = client.patch(url(order), json={"quantity": 13}, headers=admin)  # 6 more

    assert fits.status_code == 200, fits.get_data(as_text=True)
    assert short.status_code == 409
    [shortage] = short.json["data"]["shortages"]
    assert (shortage["requested"], shortage["available"]) == (13, 12)  # 5 free + 7 held


def test_the_same_quantity_changes_nothing(client, admin, placed, make_client, make_product):
    order = placed(make_client()["id"], (make_product()["id"], 2))

    response = client.patch(url(order), json={"quantity": 2}, headers=admin)

    assert response.status_code == 200
    assert response.json["data"]["order_version"] == 1


def test_who_and_when(client, admin, staff, as_client, as_supplier, placed, make_client,
                      make_product):  # fmt: skip
    school = make_client()
    order = placed(school["id"], (make_product()["id"], 2))
    other = placed(make_client()["id"], (make_product()["id"], 2))
    client.put(f"/api/v1/orders/{other['id']}", json={"status": "cancelled"}, headers=admin)

    def patch(target, headers, **body):
        return client.patch(url(target), json=body or {"quantity": 3}, headers=headers)

    assert patch(order, as_client(school["id"])).status_code == 200  # its own, pending
    assert patch(order, as_client(uuid.uuid4())).status_code == 403
    assert patch(order, as_supplier(uuid.uuid4())).status_code == 403
    assert patch(order, {}).status_code == 401
    assert patch(other, staff).status_code == 409  # not pending
    assert client.patch(url(order, uuid.uuid4()), json={"quantity": 3}, headers=admin
                        ).status_code == 404  # fmt: skip
    for bad in (0, -1, 1.5, "três", None, 10**7):
        response = patch(order, staff, quantity=bad)
        assert response.status_code == 400, bad
        assert response.json["errors"][0]["field"] == "quantity"
