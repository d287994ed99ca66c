"""Settings of the gateway (environment only)."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.routing import API_PREFIX
from shared.config import (
    MIN_SECRET_LENGTH,
    ConfigError,
    ServiceSettings,
    env_float,
    env_int,
    env_list,
    env_str,
)

SERVICE_NAME = "gateway"
JWKS_PATH = f"{API_PREFIX}/auth/.well-known/jwks.json"
DEFAULT_CORS_ORIGINS = ("http://localhost:3000", "http://127.0.0.1:3000")


@dataclass(frozen=True)
class GatewaySettings(ServiceSettings):
    service_name: str = SERVICE_NAME
    auth_service_url: str = "http://127.0.0.1:5001"
    order_service_url: str = "http://127.0.0.1:5002"
    stock_service_url: str = "http://127.0.0.1:5003"
    cors_origins: tuple[str, ...] = DEFAULT_CORS_ORIGINS
    upstream_connect_timeout: float = 2.0
    upstream_read_timeout: float = 10.0
    # Multipart uploads (product images) may be larger than JSON bodies.
    max_upload_bytes: int = 10 * 1024 * 1024
    # Idle keep-alive connections kept per service and worker process: >= gunicorn --threads.
    upstream_pool_size: int = 16
    # The gateway's own calls to services: /ready (health) and /api/openapi.json (docs).
    upstream_probe_timeout: float = 2.0
    openapi_cache_seconds: float = 60.0
    # /api/v1/health warns when a service's oldest unpublished event is older than this.
    outbox_lag_warning_seconds: float = 30.0
    # Signs the X-Forwarded-For sent to services (shared.forwarding); the auth service has
    # the same one. Required outside development.
    forwarded_for_secret: str = ""
    # Requests per address on the routes anyone can call ("N/period;M/period", per worker
    # process; docs/security.md). Empty: no limit.
    rate_limit_login: str = "60/minute;600/hour"
    rate_limit_register: str = "10/minute;50/hour"
    rate_limit_refresh: str = "60/minute;1000/hour"
    # Addresses never limited (a load balancer's health checks; the test suite's own).
    rate_limit_exempt: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name, url in self.upstreams.items():
            if not url.startswith(("http://", "https://")):
                raise ConfigError(f"A URL do {name} deve começar com http:// ou https://: {url!r}.")
        for name in ("upstream_connect_timeout", "upstream_read_timeout", "upstream_probe_timeout"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name.upper()} deve ser maior que zero.")
        if self.upstream_pool_size < 1:
            raise ConfigError("UPSTREAM_POOL_SIZE deve ser pelo menos 1.")
        if not self.is_development and len(self.forwarded_for_secret) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"FORWARDED_FOR_SECRET (o mesmo do serviço de autenticação, {MIN_SECRET_LENGTH}+ "
                "caracteres) é "
                "obrigatório fora do ambiente de desenvolvimento."
            )

    @property
    def upstreams(self) -> dict[str, str]:
        """Base URL of each service, without a trailing slash."""
        return {
            "auth_service": self.auth_service_url.rstrip("/"),
            "order_service": self.order_service_url.rstrip("/"),
            "stock_service": self.stock_service_url.rstrip("/"),
        }

    @classmethod
    def from_env(cls) -> GatewaySettings:  # type: ignore[override]
        common = cls.common_from_env(SERVICE_NAME)
        auth_url = env_str("AUTH_SERVICE_URL", cls.auth_service_url).rstrip("/")
        # Unless told otherwise, the keys come from the same auth service the gateway routes to.
        common["auth_jwks_url"] = env_str("AUTH_JWKS_URL", auth_url + JWKS_PATH)
        return cls(
            **common,
            auth_service_url=auth_url,
            order_service_url=env_str("ORDER_SERVICE_URL", cls.order_service_url),
            stock_service_url=env_str("STOCK_SERVICE_URL", cls.stock_service_url),
            cors_origins=tuple(env_list("CORS_ORIGINS", list(DEFAULT_CORS_ORIGINS))),
            upstream_connect_timeout=env_float(
                "UPSTREAM_CONNECT_TIMEOUT", cls.upstream_connect_timeout
            ),
            upstream_read_timeout=env_float("UPSTREAM_READ_TIMEOUT", cls.upstream_read_timeout),
            max_upload_bytes=env_int("MAX_UPLOAD_BYTES", cls.max_upload_bytes),
            # Every gunicorn thread should find an idle connection to reuse.
            upstream_pool_size=env_int(
                "UPSTREAM_POOL_SIZE", max(cls.upstream_pool_size, env_int("GUNICORN_THREADS", 0))
            ),
            upstream_probe_timeout=env_float("UPSTREAM_PROBE_TIMEOUT", cls.upstream_probe_timeout),
            openapi_cache_seconds=env_float("OPENAPI_CACHE_SECONDS", cls.openapi_cache_seconds),
            outbox_lag_warning_seconds=env_float(
                "OUTBOX_LAG_WARNING_SECONDS", cls.outbox_lag_warning_seconds
            ),
            forwarded_for_secret=env_str("FORWARDED_FOR_SECRET", ""),
            rate_limit_login=env_str("RATE_LIMIT_LOGIN", cls.rate_limit_login, allow_empty=True),
            rate_limit_register=env_str(
                "RATE_LIMIT_REGISTER", cls.rate_limit_register, allow_empty=True
            ),
            rate_limit_refresh=env_str(
                "RATE_LIMIT_REFRESH", cls.rate_limit_refresh, allow_empty=True
            ),
            rate_limit_exempt=tuple(env_list("RATE_LIMIT_EXEMPT")),
        )

    @property
    def address_limits(self) -> dict[tuple[str, str], str]:
        """(method, path) → limits, for gateway.address_limits."""
        return {
            ("POST", f"{API_PREFIX}/auth/login"): self.rate_limit_login,
            ("POST", f"{API_PREFIX}/auth/register"): self.rate_limit_register,
            ("POST", f"{API_PREFIX}/auth/refresh-token"): self.rate_limit_refresh,
        }
