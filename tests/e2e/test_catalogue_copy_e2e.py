"""POST /orders answers from the order service's copy of the catalogue (issue 17): it asks
nobody over the network, and the reservation still decides when the copy is stale."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from stock_service.config import DEFAULT_STOCK_FALLS_WINDOW as STOCK_FALLS_WINDOW
from tests.support.api_client import ApiClient
from tests.support.e2e_builders import new_client, new_product, ok, stock_of
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

SAGA = 30.0


def copy_of(order_db, product_id: str):
    with order_db.connect() as connection:
        return connection.execute(
            text(
                "SELECT name, price, available, product_revision, stock_revision"
                " FROM orders.catalogue_products WHERE product_id = :id"
            ),
            {"id": product_id},
        ).first()


def known_to_the_copy(order_db, product: dict, available: int):
    """Wait until the copy has the product's data and this free stock."""
    return wait_until(
        lambda: (
            (row := copy_of(order_db, product["id"]))
            and row.product_revision
            and row.available == available
            and row
        ),
        timeout=SAGA,
    )


def place(admin: ApiClient, client_id: str, product_id: str, quantity: int):
    return admin.post(
        "/orders",
        json={"client_id": client_id, "items": [{"product_id": product_id, "quantity": quantity}]},
    )


def stock_status(admin: ApiClient, order_id: str) -> str:
    return ok(admin.get(f"/orders/{order_id}"))["stock_status"]


def test_orders_are_placed_while_the_stock_service_is_down_and_reserve_once_it_is_back(
    stack, admin: ApiClient, order_db
):
    product = new_product(admin, on_hand=10)
    school = new_client(admin)
    row = known_to_the_copy(order_db, product, available=10)
    assert (row.name, str(row.price)) == (product["name"], "27.90")

    stack.stop(["stock", "stock_consumer"])
    try:
        placed = [place(admin, school["id"], product["id"], q) for q in (3, 4)]
        assert [response.status_code for response in placed] == [201, 201]
        orders = [response.json()["data"] for response in placed]
        assert [o["stock_status"] for o in orders] == ["awaiting", "awaiting"]
        assert [o["items"][0]["unit_price"] for o in orders] == [27.9, 27.9]  # from the copy
    finally:
        stack.start(["stock", "stock_consumer"])

    wait_until(
        lambda: all(stock_status(admin, o["id"]) == "reserved" for o in orders), timeout=SAGA
    )
    assert stock_of(admin, product["id"]) == {"on_hand": 10, "reserved": 7, "available": 3}
    known_to_the_copy(order_db, product, available=3)  # and the copy followed


def test_a_copy_that_says_available_when_the_stock_is_gone_oversells_nothing(
    admin: ApiClient, order_db
):
    product = new_product(admin, on_hand=2)
    school = new_client(admin)
    known_to_the_copy(order_db, product, available=2)
    with order_db.begin() as connection:  # the copy lags: it still believes in 50 units
        connection.execute(
            text("UPDATE orders.catalogue_products SET available = 50 WHERE product_id = :id"),
            {"id": product["id"]},
        )

    response = place(admin, school["id"], product["id"], 5)

    assert response.status_code == 201  # the copy let it through...
    order = response.json()["data"]
    wait_until(lambda: stock_status(admin, order["id"]) == "rejected", timeout=SAGA)
    assert stock_of(admin, product["id"]) == {"on_hand": 2, "reserved": 0, "available": 2}
    [shortage] = ok(admin.get(f"/orders/{order['id']}"))["shortages"]
    assert (shortage["requested"], shortage["available"]) == (5, 2)  # ...the saga did not


def test_a_copy_that_says_short_turns_the_order_away_until_it_catches_up(
    admin: ApiClient, order_db
):
    product = new_product(admin, on_hand=1)
    school = new_client(admin)
    known_to_the_copy(order_db, product, available=1)

    # A receipt the copy has not caught up with yet: once it landed, rewind the copy to what
    # it said before (and an older revision, so the next change still applies).
    ok(admin.post(f"/stock/{product['id']}/adjustments", json={"delta": 9, "reason": "receipt"}),
       201)  # fmt: skip
    row = known_to_the_copy(order_db, product, available=10)
    with order_db.begin() as connection:
        connection.execute(
            text(
                "UPDATE orders.catalogue_products SET available = 1,"
                " stock_revision = stock_revision - 1 WHERE product_id = :id"
            ),
            {"id": product["id"]},
        )

    refused = place(admin, school["id"], product["id"], 5)
    assert refused.status_code == 409
    assert refused.json()["data"]["shortages"][0]["available"] == 1

    # The next change of this product's stock reaches the copy (a newer revision) ...
    ok(admin.post(f"/stock/{product['id']}/adjustments", json={"delta": 1, "reason": "receipt"}),
       201)  # fmt: skip
    known_to_the_copy(order_db, product, available=11)
    accepted = place(admin, school["id"], product["id"], 5)

    assert accepted.status_code == 201  # ... and the order is placed
    order = accepted.json()["data"]
    wait_until(lambda: stock_status(admin, order["id"]) == "reserved", timeout=SAGA)
    assert copy_of(order_db, product["id"]).stock_revision > row.stock_revision


def test_falls_reach_the_copy_once_their_window_has_passed_and_so_does_a_rise(
    admin: ApiClient, order_db
):
    product = new_product(admin, on_hand=10)
    school = new_client(admin)
    known_to_the_copy(order_db, product, available=10)

    orders = [ok(place(admin, school["id"], product["id"], 2), 201) for _ in range(3)]
    wait_until(
        lambda: all(stock_status(admin, o["id"]) == "reserved" for o in orders), timeout=SAGA
    )
    reserved_at = time.monotonic()
    # Three falls (10 → 8 → 6 → 4), announced by the stock relay as one, 1–2 s later.
    known_to_the_copy(order_db, product, available=4)
    assert time.monotonic() - reserved_at < 5 * STOCK_FALLS_WINDOW

    ok(admin.put(f"/orders/{orders[0]['id']}", json={"status": "cancelled",
                                                    "cancel_reason": "teste"}))  # fmt: skip
    wait_until(lambda: stock_of(admin, product["id"])["available"] == 6, timeout=SAGA)
    known_to_the_copy(order_db, product, available=6)  # written at once (test_catalogue_events)
