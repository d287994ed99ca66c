"""Issue 13, end to end on the running system: nobody outside mints service credentials, a
service token reaches only what its service needs, and the abuse limits stop the guilty
without locking out the innocent (figures in docs/security.md)."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.support.api_client import ApiClient
from tests.support.documents import random_cpf
from tests.support.e2e_builders import new_product, new_supplier, ok

pytestmark = pytest.mark.e2e

WRONG = "Errada#2026"


def fresh_address() -> str:
    """A loopback address no other test uses: its own budget at the gateway and in the lockout."""
    a, b, c = (uuid.uuid4().int % 250 for _ in range(3))
    return f"127.{a % 200 + 20}.{b + 1}.{c + 1}"


def direct(stack, service: str, token: str | None = None) -> ApiClient:
    port = {"auth": stack.ports.auth, "orders": stack.ports.orders, "stock": stack.ports.stock}
    return ApiClient(f"http://127.0.0.1:{port[service]}/api/v1", token)


def ask_token(auth: ApiClient, client_id: str, secret: str):
    return auth.post(
        "/auth/token",
        json={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )


# -- 1. service credentials -----------------------------------------------------------------


def test_nobody_mints_a_service_token_through_the_gateway(api, stack):
    body = {"grant_type": "client_credentials", "client_id": "order_service", "client_secret": "x"}

    response = api.post("/auth/token", json=body)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    document = requests.get(f"{stack.gateway_url}/api/openapi.json", timeout=10).json()
    assert "/api/v1/auth/login" in document["paths"]
    assert "/api/v1/auth/token" not in document["paths"]


@pytest.mark.parametrize(
    ("client_id", "secret"),
    [
        ("order_service", "dev-secret-order_service"),
        ("stock_service", "dev-secret-stock_service"),
        ("gateway", "dev-secret-gateway"),
        ("notifications", "dev-secret-notifications"),
        ("made_up", "anything-at-all-long-enough"),
    ],
)
def test_made_up_clients_and_dev_secret_guesses_are_401_at_the_auth_service(
    stack, client_id, secret
):
    # The stack runs with APP_ENV=test: development mode, where the guesses used to work.
    response = ask_token(direct(stack, "auth"), client_id, secret)

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_client"


def test_the_order_services_token_reaches_only_what_the_order_service_needs(stack, admin):
    supplier = new_supplier(admin)
    product = new_product(admin, on_hand=5, supplier_id=supplier["id"])
    answer = ask_token(direct(stack, "auth"), "order_service", stack.secrets.order_service_client)
    token = ok(answer)["access_token"]
    orders, stock = direct(stack, "orders", token), direct(stack, "stock", token)

    availability = stock.post(
        "/stock/availability", json={"items": [{"product_id": product["id"], "quantity": 1}]}
    )
    supplier_read = stock.get(f"/suppliers/{supplier['id']}")
    levels = stock.get("/stock", params={"below_percent": 20})
    refused = {
        "list clients": orders.get("/clients"),
        "create a client": orders.post("/clients", json={"name": "x"}),
        "list orders": orders.get("/orders"),
        "read the ledger": stock.get(f"/stock/{product['id']}/movements"),
        "list products": stock.get("/products"),
        "list suppliers": stock.get("/suppliers"),
        "adjust stock": stock.post(
            f"/stock/{product['id']}/adjustments", json={"delta": 1, "reason": "receipt"}
        ),
        "read itself as a user": direct(stack, "auth", token).get("/auth/me"),
        "the gateway": ApiClient(stack.api, token).get("/stock/availability"),
    }

    assert availability.status_code == 200
    assert supplier_read.status_code == 200
    assert levels.status_code == 200
    assert {what: r.status_code for what, r in refused.items()} == dict.fromkeys(refused, 403)


# -- 2. forged X-Forwarded-For ------------------------------------------------------------


def test_only_the_gateway_listens_beyond_this_host(stack):
    binds = {name: spec.argv[spec.argv.index("--bind") + 1] for name, spec in stack.specs().items()
             if "--bind" in spec.argv}  # fmt: skip

    assert {name: bind.split(":")[0] for name, bind in binds.items()} == {
        "auth": "127.0.0.1",
        "orders": "127.0.0.1",
        "stock": "127.0.0.1",
        "gateway": "127.0.0.1",  # make run binds it to 0.0.0.0: the one public entry
    }


def test_a_forged_x_forwarded_for_at_the_auth_port_is_limited_like_the_gateway(admin, stack):
    email, password = admin.create_user("staff")
    auth = direct(stack, "auth")

    def login(pw: str, forwarded_for: str):
        return auth.post(
            "/auth/login",
            json={"email": email, "password": pw},
            headers={"X-Forwarded-For": forwarded_for},
        )

    # A new made-up address on each guess: all count against the connection (127.0.0.1).
    guesses = [login(WRONG, f"198.51.100.{n}").status_code for n in range(5)]
    forged = login(password, "198.51.100.200")
    through_the_gateway = ApiClient(stack.api, source_address=fresh_address()).post(
        "/auth/login", json={"email": email, "password": password}
    )

    assert guesses == [401] * 5
    assert forged.status_code == 429
    assert int(forged.headers["Retry-After"]) >= 1
    assert through_the_gateway.status_code == 200  # the gateway's signed address is clean


# -- 3. limits that stop the guilty and spare the innocent ------------------------------------


def test_thirty_failures_lock_one_account_at_one_address_and_nobody_else(admin, stack):
    victim_email, victim_password = admin.create_user("staff")
    colleague_email, colleague_password = admin.create_user("staff")
    office = ApiClient(stack.api, source_address=fresh_address())

    statuses = [
        office.post("/auth/login", json={"email": victim_email, "password": WRONG}).status_code
        for _ in range(30)
    ]
    colleague = office.post(
        "/auth/login", json={"email": colleague_email, "password": colleague_password}
    )
    owner_elsewhere = ApiClient(stack.api, source_address=fresh_address()).post(
        "/auth/login", json={"email": victim_email, "password": victim_password}
    )

    assert statuses == [401] * 5 + [429] * 25
    assert colleague.status_code == 200
    assert owner_elsewhere.status_code == 200


def test_a_hundred_sign_ups_from_one_address_in_a_minute_are_limited(stack):
    api = ApiClient(stack.api, source_address=fresh_address())

    def sign_up():
        tag = uuid.uuid4().hex[:10]
        return api.post(
            "/auth/register",
            json={
                "name": f"Robô {tag}",
                "email": f"robo-{tag}@exemplo.com",
                "password": "Senha#Forte-2026",
                "document": random_cpf(),
                "phone": "11912345678",
            },
        )

    responses = [sign_up() for _ in range(100)]
    statuses = [r.status_code for r in responses]

    assert statuses == [201] * 10 + [429] * 90  # RATE_LIMIT_REGISTER 10/minute (one worker)
    assert all(1 <= int(r.headers["Retry-After"]) <= 60 for r in responses[10:])
