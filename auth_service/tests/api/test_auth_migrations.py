"""The migrations create exactly what the models describe, constraints included."""

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from auth_service.models import SCHEMA, db
from shared.migrations import schema_drift


def test_models_and_migrations_agree(admin_engine):
    with admin_engine.connect() as connection:
        assert schema_drift(connection, db.metadata, SCHEMA) == []


def _insert_user(connection, **overrides):
    values = {
        "id": uuid.uuid4(),
        "name": "x",
        "email": f"{uuid.uuid4().hex}@example.com",
        "password_hash": "h",
        "role": "staff",
        **overrides,
    }
    connection.execute(
        text(
            "INSERT INTO auth.users (id, name, email, password_hash, role, client_id, document)"
            " VALUES (:id, :name, :email, :password_hash, :role, :client_id, :document)"
        ),
        {"client_id": None, "document": None, **values},
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"role": "root"},
        {"email": "Upper@Example.com"},
        {"document": "123.456.789-09"},
        {"role": "staff", "client_id": uuid.uuid4()},
    ],
)
def test_the_database_refuses_what_the_rules_refuse(admin_engine, overrides):
    with admin_engine.connect() as connection, pytest.raises(IntegrityError):
        _insert_user(connection, **overrides)


def test_emails_are_unique_in_any_case_in_the_database(admin_engine):
    email = f"{uuid.uuid4().hex}@example.com"
    with admin_engine.connect() as connection:
        _insert_user(connection, email=email)
        with pytest.raises(IntegrityError):
            _insert_user(connection, email=email)
        connection.rollback()
