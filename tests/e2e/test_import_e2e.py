"""Order imports through the gateway, with the worker and the stock service running."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.e2e_builders import new_client, new_product, ok, stock_of
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

HEADER = "order_ref,client_id,product_id,quantity,desired_delivery_date,notes\r\n"
LINES_PER_ORDER = 10


def test_twenty_thousand_lines_are_a_job_whose_progress_shows_until_done(admin):
    school = new_client(admin)
    products = [new_product(admin, on_hand=10_000) for _ in range(LINES_PER_ORDER)]
    total_lines = 20_000
    rows = [
        f"pedido-{n // LINES_PER_ORDER},{school['id']},"
        f"{products[n % LINES_PER_ORDER]['id']},{1 + n % 2},,\r\n"
        for n in range(total_lines)
    ]
    rows[4321] = rows[4321].replace(",1,,", ",um,,").replace(",2,,", ",dois,,")  # line 4323
    body = (HEADER + "".join(rows)).encode()

    response = admin.post(
        "/orders/import", data=body, headers={"Content-Type": "text/csv; charset=utf-8"}
    )

    assert response.status_code == 202, response.text
    job = response.json()["data"]
    assert job["total_lines"] == total_lines
    assert response.headers["Location"] == f"/api/v1/orders/imports/{job['id']}"
    seen: list[dict[str, Any]] = []

    def finished() -> dict | None:
        current = ok(admin.get(f"/orders/imports/{job['id']}", params={"status": "failed"}))
        seen.append(current)
        return current if current["state"] == "done" else None

    done = wait_until(finished, timeout=120, interval=0.2)

    in_between = [s["processed"] for s in seen if 0 < s["processed"] < total_lines]
    assert in_between, [s["processed"] for s in seen]
    assert in_between == sorted(in_between)
    assert (done["processed"], done["created"], done["failed"]) == (20_000, 19_990, 10)
    assert done["orders_created"] == 1999
    assert {line["line"] for line in done["lines"]} == set(range(4322, 4332))  # order 432
    # The stock service reserves every imported order from its order.created event.
    per_product = sum(1 + n % 2 for n in range(0, total_lines, LINES_PER_ORDER) if n // 10 != 432)
    first = products[0]["id"]
    wait_until(lambda: stock_of(admin, first)["reserved"] == per_product, timeout=120, interval=0.5)


def test_a_small_import_is_answered_with_its_lines_through_the_gateway(admin):
    school = new_client(admin)
    product = new_product(admin, on_hand=5)
    line = f",{school['id']},{product['id']},3,,\r\n"
    body = HEADER + line + line
    files = {"file": ("pedidos.csv", body.encode(), "text/csv")}

    response = admin.post("/orders/import", files=files)

    assert response.status_code == 207, response.text
    first, second = response.json()["data"]["lines"]
    assert first["status"] == "created"
    assert second["errors"][0]["message"] == (
        f"Estoque insuficiente: {product['name']} (pedido 3, disponível 2)."
    )
    failed = admin.get(response.json()["data"]["links"]["failed_lines"].removeprefix("/api/v1"))
    assert failed.status_code == 200 and "disponível 2" in failed.text
    wait_until(lambda: stock_of(admin, product["id"])["reserved"] == 3, timeout=20)
