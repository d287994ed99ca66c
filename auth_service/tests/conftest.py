"""Fixtures of the auth service tests: apps on the run's database, a tiny API client, builders.

The database is shared by the whole run, so every test owns its data: unique emails and
documents, and a client address of its own (the login rate limit counts per address).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient

from auth_service.app import create_app
from auth_service.config import AuthSettings
from auth_service.extension import current_auth
from auth_service.models import User, db

PASSWORD = "Segura#2026"
# argon2 at its cheapest: the suite tests our rules, not argon2's cost.
FAST_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_cost_kib": 1024, "argon2_parallelism": 1}
# The only service client of the tests, and the secret the gateway would sign with.
ORDER_SERVICE_SECRET = "order-service-secret-for-tests"
FORWARDED_FOR_SECRET = "forwarded-for-secret-for-tests"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@Example.com"


def random_address() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def _check_digit(digits: str, weights: list[int]) -> str:
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return "0" if remainder < 2 else str(11 - remainder)


def new_cpf() -> str:
    """A random CPF with valid check digits (computed independently of the code under test)."""
    base = "".join(random.choice("0123456789") for _ in range(9))
    first = _check_digit(base, list(range(10, 1, -1)))
    return base + first + _check_digit(base + first, list(range(11, 1, -1)))


def new_cnpj() -> str:
    base = "".join(random.choice("0123456789") for _ in range(8)) + "0001"
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    first = _check_digit(base, weights)
    return base + first + _check_digit(base + first, [6, *weights])


def pem_of(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@pytest.fixture(scope="session")
def rsa_keys() -> list[rsa.RSAPrivateKey]:
    """Three 2048-bit keys made once for the run (generating keys is the slow part)."""
    return [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(3)]


@pytest.fixture(scope="session")
def settings_for(test_database) -> Callable[..., AuthSettings]:
    """Settings on the run's database; keyword arguments override any field."""

    def build(**overrides: Any) -> AuthSettings:
        values: dict[str, Any] = {
            "environment": "test",
            "database_url": test_database.url_for("auth_service"),
            "service_clients": {"order_service": ORDER_SERVICE_SECRET},
            "forwarded_for_secret": FORWARDED_FOR_SECRET,
            **FAST_ARGON2,
        }
        values.update(overrides)
        return AuthSettings(**values)

    return build


@pytest.fixture(scope="session")
def make_app(settings_for) -> Iterator[Callable[..., Flask]]:
    """Build extra apps (other limits, other keys); their pools are closed at the end."""
    apps: list[Flask] = []

    def build(keys_dir: Path, *, client_directory: Any = None, **overrides: Any) -> Flask:
        settings = settings_for(jwt_keys_dir=str(keys_dir), **overrides)
        app = create_app(settings, client_directory=client_directory)
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def key_pem(rsa_keys) -> Callable[[int], bytes]:
    """The PEM of one of the run's keys."""
    return lambda index: pem_of(rsa_keys[index])


@pytest.fixture(scope="session")
def keys_dir_with(tmp_path_factory, rsa_keys) -> Callable[..., Path]:
    """A fresh key folder holding the given keys: keys_dir_with(("2026-01-01.pem", 0), ...)."""

    def build(*files: tuple[str, int]) -> Path:
        directory = tmp_path_factory.mktemp("auth_keys")
        for name, index in files:
            (directory / name).write_bytes(pem_of(rsa_keys[index]))
        return directory

    return build


@pytest.fixture(scope="session")
def app(make_app, keys_dir_with) -> Flask:
    """The app most tests use: default limits, one signing key."""
    return make_app(keys_dir_with(("2026-01-01.pem", 0)))


@dataclass
class Account:
    """A user the test created, with the tokens of its login (when it logged in)."""

    id: str
    email: str
    password: str
    role: str
    access_token: str = ""
    refresh_token: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


class AuthApi:
    """The auth routes as one-line calls, for tests that read like the use case."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def register(self, **overrides: Any):
        body = {
            "name": "Maria Souza",
            "email": unique_email("maria"),
            "password": PASSWORD,
            "document": new_cpf(),
            "phone": "(11) 91234-5678",
            **overrides,
        }
        return self.client.post("/api/v1/auth/register", json=body)

    def login(self, email: str, password: str = PASSWORD, **kwargs: Any):
        return self.client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}, **kwargs
        )

    def refresh(self, refresh_token: str):
        return self.client.post("/api/v1/auth/refresh-token", json={"refresh_token": refresh_token})

    def logout(self, access_token: str, refresh_token: str):
        return self.client.post(
            "/api/v1/auth/logout",
            json={"refresh_token": refresh_token},
            headers={"Authorization": f"Bearer {access_token}"},
        )

    def me(self, access_token: str):
        return self.client.get(
            "/api/v1/auth/me", headers={"Authorization": f"Bearer {access_token}"}
        )


def new_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    # Each client calls from an address of its own (as if connected directly).
    client.environ_base["REMOTE_ADDR"] = random_address()
    return client


@pytest.fixture
def client(app) -> FlaskClient:
    return new_client(app)


@pytest.fixture
def api(client) -> AuthApi:
    return AuthApi(client)


def create_account(
    app: Flask,
    *,
    role: str = "client",
    password: str = PASSWORD,
    login: bool = True,
    **fields: Any,
) -> Account:
    """Insert a user straight into the database and, unless told not to, log it in."""
    email = unique_email(role)
    with app.app_context():
        values = {"name": f"Test {role}", **fields}
        user = User(
            id=uuid.uuid4(),
            email=email.lower(),
            password_hash=current_auth().passwords.hash(password),
            role=role,
            **values,
        )
        db.session.add(user)
        db.session.commit()
        account = Account(id=str(user.id), email=user.email, password=password, role=role)
    if login:
        response = AuthApi(new_client(app)).login(account.email, password)
        assert response.status_code == 200, response.json
        account.access_token = response.json["data"]["access_token"]
        account.refresh_token = response.json["data"]["refresh_token"]
    return account


@pytest.fixture
def make_account(app) -> Callable[..., Account]:
    """create_account bound to the default app."""

    def make(**kwargs: Any) -> Account:
        return create_account(app, **kwargs)

    return make


@pytest.fixture
def account_in() -> Callable[..., Account]:
    """create_account for an app of the test's own."""
    return create_account


@pytest.fixture
def api_for() -> Callable[[Flask], AuthApi]:
    """An AuthApi on another app, from an address of its own."""
    return lambda app: AuthApi(new_client(app))


@pytest.fixture
def cpf() -> Callable[[], str]:
    return new_cpf


@pytest.fixture
def cnpj() -> Callable[[], str]:
    return new_cnpj


@pytest.fixture
def email() -> Callable[..., str]:
    return unique_email
