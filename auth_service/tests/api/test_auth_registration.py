"""Sign-up: validation per field, duplicates, and that nobody chooses their own role."""

import uuid

import pytest

from auth_service.models import User, db


def _field_errors(response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json["errors"]}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"document": "529.982.247-24"}, "document", "CPF inválido: dígito verificador incorreto."),
        (
            {"document": "11.222.333/0001-82"},
            "document",
            "CNPJ inválido: dígito verificador incorreto.",
        ),
        ({"document": "123"}, "document", "Informe um CPF (11 dígitos) ou CNPJ (14 dígitos)."),
        ({"password": "Ab#123"}, "password", "A senha deve ter pelo menos 8 caracteres."),
        ({"password": "12345678"}, "password", "A senha não pode conter apenas números."),
        ({"email": "not-an-email"}, "email", "Não é um e-mail válido."),
        ({"phone": "123"}, "phone", None),
        ({"name": "   "}, "name", None),
        ({"name": None}, "name", "O campo não pode ser nulo."),
    ],
)
def test_bad_input_is_a_400_with_the_field_at_fault(api, overrides, field, message):
    response = api.register(**overrides)

    assert response.status_code == 400
    assert response.json["code"] == "validation_error"
    errors = _field_errors(response)
    assert field in errors
    if message:
        assert errors[field] == message


def test_every_bad_field_is_reported_at_once(client):
    response = client.post(
        "/api/v1/auth/register", json={"email": "x", "password": "1", "document": "1"}
    )

    assert response.status_code == 400
    assert set(_field_errors(response)) == {"name", "email", "password", "document", "phone"}


def test_field_errors_speak_english_when_asked(client):
    response = client.post(
        "/api/v1/auth/register",
        json={
            "name": "A",
            "email": "a@b.co",
            "password": "12345678",
            "document": "1",
            "phone": "1",
        },
        headers={"Accept-Language": "en"},
    )

    assert _field_errors(response)["password"] == "The password cannot be only digits."


def test_malformed_json_is_a_400_malformed_json(client):
    response = client.post(
        "/api/v1/auth/register", data="{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json["code"] == "malformed_json"


def test_a_body_that_is_not_json_is_a_415(client):
    response = client.post("/api/v1/auth/register", data="name=x", content_type="text/plain")

    assert response.status_code == 415
    assert response.json["code"] == "unsupported_media_type"


def test_a_json_list_is_not_a_registration(client):
    response = client.post("/api/v1/auth/register", json=[1, 2])

    assert response.status_code == 400


def test_the_caller_can_never_choose_the_role(app, api, email):
    wanted = email("wannabe")

    response = api.register(email=wanted, role="admin", client_id=str(uuid.uuid4()))

    assert response.status_code == 201  # extra fields are dropped, never honoured
    assert response.json["data"]["role"] == "client"
    assert response.json["data"]["client_id"] is None
    session = api.login(wanted, "Segura#2026").json["data"]
    assert session["user"]["role"] == "client"
    with app.app_context():
        assert db.session.query(User).filter_by(email=wanted.lower()).one().role == "client"


def test_other_schemas_refuse_unknown_fields(api, make_account):
    account = make_account(login=False)

    response = api.client.post(
        "/api/v1/auth/login",
        json={"email": account.email, "password": account.password, "role": "admin"},
    )

    assert response.status_code == 400
    assert {"field": "role", "message": "Campo desconhecido."} in response.json["errors"]


def test_a_body_over_the_size_limit_is_a_413(client):
    response = client.post(
        "/api/v1/auth/login", json={"email": "a@b.com", "password": "x" * (3 * 1024 * 1024)}
    )

    assert response.status_code == 413
    assert response.json["code"] == "payload_too_large"


def test_a_duplicate_email_in_another_case_is_a_409(api, email):
    first = email("dup")
    assert api.register(email=first).status_code == 201

    response = api.register(email=first.upper())

    assert response.status_code == 409
    assert response.json["code"] == "duplicate"
    assert response.json["errors"][0]["field"] == "email"


def test_a_duplicate_document_is_a_409(api, cnpj):
    document = cnpj()
    assert api.register(document=document).status_code == 201

    response = api.register(document=document)

    assert response.status_code == 409
    assert response.json["errors"][0]["field"] == "document"


def test_a_new_user_is_bound_to_the_client_record_the_directory_gives(
    make_app, keys_dir_with, api_for
):
    client_id = uuid.uuid4()

    class Directory:
        def __init__(self):
            self.seen = []

        def register_client(self, client):
            self.seen.append(client)
            return client_id

    directory = Directory()
    app = make_app(keys_dir_with(("k.pem", 0)), client_directory=directory)

    response = api_for(app).register()

    assert response.status_code == 201
    assert response.json["data"]["client_id"] == str(client_id)
    assert directory.seen[0].document == response.json["data"]["document"]
