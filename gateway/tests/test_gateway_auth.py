"""Access tokens are verified at the edge, before any service is contacted."""

import base64
import json
import time

import pytest
import requests


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def get_with(gateway, token: str, path: str = "/api/v1/orders") -> requests.Response:
    return requests.get(
        f"{gateway.url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )


def end_the_refetch_cooldown(gateway, monkeypatch) -> None:
    """PyJWT refetches the key set for an unknown kid at most every 30 s (so a flood of
    made-up kids cannot hammer the auth service): let that time pass."""
    jwks_client = gateway.app.extensions["token_verifier"]._jwks
    monkeypatch.setattr(jwks_client, "_last_successful_fetch", time.monotonic() - 31)


def test_a_request_without_token_is_refused_and_never_forwarded(gateway, services):
    response = requests.get(f"{gateway.url}/api/v1/orders", timeout=5)

    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert response.json()["message"] == "Token de acesso ausente."
    assert services["order_service"].seen == []


def test_a_tampered_token_is_refused(gateway, services, keys):
    header, payload, signature = keys.token(role="client").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged = ".".join([header, _b64({**claims, "role": "admin"}), signature])

    response = get_with(gateway, forged)

    assert response.status_code == 401
    assert services["order_service"].seen == []


def test_an_unsigned_alg_none_token_is_refused(gateway, services, keys):
    claims = json.loads(base64.urlsafe_b64decode(keys.token().split(".")[1] + "=="))
    unsigned = f"{_b64({'alg': 'none', 'typ': 'at+jwt', 'kid': 'key-1'})}.{_b64(claims)}."

    response = get_with(gateway, unsigned)

    assert response.status_code == 401
    assert response.json()["message"] == "Algoritmo de assinatura recusado."
    assert services["order_service"].seen == []


@pytest.mark.parametrize(
    ("claims", "code"),
    [({"exp": 1_000_000}, "token_expired"), ({"aud": "someone-else"}, "unauthorized")],
)
def test_expired_or_foreign_tokens_are_refused(gateway, services, keys, claims, code):
    token = keys.token(**claims)

    response = get_with(gateway, token, "/api/v1/products")

    assert response.status_code == 401
    assert response.json()["code"] == code
    assert services["stock_service"].seen == []


def test_a_token_signed_by_an_unknown_key_is_refused(gateway, services, keys):
    token = keys.token("key-1", key=keys.private["rogue"])

    response = get_with(gateway, token)

    assert response.status_code == 401


def test_a_valid_token_is_forwarded_with_authorization_unchanged(gateway, services, keys):
    token = keys.token(role="staff")

    response = get_with(gateway, token)

    assert response.status_code == 200
    assert response.json()["service"] == "order_service"
    assert response.json()["headers"]["Authorization"] == f"Bearer {token}"


def test_the_key_set_is_fetched_once_and_cached(gateway, services, auth_header):
    for _ in range(3):
        requests.get(f"{gateway.url}/api/v1/orders", headers=auth_header, timeout=5)

    assert services["auth_service"].jwks_fetches == 1


def test_an_unknown_kid_makes_the_gateway_fetch_the_key_set_again(
    gateway, services, keys, monkeypatch
):
    get_with(gateway, keys.token("key-1"))
    keys.published.append("key-2")  # the auth service rotates its keys
    end_the_refetch_cooldown(gateway, monkeypatch)

    rotated = get_with(gateway, keys.token("key-2"))

    assert rotated.status_code == 200
    assert services["auth_service"].jwks_fetches == 2


def test_a_token_of_a_withdrawn_key_is_refused_as_soon_as_the_gateway_sees_the_withdrawal(
    gateway, services, keys, monkeypatch
):
    keys.published.append("key-2")
    token = keys.token("key-2")
    first = get_with(gateway, token)
    # The auth service withdraws key-2 and signs with a new key ("rogue" is only its name
    # here); a token of the new key makes the gateway fetch the key set again.
    keys.published = ["key-1", "rogue"]
    end_the_refetch_cooldown(gateway, monkeypatch)
    new_key = get_with(gateway, keys.token("rogue"))

    again = get_with(gateway, token)

    assert (first.status_code, new_key.status_code) == (200, 200)
    # Verified a moment ago, but no memory at the edge outlives the verifier's.
    assert again.status_code == 401
    assert services["order_service"].paths_seen() == ["/api/v1/orders", "/api/v1/orders"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/auth/login"),
        ("POST", "/api/v1/auth/register"),
        ("POST", "/api/v1/auth/refresh-token"),
        ("GET", "/api/v1/auth/.well-known/jwks.json"),
    ],
)
def test_public_auth_routes_pass_without_token(gateway, services, method, path):
    response = requests.request(method, f"{gateway.url}{path}", json={}, timeout=5)

    assert response.status_code == 200


def test_gateway_routes_need_no_token(gateway):
    for path in ("/api/v1/health", "/health", "/ready", "/api/openapi.json", "/api/docs"):
        response = requests.get(f"{gateway.url}{path}", timeout=5)
        assert response.status_code in (200, 503), path  # never 401


def test_logout_and_me_need_a_token(gateway, services):
    assert requests.post(f"{gateway.url}/api/v1/auth/logout", json={}, timeout=5).status_code == 401
    assert requests.get(f"{gateway.url}/api/v1/auth/me", timeout=5).status_code == 401
    assert services["auth_service"].seen == []
