"""The processes of Pedidos and how each is started: one table for `make run`, the end-to-end
tests and the benchmark, so all three run exactly the same thing."""

from __future__ import annotations

import json
import os
import secrets
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN_CONF = str(ROOT / "deploy" / "gunicorn.conf.py")


@dataclass(frozen=True)
class Ports:
    gateway: int = 5000
    auth: int = 5001
    orders: int = 5002
    stock: int = 5003
    frontend: int = 3000


@dataclass(frozen=True)
class ServiceSecrets:
    """The secrets our processes share. There is no default value for any of them: `make run`
    generates them once (var/service-secrets.json), the tests per run (docs/security.md)."""

    # order_service's client_credentials secret (the auth service's SERVICE_CLIENTS entry).
    order_service_client: str
    # The gateway signs X-Forwarded-For with it; the auth service checks (shared.forwarding).
    forwarded_for: str

    ENVIRONMENT = {
        "order_service_client": "ORDER_SERVICE_CLIENT_SECRET",
        "forwarded_for": "FORWARDED_FOR_SECRET",
    }

    @classmethod
    def generate(cls) -> ServiceSecrets:
        return cls(**{name: secrets.token_urlsafe(32) for name in cls.ENVIRONMENT})

    @classmethod
    def load_or_create(cls, path: Path) -> ServiceSecrets:
        """The secrets in `path` (created, readable by its owner only, when absent); a variable
        from ENVIRONMENT overrides its secret."""
        if path.exists():
            stored = json.loads(path.read_text())
        else:
            stored = asdict(cls.generate())
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(json.dumps(stored, indent=2) + "\n")
        return cls(
            **{name: os.environ.get(var) or stored[name] for name, var in cls.ENVIRONMENT.items()}
        )


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    # The URL that answers 200 once the process is ready (HTTP services only).
    ready_url: str | None = None


def _gunicorn(module: str, bind: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        GUNICORN_CONF,
        "--bind",
        bind,
        f"{module}.wsgi:app",
    ]


def _worker(module: str) -> list[str]:
    return [sys.executable, "-m", module]


def service_environment(
    ports: Ports, *, database_urls: dict[str, str], rabbitmq_url: str, secrets: ServiceSecrets
) -> dict[str, dict[str, str]]:
    """The environment each service's processes get (on top of the caller's)."""
    auth_url = f"http://127.0.0.1:{ports.auth}"
    common = {
        "RABBITMQ_URL": rabbitmq_url,
        "AUTH_JWKS_URL": f"{auth_url}/api/v1/auth/.well-known/jwks.json",
        "AUTH_TOKEN_URL": f"{auth_url}/api/v1/auth/token",
        "PYTHONUNBUFFERED": "1",
    }
    return {
        "auth_service": {
            **common,
            "DATABASE_URL": database_urls["auth_service"],
            # Sign-up creates the new user's client record in the order service.
            "ORDER_SERVICE_URL": f"http://127.0.0.1:{ports.orders}",
            "SERVICE_CLIENTS": f"order_service:{secrets.order_service_client}",
            "FORWARDED_FOR_SECRET": secrets.forwarded_for,
        },
        "order_service": {
            **common,
            "DATABASE_URL": database_urls["order_service"],
            "STOCK_SERVICE_URL": f"http://127.0.0.1:{ports.stock}",
            "SERVICE_CLIENT_SECRET": secrets.order_service_client,
        },
        "stock_service": {**common, "DATABASE_URL": database_urls["stock_service"]},
        "gateway": {
            **common,
            "AUTH_SERVICE_URL": auth_url,
            "ORDER_SERVICE_URL": f"http://127.0.0.1:{ports.orders}",
            "STOCK_SERVICE_URL": f"http://127.0.0.1:{ports.stock}",
            "FORWARDED_FOR_SECRET": secrets.forwarded_for,
        },
    }


def process_table(
    ports: Ports,
    *,
    database_urls: dict[str, str],
    rabbitmq_url: str,
    secrets: ServiceSecrets,
    gateway_host: str = "127.0.0.1",
    with_frontend: bool = False,
    replenish_every_hours: float = 0,
) -> list[ProcessSpec]:
    """Every process; only the gateway (and the frontend) may listen beyond this host."""
    env = service_environment(
        ports, database_urls=database_urls, rabbitmq_url=rabbitmq_url, secrets=secrets
    )
    table = [
        ProcessSpec(
            "auth",
            _gunicorn("auth_service", f"127.0.0.1:{ports.auth}"),
            env["auth_service"],
            f"http://127.0.0.1:{ports.auth}/ready",
        ),
        ProcessSpec(
            "orders",
            _gunicorn("order_service", f"127.0.0.1:{ports.orders}"),
            env["order_service"],
            f"http://127.0.0.1:{ports.orders}/ready",
        ),
        ProcessSpec(
            "stock",
            _gunicorn("stock_service", f"127.0.0.1:{ports.stock}"),
            env["stock_service"],
            f"http://127.0.0.1:{ports.stock}/ready",
        ),
        ProcessSpec(
            "gateway",
            _gunicorn("gateway", f"{gateway_host}:{ports.gateway}"),
            env["gateway"],
            f"http://127.0.0.1:{ports.gateway}/ready",
        ),
        ProcessSpec("order_relay", _worker("order_service.messaging.relay"), env["order_service"]),
        ProcessSpec("stock_relay", _worker("stock_service.messaging.relay"), env["stock_service"]),
        ProcessSpec(
            "stock_consumer", _worker("stock_service.messaging.consumer"), env["stock_service"]
        ),
        ProcessSpec(
            "order_consumer", _worker("order_service.messaging.consumer"), env["order_service"]
        ),
        # Records who is to hear what on WhatsApp (docs/notifications.md).
        ProcessSpec(
            "notification_consumer",
            _worker("order_service.notifications.consumer"),
            env["order_service"],
        ),
        # Sends the queued notifications (WhatsApp Cloud API); idle when not configured.
        ProcessSpec(
            "notification_sender",
            _worker("order_service.notifications.sender"),
            env["order_service"],
        ),
        # Completes the large order imports (more than 1,000 lines, answered 202).
        ProcessSpec(
            "order_importer", _worker("order_service.imports.worker"), env["order_service"]
        ),
    ]
    if replenish_every_hours > 0:
        # The scheduled automatic replenishment (off unless REPLENISH_EVERY_HOURS is set).
        table.append(
            ProcessSpec(
                "replenisher",
                _worker("order_service.replenisher"),
                {**env["order_service"], "REPLENISH_EVERY_HOURS": str(replenish_every_hours)},
            )
        )
    if with_frontend:
        table.append(
            ProcessSpec(
                "frontend",
                [
                    "npm",
                    "--prefix",
                    str(ROOT / "frontend"),
                    "run",
                    "dev",
                    "--",
                    "--port",
                    str(ports.frontend),
                    "--strictPort",
                ],
                {"VITE_API_URL": f"http://127.0.0.1:{ports.gateway}"},
            )
        )
    return table
