"""Records the end-to-end tests create through the gateway, as an admin, and how they read them."""

from __future__ import annotations

import uuid
from typing import Any

import requests

from tests.support.api_client import ApiClient
from tests.support.documents import random_cnpj as valid_cnpj
from tests.support.documents import random_cpf as valid_cpf

CLIENT_PASSWORD = "Senha#Forte-2026"


def ok(response: requests.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()["data"]


def new_supplier(admin: ApiClient) -> dict:
    body = {"name": f"Fornecedor {uuid.uuid4().hex[:8]}", "cnpj": valid_cnpj(), "active": True}
    return ok(admin.post("/suppliers", json=body), 201)


def new_product(
    admin: ApiClient,
    *,
    on_hand: int,
    supplier_id: str | None = None,
    section: str = "Mercearia",
    **fields: object,
) -> dict:
    body = {
        "name": f"Arroz e2e {uuid.uuid4().hex[:8]}",
        "price": 27.90,
        "section": section,
        "category": "Grãos",
        "unit": "pct",
        "initial_stock": on_hand,
        "supplier_id": supplier_id,
        **fields,
    }
    return ok(admin.post("/products", json=body), 201)


def stock_of(admin: ApiClient, product_id: str) -> dict:
    level = ok(admin.get(f"/stock/{product_id}"))
    return {k: level[k] for k in ("on_hand", "reserved", "available")}


def new_client(admin: ApiClient) -> dict:
    tag = uuid.uuid4().hex[:10]
    body = {
        "name": f"Escola e2e {tag}",
        "email": f"escola-{tag}@exemplo.edu.br",
        "document": valid_cnpj(),
        "phone": "11987654321",
    }
    return ok(admin.post("/clients", json=body), 201)


def register_client_user(api: ApiClient) -> ApiClient:
    """Sign up as a client (which creates the client record) and log in."""
    tag = uuid.uuid4().hex[:10]
    body = {
        "name": f"Gestora {tag}",
        "email": f"gestora-{tag}@escola.edu.br",
        "password": CLIENT_PASSWORD,
        "document": valid_cpf(),
        "phone": "11912345678",
    }
    ok(api.post("/auth/register", json=body), 201)
    return api.logged_in(body["email"], CLIENT_PASSWORD)
