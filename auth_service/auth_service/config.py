"""Settings of the auth service (environment only)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from shared.config import (
    MIN_SECRET_LENGTH,
    ConfigError,
    ServiceSettings,
    env_int,
    env_list,
    env_str,
)

SERVICE_NAME = "auth_service"

# var/keys at the repository root (ignored by git), wherever the process was started from.
DEFAULT_KEYS_DIR = str(Path(__file__).resolve().parents[2] / "var" / "keys")

# A client id is a service name: it becomes part of the token's subject ("service:<id>").
CLIENT_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_\-]{0,63}$")


def parse_service_clients(entries: list[str]) -> dict[str, str]:
    """Turn ["order_service:secret", ...] (SERVICE_CLIENTS) into {client_id: secret}."""
    clients: dict[str, str] = {}
    for entry in entries:
        client_id, sep, secret = entry.partition(":")
        client_id = client_id.strip()
        if not sep or not secret or not CLIENT_ID_PATTERN.match(client_id):
            raise ConfigError(
                "SERVICE_CLIENTS deve ser uma lista 'cliente:segredo' separada por vírgulas "
                f"(ids em minúsculas, ex.: order_service:s3gr3d0); entrada inválida: {client_id!r}."
            )
        if len(secret) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"O segredo de {client_id} em SERVICE_CLIENTS tem menos de {MIN_SECRET_LENGTH} "
                "caracteres: gere um com "
                "`python -c 'import secrets; print(secrets.token_urlsafe())'`."
            )
        clients[client_id] = secret
    return clients


@dataclass(frozen=True)
class AuthSettings(ServiceSettings):
    service_name: str = SERVICE_NAME
    # Folder of PEM RSA private keys; the last file by name signs, all are published.
    jwt_keys_dir: str = DEFAULT_KEYS_DIR
    # A PEM private key given in the environment (containers); it signs when set.
    jwt_private_key: str = ""
    # File name of the key that signs, to publish a new key before it starts signing.
    jwt_signing_key: str = ""
    access_token_ttl_seconds: int = 15 * 60
    refresh_token_ttl_seconds: int = 7 * 24 * 3600
    # A login session (refresh-token family) ends this long after login, however often used.
    refresh_session_max_age_seconds: int = 30 * 24 * 3600
    service_clients: dict[str, str] = field(default_factory=dict)
    # Login lockout per account and address (domain/rate_limit.py, docs/security.md).
    login_lockout_after_failures: int = 5
    login_lockout_base_seconds: int = 30
    login_lockout_max_seconds: int = 15 * 60
    login_window_seconds: int = 60 * 60
    login_max_account_failures: int = 50
    argon2_time_cost: int = 3
    argon2_memory_cost_kib: int = 64 * 1024
    argon2_parallelism: int = 4
    # The gateway signs the X-Forwarded-For it sends with this secret; without a valid
    # signature the header is ignored and the caller's address is the connection's.
    forwarded_for_secret: str = ""
    # Where sign-up creates the client record (order_service); empty: no record is created.
    order_service_url: str = ""

    @classmethod
    def from_env(cls) -> AuthSettings:  # type: ignore[override]
        return cls(
            **cls.common_from_env(SERVICE_NAME),
            jwt_keys_dir=env_str("JWT_KEYS_DIR", DEFAULT_KEYS_DIR),
            jwt_private_key=env_str("JWT_PRIVATE_KEY", ""),
            jwt_signing_key=env_str("JWT_SIGNING_KEY", ""),
            access_token_ttl_seconds=env_int("ACCESS_TOKEN_TTL_SECONDS", 15 * 60),
            refresh_token_ttl_seconds=env_int("REFRESH_TOKEN_TTL_SECONDS", 7 * 24 * 3600),
            refresh_session_max_age_seconds=env_int(
                "REFRESH_SESSION_MAX_AGE_SECONDS", 30 * 24 * 3600
            ),
            service_clients=parse_service_clients(env_list("SERVICE_CLIENTS")),
            login_lockout_after_failures=env_int("LOGIN_LOCKOUT_AFTER_FAILURES", 5),
            login_lockout_base_seconds=env_int("LOGIN_LOCKOUT_BASE_SECONDS", 30),
            login_lockout_max_seconds=env_int("LOGIN_LOCKOUT_MAX_SECONDS", 15 * 60),
            login_window_seconds=env_int("LOGIN_WINDOW_SECONDS", 60 * 60),
            login_max_account_failures=env_int("LOGIN_MAX_ACCOUNT_FAILURES", 50),
            argon2_time_cost=env_int("ARGON2_TIME_COST", 3),
            argon2_memory_cost_kib=env_int("ARGON2_MEMORY_COST_KIB", 64 * 1024),
            argon2_parallelism=env_int("ARGON2_PARALLELISM", 4),
            forwarded_for_secret=env_str("FORWARDED_FOR_SECRET", ""),
            order_service_url=env_str("ORDER_SERVICE_URL", ""),
        )

    def check(self) -> None:
        """Stop start-up on settings that cannot work (a missing secret, a nonsense TTL)."""
        if not self.is_development and not self.service_clients:
            raise ConfigError(
                "SERVICE_CLIENTS é obrigatório fora do ambiente de desenvolvimento "
                "(ex.: order_service:<segredo>)."
            )
        if not self.is_development and len(self.forwarded_for_secret) < MIN_SECRET_LENGTH:
            raise ConfigError(
                "FORWARDED_FOR_SECRET (o mesmo do gateway, 16+ caracteres) é obrigatório fora "
                "do ambiente de desenvolvimento: sem ele todo login parece vir do gateway."
            )
        for name in ("access_token_ttl_seconds", "refresh_token_ttl_seconds"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name.upper()} deve ser maior que zero.")
        if self.refresh_session_max_age_seconds < self.refresh_token_ttl_seconds:
            raise ConfigError(
                "REFRESH_SESSION_MAX_AGE_SECONDS não pode ser menor que REFRESH_TOKEN_TTL_SECONDS."
            )
        for name in ("login_window_seconds", "login_lockout_base_seconds"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name.upper()} deve ser maior que zero.")
        if self.login_lockout_max_seconds < self.login_lockout_base_seconds:
            raise ConfigError(
                "LOGIN_LOCKOUT_MAX_SECONDS não pode ser menor que LOGIN_LOCKOUT_BASE_SECONDS."
            )
