"""Clients: CRUD, unique email/document, soft delete, who sees what, the sign-up call."""

from __future__ import annotations

import uuid

import pytest

CLIENTS = "/api/v1/clients"


def body(new_cnpj, **fields):
    tag = uuid.uuid4().hex[:10]
    return {
        "name": f"Pizzaria {tag}",
        "email": f"Contato-{tag}@Pizzaria.com.br",
        "document": new_cnpj,
        "phone": "(11) 98765-4321",
        "address": "Av. Paulista, 1000",
        **fields,
    }


def test_a_client_is_created_with_document_and_phone_as_digits_and_email_lowercased(
    client, staff, cnpj
):
    document = cnpj()
    punctuated = f"{document[:2]}.{document[2:5]}.{document[5:8]}/{document[8:12]}-{document[12:]}"
    sent = body(document, document=punctuated)

    response = client.post(CLIENTS, json=sent, headers=staff)

    assert response.status_code == 201, response.get_data(as_text=True)
    data = response.json["data"]
    assert data["document"] == document
    assert data["phone"] == "11987654321"
    assert data["email"] == sent["email"].lower()
    assert data["user_id"] is None
    fetched = client.get(f"{CLIENTS}/{data['id']}", headers=staff)
    assert fetched.json["data"] == data


def test_email_and_document_are_unique(client, admin, cnpj):
    first = body(cnpj())
    assert client.post(CLIENTS, json=first, headers=admin).status_code == 201

    same_email = client.post(
        CLIENTS, json=body(cnpj(), email=first["email"].upper()), headers=admin
    )
    same_document = client.post(CLIENTS, json=body(first["document"]), headers=admin)

    assert same_email.status_code == same_document.status_code == 409
    assert same_email.json["code"] == "duplicate"
    assert same_email.json["errors"][0]["field"] == "email"
    assert same_document.json["errors"][0]["field"] == "document"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"document": "11111111111"}, "document"),
        ({"document": "12345678000100"}, "document"),
        ({"document": "123"}, "document"),
        ({"email": "não-é-email"}, "email"),
        ({"name": "   "}, "name"),
        ({"phone": "1234"}, "phone"),
        ({"name": None}, "name"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bad_client_data_is_a_400_per_field(client, admin, cnpj, changes, field):
    response = client.post(CLIENTS, json=body(cnpj(), **changes), headers=admin)

    assert response.status_code == 400
    assert field in [e["field"] for e in response.json["errors"]]


def test_a_cpf_is_a_valid_document(client, admin, cnpj, cpf):
    response = client.post(CLIENTS, json=body(cnpj(), document=cpf()), headers=admin)

    assert response.status_code == 201
    assert len(response.json["data"]["document"]) == 11


def test_update_changes_only_what_is_sent_and_keeps_uniqueness(client, staff, cnpj, make_client):
    school, other = make_client(), make_client()

    updated = client.put(
        f"{CLIENTS}/{school['id']}", json={"address": "Rua Nova, 1"}, headers=staff
    )
    clash = client.put(f"{CLIENTS}/{school['id']}", json={"email": other["email"]}, headers=staff)
    empty = client.put(f"{CLIENTS}/{school['id']}", json={}, headers=staff)

    assert updated.status_code == 200
    assert updated.json["data"]["address"] == "Rua Nova, 1"
    assert updated.json["data"]["name"] == school["name"]
    assert clash.status_code == 409
    assert empty.status_code == 400


def test_delete_is_admin_only_and_soft(client, admin, staff, make_client, cnpj):
    school = make_client()

    assert client.delete(f"{CLIENTS}/{school['id']}", headers=staff).status_code == 403
    assert client.delete(f"{CLIENTS}/{school['id']}", headers=admin).status_code == 200
    assert client.get(f"{CLIENTS}/{school['id']}", headers=admin).status_code == 404
    assert client.delete(f"{CLIENTS}/{school['id']}", headers=admin).status_code == 404
    # Its email and document are free again.
    again = client.post(
        CLIENTS, json=body(school["document"], email=school["email"]), headers=admin
    )
    assert again.status_code == 201


def test_list_filters_and_pagination(client, admin, make_client):
    tag = uuid.uuid4().hex[:8]
    first = make_client(name=f"Cozinha {tag} Alfa")
    make_client(name=f"Cozinha {tag} Beta")

    by_name = client.get(CLIENTS, query_string={"name": f"cozinha {tag}"}, headers=admin)
    by_email = client.get(CLIENTS, query_string={"email": first["email"]}, headers=admin)
    by_document = client.get(
        CLIENTS, query_string={"document": first["document"][:10]}, headers=admin
    )
    paged = client.get(
        CLIENTS, query_string={"name": f"cozinha {tag}", "page_size": 1, "page": 2}, headers=admin
    )

    assert [c["name"] for c in by_name.json["data"]] == [
        f"Cozinha {tag} Alfa",
        f"Cozinha {tag} Beta",
    ]
    assert [c["id"] for c in by_email.json["data"]] == [first["id"]]
    assert first["id"] in [c["id"] for c in by_document.json["data"]]
    assert [c["name"] for c in paged.json["data"]] == [f"Cozinha {tag} Beta"]
    assert paged.json["meta"]["total"] == 2


def test_a_client_user_sees_only_its_own_record(client, as_client, make_client):
    mine, other = make_client(), make_client()
    headers = as_client(mine["id"])

    listed = client.get(CLIENTS, headers=headers)

    assert [c["id"] for c in listed.json["data"]] == [mine["id"]]
    assert client.get(f"{CLIENTS}/{mine['id']}", headers=headers).status_code == 200
    assert client.get(f"{CLIENTS}/{other['id']}", headers=headers).status_code == 403
    assert (
        client.put(f"{CLIENTS}/{mine['id']}", json={"name": "X"}, headers=headers).status_code
        == 403
    )
    assert client.delete(f"{CLIENTS}/{mine['id']}", headers=headers).status_code == 403


def test_suppliers_read_clients_but_do_not_write(client, as_supplier, make_client, cnpj):
    school = make_client()
    headers = as_supplier(uuid.uuid4())

    assert client.get(f"{CLIENTS}/{school['id']}", headers=headers).status_code == 200
    assert client.post(CLIENTS, json=body(cnpj()), headers=headers).status_code == 403


def test_unknown_and_malformed_ids_are_404(client, admin):
    assert client.get(f"{CLIENTS}/{uuid.uuid4()}", headers=admin).status_code == 404
    assert client.get(f"{CLIENTS}/42", headers=admin).status_code == 404


# -- the sign-up call from the auth service ---------------------------------------------


def test_only_the_auth_service_binds_a_user(client, admin, tokens, cnpj):
    user_id = str(uuid.uuid4())

    by_admin = client.post(CLIENTS, json=body(cnpj(), user_id=user_id), headers=admin)
    by_service = client.post(
        CLIENTS, json=body(cnpj(), user_id=user_id), headers=tokens.service_headers("auth_service")
    )

    assert by_admin.status_code == 403
    assert by_service.status_code == 201
    assert by_service.json["data"]["user_id"] == user_id


def test_the_same_sign_up_call_twice_returns_the_same_record(client, tokens, cnpj):
    sent = body(cnpj(), user_id=str(uuid.uuid4()))
    service = tokens.service_headers("auth_service")

    first = client.post(CLIENTS, json=sent, headers=service)
    again = client.post(CLIENTS, json=sent, headers=service)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["data"]["id"] == first.json["data"]["id"]


def test_an_unfinished_sign_up_is_taken_over_by_the_next_one(client, tokens, cnpj):
    service = tokens.service_headers("auth_service")
    sent = body(cnpj(), user_id=str(uuid.uuid4()))
    first = client.post(CLIENTS, json=sent, headers=service)
    # The auth service failed to commit that user; the person signs up again (new user id).
    retry = {**sent, "user_id": str(uuid.uuid4()), "name": "Nome corrigido"}

    again = client.post(CLIENTS, json=retry, headers=service)

    assert again.status_code == 200
    assert again.json["data"]["id"] == first.json["data"]["id"]
    assert again.json["data"]["user_id"] == retry["user_id"]
    assert again.json["data"]["name"] == "Nome corrigido"


def test_a_client_with_orders_is_never_taken_over(client, tokens, cnpj, placed, make_product):
    service = tokens.service_headers("auth_service")
    sent = body(cnpj(), user_id=str(uuid.uuid4()))
    record = client.post(CLIENTS, json=sent, headers=service).json["data"]
    placed(record["id"], (make_product()["id"], 1))

    again = client.post(CLIENTS, json={**sent, "user_id": str(uuid.uuid4())}, headers=service)

    assert again.status_code == 409


def test_a_record_made_by_staff_is_not_taken_over_by_a_sign_up(client, tokens, make_client):
    school = make_client()

    response = client.post(
        CLIENTS,
        json={
            "name": "Alguém",
            "email": school["email"],
            "document": school["document"],
            "user_id": str(uuid.uuid4()),
        },
        headers=tokens.service_headers("auth_service"),
    )

    assert response.status_code == 409
