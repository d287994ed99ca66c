"""POST /orders: stock checked first, everything written in one transaction, idempotency."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from order_service.app import create_app
from order_service.models import Order, OrderItem, OrderStatusChange, outbox
from order_service.stock_catalogue import HttpStockCatalogue
from shared.clock import business_today
from shared.events import Event, OrderCreated, OrderLine, data_of

ORDERS = "/api/v1/orders"


def count_orders_of(session, client_id: str) -> int:
    total = session.scalar(
        select(func.count()).select_from(Order).where(Order.client_id == uuid.UUID(client_id))
    )
    session.rollback()
    return total


def test_a_new_order_is_pending_awaiting_stock_with_items_captured_and_its_event(
    client, admin, make_client, make_product, session, events, money
):
    school = make_client()
    rice = make_product(price="27.90", on_hand=50, section="Mercearia", category="Grãos")
    milk = make_product(price="5.29", on_hand=100, section="Laticínios", unit="l")

    response = client.post(
        ORDERS,
        json={
            "client_id": school["id"],
            "items": [
                {"product_id": rice["id"], "quantity": 3},
                {"product_id": milk["id"], "quantity": 7},
            ],
            "notes": "Entregar pela manhã",
            "desired_delivery_date": (business_today() + timedelta(days=5)).isoformat(),
        },
        headers={**admin, "X-Request-ID": "req-create-1"},
    )

    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(response.json["data"]["id"])
    body = money(response)
    order = body["data"]
    assert body["status"] == "success"
    assert order["status"] == "pending"
    assert order["stock_status"] == "awaiting"
    assert order["type"] == "sale"
    assert order["order_version"] == 1
    assert order["total"] == Decimal("120.73")  # 3 × 27.90 + 7 × 5.29
    assert re.search(r'"total": ?120\.73[,}]', response.get_data(as_text=True))  # a number
    assert isinstance(order["number"], int)
    assert order["client"]["name"] == school["name"]
    lines = {item["product_id"]: item for item in order["items"]}
    assert lines[rice["id"]]["product_name"] == rice["name"]
    assert lines[rice["id"]]["unit_price"] == Decimal("27.90")
    assert lines[rice["id"]]["line_total"] == Decimal("83.70")
    assert lines[rice["id"]]["section"] == "Mercearia"
    assert lines[milk["id"]]["unit"] == "l"
    assert [(h["from"], h["to"]) for h in order["status_history"]] == [(None, "pending")]
    [created] = events(session, order["id"])
    assert created["type"] == "order.created"
    assert created["source"] == "order_service"
    assert created["correlation_id"] == "req-create-1"
    assert created["_headers"] == {"x-request-id": "req-create-1"}
    assert created["data"] == {
        "order_id": order["id"],
        "order_version": 1,
        "order_type": "sale",
        "client_id": school["id"],
        "supplier_id": None,  # a sale has no supplier
        "items": [
            {"product_id": rice["id"], "quantity": 3},
            {"product_id": milk["id"], "quantity": 7},
        ],
    }
    assert data_of(Event.from_dict(created)) == OrderCreated(
        order_id=uuid.UUID(order["id"]),
        order_version=1,
        client_id=uuid.UUID(school["id"]),
        items=[OrderLine(uuid.UUID(rice["id"]), 3), OrderLine(uuid.UUID(milk["id"]), 7)],
    )


def test_order_numbers_are_sequential(placed, make_client, make_product):
    school, product = make_client(), make_product(on_hand=10)

    first = placed(school["id"], (product["id"], 1))
    second = placed(school["id"], (product["id"], 1))

    assert second["number"] > first["number"]


def test_a_later_price_change_never_alters_the_order(
    client, admin, placed, make_client, make_product, change_product, money
):
    school, product = make_client(), make_product(price="10.00", on_hand=10)
    order = placed(school["id"], (product["id"], 2))

    change_product(product["id"], price="99.90", name="Outro nome")
    again = money(client.get(f"{ORDERS}/{order['id']}", headers=admin))["data"]

    assert again["total"] == Decimal("20.00")
    assert again["items"][0]["unit_price"] == Decimal("10.00")
    assert again["items"][0]["product_name"] == product["name"]


def test_short_stock_is_a_409_with_the_shortages_and_nothing_is_written(
    place, make_client, make_product, session
):
    school = make_client()
    scarce, plenty = make_product(on_hand=5), make_product(on_hand=100)
    outbox_before = session.scalar(select(func.count()).select_from(outbox))

    response = place(school["id"], (plenty["id"], 1), (scarce["id"], 6))

    assert response.status_code == 409, response.get_data(as_text=True)
    body = response.json
    assert body["code"] == "insufficient_stock"
    assert body["data"]["shortages"] == [
        {"product_id": scarce["id"], "product_name": scarce["name"], "requested": 6, "available": 5}
    ]
    assert scarce["name"] in body["message"]
    assert count_orders_of(session, school["id"]) == 0
    assert session.scalar(select(func.count()).select_from(outbox)) == outbox_before


def test_an_unknown_client_is_a_404_and_an_unknown_product_a_400_naming_the_item(
    place, make_client, make_product
):
    product = make_product()
    missing_product = str(uuid.uuid4())

    unknown_client = place(str(uuid.uuid4()), (product["id"], 1))
    unknown_product = place(make_client()["id"], (product["id"], 1), (missing_product, 2))

    assert unknown_client.status_code == 404
    assert unknown_client.json["message"] == "Cliente não encontrado."
    assert unknown_product.status_code == 400
    assert unknown_product.json["code"] == "unknown_product"
    assert unknown_product.json["errors"] == [
        {
            "field": "items.1.product_id",
            "message": f"Produto {missing_product} não encontrado (inexistente ou excluído).",
        }
    ]


def test_an_inactive_product_cannot_be_ordered(place, make_client, make_product):
    product = make_product(active=False)

    response = place(make_client()["id"], (product["id"], 1))

    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == "items.0.product_id"
    assert "inativo" in response.json["errors"][0]["message"]


def test_a_deleted_client_cannot_order(client, admin, place, make_client, make_product):
    school = make_client()
    client.delete(f"/api/v1/clients/{school['id']}", headers=admin)

    response = place(school["id"], (make_product()["id"], 1))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"items": []}, "items"),
        ({}, "items"),
        ({"items": [{"product_id": "P", "quantity": 0}]}, "items.0.quantity"),
        ({"items": [{"product_id": "P", "quantity": -2}]}, "items.0.quantity"),
        ({"items": [{"product_id": "P", "quantity": "abc"}]}, "items.0.quantity"),
        ({"items": [{"product_id": "P", "quantity": "3"}]}, "items.0.quantity"),
        ({"items": [{"product_id": "P", "quantity": 1.5}]}, "items.0.quantity"),
        ({"items": [{"product_id": "P", "quantity": True}]}, "items.0.quantity"),
        ({"items": [{"product_id": "P"}]}, "items.0.quantity"),
        ({"items": [{"product_id": "not-a-uuid", "quantity": 1}]}, "items.0.product_id"),
        (
            {"items": [{"product_id": "P", "quantity": 1}, {"product_id": "P", "quantity": 2}]},
            "items.1.product_id",
        ),
        ({"client_id": "nope", "items": [{"product_id": "P", "quantity": 1}]}, "client_id"),
        (
            {"items": [{"product_id": "P", "quantity": 1}], "desired_delivery_date": "31/12/2026"},
            "desired_delivery_date",
        ),
        (
            {"items": [{"product_id": "P", "quantity": 1}], "desired_delivery_date": "2020-01-01"},
            "desired_delivery_date",
        ),
        ({"items": [{"product_id": "P", "quantity": 1}], "surprise": 1}, "surprise"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, admin, make_client, body, field):
    product_id = str(uuid.uuid4())
    body = {"client_id": make_client()["id"], **body}
    for line in body.get("items", []):
        if line.get("product_id") == "P":
            line["product_id"] = product_id

    response = client.post(ORDERS, json=body, headers=admin)

    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["code"] == "validation_error"
    assert field in [e["field"] for e in response.json["errors"]], response.json["errors"]


def test_delivery_today_is_accepted_and_yesterday_refused_at_every_hour(
    business_hour, place, make_client, make_product
):
    school = make_client()
    rice = make_product(on_hand=10)
    today = business_hour.business_day

    accepted = place(school["id"], (rice["id"], 1), desired_delivery_date=today.isoformat())
    refused = place(
        school["id"],
        (rice["id"], 1),
        desired_delivery_date=(today - timedelta(days=1)).isoformat(),
    )

    assert accepted.status_code == 201, accepted.get_data(as_text=True)
    assert accepted.json["data"]["desired_delivery_date"] == today.isoformat()
    assert refused.status_code == 400
    assert [e["field"] for e in refused.json["errors"]] == ["desired_delivery_date"]


def test_staff_must_say_which_client(client, staff, make_product):
    response = client.post(
        ORDERS, json={"items": [{"product_id": make_product()["id"], "quantity": 1}]}, headers=staff
    )

    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == "client_id"


def test_a_stock_service_that_does_not_answer_is_a_503_and_nothing_is_written(
    order_settings, tokens, make_client, session
):
    school = make_client()
    dead = HttpStockCatalogue(
        "http://127.0.0.1:9",
        token=lambda: tokens.service_token("order_service"),
        connect_timeout=0.5,
    )
    app = create_app(order_settings, verifier=tokens.verifier(), stock=dead)

    response = app.test_client().post(
        ORDERS,
        json={
            "client_id": school["id"],
            "items": [{"product_id": str(uuid.uuid4()), "quantity": 1}],
        },
        headers=tokens.headers("admin"),
    )

    assert response.status_code == 503
    assert response.json["status"] == "error"
    assert response.json["code"] == "stock_unavailable"
    assert response.json["request_id"]
    assert count_orders_of(session, school["id"]) == 0


# -- Idempotency-Key -------------------------------------------------------------------


def test_the_same_key_and_body_replays_the_first_response_without_a_second_order(
    client, tokens, make_client, make_product, session
):
    school, product = make_client(), make_product(on_hand=10)
    headers = {**tokens.headers("staff", sub="staff-idem"), "Idempotency-Key": uuid.uuid4().hex}
    body = {"client_id": school["id"], "items": [{"product_id": product["id"], "quantity": 2}]}

    first = client.post(ORDERS, json=body, headers=headers)
    again = client.post(ORDERS, json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.get_data() == first.get_data()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert count_orders_of(session, school["id"]) == 1


def test_the_same_key_with_another_body_is_a_409(client, tokens, make_client, make_product):
    school, product = make_client(), make_product(on_hand=10)
    headers = {**tokens.headers("staff", sub="staff-idem-2"), "Idempotency-Key": "pedido-42"}
    body = {"client_id": school["id"], "items": [{"product_id": product["id"], "quantity": 2}]}

    assert client.post(ORDERS, json=body, headers=headers).status_code == 201
    body["items"][0]["quantity"] = 3
    response = client.post(ORDERS, json=body, headers=headers)

    assert response.status_code == 409
    assert response.json["code"] == "idempotency_key_reused"


def test_keys_belong_to_their_caller(client, tokens, make_client, make_product, session):
    school, product = make_client(), make_product(on_hand=10)
    body = {"client_id": school["id"], "items": [{"product_id": product["id"], "quantity": 1}]}

    for sub in ("staff-a", "staff-b"):
        headers = {**tokens.headers("staff", sub=sub), "Idempotency-Key": "same-key"}
        assert client.post(ORDERS, json=body, headers=headers).status_code == 201

    assert count_orders_of(session, school["id"]) == 2


def test_a_failed_attempt_is_not_remembered(
    client, tokens, make_client, make_product, change_product
):
    school, product = make_client(), make_product(on_hand=1)
    headers = {**tokens.headers("staff", sub="staff-idem-3"), "Idempotency-Key": uuid.uuid4().hex}
    body = {"client_id": school["id"], "items": [{"product_id": product["id"], "quantity": 1}]}
    change_product(product["id"], active=False)
    assert client.post(ORDERS, json=body, headers=headers).status_code == 400

    change_product(product["id"], active=True)
    response = client.post(ORDERS, json=body, headers=headers)

    assert response.status_code == 201


def test_a_malformed_key_is_a_400(client, admin, make_client, make_product):
    body = {
        "client_id": make_client()["id"],
        "items": [{"product_id": make_product()["id"], "quantity": 1}],
    }

    response = client.post(ORDERS, json=body, headers={**admin, "Idempotency-Key": "x" * 201})

    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == "Idempotency-Key"


def test_concurrent_requests_with_the_same_key_make_one_order(
    order_app, tokens, make_client, make_product, session
):
    school, product = make_client(), make_product(on_hand=100)
    headers = {**tokens.headers("staff", sub="staff-race"), "Idempotency-Key": uuid.uuid4().hex}
    body = {"client_id": school["id"], "items": [{"product_id": product["id"], "quantity": 1}]}
    barrier = threading.Barrier(6)
    responses = []

    def post() -> None:
        barrier.wait()
        response = order_app.test_client().post(ORDERS, json=body, headers=headers)
        responses.append((response.status_code, response.get_data()))

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert [status for status, _ in responses] == [201] * 6
    assert len({payload for _, payload in responses}) == 1
    assert count_orders_of(session, school["id"]) == 1


def test_the_order_and_its_first_history_row_are_stored(placed, make_client, make_product, session):
    order = placed(make_client()["id"], (make_product()["id"], 4))

    stored = session.get(Order, uuid.UUID(order["id"]))
    items = session.scalars(select(OrderItem).where(OrderItem.order_id == stored.id)).all()
    history = session.scalars(
        select(OrderStatusChange).where(OrderStatusChange.order_id == stored.id)
    ).all()

    assert stored.total == Decimal("40.00")
    assert [i.quantity for i in items] == [4]
    assert [(h.from_status, h.to_status, h.changed_by_role) for h in history] == [
        (None, "pending", "admin")
    ]


@pytest.mark.parametrize("role", ["admin", "client"])
def test_the_201_body_is_the_order_as_get_shows_it(
    client, admin, as_client, make_client, make_product, money, role
):
    # The 201 is rendered from what was just written, not read back: it must say the same.
    school = make_client()
    rice = make_product(price="27.90", section="Mercearia", category="Grãos")
    milk = make_product(price="5.29", section="Laticínios", unit="l")
    headers = admin if role == "admin" else as_client(school["id"])
    body = {
        "client_id": school["id"],
        "items": [
            {"product_id": milk["id"], "quantity": 7},
            {"product_id": rice["id"], "quantity": 3},
        ],
        "notes": "Entregar pela manhã",
        "desired_delivery_date": (business_today() + timedelta(days=5)).isoformat(),
    }

    created = client.post(ORDERS, json=body, headers=headers)
    shown = client.get(f"{ORDERS}/{created.json['data']['id']}", headers=headers)

    assert created.status_code == 201, created.get_data(as_text=True)
    assert shown.status_code == 200
    assert created.json["message"] == "Pedido criado."
    assert money(created)["data"] == money(shown)["data"]  # numbers compared as written
    # Written without the schema (api/orders.py): the same keys in the same order, all through.
    assert keys_in_order(created.json["data"]) == keys_in_order(shown.json["data"])


def keys_in_order(value):
    if isinstance(value, dict):
        return [(key, keys_in_order(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [keys_in_order(item) for item in value]
    return None


def test_an_unknown_client_is_a_404_even_when_the_stock_refuses(
    order_settings, tokens, place, make_product
):
    # The client is read after the stock answers: its 404 still wins over 409, 400 and 503.
    scarce = make_product(on_hand=1)
    unknown = str(uuid.uuid4())

    short = place(unknown, (scarce["id"], 5))
    missing_product = place(unknown, (str(uuid.uuid4()), 1))
    dead = HttpStockCatalogue(
        "http://127.0.0.1:9",
        token=lambda: tokens.service_token("order_service"),
        connect_timeout=0.5,
    )
    down = (
        create_app(order_settings, verifier=tokens.verifier(), stock=dead)
        .test_client()
        .post(
            ORDERS,
            json={"client_id": unknown, "items": [{"product_id": scarce["id"], "quantity": 1}]},
            headers=tokens.headers("admin"),
        )
    )

    assert [short.status_code, missing_product.status_code, down.status_code] == [404] * 3
    assert short.json["message"] == "Cliente não encontrado."
