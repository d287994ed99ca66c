"""The scheduled replenishment: the same use case as the route, and a process that stops
at once on SIGTERM."""

from __future__ import annotations

import uuid

from order_service.replenisher import run_once
from tests.support.waiting import wait_until
from tests.support.workers import stop_and_wait, worker_process


def test_a_scheduled_run_orders_once_and_the_next_run_orders_nothing(
    order_app, make_supplier, make_product, client, admin
):
    supplier = make_supplier()
    section = f"Agendada {uuid.uuid4().hex[:8]}"
    low = make_product(section=section, ideal_quantity=50, on_hand=5, supplier_id=supplier["id"])

    first = run_once(order_app, threshold_percent=20)
    second = run_once(order_app, threshold_percent=20)

    [planned] = [p for p in first.orders if p.supplier.id == uuid.UUID(supplier["id"])]
    assert [(str(level.product_id), quantity) for level, quantity in planned.lines] == [
        (low["id"], 45)
    ]
    order = client.get(f"/api/v1/orders/{planned.order_id}", headers=admin).json["data"]
    assert order["status_history"][0]["by"] == "service:replenisher"
    assert not [p for p in second.orders if p.supplier.id == uuid.UUID(supplier["id"])]
    assert low["id"] in {str(p["product_id"]) for p in second.already_open}


def test_off_by_default_and_stopped_at_once(test_database, amqp_url, tmp_path):
    off_log, on_log = tmp_path / "off.log", tmp_path / "on.log"
    env = {
        "DATABASE_URL": test_database.url_for("order_service"),
        "RABBITMQ_URL": amqp_url,
        "SERVICE_CLIENT_SECRET": "order-service-secret-for-tests",
        "STOCK_SERVICE_URL": "http://127.0.0.1:9",  # nobody: the run fails, the process stays
        "AUTH_TOKEN_URL": "http://127.0.0.1:9/token",
    }

    with worker_process("order_service.replenisher", off_log, **env) as off:
        assert off.wait(timeout=30) == 0
    with worker_process(
        "order_service.replenisher", on_log, REPLENISH_EVERY_HOURS="24", **env
    ) as on:
        wait_until(lambda: "replenishment run failed" in on_log.read_text(), timeout=30)
        assert on.poll() is None  # a failed run does not stop the schedule
        stop_and_wait(on, on_log)

    assert "scheduled replenishment is off" in off_log.read_text()
    assert "replenisher stopped" in on_log.read_text()
