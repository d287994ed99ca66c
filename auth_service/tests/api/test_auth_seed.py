"""python -m auth_service.seed: the first admin and the demo users, idempotently."""

import subprocess
import sys
import uuid

import pytest

from auth_service import seed


@pytest.fixture
def seed_env(monkeypatch, test_database, email):
    """Point the CLI at the run's database, with an admin of this test's own."""
    admin_email = email("seed-admin")
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("DATABASE_URL", test_database.url_for("auth_service"))
    monkeypatch.setenv("ADMIN_EMAIL", admin_email)
    monkeypatch.setenv("ADMIN_PASSWORD", "Admin#Seed1")
    monkeypatch.setenv("ARGON2_TIME_COST", "1")
    monkeypatch.setenv("ARGON2_MEMORY_COST_KIB", "1024")
    monkeypatch.setenv("ARGON2_PARALLELISM", "1")
    return admin_email


def test_seed_creates_the_admin_once(seed_env, api, capsys):
    assert seed.main([]) == 0
    assert seed.main([]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out == [f"criado: {seed_env.lower()}", f"já existe: {seed_env.lower()}"]
    session = api.login(seed_env, "Admin#Seed1")
    assert session.status_code == 200
    assert session.json["data"]["user"]["role"] == "admin"


def test_demo_users_log_in_with_the_documented_passwords_and_get_bindings(seed_env, api):
    client_id, supplier_id = uuid.uuid4(), uuid.uuid4()

    assert seed.main(["--demo"]) == 0
    # A later run (once the client and supplier records exist) fills in the bindings.
    assert (
        seed.main(["--demo", "--client-id", str(client_id), "--supplier-id", str(supplier_id)]) == 0
    )

    expected = {
        "staff@pedidos.local": ("Staff#2026", "staff"),
        "cliente@pedidos.local": ("Cliente#2026", "client"),
        "fornecedor@pedidos.local": ("Fornecedor#2026", "supplier"),
    }
    users = {}
    for address, (password, role) in expected.items():
        response = api.login(address, password)
        assert response.status_code == 200, (address, response.json)
        users[role] = response.json["data"]["user"]
        assert users[role]["role"] == role
    assert users["client"]["client_id"] == str(client_id)
    assert users["supplier"]["supplier_id"] == str(supplier_id)


def test_outside_development_the_admin_must_be_configured(seed_env, monkeypatch, capsys):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("ADMIN_PASSWORD")

    assert seed.main([]) == 2
    assert "ADMIN_PASSWORD" in capsys.readouterr().err


def test_outside_development_demo_users_are_refused(seed_env, monkeypatch, capsys):
    monkeypatch.setenv("APP_ENV", "production")

    assert seed.main(["--demo"]) == 2
    assert "--demo" in capsys.readouterr().err


def test_a_weak_admin_password_is_refused(seed_env, monkeypatch, capsys):
    monkeypatch.setenv("ADMIN_PASSWORD", "12345678")

    assert seed.main([]) == 2
    assert "only digits" in capsys.readouterr().err


def test_the_module_runs_as_a_command(seed_env):
    result = subprocess.run(
        [sys.executable, "-m", "auth_service.seed", "--help"], capture_output=True, text=True
    )

    assert result.returncode == 0
    assert "--client-id" in result.stdout
