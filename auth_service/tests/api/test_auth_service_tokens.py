"""client_credentials: service-to-service tokens."""

import jwt
import pytest

from shared.auth import TokenVerifier

TOKEN = "/api/v1/auth/token"


def _ask(client, client_id="order_service", secret="dev-secret-order_service", **extra):
    body = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    return client.post(TOKEN, json={**body, **extra})


def test_a_service_gets_a_token_that_every_service_accepts(app, client):
    response = _ask(client)

    assert response.status_code == 200, response.json
    data = response.json["data"]
    assert data["token_type"] == "Bearer" and data["expires_in"] == 900
    with app.app_context():
        verifier: TokenVerifier = app.extensions["token_verifier"]
        claims = verifier.verify(data["access_token"])
    assert claims["role"] == "service"
    assert claims["sub"] == "service:order_service"
    assert "client_id" not in claims  # that claim names a client record, not an OAuth client


def test_in_development_any_service_name_has_its_dev_secret(client):
    assert (
        _ask(client, "notifications_worker", "dev-secret-notifications_worker").status_code == 200
    )


@pytest.mark.parametrize(
    ("client_id", "secret"),
    [
        ("order_service", "wrong"),
        ("order_service", "dev-secret-stock_service"),
        ("Not A Service", "dev-secret-Not A Service"),
    ],
)
def test_a_wrong_secret_is_401(client, client_id, secret):
    response = _ask(client, client_id, secret)

    assert response.status_code == 401
    assert response.json["code"] == "invalid_client"


def test_configured_secrets_replace_the_dev_default(make_app, keys_dir_with):
    app = make_app(keys_dir_with(("k.pem", 0)), service_clients={"gateway": "s3cret-from-env"})
    client = app.test_client()

    assert _ask(client, "gateway", "s3cret-from-env").status_code == 200
    assert _ask(client, "gateway", "dev-secret-gateway").status_code == 401


def test_outside_development_only_configured_clients_exist(make_app, keys_dir_with):
    app = make_app(
        keys_dir_with(("k.pem", 0)),
        environment="production",
        service_clients={"order_service": "a-long-enough-secret"},
    )
    client = app.test_client()

    assert _ask(client, "order_service", "a-long-enough-secret").status_code == 200
    assert _ask(client, "stock_service", "dev-secret-stock_service").status_code == 401


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

    assert response.status_code == 401
    assert jwt.decode(token, options={"verify_signature": False})["role"] == "service"
