"""Every route of the API document × every role × own and another's ids, through the gateway.

The table below is SPEC §2 written as data: who may pass each route's authorization. Each
case calls the route as that role and checks only the authorization verdict: 401 (no token),
403 (not allowed), or through (any other answer — a 400 for the empty body, a 404, a 409 all
mean the caller was let in). A role that may pass sends an empty body (nothing changes); one
that may not sends the document's example body, valid, so that only the authorization can
stop it — and if it did not, the change would be made and seen. A route in the gateway's
document without an entry here fails `test_every_route_has_an_entry`, so the next route is
checked too (issue 13).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
import requests

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.api_client import ApiClient
from tests.support.e2e_builders import new_client, new_product, new_supplier, ok

pytestmark = pytest.mark.e2e

IN, NO, ANON = "through", "403", "401"
ROLES = ("anonymous", "admin", "staff", "client", "client:other", "supplier", "supplier:other")


def rule(
    *,
    anonymous: str = ANON,
    admin: str = IN,
    staff: str = IN,
    client: str = NO,
    client_other: str | None = None,
    supplier: str = NO,
    supplier_other: str | None = None,
) -> dict[str, str]:
    """A verdict per role; for a route without an owned id, "other" is the same as own."""
    return {
        "anonymous": anonymous,
        "admin": admin,
        "staff": staff,
        "client": client,
        "client:other": client if client_other is None else client_other,
        "supplier": supplier,
        "supplier:other": supplier if supplier_other is None else supplier_other,
    }


PUBLIC = rule(anonymous=IN, client=IN, supplier=IN)
EVERYONE = rule(client=IN, supplier=IN)
STAFF = rule()
ADMIN = rule(staff=NO)
OWN_CLIENT = rule(client=IN, client_other=NO)
OWN_SUPPLIER = rule(supplier=IN, supplier_other=NO)
OWN_CLIENT_OR_SUPPLIER = rule(client=IN, client_other=NO, supplier=IN, supplier_other=NO)

PERMISSIONS: dict[tuple[str, str], dict[str, str]] = {
    # the gateway's own routes
    ("GET", "/health"): PUBLIC,
    ("GET", "/ready"): PUBLIC,
    ("GET", "/api/v1/health"): PUBLIC,
    # auth
    ("POST", "/api/v1/auth/register"): PUBLIC,
    ("POST", "/api/v1/auth/login"): PUBLIC,
    ("POST", "/api/v1/auth/refresh-token"): PUBLIC,
    ("GET", "/api/v1/auth/.well-known/jwks.json"): PUBLIC,
    ("POST", "/api/v1/auth/logout"): EVERYONE,
    ("GET", "/api/v1/auth/me"): EVERYONE,
    ("GET", "/api/v1/auth/users"): ADMIN,
    ("POST", "/api/v1/auth/users"): ADMIN,
    ("GET", "/api/v1/auth/users/{user_id}"): ADMIN,
    ("PATCH", "/api/v1/auth/users/{user_id}"): ADMIN,
    ("DELETE", "/api/v1/auth/users/{user_id}"): ADMIN,
    # clients: read by everyone (a client only its own), written by staff, deleted by admin
    ("GET", "/api/v1/clients"): EVERYONE,
    ("POST", "/api/v1/clients"): STAFF,
    ("GET", "/api/v1/clients/{client_id}"): rule(client=IN, client_other=NO, supplier=IN),
    ("PUT", "/api/v1/clients/{client_id}"): STAFF,
    ("DELETE", "/api/v1/clients/{client_id}"): ADMIN,
    ("GET", "/api/v1/clients/{client_id}/orders"): OWN_CLIENT,
    # orders (SPEC §2's table)
    ("GET", "/api/v1/orders"): EVERYONE,
    ("POST", "/api/v1/orders"): rule(client=IN),
    ("GET", "/api/v1/orders/{order_id}"): OWN_CLIENT_OR_SUPPLIER,
    ("PUT", "/api/v1/orders/{order_id}"): OWN_CLIENT_OR_SUPPLIER,
    ("DELETE", "/api/v1/orders/{order_id}"): STAFF,
    ("GET", "/api/v1/orders/{order_id}/items"): OWN_CLIENT_OR_SUPPLIER,
    ("POST", "/api/v1/orders/{order_id}/items"): OWN_CLIENT,
    ("DELETE", "/api/v1/orders/{order_id}/items/{item_id}"): OWN_CLIENT,
    ("PATCH", "/api/v1/orders/{order_id}/items/{item_id}"): OWN_CLIENT,
    ("GET", "/api/v1/suppliers/{supplier_id}/orders"): OWN_SUPPLIER,
    # reports (issue 14)
    ("GET", "/api/v1/orders/reports/period"): STAFF,
    ("GET", "/api/v1/orders/reports/performance"): STAFF,
    ("PUT", "/api/v1/orders/status"): STAFF,
    ("POST", "/api/v1/orders/auto/low-stock"): STAFF,
    ("POST", "/api/v1/orders/import"): STAFF,
    ("GET", "/api/v1/orders/import/template.csv"): STAFF,
    ("GET", "/api/v1/orders/imports"): STAFF,
    ("GET", "/api/v1/orders/imports/{import_id}"): STAFF,
    ("GET", "/api/v1/orders/imports/{import_id}/failed-lines.csv"): STAFF,
    # notifications (issue 15)
    ("GET", "/api/v1/notifications"): STAFF,
    ("POST", "/api/v1/notifications/{notification_id}/retry"): STAFF,
    # Meta's webhook: no access token (the verify token / body signature are checked)
    ("GET", "/api/v1/notifications/whatsapp/webhook"): PUBLIC,
    ("POST", "/api/v1/notifications/whatsapp/webhook"): PUBLIC,
    # suppliers: read by everyone (a supplier only its own), written by staff
    ("GET", "/api/v1/suppliers"): EVERYONE,
    ("POST", "/api/v1/suppliers"): STAFF,
    ("GET", "/api/v1/suppliers/{supplier_id}"): rule(client=IN, supplier=IN, supplier_other=NO),
    ("PUT", "/api/v1/suppliers/{supplier_id}"): STAFF,
    ("DELETE", "/api/v1/suppliers/{supplier_id}"): ADMIN,
    # products and their images
    ("GET", "/api/v1/products"): EVERYONE,
    ("POST", "/api/v1/products/search"): EVERYONE,
    ("POST", "/api/v1/products"): STAFF,
    ("GET", "/api/v1/products/{product_id}"): EVERYONE,
    ("PUT", "/api/v1/products/{product_id}"): STAFF,
    ("DELETE", "/api/v1/products/{product_id}"): ADMIN,
    ("POST", "/api/v1/products/{product_id}/images"): STAFF,
    ("GET", "/api/v1/products/{product_id}/images/{image_id}"): EVERYONE,
    ("DELETE", "/api/v1/products/{product_id}/images/{image_id}"): STAFF,
    # stock
    ("GET", "/api/v1/stock"): EVERYONE,
    ("GET", "/api/v1/stock/{product_id}"): EVERYONE,
    ("POST", "/api/v1/stock/{product_id}/adjustments"): STAFF,
    ("GET", "/api/v1/stock/{product_id}/movements"): EVERYONE,
    ("POST", "/api/v1/stock/availability"): STAFF,
}

CASES = [(method, path, role) for (method, path) in PERMISSIONS for role in ROLES]

# Routes where an empty body is valid and would change things: allowed callers send this.
HARMLESS_BODIES: dict[tuple[str, str], dict] = {
    ("POST", "/api/v1/orders/auto/low-stock"): {"simulate": True},
    ("POST", "/api/v1/orders/import"): {"orders": []},  # 400: nothing to import
}


@dataclass
class World:
    """Two of everything, one of them the callers' own; callers per role."""

    callers: dict[str, ApiClient]
    ids: dict[str, dict[str, str]]  # "own" / "other" -> path parameter -> id
    admin: ApiClient
    document: dict

    def example_body(self, method: str, path: str) -> dict:
        operation = self.document["paths"][path][method.lower()]
        content = operation.get("requestBody", {}).get("content", {})
        return content.get("application/json", {}).get("example", {})


def place(admin: ApiClient, client_id: str, *product_ids: str) -> dict:
    items = [{"product_id": p, "quantity": 1} for p in product_ids]
    body = {"client_id": client_id, "items": items}
    return ok(admin.post("/orders", json=body), 201)


@pytest.fixture(scope="module")
def world(stack) -> World:
    admin = ApiClient(stack.api).logged_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    own_supplier, other_supplier = new_supplier(admin), new_supplier(admin)
    own_product = new_product(admin, on_hand=500, supplier_id=own_supplier["id"])
    other_product = new_product(admin, on_hand=500, supplier_id=other_supplier["id"])
    own_client, other_client = new_client(admin), new_client(admin)
    # The own order is the client's and holds the supplier's product: both may see it.
    own_order = place(admin, own_client["id"], own_product["id"], other_product["id"])
    other_order = place(admin, other_client["id"], other_product["id"])
    target_user, _ = admin.create_user("staff")
    target_user_id = ok(admin.get("/auth/users", params={"email": target_user}))[0]["id"]

    anonymous = ApiClient(stack.api)
    users = {
        "staff": admin.create_user("staff"),
        "client": admin.create_user("client", client_id=own_client["id"]),
        "supplier": admin.create_user("supplier", supplier_id=own_supplier["id"]),
    }
    logged = {role: anonymous.logged_in(*credentials) for role, credentials in users.items()}
    callers = {
        "anonymous": anonymous,
        "admin": admin,
        **logged,
        "client:other": logged["client"],
        "supplier:other": logged["supplier"],
    }

    def ids(client: dict, supplier: dict, product: dict, order: dict) -> dict[str, str]:
        return {
            "client_id": client["id"],
            "supplier_id": supplier["id"],
            "product_id": product["id"],
            "order_id": order["id"],
            "item_id": order["items"][0]["id"],
            "user_id": target_user_id,
            "image_id": str(uuid.uuid4()),
            "import_id": str(uuid.uuid4()),
            "notification_id": str(uuid.uuid4()),
        }

    return World(
        document=requests.get(f"{stack.gateway_url}/api/openapi.json", timeout=10).json(),
        callers=callers,
        ids={
            "own": ids(own_client, own_supplier, own_product, own_order),
            "other": ids(other_client, other_supplier, other_product, other_order),
        },
        admin=admin,
    )


def fresh_ids(world: World, path: str, role: str) -> dict[str, str]:
    """New resources for a DELETE that will go through: the shared ones must survive."""
    admin = world.admin
    ids = dict(world.ids["other" if role.endswith(":other") else "own"])
    if "{order_id}" in path:
        # The order is the caller's own (or another's) exactly as the shared one would be.
        owner = ids["client_id"] if role.startswith("client") else world.ids["other"]["client_id"]
        order = place(admin, owner, ids["product_id"], world.ids["other"]["product_id"])
        ids.update(order_id=order["id"], item_id=order["items"][0]["id"])
    elif "{client_id}" in path:
        ids["client_id"] = new_client(admin)["id"]
    elif "{supplier_id}" in path:
        ids["supplier_id"] = new_supplier(admin)["id"]
    elif "{product_id}" in path and "{image_id}" not in path:
        ids["product_id"] = new_product(admin, on_hand=1)["id"]
    elif "{user_id}" in path:
        email, _ = admin.create_user("staff")
        ids["user_id"] = ok(admin.get("/auth/users", params={"email": email}))[0]["id"]
    return ids


def verdict(response: requests.Response) -> str:
    # A 401 of the business (a wrong password on login) is an answer, not a refusal.
    if response.status_code == 401 and response.json().get("code") in {
        "unauthorized",
        "token_expired",
    }:
        return ANON
    if response.status_code == 403:
        return NO
    return IN


def test_every_route_has_an_entry(stack):
    document = requests.get(f"{stack.gateway_url}/api/openapi.json", timeout=10).json()
    documented = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }

    assert documented - set(PERMISSIONS) == set(), "routes without an entry in PERMISSIONS"
    assert set(PERMISSIONS) - documented == set(), "entries for routes no longer documented"


@pytest.mark.parametrize(("method", "path", "role"), CASES, ids=[" ".join(c) for c in CASES])
def test_the_route_lets_in_exactly_whom_the_table_says(world, stack, method, path, role):
    expected = PERMISSIONS[(method, path)][role]
    ids = (
        fresh_ids(world, path, role)
        if method == "DELETE" and expected == IN
        else world.ids["other" if role.endswith(":other") else "own"]
    )
    url = path.format(**ids)
    caller = world.callers[role]
    body = {}
    if method in {"POST", "PUT", "PATCH"}:
        harmless = HARMLESS_BODIES.get((method, path), {})
        body = {"json": harmless if expected == IN else world.example_body(method, path)}

    if url.startswith("/api/v1/"):
        response = caller.request(method, url.removeprefix("/api/v1"), **body)
    else:
        response = caller.http.request(method, f"{stack.gateway_url}{url}", timeout=10, **body)

    assert verdict(response) == expected, (response.status_code, response.text[:300])
