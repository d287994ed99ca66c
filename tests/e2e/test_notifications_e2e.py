"""Notifications through the gateway with every process: without WhatsApp configured (the
default of `make run`), approving an order records one `skipped` notification that says why."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.conftest import STAFF_WHATSAPP
from tests.support.e2e_builders import new_client, new_product, ok
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e


def test_an_approved_order_is_a_skipped_notification_that_says_why(admin):
    school = new_client(admin)
    product = new_product(admin, on_hand=5)
    body = {"client_id": school["id"], "items": [{"product_id": product["id"], "quantity": 2}]}
    order = ok(admin.post("/orders", json=body), 201)
    wait_until(
        lambda: ok(admin.get(f"/orders/{order['id']}"))["stock_status"] == "reserved", timeout=20
    )
    ok(admin.put(f"/orders/{order['id']}", json={"status": "approved"}))

    def recorded():
        found = ok(admin.get("/notifications", params={"order_id": order["id"]}))
        return found or None

    [notification] = wait_until(recorded, timeout=20)

    assert notification["template"] == "pedido_aprovado"
    assert notification["recipient"] == "+5511987654321"
    assert notification["status"] == "skipped"
    assert "WhatsApp não configurado" in notification["reason"]
    assert f"nº {order['number']}" in notification["message"]


def test_a_product_crossing_below_20_percent_tells_staff_once(admin):
    body = {
        "name": f"Feijão e2e {uuid.uuid4().hex[:8]}",
        "price": 8.45,
        "section": "Mercearia",
        "category": "Grãos",
        "unit": "pct",
        "initial_stock": 10,
        "ideal_quantity": 10,
    }
    product = ok(admin.post("/products", json=body), 201)
    school = new_client(admin)
    for quantity in (8, 1, 1):  # available 2 (20 %, not below), then 1 (crossed), then 0
        order = {"client_id": school["id"], "items": [{"product_id": product["id"],
                                                       "quantity": quantity}]}  # fmt: skip
        placed = ok(admin.post("/orders", json=order), 201)
        wait_until(
            lambda placed=placed: (
                ok(admin.get(f"/orders/{placed['id']}"))["stock_status"] == "reserved"
            ),
            timeout=20,
        )

    def told():
        rows = ok(admin.get("/notifications", params={"recipient": STAFF_WHATSAPP,
                                                       "page_size": 100}))  # fmt: skip
        mine = [r for r in rows if r["parameters"]["product"] == product["name"]]
        return mine or None

    [notification] = wait_until(told, timeout=20)
    assert notification["template"] == "estoque_baixo"
    assert notification["parameters"]["available"] == "1"
    time.sleep(1)  # a second stock.low would have been recorded by now
    assert len(told()) == 1
