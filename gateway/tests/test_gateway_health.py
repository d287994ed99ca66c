"""GET /api/v1/health: the gateway and the readiness of every service behind it."""

import time

import requests


def test_all_services_ready_is_200(gateway, services):
    response = requests.get(f"{gateway.url}/api/v1/health", timeout=5)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "success"
    assert body["message"] == "Todos os serviços estão prontos."
    assert body["data"] == {
        "gateway": "ok",
        "services": {
            name: {"ready": True, "checks": {"database": "ok"}}
            for name in ("auth_service", "order_service", "stock_service")
        },
    }


def test_a_service_not_ready_is_a_503_naming_it(gateway, services):
    services["stock_service"].ready = False

    response = requests.get(
        f"{gateway.url}/api/v1/health", headers={"Accept-Language": "en"}, timeout=5
    )

    body = response.json()
    assert response.status_code == 503
    assert body["code"] == "service_unavailable"
    assert body["message"] == "Services unavailable: stock_service."
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert body["data"]["services"]["stock_service"] == {
        "ready": False,
        "checks": {"database": "unavailable: OperationalError"},
    }
    assert body["data"]["services"]["order_service"]["ready"] is True


def test_an_outbox_that_cannot_publish_is_a_warning_not_a_failure(gateway, services):
    # The order relay cannot reach RabbitMQ: orders are still accepted, so still ready (200).
    services["order_service"].backlog = {
        "outbox": {"waiting": 50, "waiting_capped": False, "oldest_age_seconds": 95.4}
    }
    services["stock_service"].backlog = {
        "outbox": {"waiting": 2, "waiting_capped": False, "oldest_age_seconds": 0.2}
    }

    response = requests.get(f"{gateway.url}/api/v1/health", timeout=5)

    body = response.json()
    assert response.status_code == 200
    warning = (
        "order_service: 50 evento(s) aguardando publicação, o mais antigo há 95 s (o relay"
        " alcança o RabbitMQ?). Os pedidos continuam sendo aceitos e nada se perde."
    )
    assert body["data"]["warnings"] == [warning]  # stock_service's 0.2 s is normal
    assert body["message"] == f"Todos os serviços estão prontos, com avisos: {warning}"
    assert body["data"]["services"]["order_service"]["backlog"]["outbox"]["waiting"] == 50


def test_stuck_orders_and_dead_letters_are_warnings_with_what_to_look_at(gateway, services):
    services["order_service"].backlog = {
        "stuck_orders": {"awaiting_stock_over_seconds": 300, "count": 3, "oldest_seconds": 720},
        "dead_letters": {"messages": 2, "queues": {"order_service.stock_events.dlq": 2,
                                                   "order_service.notifications.dlq": 0}},
    }  # fmt: skip
    services["stock_service"].backlog = {"dead_letters": {"messages": 0, "queues": {}}}

    response = requests.get(f"{gateway.url}/api/v1/health", timeout=5)

    body = response.json()
    assert response.status_code == 200
    assert body["data"]["warnings"] == [
        "order_service: 3 pedido(s) aguardando o estoque há mais de 300 s, o mais antigo há"
        " 720 s (o consumidor de estoque está rodando? a mensagem está numa DLQ?)."
        " docs/operations.md diz o que fazer.",
        "order_service: 2 mensagem(ns) em filas de mensagens mortas"
        " (order_service.stock_events.dlq): `make dlq` lista cada uma com o motivo.",
    ]


def test_a_dead_service_is_reported_quickly(start_gateway, services, unused_port):
    gateway = start_gateway(order_service_url=f"http://127.0.0.1:{unused_port}")

    started = time.monotonic()
    response = requests.get(f"{gateway.url}/api/v1/health", timeout=10)

    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert "order_service" in response.json()["message"]
    assert response.json()["data"]["services"]["order_service"] == {
        "ready": False,
        "error": "unreachable",
    }


def test_services_are_asked_concurrently(gateway, services):
    for upstream in services.values():
        upstream.ready_delay = 0.4  # 1.2 s if asked one after the other

    started = time.monotonic()
    response = requests.get(f"{gateway.url}/api/v1/health", timeout=10)

    assert response.status_code == 200
    assert time.monotonic() - started < 0.9


def test_the_gateways_own_liveness_needs_no_service(start_gateway, unused_port):
    gateway = start_gateway(
        auth_service_url=f"http://127.0.0.1:{unused_port}",
        order_service_url=f"http://127.0.0.1:{unused_port}",
        stock_service_url=f"http://127.0.0.1:{unused_port}",
    )

    assert requests.get(f"{gateway.url}/health", timeout=5).status_code == 200
    assert requests.get(f"{gateway.url}/ready", timeout=5).status_code == 200
