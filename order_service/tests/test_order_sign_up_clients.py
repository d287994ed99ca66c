"""Sign-up creates the client record: the auth app calling this order app over real HTTP."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from auth_service.app import create_app as create_auth_app
from auth_service.client_directory import NoClientDirectory, OrderServiceClientDirectory
from auth_service.config import AuthSettings
from auth_service.extension import EXTENSION_KEY
from auth_service.models import User
from auth_service.models import db as auth_db
from shared.db import sqlalchemy_url

PASSWORD = "Segura#2026"


@pytest.fixture(scope="module")
def order_server(order_app):
    """The order app over real HTTP, as the auth service reaches it."""
    server = make_server("127.0.0.1", 0, order_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="module")
def auth_settings(test_database, tmp_path_factory):
    def build(**overrides) -> AuthSettings:
        return AuthSettings(
            environment="test",
            database_url=test_database.url_for("auth_service"),
            jwt_keys_dir=str(tmp_path_factory.mktemp("keys")),
            argon2_time_cost=1,
            argon2_memory_cost_kib=1024,
            argon2_parallelism=1,
            **overrides,
        )

    return build


@pytest.fixture(scope="module")
def auth_apps():
    apps = []
    yield apps
    for app in apps:
        with app.app_context():
            auth_db.engine.dispose()


@pytest.fixture
def auth_client(auth_settings, auth_apps, order_server, tokens):
    def build(url: str = order_server):
        directory = OrderServiceClientDirectory(
            url, token=lambda: tokens.service_token("auth_service")
        )
        app = create_auth_app(auth_settings(), client_directory=directory)
        auth_apps.append(app)
        return app.test_client()

    return build


@pytest.fixture
def auth_users(test_database):
    engine = create_engine(sqlalchemy_url(test_database.url_for("auth_service")))

    def count(email: str) -> int:
        with Session(engine) as session:
            return session.scalar(
                select(func.count()).select_from(User).where(User.email == email.lower())
            )

    yield count
    engine.dispose()


def sign_up(auth, cnpj, **fields):
    tag = uuid.uuid4().hex[:10]
    body = {
        "name": f"Escola {tag}",
        "email": f"gestor-{tag}@escola.edu.br",
        "password": PASSWORD,
        "document": cnpj(),
        "phone": "11987654321",
        **fields,
    }
    return body, auth.post("/api/v1/auth/register", json=body)


def test_signing_up_creates_the_client_record_bound_to_the_user(auth_client, cnpj, client, admin):
    body, response = sign_up(auth_client(), cnpj)

    assert response.status_code == 201, response.get_data(as_text=True)
    user = response.json["data"]
    assert user["client_id"]
    record = client.get(f"/api/v1/clients/{user['client_id']}", headers=admin).json["data"]
    assert record["user_id"] == user["id"]
    assert record["name"] == body["name"]
    assert record["email"] == body["email"]
    assert record["document"] == body["document"]
    assert record["phone"] == "11987654321"


def test_a_document_already_in_the_order_service_is_a_409_and_no_user_is_left(
    auth_client, cnpj, make_client, auth_users
):
    school = make_client()  # created by staff in the order service only

    body, response = sign_up(auth_client(), cnpj, document=school["document"])

    assert response.status_code == 409
    assert response.json["errors"][0]["field"] == "document"
    assert auth_users(body["email"]) == 0


def test_an_unreachable_order_service_is_a_503_and_no_user_is_left(auth_client, cnpj, auth_users):
    body, response = sign_up(auth_client("http://127.0.0.1:9"), cnpj)

    assert response.status_code == 503
    assert response.json["status"] == "error"
    assert auth_users(body["email"]) == 0


def test_a_duplicate_email_on_the_auth_side_never_reaches_the_order_service(
    auth_client, cnpj, client, admin
):
    auth = auth_client()
    body, first = sign_up(auth, cnpj)
    assert first.status_code == 201

    _, again = sign_up(auth, cnpj, email=body["email"])

    assert again.status_code == 409
    assert again.json["errors"][0]["field"] == "email"


def test_create_app_uses_the_order_service_only_when_its_url_is_set(auth_settings, auth_apps):
    wired = create_auth_app(auth_settings(order_service_url="http://orders:5002"))
    plain = create_auth_app(auth_settings())
    auth_apps.extend([wired, plain])

    directory = wired.extensions[EXTENSION_KEY].client_directory
    assert isinstance(directory, OrderServiceClientDirectory)
    assert directory.url == "http://orders:5002/api/v1/clients"
    assert isinstance(plain.extensions[EXTENSION_KEY].client_directory, NoClientDirectory)
