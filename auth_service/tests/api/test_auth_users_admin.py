"""User management: admins only, bindings fit roles, and an admin always remains."""

import uuid

import pytest

USERS = "/api/v1/auth/users"


@pytest.fixture
def admin(make_account):
    return make_account(role="admin")


@pytest.mark.parametrize("role", ["staff", "client", "supplier"])
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", ""), ("post", ""), ("get", "/{id}"), ("patch", "/{id}"), ("delete", "/{id}")],
)
def test_only_admins_manage_users(client, make_account, role, method, path):
    caller = make_account(role=role)

    response = getattr(client, method)(
        USERS + path.format(id=caller.id),
        json={} if method in {"post", "patch"} else None,
        headers=caller.headers,
    )

    assert response.status_code == 403
    assert response.json["code"] == "forbidden"


def test_a_service_token_cannot_manage_users(client):
    token = client.post(
        "/api/v1/auth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": "order_service",
            "client_secret": "order-service-secret-for-tests",
        },
    ).json["data"]["access_token"]

    response = client.get(USERS, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 403


def test_a_client_cannot_make_itself_admin(client, make_account):
    me = make_account(role="client")

    response = client.patch(f"{USERS}/{me.id}", json={"role": "admin"}, headers=me.headers)

    assert response.status_code == 403


def test_an_admin_creates_reads_updates_and_deactivates_a_user(client, admin, email, api):
    address = email("staff")
    created = client.post(
        USERS,
        json={"name": "Ana", "email": address, "password": "Segura#2026", "role": "staff"},
        headers=admin.headers,
    )
    assert created.status_code == 201, created.json
    user = created.json["data"]
    assert user["role"] == "staff" and user["active"] is True
    assert user["email"] == address.lower()
    assert "password" not in user

    fetched = client.get(f"{USERS}/{user['id']}", headers=admin.headers)
    assert fetched.status_code == 200
    assert fetched.json["data"] == user

    supplier_id = str(uuid.uuid4())
    patched = client.patch(
        f"{USERS}/{user['id']}",
        json={"role": "supplier", "supplier_id": supplier_id, "name": "Ana Fornecedora"},
        headers=admin.headers,
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["data"]["role"] == "supplier"
    assert patched.json["data"]["supplier_id"] == supplier_id
    assert patched.json["data"]["name"] == "Ana Fornecedora"

    session = api.login(address, "Segura#2026").json["data"]
    deleted = client.delete(f"{USERS}/{user['id']}", headers=admin.headers)
    assert deleted.status_code == 200
    assert deleted.json["data"]["active"] is False
    assert api.refresh(session["refresh_token"]).status_code == 401  # sessions revoked
    assert api.login(address, "Segura#2026").status_code == 401
    assert client.delete(f"{USERS}/{user['id']}", headers=admin.headers).status_code == 200

    reactivated = client.patch(
        f"{USERS}/{user['id']}", json={"active": True}, headers=admin.headers
    )
    assert reactivated.json["data"]["active"] is True
    assert api.login(address, "Segura#2026").status_code == 200


def test_a_new_password_ends_the_users_sessions(client, admin, make_account, api):
    target = make_account(role="staff")

    response = client.patch(
        f"{USERS}/{target.id}", json={"password": "Nova#Senha1"}, headers=admin.headers
    )

    assert response.status_code == 200
    assert api.refresh(target.refresh_token).json["code"] == "refresh_token_revoked"
    assert api.login(target.email, "Nova#Senha1").status_code == 200


def test_an_admin_cannot_demote_deactivate_or_delete_itself(client, admin):
    attempts = [
        client.patch(f"{USERS}/{admin.id}", json={"role": "staff"}, headers=admin.headers),
        client.patch(f"{USERS}/{admin.id}", json={"active": False}, headers=admin.headers),
        client.delete(f"{USERS}/{admin.id}", headers=admin.headers),
    ]

    for response in attempts:
        assert response.status_code == 409
        assert response.json["code"] == "admin_lockout"
        assert "próprio acesso de administrador" in response.json["message"]
    me = client.get("/api/v1/auth/me", headers=admin.headers).json["data"]
    assert me["role"] == "admin" and me["active"] is True


def test_an_admin_may_still_rename_itself(client, admin):
    response = client.patch(f"{USERS}/{admin.id}", json={"name": "Chefe"}, headers=admin.headers)

    assert response.status_code == 200
    assert response.json["data"]["name"] == "Chefe"


def test_an_admin_demoted_by_another_loses_user_management_at_once(client, make_account):
    first, second = make_account(role="admin"), make_account(role="admin")

    demoted = client.patch(f"{USERS}/{second.id}", json={"role": "staff"}, headers=first.headers)
    # second's access token still says admin, but the database no longer does.
    response = client.post(
        USERS,
        json={"name": "X", "email": "x@example.com", "password": "Segura#2026", "role": "admin"},
        headers=second.headers,
    )

    assert demoted.status_code == 200
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "staff", "client_id": str(uuid.uuid4())}, "client_id"),
        ({"role": "client", "supplier_id": str(uuid.uuid4())}, "supplier_id"),
    ],
)
def test_bindings_must_fit_the_role_on_create(client, admin, email, body, field):
    response = client.post(
        USERS,
        json={"name": "B", "email": email(), "password": "Segura#2026", **body},
        headers=admin.headers,
    )

    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == field


def test_changing_a_bound_client_to_staff_needs_the_binding_cleared(client, admin, make_account):
    bound = make_account(role="client", client_id=uuid.uuid4(), login=False)

    refused = client.patch(f"{USERS}/{bound.id}", json={"role": "staff"}, headers=admin.headers)
    accepted = client.patch(
        f"{USERS}/{bound.id}", json={"role": "staff", "client_id": None}, headers=admin.headers
    )

    assert refused.status_code == 400
    assert refused.json["errors"][0]["field"] == "client_id"
    assert accepted.status_code == 200
    assert accepted.json["data"]["client_id"] is None


def test_create_validates_every_field(client, admin):
    response = client.post(
        USERS,
        json={"name": "", "email": "nope", "password": "123", "role": "root"},
        headers=admin.headers,
    )

    assert response.status_code == 400
    assert {e["field"] for e in response.json["errors"]} >= {"name", "email", "password", "role"}


def test_a_duplicate_email_is_a_409_on_create_and_update(client, admin, make_account):
    existing, other = make_account(login=False), make_account(login=False)

    created = client.post(
        USERS,
        json={
            "name": "D",
            "email": existing.email.upper(),
            "password": "Segura#2026",
            "role": "staff",
        },
        headers=admin.headers,
    )
    updated = client.patch(
        f"{USERS}/{other.id}", json={"email": existing.email}, headers=admin.headers
    )

    assert created.status_code == updated.status_code == 409


@pytest.mark.parametrize("user_id", [str(uuid.uuid4()), "not-a-uuid", "1"])
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_unknown_or_malformed_ids_are_404(client, admin, user_id, method):
    kwargs = {"json": {"name": "x"}} if method == "patch" else {}

    response = getattr(client, method)(f"{USERS}/{user_id}", headers=admin.headers, **kwargs)

    assert response.status_code == 404
    assert response.json["code"] == "not_found"
    assert response.json["message"] == "Usuário não encontrado."


def test_the_list_filters_and_paginates(client, admin, make_account):
    marker = uuid.uuid4().hex[:8]
    suppliers = [
        make_account(role="supplier", login=False, name=f"Fornecedor {marker} {i}")
        for i in range(3)
    ]
    make_account(role="staff", login=False, name=f"Equipe {marker}")

    page1 = client.get(
        USERS, query_string={"q": marker, "role": "supplier", "page_size": 2}, headers=admin.headers
    )
    page2 = client.get(
        USERS,
        query_string={"q": marker, "role": "supplier", "page_size": 2, "page": 2},
        headers=admin.headers,
    )
    by_email = client.get(
        USERS, query_string={"email": suppliers[0].email.upper()}, headers=admin.headers
    )

    assert page1.status_code == 200
    assert page1.json["meta"] == {"page": 1, "page_size": 2, "total": 3, "pages": 2}
    assert len(page1.json["data"]) == 2 and len(page2.json["data"]) == 1
    ids = {u["id"] for u in page1.json["data"] + page2.json["data"]}
    assert ids == {s.id for s in suppliers}
    assert [u["id"] for u in by_email.json["data"]] == [suppliers[0].id]


def test_the_search_treats_wildcards_literally(client, admin):
    response = client.get(USERS, query_string={"q": "%"}, headers=admin.headers)

    assert response.status_code == 200
    assert response.json["meta"]["total"] == 0


@pytest.mark.parametrize(
    "query",
    [
        {"page_size": 101},
        {"page": 0},
        {"page": 10**30},
        {"q": "ana\x00"},
        {"role": "root"},
        {"active": "maybe"},
    ],
)
def test_bad_list_parameters_are_400(client, admin, query):
    response = client.get(USERS, query_string=query, headers=admin.headers)

    assert response.status_code == 400
    assert response.json["code"] == "validation_error"


def test_the_active_filter(client, admin, make_account):
    gone = make_account(role="staff", login=False, active=False)

    inactive = client.get(
        USERS, query_string={"active": "false", "email": gone.email}, headers=admin.headers
    )
    active = client.get(
        USERS, query_string={"active": "true", "email": gone.email}, headers=admin.headers
    )

    assert inactive.json["meta"]["total"] == 1
    assert active.json["meta"]["total"] == 0
