"""GatewaySettings from the environment, and the factory."""

import pytest

from gateway.config import GatewaySettings
from shared.config import ConfigError

GATEWAY_VARIABLES = (
    "AUTH_SERVICE_URL",
    "ORDER_SERVICE_URL",
    "STOCK_SERVICE_URL",
    "AUTH_JWKS_URL",
    "CORS_ORIGINS",
    "UPSTREAM_CONNECT_TIMEOUT",
    "UPSTREAM_READ_TIMEOUT",
    "MAX_JSON_BODY_BYTES",
    "MAX_UPLOAD_BYTES",
    "UPSTREAM_POOL_SIZE",
    "GUNICORN_THREADS",
)


@pytest.fixture
def clean_env(monkeypatch):
    for name in GATEWAY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults_point_at_the_local_services(clean_env):
    settings = GatewaySettings.from_env()

    assert settings.service_name == "gateway"
    assert settings.upstreams == {
        "auth_service": "http://127.0.0.1:5001",
        "order_service": "http://127.0.0.1:5002",
        "stock_service": "http://127.0.0.1:5003",
    }
    assert settings.auth_jwks_url == "http://127.0.0.1:5001/api/v1/auth/.well-known/jwks.json"
    assert settings.cors_origins == ("http://localhost:3000", "http://127.0.0.1:3000")
    assert (settings.upstream_connect_timeout, settings.upstream_read_timeout) == (2.0, 10.0)
    assert settings.max_json_body_bytes == 2 * 1024 * 1024
    assert settings.max_upload_bytes == 10 * 1024 * 1024
    assert settings.upstream_pool_size == 16


def test_the_connection_pool_grows_with_gunicorn_threads(clean_env):
    clean_env.setenv("GUNICORN_THREADS", "32")

    assert GatewaySettings.from_env().upstream_pool_size == 32


def test_environment_overrides_and_jwks_follows_the_auth_service(clean_env):
    clean_env.setenv("AUTH_SERVICE_URL", "http://auth:8000/")
    clean_env.setenv("ORDER_SERVICE_URL", "http://orders:8000")
    clean_env.setenv("CORS_ORIGINS", "https://app.example, https://admin.example")
    clean_env.setenv("UPSTREAM_READ_TIMEOUT", "2.5")
    clean_env.setenv("MAX_UPLOAD_BYTES", "1024")

    settings = GatewaySettings.from_env()

    assert settings.upstreams["auth_service"] == "http://auth:8000"
    assert settings.upstreams["order_service"] == "http://orders:8000"
    assert settings.auth_jwks_url == "http://auth:8000/api/v1/auth/.well-known/jwks.json"
    assert settings.cors_origins == ("https://app.example", "https://admin.example")
    assert settings.upstream_read_timeout == 2.5
    assert settings.max_upload_bytes == 1024


def test_a_service_url_without_scheme_stops_start_up(clean_env):
    clean_env.setenv("STOCK_SERVICE_URL", "stock:5003")

    with pytest.raises(ConfigError, match="stock_service"):
        GatewaySettings.from_env()


def test_a_non_positive_timeout_stops_start_up(clean_env):
    clean_env.setenv("UPSTREAM_READ_TIMEOUT", "0")

    with pytest.raises(ConfigError, match="UPSTREAM_READ_TIMEOUT"):
        GatewaySettings.from_env()
