"""CORS from the allow-list, answered at the gateway."""

import requests

FRONTEND = "http://localhost:3000"


def test_an_allowed_origin_gets_cors_headers_and_the_request_id(gateway, auth_header):
    response = requests.get(
        f"{gateway.url}/api/v1/orders", headers={**auth_header, "Origin": FRONTEND}, timeout=5
    )

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND
    assert "X-Request-ID" in response.headers["Access-Control-Expose-Headers"]
    assert "Origin" in response.headers["Vary"]


def test_error_responses_carry_cors_headers_too(gateway):
    response = requests.get(f"{gateway.url}/api/v1/orders", headers={"Origin": FRONTEND}, timeout=5)

    assert response.status_code == 401
    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND


def test_a_foreign_origin_gets_no_cors_headers(gateway, auth_header):
    response = requests.get(
        f"{gateway.url}/api/v1/orders",
        headers={**auth_header, "Origin": "https://evil.example"},
        timeout=5,
    )

    assert "Access-Control-Allow-Origin" not in response.headers


def test_the_allow_list_comes_from_the_settings(start_gateway, auth_header):
    gateway = start_gateway(cors_origins=("https://pedidos.example",))

    allowed = requests.get(
        f"{gateway.url}/api/v1/orders",
        headers={**auth_header, "Origin": "https://pedidos.example"},
        timeout=5,
    )
    default = requests.get(
        f"{gateway.url}/api/v1/orders", headers={**auth_header, "Origin": FRONTEND}, timeout=5
    )

    assert allowed.headers["Access-Control-Allow-Origin"] == "https://pedidos.example"
    assert "Access-Control-Allow-Origin" not in default.headers


def test_a_preflight_is_answered_by_the_gateway_without_token_or_service(gateway, services):
    response = requests.options(
        f"{gateway.url}/api/v1/orders",
        headers={
            "Origin": FRONTEND,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
        },
        timeout=5,
    )

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    allowed_headers = response.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed_headers and "idempotency-key" in allowed_headers
    assert services["order_service"].seen == []


def test_a_preflight_from_a_foreign_origin_is_not_allowed(gateway):
    response = requests.options(
        f"{gateway.url}/api/v1/orders",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "DELETE"},
        timeout=5,
    )

    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_headers_from_a_service_are_not_relayed(gateway, services, auth_header):
    # The service answers "Access-Control-Allow-Origin: *": it must not widen the policy.
    allowed = requests.get(
        f"{gateway.url}/api/v1/orders/cors", headers={**auth_header, "Origin": FRONTEND}, timeout=5
    )
    foreign = requests.get(
        f"{gateway.url}/api/v1/orders/cors",
        headers={**auth_header, "Origin": "https://evil.example"},
        timeout=5,
    )

    assert allowed.raw.headers.getlist("Access-Control-Allow-Origin") == [FRONTEND]
    assert "Access-Control-Allow-Credentials" not in allowed.headers
    assert "Access-Control-Allow-Origin" not in foreign.headers
