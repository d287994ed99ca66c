"""/metrics on every HTTP service, under gunicorn's several workers: 50 orders move the
order service's POST /orders counter by exactly 50, whichever worker answered."""

from __future__ import annotations

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.support.e2e_builders import new_client, new_product, ok
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e


def scrape(url: str) -> dict[tuple[str, tuple], float]:
    response = requests.get(f"{url}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def created_orders(seen: dict) -> float:
    labels = (("method", "POST"), ("route", "/api/v1/orders"),
              ("service", "order_service"), ("status", "201"))  # fmt: skip
    return seen.get(("pedidos_http_requests_total", labels), 0.0)


def reserved_by_consumer(seen: dict) -> float:
    labels = (("outcome", "processed"), ("queue", "novos_pedidos"), ("type", "order.created"))
    return seen.get(("pedidos_consumer_messages_total", labels), 0.0)


def published_by_relay(seen: dict) -> float:
    return seen.get(("pedidos_outbox_published_total", (("relay", "orders_outbox"),)), 0.0)


def test_fifty_orders_move_the_counter_by_fifty(stack, admin):
    orders_url = f"http://127.0.0.1:{stack.ports.orders}"
    consumer_url = f"http://127.0.0.1:{stack.metrics_ports['stock_consumer']}"
    relay_url = f"http://127.0.0.1:{stack.metrics_ports['order_relay']}"
    school = new_client(admin)
    product = new_product(admin, on_hand=100)
    before = scrape(orders_url)
    consumed_before = reserved_by_consumer(scrape(consumer_url))
    published_before = published_by_relay(scrape(relay_url))

    for _ in range(50):
        body = {"client_id": school["id"], "items": [{"product_id": product["id"], "quantity": 1}]}
        ok(admin.post("/orders", json=body), 201)

    after = scrape(orders_url)
    assert created_orders(after) - created_orders(before) == 50
    # The workers' own series: each order's event published once, reserved once.
    wait_until(
        lambda: reserved_by_consumer(scrape(consumer_url)) - consumed_before == 50, timeout=20
    )
    # The relay counts a batch after the broker confirmed it and the outbox rows are marked,
    # so the consumer can have reserved an order before the relay's counter moves: wait.
    wait_until(lambda: published_by_relay(scrape(relay_url)) - published_before >= 50, timeout=20)
    outbox = (("backlog", "outbox"), ("field", "waiting"), ("service", "order_service"))
    assert ("pedidos_backlog", outbox) in after  # the /ready backlogs, as gauges
    for port in (stack.ports.auth, stack.ports.stock, stack.ports.gateway):
        assert any(
            name == "pedidos_http_requests_total" for name, _ in scrape(f"http://127.0.0.1:{port}")
        )
