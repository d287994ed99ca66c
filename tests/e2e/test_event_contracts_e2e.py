"""Every event the producers really write parses with the type its consumers read it as
(shared.events): an order's life through the gateway, then both services' outboxes read back.

product.changed and stock.changed come from the stock database's triggers: their SQL builds
the same envelope, and this test is what proves it. stock.rejected is produced where a
shortage can be made on purpose, in
stock_service/tests/test_stock_reservations.py (the gateway turns a surely-short order away
before it is an event).
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from shared.events import (
    Event,
    EventType,
    OrderCreated,
    OrderItemsChanged,
    OrderStatusChanged,
    ProductChanged,
    StockChanged,
    StockLow,
    StockReserved,
    data_of,
)
from tests.support.api_client import ApiClient
from tests.support.e2e_builders import new_client, new_product, new_supplier, ok, stock_of
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e


def written(engine, schema: str, *ids: str) -> list[Event]:
    """The events of `schema`'s outbox that name one of `ids`, oldest first."""
    with engine.connect() as connection:
        payloads = connection.scalars(
            text(
                f"SELECT payload FROM {schema}.outbox"
                " WHERE payload->'data'->>'order_id' = ANY(:ids)"
                " OR payload->'data'->>'product_id' = ANY(:ids) ORDER BY created_at, id"
            ),
            {"ids": list(ids)},
        ).all()
    return [Event.from_dict(payload) for payload in payloads]


def test_every_event_an_order_life_writes_parses_with_its_consumers_type(
    admin: ApiClient, order_db, stock_db
):
    supplier = new_supplier(admin)
    product = new_product(
        admin, on_hand=25, ideal_quantity=100, supplier_id=supplier["id"],
        section=f"Contratos {uuid.uuid4().hex[:6]}",
    )  # fmt: skip
    school = new_client(admin)
    order = ok(admin.post("/orders", json={
        "client_id": school["id"], "items": [{"product_id": product["id"], "quantity": 10}],
    }), 201)  # fmt: skip
    item = f"/orders/{order['id']}/items/{order['items'][0]['id']}"
    reserved = lambda version: (  # noqa: E731
        (o := ok(admin.get(f"/orders/{order['id']}")))["stock_status"] == "reserved"
        and o["order_version"] == version
    )
    wait_until(lambda: reserved(1), timeout=20)
    changed = ok(admin.patch(item, json={"quantity": 12}))
    wait_until(lambda: reserved(changed["order_version"]), timeout=20)
    # 13 of an ideal 100 free: below the 20 % mark while the order holds its 12.
    run = ok(admin.post("/orders/auto/low-stock", json={"section": product["section"]}), 201)
    (planned,) = run["details"]
    ok(admin.put(f"/orders/{order['id']}", json={"status": "cancelled", "cancel_reason": "teste"}))

    produced = written(order_db, "orders", order["id"], planned["order_id"])
    # The stock service has applied the cancellation: every event of this life is written.
    wait_until(lambda: stock_of(admin, product["id"])["available"] == 25, timeout=20)
    answered = written(stock_db, "stock", order["id"], product["id"])

    parsed = [data_of(event) for event in produced + answered]  # InvalidEvent would fail here
    kinds = [type(data) for data in parsed]
    assert {EventType(event.type) for event in produced + answered} == {
        EventType.ORDER_CREATED, EventType.ORDER_ITEMS_CHANGED, EventType.ORDER_STATUS_CHANGED,
        EventType.STOCK_RESERVED, EventType.STOCK_LOW, EventType.PRODUCT_CHANGED,
        EventType.STOCK_CHANGED,
    }  # fmt: skip
    assert kinds.count(OrderCreated) == 2  # the sale and the replenishment order
    sale, replenishment = (d for d in parsed if isinstance(d, OrderCreated))
    assert (sale.order_type, sale.client_id, sale.supplier_id) == (
        "sale", uuid.UUID(school["id"]), None,
    )  # fmt: skip
    assert (replenishment.order_type, replenishment.supplier_id) == (
        "replenishment", uuid.UUID(supplier["id"]),
    )  # fmt: skip
    [items_changed] = [d for d in parsed if isinstance(d, OrderItemsChanged)]
    assert [(line.product_id, line.quantity) for line in items_changed.items] == [
        (uuid.UUID(product["id"]), 12)
    ]
    [cancelled] = [d for d in parsed if isinstance(d, OrderStatusChanged)]
    assert (cancelled.from_status, cancelled.to_status, cancelled.deleted) == (
        "pending", "cancelled", False,
    )  # fmt: skip
    assert [d.order_version for d in parsed if isinstance(d, StockReserved)] == [1, 2]
    assert any(isinstance(d, StockLow) and d.available < 20 for d in parsed)
    # Written by the stock database's triggers, read by the order service's catalogue copy.
    [product_changed] = [d for d in parsed if isinstance(d, ProductChanged)]
    assert (product_changed.name, product_changed.supplier_name) == (
        product["name"], supplier["name"],
    )  # fmt: skip
    # The new row with its stock (25, never a 0 first), the rise back to 25 at once; the
    # falls to 15 and 13 wait out their window (migration 0005) and, announced after it,
    # carry the figure of that moment — whichever it was.
    figures = [d.available for d in parsed if isinstance(d, StockChanged)]
    assert figures[0] == 25 and figures[-1] == 25, figures
    assert set(figures) <= {25, 15, 13}, figures
