"""client_credentials: service-to-service tokens."""

import jwt
import pytest

from shared.auth import TokenVerifier

TOKEN = "/api/v1/auth/token"


SECRET = "order-service-secret-for-tests"  # the tests' SERVICE_CLIENTS (conftest)


def _ask(client, client_id="order_service", secret=SECRET, **extra):
    body = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    return client.post(TOKEN, json={**body, **extra})


def test_a_service_gets_a_token_with_the_scopes_it_needs_and_no_more(app, client):
    response = _ask(client)

    assert response.status_code == 200, response.json
    data = response.json["data"]
    assert data["token_type"] == "Bearer" and data["expires_in"] == 900
    with app.app_context():
        verifier: TokenVerifier = app.extensions["token_verifier"]
        claims = verifier.verify(data["access_token"])
    assert claims["role"] == "service"
    assert claims["sub"] == "service:order_service"
    assert claims["scope"] == "products:search stock:availability stock:levels suppliers:read"
    assert "client_id" not in claims  # that claim names a client record, not an OAuth client


@pytest.mark.parametrize("environment", ["development", "test", "production"])
@pytest.mark.parametrize(
    ("client_id", "secret"),
    [
        ("order_service", "wrong"),
        ("order_service", "dev-secret-order_service"),  # the default that used to exist
        ("notifications_worker", "dev-secret-notifications_worker"),  # any id, once
        ("gateway", "dev-secret-gateway"),
        ("stock_service", SECRET),  # another client's secret
        ("Not A Service", "dev-secret-Not A Service"),
    ],
)
def test_an_unknown_client_or_a_wrong_secret_is_401_in_every_environment(
    make_app, keys_dir_with, environment, client_id, secret
):
    app = make_app(
        keys_dir_with(("k.pem", 0)),
        environment=environment,
        service_clients={"order_service": SECRET},
        forwarded_for_secret="forwarded-for-secret-for-tests",
    )

    response = _ask(app.test_client(), client_id, secret)

    assert response.status_code == 401
    assert response.json["code"] == "invalid_client"
    assert "data" not in response.json or not response.json["data"]


def test_a_configured_client_without_scopes_gets_a_token_no_route_accepts(make_app, keys_dir_with):
    app = make_app(keys_dir_with(("k.pem", 0)), service_clients={"reports_job": "s" * 20})
    client = app.test_client()

    token = _ask(client, "reports_job", "s" * 20).json["data"]["access_token"]

    assert jwt.decode(token, options={"verify_signature": False})["scope"] == ""


@pytest.mark.parametrize(
    "body",
    [
        {"grant_type": "password", "client_id": "order_service", "client_secret": "x"},
        {"grant_type": "client_credentials", "client_id": "order_service"},
    ],
)
def test_other_grants_or_missing_fields_are_400(client, body):
    assert client.post(TOKEN, json=body).status_code == 400


def test_a_service_token_is_not_a_user(client, api):
    token = _ask(client).json["data"]["access_token"]

    response = api.me(token)

    # No route of the auth service names a scope: a service token is refused on all of them.
    assert response.status_code == 403
    assert response.json["message"] == "Token de serviço sem permissão para esta rota."
    assert jwt.decode(token, options={"verify_signature": False})["role"] == "service"
