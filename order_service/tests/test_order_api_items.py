"""Items of a pending order: every change is a new version, a new total and a new reservation."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from order_service.messaging.saga import apply_stock_reply
from shared.db import unit_of_work
from shared.events import new_event

ORDERS = "/api/v1/orders"


@pytest.fixture
def two_line_order(placed, make_client, make_product):
    def build():
        school = make_client()
        rice = make_product(price="27.90", on_hand=50)
        beans = make_product(price="8.49", on_hand=50)
        order = placed(school["id"], (rice["id"], 2), (beans["id"], 3))
        return order, school, rice, beans

    return build


def test_items_are_listed_with_names_prices_and_line_totals(client, admin, two_line_order, money):
    order, _, rice, beans = two_line_order()

    response = client.get(f"{ORDERS}/{order['id']}/items", headers=admin)

    assert response.status_code == 200
    items = money(response)["data"]
    assert [(i["product_id"], i["quantity"], i["line_total"]) for i in items] == [
        (rice["id"], 2, Decimal("55.80")),
        (beans["id"], 3, Decimal("25.47")),
    ]
    assert items[0]["product_name"] == rice["name"]
    assert items[0]["unit_price"] == Decimal("27.90")


def test_adding_an_item_bumps_the_version_recomputes_the_total_and_asks_for_a_reservation(
    client, admin, two_line_order, make_product, session, events, money
):
    order, _, rice, beans = two_line_order()
    milk = make_product(price="5.29", on_hand=30)

    response = client.post(
        f"{ORDERS}/{order['id']}/items",
        json={"product_id": milk["id"], "quantity": 4},
        headers=admin,
    )

    assert response.status_code == 201, response.get_data(as_text=True)
    data = money(response)["data"]
    assert data["order_version"] == 2
    assert data["total"] == Decimal("102.43")  # 55.80 + 25.47 + 21.16
    assert data["stock_status"] == "awaiting"
    assert [i["product_id"] for i in data["items"]] == [rice["id"], beans["id"], milk["id"]]
    [changed] = events(session, order["id"], "order.items_changed")
    assert changed["data"]["order_version"] == 2
    assert changed["data"]["items"] == [
        {"product_id": rice["id"], "quantity": 2},
        {"product_id": beans["id"], "quantity": 3},
        {"product_id": milk["id"], "quantity": 4},
    ]


def test_removing_an_item_bumps_the_version_and_publishes_the_new_list(
    client, admin, two_line_order, session, events, money
):
    order, _, rice, beans = two_line_order()
    beans_item = next(i for i in order["items"] if i["product_id"] == beans["id"])

    response = client.delete(f"{ORDERS}/{order['id']}/items/{beans_item['id']}", headers=admin)

    assert response.status_code == 200
    data = money(response)["data"]
    assert data["order_version"] == 2
    assert data["total"] == Decimal("55.80")
    [changed] = events(session, order["id"], "order.items_changed")
    assert changed["data"]["items"] == [{"product_id": rice["id"], "quantity": 2}]


def test_the_last_item_cannot_be_removed(client, admin, placed, make_client, make_product):
    order = placed(make_client()["id"], (make_product()["id"], 1))

    response = client.delete(
        f"{ORDERS}/{order['id']}/items/{order['items'][0]['id']}", headers=admin
    )

    assert response.status_code == 409
    assert response.json["code"] == "last_item"


def test_a_product_already_on_the_order_is_a_409(client, admin, two_line_order):
    order, _, rice, _ = two_line_order()

    response = client.post(
        f"{ORDERS}/{order['id']}/items",
        json={"product_id": rice["id"], "quantity": 1},
        headers=admin,
    )

    assert response.status_code == 409
    assert response.json["code"] == "duplicate_product"


def test_items_change_only_while_pending(client, admin, two_line_order, make_product, session):
    order, _, rice, _ = two_line_order()
    with unit_of_work(session):
        apply_stock_reply(
            session,
            new_event(
                "stock.reserved",
                {"order_id": order["id"], "order_version": 1, "items": []},
                source="stock_service",
            ),
        )
    client.put(f"{ORDERS}/{order['id']}", json={"status": "approved"}, headers=admin)

    added = client.post(
        f"{ORDERS}/{order['id']}/items",
        json={"product_id": make_product()["id"], "quantity": 1},
        headers=admin,
    )
    removed = client.delete(
        f"{ORDERS}/{order['id']}/items/{order['items'][0]['id']}", headers=admin
    )

    assert added.status_code == removed.status_code == 409
    assert added.json["code"] == removed.json["code"] == "order_not_pending"


def test_an_item_short_of_stock_is_a_409_and_changes_nothing(
    client, admin, two_line_order, make_product, session, events
):
    order, _, _, _ = two_line_order()
    scarce = make_product(on_hand=1)

    response = client.post(
        f"{ORDERS}/{order['id']}/items",
        json={"product_id": scarce["id"], "quantity": 2},
        headers=admin,
    )

    assert response.status_code == 409
    assert response.json["data"]["shortages"][0]["available"] == 1
    assert client.get(f"{ORDERS}/{order['id']}", headers=admin).json["data"]["order_version"] == 1
    assert events(session, order["id"], "order.items_changed") == []


def test_unknown_items_and_products(client, admin, two_line_order):
    order, _, _, _ = two_line_order()

    unknown_item = client.delete(f"{ORDERS}/{order['id']}/items/{uuid.uuid4()}", headers=admin)
    unknown_product = client.post(
        f"{ORDERS}/{order['id']}/items",
        json={"product_id": str(uuid.uuid4()), "quantity": 1},
        headers=admin,
    )
    bad_quantity = client.post(
        f"{ORDERS}/{order['id']}/items",
        json={"product_id": str(uuid.uuid4()), "quantity": 0},
        headers=admin,
    )

    assert unknown_item.status_code == 404
    assert unknown_product.status_code == 400
    assert unknown_product.json["errors"][0]["field"] == "items.0.product_id"
    assert bad_quantity.status_code == 400
    assert bad_quantity.json["errors"][0]["field"] == "quantity"


def test_the_client_edits_its_own_items_and_nobody_elses(
    client, as_client, as_supplier, two_line_order, make_client, make_product
):
    order, school, _, beans = two_line_order()
    extra = make_product()
    beans_item = next(i for i in order["items"] if i["product_id"] == beans["id"])

    own_add = client.post(
        f"{ORDERS}/{order['id']}/items",
        json={"product_id": extra["id"], "quantity": 1},
        headers=as_client(school["id"]),
    )
    other_remove = client.delete(
        f"{ORDERS}/{order['id']}/items/{beans_item['id']}", headers=as_client(make_client()["id"])
    )
    supplier_remove = client.delete(
        f"{ORDERS}/{order['id']}/items/{beans_item['id']}", headers=as_supplier(uuid.uuid4())
    )

    assert own_add.status_code == 201
    assert other_remove.status_code == 403
    assert supplier_remove.status_code == 403
