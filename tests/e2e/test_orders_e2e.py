"""Orders through the gateway with every process running: the reservation saga end to end."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests
from sqlalchemy import func, select, text

from tests.support.api_client import ApiClient
from tests.support.e2e_builders import (
    new_client,
    new_product,
    new_supplier,
    ok,
    register_client_user,
    stock_of,
)
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

SAGA_TIMEOUT = 20.0  # generous bound for the asynchronous steps (a broker reconnect included)
RESERVED_WITHIN = 2.0  # the promise for a healthy system


# -- helpers ------------------------------------------------------------------------------


def wait_for(check: Callable[[], Any], *, timeout: float = SAGA_TIMEOUT) -> Any:
    """wait_until with the saga's generous default bound."""
    return wait_until(check, timeout=timeout)


def order_body(client_id: str, *lines: tuple[str, int]) -> dict:
    return {
        "client_id": client_id,
        "items": [{"product_id": p, "quantity": q} for p, q in lines],
    }


def order_of(caller: ApiClient, order_id: str) -> dict:
    return ok(caller.get(f"/orders/{order_id}"))


def settled(caller: ApiClient, order_id: str, status: str = "reserved") -> Callable[[], Any]:
    def check():
        order = order_of(caller, order_id)
        return order if order["stock_status"] == status else None

    return check


def move(caller: ApiClient, order_id: str, **body) -> requests.Response:
    return caller.put(f"/orders/{order_id}", json=body)


@pytest.fixture
def broker(broker_proxy):
    """The broker proxy, always restored after the test even when it fails."""
    try:
        yield broker_proxy
    finally:
        broker_proxy.restore()


# -- 1. the happy path --------------------------------------------------------------------


def test_a_client_orders_and_the_order_goes_all_the_way(api: ApiClient, admin: ApiClient):
    product = new_product(admin, on_hand=5)
    school = register_client_user(api)
    client_id = school.user["client_id"]
    assert client_id, "sign-up must bind the user to its client record"

    created = school.post("/orders", json=order_body(client_id, (product["id"], 3)))
    order = ok(created, 201)
    assert (order["status"], order["stock_status"]) == ("pending", "awaiting")
    assert order["total"] == 83.70
    placed_at = time.monotonic()

    wait_for(settled(school, order["id"]), timeout=RESERVED_WITHIN)
    assert time.monotonic() - placed_at <= RESERVED_WITHIN
    assert stock_of(admin, product["id"]) == {"on_hand": 5, "reserved": 3, "available": 2}

    for status in ("approved", "processing", "shipped"):
        ok(move(admin, order["id"], status=status, note=f"e2e: {status}"))
    wait_for(
        lambda: stock_of(admin, product["id"]) == {"on_hand": 2, "reserved": 0, "available": 2}
    )
    ok(move(admin, order["id"], status="delivered"))

    history = order_of(school, order["id"])["status_history"]
    assert [(h["from"], h["to"]) for h in history] == [
        (None, "pending"),
        ("pending", "approved"),
        ("approved", "processing"),
        ("processing", "shipped"),
        ("shipped", "delivered"),
    ]
    assert history[0]["by"] == school.user["id"]
    assert {h["by"] for h in history[1:]} == {admin.user["id"]}
    assert all(h["at"] for h in history)


# -- 2. short stock -----------------------------------------------------------------------


def test_an_order_above_the_stock_is_refused_and_leaves_no_trace(admin: ApiClient, order_db):
    product = new_product(admin, on_hand=5)
    school = new_client(admin)

    response = admin.post("/orders", json=order_body(school["id"], (product["id"], 6)))

    assert response.status_code == 409, response.text
    body = response.json()
    assert body["code"] == "insufficient_stock"
    assert body["data"]["shortages"] == [
        {
            "product_id": product["id"],
            "product_name": product["name"],
            "requested": 6,
            "available": 5,
        }
    ]
    with order_db.connect() as connection:
        orders = connection.scalar(
            text("SELECT count(*) FROM orders.orders WHERE client_id = :id"),
            {"id": school["id"]},
        )
        events = connection.scalar(
            text("SELECT count(*) FROM orders.outbox WHERE payload::text LIKE :product"),
            {"product": f"%{product['id']}%"},
        )
    assert (orders, events) == (0, 0)
    assert stock_of(admin, product["id"]) == {"on_hand": 5, "reserved": 0, "available": 5}


# -- 3. idempotency and a rush on the last units -----------------------------------------


def test_the_same_idempotency_key_twice_makes_one_order(admin: ApiClient):
    product = new_product(admin, on_hand=5)
    school = new_client(admin)
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    body = order_body(school["id"], (product["id"], 1))

    first = admin.post("/orders", json=body, headers=headers)
    again = admin.post("/orders", json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    listed = ok(admin.get("/orders", params={"client_id": school["id"]}))
    assert [o["id"] for o in listed] == [first.json()["data"]["id"]]


def test_forty_clients_rush_ten_units_and_exactly_ten_get_them(stack, admin: ApiClient):
    product = new_product(admin, on_hand=10)
    school = new_client(admin)
    barrier = threading.Barrier(40)
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def order_one() -> None:
        caller = ApiClient(stack.api, admin.token, timeout=30)
        barrier.wait()
        response = caller.post("/orders", json=order_body(school["id"], (product["id"], 1)))
        with lock:
            results.append((response.status_code, response.json()))

    threads = [threading.Thread(target=order_one) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert len(results) == 40
    assert {status for status, _ in results} <= {201, 409}, results
    refused = [body for status, body in results if status == 409]
    assert all(body["code"] == "insufficient_stock" for body in refused)
    accepted = [body["data"]["id"] for status, body in results if status == 201]

    def all_answered():
        states = [order_of(admin, order_id)["stock_status"] for order_id in accepted]
        return states if "awaiting" not in states else None

    states = wait_for(all_answered)
    assert states.count("reserved") == 10
    assert states.count("rejected") == len(accepted) - 10
    assert stock_of(admin, product["id"]) == {"on_hand": 10, "reserved": 10, "available": 0}


# -- 4. the lifecycle's refusals ----------------------------------------------------------


def test_illegal_moves_unreserved_approvals_and_cancellation_giving_units_back(
    admin: ApiClient, broker
):
    product = new_product(admin, on_hand=5)
    school = new_client(admin)

    broker.cut()  # hold the saga: both orders pass the synchronous check and stay awaiting
    first = ok(admin.post("/orders", json=order_body(school["id"], (product["id"], 3))), 201)
    second = ok(admin.post("/orders", json=order_body(school["id"], (product["id"], 3))), 201)

    shipped = move(admin, first["id"], status="shipped")
    assert shipped.status_code == 409
    assert shipped.json()["data"]["allowed"] == ["approved", "cancelled"]
    awaiting = move(admin, first["id"], status="approved")
    assert awaiting.status_code == 409
    assert awaiting.json()["code"] == "stock_not_reserved"
    broker.restore()

    def both_answered():
        states = {o: order_of(admin, o)["stock_status"] for o in (first["id"], second["id"])}
        return states if "awaiting" not in states.values() else None

    states = wait_for(both_answered)
    assert sorted(states.values()) == ["rejected", "reserved"]
    loser = next(o for o, s in states.items() if s == "rejected")
    winner = next(o for o, s in states.items() if s == "reserved")
    rejected = move(admin, loser, status="approved")
    assert rejected.status_code == 409
    assert rejected.json()["code"] == "stock_not_reserved"
    assert order_of(admin, loser)["shortages"][0]["product_id"] == product["id"]

    assert stock_of(admin, product["id"])["available"] == 2
    ok(move(admin, winner, status="approved"))
    ok(move(admin, winner, status="cancelled", cancel_reason="Escola fechada"))
    wait_for(
        lambda: stock_of(admin, product["id"]) == {"on_hand": 5, "reserved": 0, "available": 5}
    )


# -- 5. who sees what ---------------------------------------------------------------------


def test_clients_and_suppliers_see_only_their_own_orders(api: ApiClient, admin: ApiClient):
    supplier = new_supplier(admin)
    theirs = new_product(admin, on_hand=20, supplier_id=supplier["id"])
    others = new_product(admin, on_hand=20)
    school = register_client_user(api)
    client_id = school.user["client_id"]
    neighbour = new_client(admin)
    mine = ok(school.post("/orders", json=order_body(client_id, (others["id"], 1))), 201)
    with_supplier = ok(school.post("/orders", json=order_body(client_id, (theirs["id"], 1))), 201)
    not_mine = ok(admin.post("/orders", json=order_body(neighbour["id"], (others["id"], 1))), 201)

    listed = {o["id"] for o in ok(school.get("/orders", params={"page_size": 100}))}
    assert listed == {mine["id"], with_supplier["id"]}
    assert school.get(f"/orders/{not_mine['id']}").status_code == 403
    assert school.get("/orders", params={"client_id": neighbour["id"]}).status_code == 403
    assert (
        school.post("/orders", json=order_body(neighbour["id"], (others["id"], 1))).status_code
        == 403
    )
    assert school.delete(f"/orders/{mine['id']}").status_code == 403
    assert school.get(f"/clients/{neighbour['id']}").status_code == 403
    assert school.get(f"/clients/{neighbour['id']}/orders").status_code == 403

    seller = api.logged_in(*admin.create_user("supplier", supplier_id=supplier["id"]))
    seen = {o["id"] for o in ok(seller.get("/orders", params={"page_size": 100}))}
    assert seen == {with_supplier["id"]}
    assert seller.get(f"/orders/{mine['id']}").status_code == 403
    assert seller.put(f"/orders/{with_supplier['id']}", json={"notes": "x"}).status_code == 403
    assert seller.delete(f"/orders/{with_supplier['id']}").status_code == 403
    summary = ok(seller.get(f"/suppliers/{supplier['id']}/orders"))["summary"]
    assert summary["total_orders"] == 1
    assert summary["clients_served"] == 1


# -- 6. RabbitMQ down ---------------------------------------------------------------------


def test_orders_are_accepted_while_rabbitmq_is_down_and_reserved_once_it_is_back(
    api: ApiClient, admin: ApiClient, broker, order_db
):
    product = new_product(admin, on_hand=60)
    school = new_client(admin)

    broker.cut()
    accepted = []
    for _ in range(50):
        accepted.append(
            ok(admin.post("/orders", json=order_body(school["id"], (product["id"], 1))), 201)
        )
    with order_db.connect() as connection:
        waiting = connection.scalar(
            select(func.count())
            .select_from(text("orders.outbox"))
            .where(text("published_at IS NULL AND payload->'data'->>'client_id' = :id")),
            {"id": school["id"]},
        )
    assert waiting == 50  # every order's event is safe in the outbox
    health = api.get("/health").json()  # operators see it without opening the database
    assert health["status"] == "success"  # still ready: orders are accepted
    outbox = health["data"]["services"]["order_service"]["backlog"]["outbox"]
    assert outbox["waiting"] >= 50 and outbox["oldest_age_seconds"] > 0
    broker.restore()

    def all_reserved():
        states = [order_of(admin, o["id"])["stock_status"] for o in accepted]
        return states if set(states) == {"reserved"} else None

    wait_for(all_reserved, timeout=60)
    assert stock_of(admin, product["id"]) == {"on_hand": 60, "reserved": 50, "available": 10}
    drained = api.get("/health").json()["data"]["services"]["order_service"]["backlog"]
    assert drained["outbox"] == {"waiting": 0, "waiting_capped": False, "oldest_age_seconds": None}
    movements = ok(
        admin.get(
            f"/stock/{product['id']}/movements",
            params={"cause": "order_reserved", "page_size": 100},
        )
    )
    reserved_orders = [m["order_id"] for m in movements]
    assert len(reserved_orders) == 50
    assert set(reserved_orders) == {o["id"] for o in accepted}  # each order once, none twice


def test_a_one_line_orders_quantity_changes_and_the_reservation_follows(admin: ApiClient):
    product = new_product(admin, on_hand=10)
    school = new_client(admin)
    order = ok(admin.post("/orders", json=order_body(school["id"], (product["id"], 2))), 201)
    item = f"/orders/{order['id']}/items/{order['items'][0]['id']}"
    wait_for(settled(admin, order["id"]))

    def change(quantity: int) -> dict:
        changed = ok(admin.patch(item, json={"quantity": quantity}))
        return wait_for(
            lambda: (
                (o := order_of(admin, changed["id"]))["stock_status"] == "reserved"
                and o["order_version"] == changed["order_version"]
                and o
            )
        )

    up = change(6)
    assert stock_of(admin, product["id"]) == {"on_hand": 10, "reserved": 6, "available": 4}
    down = change(1)
    assert stock_of(admin, product["id"]) == {"on_hand": 10, "reserved": 1, "available": 9}
    too_many = admin.patch(item, json={"quantity": 11})

    assert (up["order_version"], up["total"], down["order_version"]) == (2, 167.4, 3)
    assert too_many.status_code == 409
    [shortage] = too_many.json()["data"]["shortages"]
    assert (shortage["requested"], shortage["available"]) == (11, 10)  # 9 free + 1 held
    assert order_of(admin, order["id"])["order_version"] == 3  # nothing changed
    assert stock_of(admin, product["id"]) == {"on_hand": 10, "reserved": 1, "available": 9}
    ledger = ok(admin.get(f"/stock/{product['id']}/movements", params={"order_id": order["id"]}))
    # Newest first: each new version released what the last one held and reserved anew.
    assert [(m["cause"], m["delta_reserved"]) for m in reversed(ledger)] == [
        ("order_reserved", 2),
        ("order_released", -2),
        ("order_reserved", 6),
        ("order_released", -6),
        ("order_reserved", 1),
    ]


def test_a_replenishment_order_delivered_raises_on_hand_by_exactly_its_quantities(
    admin: ApiClient,
):
    section = f"Reposição e2e {uuid.uuid4().hex[:8]}"
    supplier = new_supplier(admin)
    product = ok(
        admin.post(
            "/products",
            json={
                "name": f"Arroz {section}",
                "price": 27.90,
                "section": section,
                "category": "Grãos",
                "unit": "pct",
                "initial_stock": 7,
                "ideal_quantity": 60,
                "supplier_id": supplier["id"],
            },
        ),
        201,
    )

    run = ok(admin.post("/orders/auto/low-stock", json={"section": section}), 201)
    [planned] = run["details"]
    [line] = planned["items"]
    for status in ("approved", "processing", "shipped", "delivered"):
        ok(move(admin, planned["order_id"], status=status))

    assert (planned["supplier_id"], line["quantity"]) == (supplier["id"], 53)  # 60 − 7
    wait_for(lambda: stock_of(admin, product["id"])["on_hand"] == 60 or None)
    assert stock_of(admin, product["id"]) == {"on_hand": 60, "reserved": 0, "available": 60}
    received = ok(
        admin.get(f"/stock/{product['id']}/movements", params={"cause": "replenishment_received"})
    )
    assert [(m["order_id"], m["delta_on_hand"]) for m in received] == [(planned["order_id"], 53)]
    again = ok(admin.post("/orders/auto/low-stock", json={"section": section}))
    assert again["details"] == [] and again["already_on_open_orders"] == []  # stock is at ideal


# -- 7. bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"items": []}, "items"),
        ({"items": [{"product_id": "P", "quantity": 0}]}, "items.0.quantity"),
        ({"items": [{"product_id": "P", "quantity": -1}]}, "items.0.quantity"),
        ({"items": [{"product_id": "P", "quantity": "abc"}]}, "items.0.quantity"),
        ({"items": [{"product_id": "nope", "quantity": 1}]}, "items.0.product_id"),
        (
            {"items": [{"product_id": "P", "quantity": 1}, {"product_id": "P", "quantity": 1}]},
            "items.1.product_id",
        ),
        ({"client_id": "123", "items": [{"product_id": "P", "quantity": 1}]}, "client_id"),
    ],
)
def test_bad_orders_are_a_400_per_field_through_the_gateway(admin: ApiClient, body, field):
    product_id = str(uuid.uuid4())
    body = {"client_id": str(uuid.uuid4()), **body}
    for line in body["items"]:
        if line["product_id"] == "P":
            line["product_id"] = product_id

    response = admin.post("/orders", json=body)

    assert response.status_code == 400, response.text
    payload = response.json()
    assert payload["code"] == "validation_error"
    assert field in [e["field"] for e in payload["errors"]]
    assert payload["request_id"] == response.headers["X-Request-ID"]


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-02-10", "date_to": "2026-02-01"},
        {"date_from": "10/02/2026"},
        {"status": "aprovado"},
        {"client_id": "x"},
        {"page_size": 500},
    ],
)
def test_bad_list_filters_are_a_400_through_the_gateway(admin: ApiClient, params):
    response = admin.get("/orders", params=params)

    assert response.status_code == 400, response.text
    assert response.json()["errors"]
