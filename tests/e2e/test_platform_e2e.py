"""The platform through the gateway, with every process running (issue: platform foundation)."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization

from tests.support.api_client import ApiClient
from tests.support.documents import random_cpf as valid_cpf

pytestmark = pytest.mark.e2e

PASSWORD = "Senha#Forte-2026"


def register(api: ApiClient, **overrides) -> dict:
    body = {
        "name": "Maria Cliente",
        "email": f"maria-{uuid.uuid4().hex[:10]}@exemplo.com.br",
        "password": PASSWORD,
        "document": valid_cpf(),
        "phone": "+55 11 98765-4321",
        **overrides,
    }
    response = api.post("/auth/register", json=body)
    assert response.status_code == 201, response.text
    return body


def assert_error(response: requests.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == "error"
    assert body["message"]
    assert body["request_id"] == response.headers["X-Request-ID"]
    if code:
        assert body["code"] == code
    return body


def test_health_reports_every_service_ready(api: ApiClient):
    response = api.get("/health")

    assert response.status_code == 200, response.text
    services = response.json()["data"]["services"]
    assert set(services) == {"auth_service", "order_service", "stock_service"}
    assert all(service["ready"] for service in services.values())


def test_swagger_ui_shows_the_whole_api(stack):
    docs = requests.get(f"{stack.gateway_url}/api/docs/", timeout=5)
    spec = requests.get(f"{stack.gateway_url}/api/openapi.json", timeout=10).json()

    assert docs.status_code == 200 and "swagger-ui" in docs.text
    assert "cdn" not in docs.text.lower()  # assets are served locally (closed networks)
    for path in (
        "/api/v1/auth/login",
        "/api/v1/auth/register",
        "/api/v1/auth/refresh-token",
        "/api/v1/auth/users",
        "/api/v1/health",
    ):
        assert path in spec["paths"], path


def test_register_login_me_refresh_reuse_and_logout(api: ApiClient):
    account = register(api)
    user = api.logged_in(account["email"], account["password"])
    assert user.user["role"] == "client"

    me = user.get("/auth/me")
    assert me.status_code == 200
    assert me.json()["data"]["email"] == account["email"].lower()

    first_refresh = user.refresh_token
    rotated = api.post("/auth/refresh-token", json={"refresh_token": first_refresh})
    assert rotated.status_code == 200, rotated.text
    new_pair = rotated.json()["data"]
    assert new_pair["refresh_token"] != first_refresh
    assert new_pair["access_token"] != user.token

    reused = api.post("/auth/refresh-token", json={"refresh_token": first_refresh})
    assert_error(reused, 401)
    # Reuse revoked the whole family: the token issued by the rotation is refused too.
    assert_error(
        api.post("/auth/refresh-token", json={"refresh_token": new_pair["refresh_token"]}), 401
    )

    again = api.logged_in(account["email"], account["password"])
    logout = again.post("/auth/logout", json={"refresh_token": again.refresh_token})
    assert logout.status_code == 200, logout.text
    assert_error(api.post("/auth/refresh-token", json={"refresh_token": again.refresh_token}), 401)


def _signing_key(stack) -> tuple[object, str]:
    """The auth service's private key (as a test we can read its key directory)."""
    pem = sorted(Path(stack.keys_dir).glob("*.pem"))[-1].read_bytes()
    key = serialization.load_pem_private_key(pem, password=None)
    jwks = requests.get(f"{stack.api}/auth/.well-known/jwks.json", timeout=5).json()
    return key, jwks["keys"][-1]["kid"]


def test_forged_and_expired_tokens_are_refused(stack, api: ApiClient, admin: ApiClient):
    header, payload, signature = admin.token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = "admin"
    claims["sub"] = str(uuid.uuid4())
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    tampered = f"{header}.{forged_payload}.{signature}"
    none_token = jwt.encode(claims, key=None, algorithm="none", headers={"typ": "at+jwt"})
    key, kid = _signing_key(stack)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    hs256 = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"at+jwt","kid":"%s"}' % kid.encode())
    import hashlib
    import hmac

    signing_input = hs256.rstrip(b"=") + b"." + forged_payload.encode()
    mac = hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    hs256_token = (signing_input + b"." + base64.urlsafe_b64encode(mac).rstrip(b"=")).decode()
    now = datetime.now(UTC)
    expired = jwt.encode(
        {**claims, "iat": now - timedelta(hours=2), "exp": now - timedelta(hours=1)},
        key,
        algorithm="RS256",
        headers={"kid": kid, "typ": "at+jwt"},
    )

    for token in (tampered, none_token, hs256_token, expired, "not-a-jwt"):
        response = api.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert_error(response, 401)
    assert_error(api.get("/auth/me"), 401)


def test_only_admins_manage_users_and_nobody_makes_itself_admin(api: ApiClient, admin: ApiClient):
    staff = api.logged_in(*admin.create_user("staff"))
    supplier = api.logged_in(*admin.create_user("supplier"))
    account = register(api, role="admin")  # the caller cannot choose the role...
    client = api.logged_in(account["email"], account["password"])
    assert client.user["role"] == "client"  # ...it is always a client

    for caller in (staff, client, supplier):
        assert_error(caller.get("/auth/users"), 403, "forbidden")
        assert_error(
            caller.post(
                "/auth/users",
                json={
                    "name": "X",
                    "email": f"x-{uuid.uuid4().hex}@x.com",
                    "password": PASSWORD,
                    "role": "admin",
                },
            ),
            403,
        )
        assert_error(caller.patch(f"/auth/users/{caller.user['id']}", json={"role": "admin"}), 403)
        assert caller.get("/auth/me").json()["data"]["role"] != "admin"

    listing = admin.get("/auth/users", params={"page_size": 5})
    assert listing.status_code == 200
    assert listing.json()["meta"]["page_size"] == 5


def test_bad_requests_get_the_envelope(api: ApiClient):
    malformed = api.post(
        "/auth/login",
        data=b'{"email": "a@b.com", "password": ',
        headers={"Content-Type": "application/json"},
    )
    assert_error(malformed, 400, "malformed_json")

    huge = api.post(
        "/auth/login",
        data=json.dumps({"email": "a@b.com", "password": "x" * (3 * 1024 * 1024)}),
        headers={"Content-Type": "application/json"},
    )
    assert_error(huge, 413, "payload_too_large")

    assert_error(api.get("/nothing/here"), 404, "not_found")
    assert_error(
        api.post("/auth/login", data="email=a", headers={"Content-Type": "text/plain"}), 415
    )

    invalid = api.post("/auth/register", json={"email": "not-an-email", "password": "123"})
    body = assert_error(invalid, 400, "validation_error")
    fields = {error["field"] for error in body["errors"]}
    assert {"email", "password", "name", "document"} <= fields


def test_request_id_round_trips(api: ApiClient, admin: ApiClient):
    request_id = f"e2e-{uuid.uuid4().hex}"
    ok = admin.get("/auth/me", headers={"X-Request-ID": request_id})
    failed = api.get("/auth/me", headers={"X-Request-ID": request_id})

    assert ok.headers["X-Request-ID"] == request_id
    assert failed.headers["X-Request-ID"] == request_id
    assert failed.json()["request_id"] == request_id
    assert api.get("/health").headers["X-Request-ID"]  # created when missing


def test_a_stopped_service_answers_503_quickly(stack, admin: ApiClient):
    stack.stop(["stock"])
    try:
        started = time.monotonic()
        response = admin.get("/products")
        elapsed = time.monotonic() - started

        assert_error(response, 503, "service_unavailable")
        assert elapsed < 3
        health = admin.get("/health")
        assert health.status_code == 503
        assert health.json()["data"]["services"]["stock_service"]["ready"] is False
    finally:
        stack.start(["stock"])
