"""Suppliers through the HTTP API (Flask test client, real PostgreSQL)."""

from __future__ import annotations

import uuid

import pytest


def supplier_body(cnpj: str, **fields) -> dict:
    return {
        "name": f"Hortifruti {uuid.uuid4().hex[:8]}",
        "cnpj": cnpj,
        "email": "vendas@example.com",
        "whatsapp": "(11) 98765-4321",
        **fields,
    }


def formatted(cnpj: str) -> str:
    return f"{cnpj[:2]}.{cnpj[2:5]}.{cnpj[5:8]}/{cnpj[8:12]}-{cnpj[12:]}"


def test_a_supplier_is_created_with_its_documents_as_digits(client, tokens, new_cnpj):
    cnpj = new_cnpj()

    response = client.post(
        "/api/v1/suppliers",
        json=supplier_body(formatted(cnpj)),
        headers=tokens.headers("staff"),
    )

    assert response.status_code == 201, response.json
    data = response.json["data"]
    assert (data["cnpj"], data["whatsapp"], data["active"]) == (cnpj, "11987654321", True)
    assert response.json["message"] == "Fornecedor cadastrado."
    fetched = client.get(f"/api/v1/suppliers/{data['id']}", headers=tokens.headers("client"))
    assert fetched.status_code == 200
    assert fetched.json["data"]["name"] == data["name"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cnpj": "11.222.333/0001-82"}, "cnpj"),
        ({"cnpj": "123"}, "cnpj"),
        ({"email": "not-an-email"}, "email"),
        ({"whatsapp": "98765"}, "whatsapp"),
        ({"name": "   "}, "name"),
    ],
)
def test_invalid_supplier_fields_are_400_with_the_field(client, tokens, new_cnpj, changes, field):
    response = client.post(
        "/api/v1/suppliers",
        json={**supplier_body(new_cnpj()), **changes},
        headers=tokens.headers("admin"),
    )

    assert response.status_code == 400
    assert response.json["code"] == "validation_error"
    assert field in {e["field"] for e in response.json["errors"]}


def test_a_duplicate_cnpj_is_409(client, tokens, new_cnpj):
    cnpj = new_cnpj()
    client.post("/api/v1/suppliers", json=supplier_body(cnpj), headers=tokens.headers("admin"))

    response = client.post(
        "/api/v1/suppliers", json=supplier_body(formatted(cnpj)), headers=tokens.headers("admin")
    )

    assert response.status_code == 409
    assert response.json["code"] == "duplicate_cnpj"
    assert response.json["errors"][0]["field"] == "cnpj"


def test_suppliers_are_listed_by_name_filter_with_pagination(client, tokens, new_cnpj):
    tag = uuid.uuid4().hex[:10]
    for name in ("Alfa", "Beta", "Gama"):
        client.post(
            "/api/v1/suppliers",
            json=supplier_body(new_cnpj(), name=f"{name} {tag}"),
            headers=tokens.headers("admin"),
        )

    first = client.get(
        f"/api/v1/suppliers?name={tag.upper()}&page_size=2", headers=tokens.headers("staff")
    )
    second = client.get(
        f"/api/v1/suppliers?name={tag}&page_size=2&page=2", headers=tokens.headers("staff")
    )

    assert [s["name"] for s in first.json["data"]] == [f"Alfa {tag}", f"Beta {tag}"]
    assert first.json["meta"] == {"page": 1, "page_size": 2, "total": 3, "pages": 2}
    assert [s["name"] for s in second.json["data"]] == [f"Gama {tag}"]


def test_update_and_soft_delete(client, tokens, new_cnpj):
    created = client.post(
        "/api/v1/suppliers", json=supplier_body(new_cnpj()), headers=tokens.headers("admin")
    ).json["data"]
    url = f"/api/v1/suppliers/{created['id']}"

    updated = client.put(url, json={"active": False}, headers=tokens.headers("staff"))
    staff_delete = client.delete(url, headers=tokens.headers("staff"))
    admin_delete = client.delete(url, headers=tokens.headers("admin"))
    after = client.get(url, headers=tokens.headers("admin"))
    recreated = client.post(
        "/api/v1/suppliers",
        json=supplier_body(created["cnpj"]),
        headers=tokens.headers("admin"),
    )

    assert updated.status_code == 200 and updated.json["data"]["active"] is False
    assert staff_delete.status_code == 403
    assert admin_delete.status_code == 200
    assert after.status_code == 404 and after.json["code"] == "not_found"
    assert recreated.status_code == 201  # a deleted supplier's CNPJ is free again


def test_a_supplier_user_sees_only_its_own_record(client, tokens, new_cnpj):
    mine = client.post(
        "/api/v1/suppliers", json=supplier_body(new_cnpj()), headers=tokens.headers("admin")
    ).json["data"]
    other = client.post(
        "/api/v1/suppliers", json=supplier_body(new_cnpj()), headers=tokens.headers("admin")
    ).json["data"]
    headers = tokens.headers("supplier", supplier_id=mine["id"])

    own = client.get(f"/api/v1/suppliers/{mine['id']}", headers=headers)
    foreign = client.get(f"/api/v1/suppliers/{other['id']}", headers=headers)
    listed = client.get("/api/v1/suppliers", headers=headers)

    assert own.status_code == 200
    assert foreign.status_code == 403
    assert [s["id"] for s in listed.json["data"]] == [mine["id"]]


@pytest.mark.parametrize("role", ["client", "supplier"])
def test_clients_and_suppliers_cannot_write_suppliers(client, tokens, new_cnpj, role):
    created = client.post(
        "/api/v1/suppliers", json=supplier_body(new_cnpj()), headers=tokens.headers("admin")
    ).json["data"]
    url = f"/api/v1/suppliers/{created['id']}"
    headers = tokens.headers(role, supplier_id=created["id"])

    assert (
        client.post(
            "/api/v1/suppliers", json=supplier_body(new_cnpj()), headers=headers
        ).status_code
        == 403
    )
    assert client.put(url, json={"name": "X"}, headers=headers).status_code == 403
    assert client.delete(url, headers=headers).status_code == 403


def test_unauthenticated_and_malformed_ids(client, tokens):
    assert client.get("/api/v1/suppliers").status_code == 401
    malformed = client.get("/api/v1/suppliers/not-a-uuid", headers=tokens.headers("admin"))
    missing = client.get(f"/api/v1/suppliers/{uuid.uuid4()}", headers=tokens.headers("admin"))

    assert malformed.status_code == 404 and malformed.json["status"] == "error"
    assert missing.status_code == 404 and missing.json["message"] == "Fornecedor não encontrado."
