"""Notifications through the gateway with every process: without WhatsApp configured (the
default of `make run`), approving an order records one `skipped` notification that says why."""

from __future__ import annotations

import pytest

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
