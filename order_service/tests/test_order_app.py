from order_service.app import create_app
from order_service.config import OrderSettings


def test_health_and_ready_answer_in_the_envelope(test_database):
    settings = OrderSettings(
        service_name="order_service",
        database_url=test_database.url_for("order_service"),
        service_client_secret="order-service-secret-for-tests",
    )
    client = create_app(settings).test_client()

    health = client.get("/health")
    ready = client.get("/ready")

    assert health.status_code == 200
    assert health.json["data"] == {"alive": True}
    assert ready.status_code == 200
    assert ready.json["data"]["checks"] == {"database": "ok"}
    assert set(ready.json["data"]["backlog"]["outbox"]) == {
        "waiting",
        "waiting_capped",
        "oldest_age_seconds",
    }
    assert set(ready.json["data"]["backlog"]["notifications"]) == {
        "queued",
        "oldest_queued_seconds",
        "failed_last_hour",
    }
    assert ready.headers["X-Request-ID"]


def test_unknown_route_is_a_404_envelope(test_database):
    settings = OrderSettings(
        service_name="order_service",
        database_url=test_database.url_for("order_service"),
        service_client_secret="order-service-secret-for-tests",
    )
    client = create_app(settings).test_client()

    response = client.get("/api/v1/nothing-here", headers={"X-Request-ID": "abc-123"})

    assert response.status_code == 404
    assert response.json == {
        "status": "error",
        "message": "Rota não encontrada.",
        "code": "not_found",
        "errors": [],
        "request_id": "abc-123",
    }
