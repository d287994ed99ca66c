"""Typed settings read from the environment: one object per process, read once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


class ConfigError(RuntimeError):
    """A required setting is missing or malformed; the process must not start."""


def env_str(
    name: str, default: str | None = None, *, required: bool = False, allow_empty: bool = False
) -> str:
    """The variable's value; with allow_empty, a variable set to "" means "" (e.g. "no limit")."""
    value = os.environ.get(name)
    if allow_empty and value == "":
        return ""
    if value is None or value == "":
        if required and default is None:
            raise ConfigError(f"A variável de ambiente {name} é obrigatória e não foi definida.")
        return default if default is not None else ""
    return value


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} deve ser um número inteiro, recebido {raw!r}.") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} deve ser um número, recebido {raw!r}.") from exc


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} deve ser true ou false, recebido {raw!r}.")


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [part.strip() for part in raw.split(",") if part.strip()]


# A shared secret between our processes shorter than this could be guessed (docs/security.md);
# `make run` generates 43 characters.
MIN_SECRET_LENGTH = 16

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/pedidos"
DEFAULT_RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"


@dataclass(frozen=True)
class ServiceSettings:
    """What every Pedidos process needs; each service extends it with its own fields."""

    service_name: str
    environment: str = "development"
    database_url: str = DEFAULT_DATABASE_URL
    rabbitmq_url: str = DEFAULT_RABBITMQ_URL
    # Where services fetch the auth service's public keys (JWKS) to verify access tokens.
    auth_jwks_url: str = "http://127.0.0.1:5001/api/v1/auth/.well-known/jwks.json"
    auth_token_url: str = "http://127.0.0.1:5001/api/v1/auth/token"
    jwt_issuer: str = "pedidos-auth"
    jwt_audience: str = "pedidos"
    # Client credentials this service uses to call other services (client_credentials grant).
    service_client_secret: str = ""
    db_pool_size: int = 5
    db_max_overflow: int = 5
    db_pool_timeout: float = 5.0
    # Off: a `SELECT 1` round trip per checkout was ~5 per order (docs/performance.md).
    # pool_recycle retires old connections, and a disconnect invalidates the whole pool, so
    # a database restart costs one failed request (503, retryable) per process, not more.
    db_pool_pre_ping: bool = False
    db_statement_timeout_ms: int = 5000
    http_timeout: float = 5.0
    max_json_body_bytes: int = 2 * 1024 * 1024
    # An order import's CSV (POST /orders/import): read as it arrives, never held whole.
    max_import_bytes: int = 64 * 1024 * 1024
    sentry_dsn: str = ""
    log_level: str = "INFO"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_development(self) -> bool:
        return self.environment in {"development", "test"}

    @classmethod
    def common_from_env(cls, service_name: str) -> dict:
        """Read the fields shared by every service; subclasses add their own."""
        # The business time zone is read here too, so a wrong one stops the process at
        # start-up instead of failing the first request that asks which day it is.
        from shared.clock import business_timezone

        business_timezone()
        return {
            "service_name": service_name,
            "environment": env_str("APP_ENV", "development"),
            "database_url": env_str("DATABASE_URL", DEFAULT_DATABASE_URL),
            "rabbitmq_url": env_str("RABBITMQ_URL", DEFAULT_RABBITMQ_URL),
            "auth_jwks_url": env_str(
                "AUTH_JWKS_URL", "http://127.0.0.1:5001/api/v1/auth/.well-known/jwks.json"
            ),
            "auth_token_url": env_str("AUTH_TOKEN_URL", "http://127.0.0.1:5001/api/v1/auth/token"),
            "jwt_issuer": env_str("JWT_ISSUER", "pedidos-auth"),
            "jwt_audience": env_str("JWT_AUDIENCE", "pedidos"),
            "service_client_secret": env_str("SERVICE_CLIENT_SECRET", ""),
            "db_pool_size": env_int("DB_POOL_SIZE", 5),
            "db_max_overflow": env_int("DB_MAX_OVERFLOW", 5),
            "db_pool_timeout": env_float("DB_POOL_TIMEOUT", 5.0),
            "db_pool_pre_ping": env_bool("DB_POOL_PRE_PING", False),
            "db_statement_timeout_ms": env_int("DB_STATEMENT_TIMEOUT_MS", 5000),
            "http_timeout": env_float("HTTP_TIMEOUT", 5.0),
            "max_json_body_bytes": env_int("MAX_JSON_BODY_BYTES", 2 * 1024 * 1024),
            "max_import_bytes": env_int("MAX_IMPORT_BYTES", 64 * 1024 * 1024),
            "sentry_dsn": env_str("SENTRY_DSN", ""),
            "log_level": env_str("LOG_LEVEL", "INFO"),
        }

    @classmethod
    def from_env(cls, service_name: str) -> ServiceSettings:
        return cls(**cls.common_from_env(service_name))
