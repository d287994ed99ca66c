"""Settings from the environment, and start-up refusals."""

import pytest

from auth_service.app import create_app
from auth_service.config import AuthSettings, parse_service_clients
from shared.config import ConfigError


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", "60")
    monkeypatch.setenv(
        "SERVICE_CLIENTS", "order_service:abc:def-long-enough, reports:another-long-secret"
    )
    monkeypatch.setenv("LOGIN_LOCKOUT_AFTER_FAILURES", "7")
    monkeypatch.setenv("FORWARDED_FOR_SECRET", "signed-by-the-gateway")
    monkeypatch.setenv("JWT_KEYS_DIR", "/tmp/somewhere")

    settings = AuthSettings.from_env()

    assert settings.service_name == "auth_service"
    assert settings.access_token_ttl_seconds == 60
    assert settings.service_clients == {
        "order_service": "abc:def-long-enough",
        "reports": "another-long-secret",
    }
    assert settings.login_lockout_after_failures == 7
    assert settings.login_window_seconds == 3600
    assert settings.forwarded_for_secret == "signed-by-the-gateway"
    assert settings.jwt_keys_dir == "/tmp/somewhere"
    assert settings.refresh_token_ttl_seconds == 7 * 24 * 3600


@pytest.mark.parametrize(
    "raw",
    [
        ["order_service"],
        ["order_service:"],
        ["Bad Name:a-long-enough-secret"],
        ["order_service:short"],  # guessable
    ],
)
def test_malformed_service_clients_stop_start_up(raw):
    with pytest.raises(ConfigError, match="SERVICE_CLIENTS"):
        parse_service_clients(raw)


def test_outside_development_service_clients_are_required(tmp_path):
    settings = AuthSettings(environment="production", jwt_keys_dir=str(tmp_path))

    with pytest.raises(ConfigError, match="SERVICE_CLIENTS é obrigatório"):
        create_app(settings)


def test_outside_development_the_forwarded_for_secret_is_required(tmp_path):
    settings = AuthSettings(
        environment="production",
        jwt_keys_dir=str(tmp_path),
        service_clients={"order_service": "a-long-enough-secret"},
    )

    with pytest.raises(ConfigError, match="FORWARDED_FOR_SECRET"):
        create_app(settings)


@pytest.mark.parametrize(
    "overrides",
    [
        {"access_token_ttl_seconds": 0},
        {"refresh_session_max_age_seconds": 60},
        {"login_window_seconds": 0},
        {"login_lockout_base_seconds": 0},
        {"login_lockout_base_seconds": 60, "login_lockout_max_seconds": 30},
    ],
)
def test_nonsense_durations_stop_start_up(overrides):
    with pytest.raises(ConfigError):
        AuthSettings(environment="test", **overrides).check()
