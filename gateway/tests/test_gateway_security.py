"""What the edge refuses before any service is contacted: internal routes, service tokens,
forged forwarding headers, and too many calls from one address (docs/security.md)."""

import pytest
import requests

from shared.config import ConfigError
from shared.forwarding import sign_forwarded_for
from tests.support.api_client import FromAddress

SECRET = "forwarded-for-secret-for-tests"


def from_address(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return session


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/auth/token",
        "/api/v1/auth/token/",
        "/api/v1/auth//token",
        "/api/v1/auth/%74oken",  # percent-encoded: the decoded path is what is checked
    ],
)
def test_the_service_token_route_is_not_routed(gateway, services, path):
    body = {"grant_type": "client_credentials", "client_id": "order_service", "client_secret": "x"}

    response = requests.post(f"{gateway.url}{path}", json=body, timeout=5)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert services["auth_service"].seen == []


def test_a_service_token_is_refused_at_the_edge(gateway, services, keys):
    token = keys.token(role="service", sub="service:order_service", scope="stock:availability")

    response = requests.post(
        f"{gateway.url}/api/v1/stock/availability",
        json={"items": []},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )

    assert response.status_code == 403
    assert response.json()["message"] == "Tokens de serviço não são aceitos no gateway."
    assert services["stock_service"].seen == []


def test_the_forwarded_address_is_signed_for_the_services(start_gateway, services):
    gateway = start_gateway(forwarded_for_secret=SECRET)

    requests.post(
        f"{gateway.url}/api/v1/auth/login",
        json={},
        headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-For-Signature": "forged"},
        timeout=5,
    )

    [seen] = services["auth_service"].seen
    forwarded = seen["headers"]["X-Forwarded-For"]
    assert forwarded == "203.0.113.9, 127.0.0.1"  # the last hop is the one the gateway saw
    assert seen["headers"]["X-Forwarded-For-Signature"] == sign_forwarded_for(SECRET, forwarded)


def test_without_a_secret_nothing_is_signed_and_a_clients_signature_is_dropped(gateway, services):
    requests.post(
        f"{gateway.url}/api/v1/auth/login",
        json={},
        headers={"X-Forwarded-For-Signature": "forged"},
        timeout=5,
    )

    [seen] = services["auth_service"].seen
    assert "X-Forwarded-For-Signature" not in seen["headers"]


def test_sign_ups_from_one_address_are_limited_with_retry_after(start_gateway, services):
    gateway = start_gateway(rate_limit_register="3/minute")
    url = f"{gateway.url}/api/v1/auth/register"
    one_address = from_address("127.0.0.2")

    statuses = [one_address.post(url, json={}, timeout=5).status_code for _ in range(5)]
    refused = one_address.post(url, json={}, timeout=5)
    neighbour = from_address("127.0.0.3").post(url, json={}, timeout=5)

    assert statuses == [200, 200, 200, 429, 429]
    assert refused.json()["code"] == "rate_limited"
    assert refused.json()["message"].startswith("Muitas requisições deste endereço.")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert neighbour.status_code == 200
    # Refused calls never reach the auth service.
    assert len(services["auth_service"].seen) == 4


def test_each_route_has_its_own_budget_and_exempt_addresses_have_none(start_gateway):
    gateway = start_gateway(
        rate_limit_register="1/minute",
        rate_limit_login="2/minute",
        rate_limit_exempt=("127.0.0.5",),
    )
    caller = from_address("127.0.0.4")
    monitor = from_address("127.0.0.5")

    def post(session, route):
        return session.post(f"{gateway.url}/api/v1/auth/{route}", json={}, timeout=5).status_code

    assert [post(caller, "register") for _ in range(2)] == [200, 429]
    assert [post(caller, "login") for _ in range(3)] == [200, 200, 429]
    assert [post(monitor, "login") for _ in range(5)] == [200] * 5


def test_a_malformed_limit_stops_start_up(start_gateway):
    with pytest.raises(ConfigError, match="Limite inválido"):
        start_gateway(rate_limit_login="muitos por minuto")
