"""Settings from the environment, and start-up refusals."""

import pytest

from auth_service.app import create_app
from auth_service.config import AuthSettings, parse_service_clients
from shared.config import ConfigError


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", "60")
    monkeypatch.setenv("SERVICE_CLIENTS", "order_service:abc:def, gateway:xyz")
    monkeypatch.setenv("LOGIN_MAX_FAILURES_PER_EMAIL", "7")
    monkeypatch.setenv("JWT_KEYS_DIR", "/tmp/somewhere")

    settings = AuthSettings.from_env()

    assert settings.service_name == "auth_service"
    assert settings.access_token_ttl_seconds == 60
    assert settings.service_clients == {"order_service": "abc:def", "gateway": "xyz"}
    assert settings.login_max_failures_per_email == 7
    assert settings.jwt_keys_dir == "/tmp/somewhere"
    assert settings.refresh_token_ttl_seconds == 7 * 24 * 3600


@pytest.mark.parametrize("raw", [["order_service"], ["order_service:"], ["Bad Name:x"]])
def test_malformed_service_clients_stop_start_up(raw):
    with pytest.raises(ConfigError, match="SERVICE_CLIENTS"):
        parse_service_clients(raw)


def test_outside_development_service_clients_are_required(tmp_path):
    settings = AuthSettings(environment="production", jwt_keys_dir=str(tmp_path))

    with pytest.raises(ConfigError, match="SERVICE_CLIENTS é obrigatório"):
        create_app(settings)


@pytest.mark.parametrize(
    "overrides",
    [
        {"access_token_ttl_seconds": 0},
        {"refresh_session_max_age_seconds": 60},
        {"login_window_seconds": 0},
    ],
)
def test_nonsense_durations_stop_start_up(overrides):
    with pytest.raises(ConfigError):
        AuthSettings(environment="test", **overrides).check()
