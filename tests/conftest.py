"""Fixtures for the cross-service tests: the whole system running, and an API client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine

from scripts.processes import Ports
from tests.support.api_client import ApiClient
from tests.support.stack import Stack, declare_topology, free_port, seed_admin
from tests.support.tcp_proxy import TcpProxy

ADMIN_EMAIL = "admin-e2e@pedidos.local"
ADMIN_PASSWORD = "Admin#E2E-2026"


@pytest.fixture(scope="session")
def broker_proxy(amqp_url) -> Iterator[TcpProxy]:
    """Every process reaches RabbitMQ through this proxy, so a test can cut the broker away."""
    with TcpProxy.to_url(amqp_url, 5672) as proxy:
        yield proxy


STAFF_WHATSAPP = "+5511912345678"


@pytest.fixture(scope="session")
def stack(test_database, amqp_url, broker_proxy, tmp_path_factory) -> Iterator[Stack]:
    """Every process of Pedidos running against this run's database and vhost."""
    ports = Ports(
        gateway=free_port(),
        auth=free_port(),
        orders=free_port(),
        stock=free_port(),
        frontend=free_port(),
    )
    running = Stack(
        ports=ports,
        database_urls=test_database.service_urls,
        rabbitmq_url=broker_proxy.url(amqp_url),
        workdir=tmp_path_factory.mktemp("stack"),
        extra_env={
            "ADMIN_EMAIL": ADMIN_EMAIL,
            "ADMIN_PASSWORD": ADMIN_PASSWORD,
            "CORS_ORIGINS": f"http://127.0.0.1:{ports.frontend}",
            # The suite's own traffic comes from 127.0.0.1; tests of the per-address limits
            # call from other loopback addresses (127.0.0.2...), which meet the real ones.
            "RATE_LIMIT_EXEMPT": "127.0.0.1",
            # A staff number, so stock.low is recorded as a notification (skipped: no account).
            "NOTIFY_STAFF_WHATSAPP": STAFF_WHATSAPP,
        },
    )
    running.keys_dir.mkdir()
    declare_topology(amqp_url)
    seed_admin(running, email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    try:
        running.start()
        yield running
    except Exception:
        print(running.logs())
        raise
    finally:
        running.stop()


@pytest.fixture
def api(stack: Stack) -> ApiClient:
    return ApiClient(stack.api)


@pytest.fixture
def admin(api: ApiClient) -> ApiClient:
    return api.logged_in(ADMIN_EMAIL, ADMIN_PASSWORD)


def _service_engine(test_database, service: str) -> Iterator[Engine]:
    engine = create_engine(test_database.url_for(service))
    yield engine
    engine.dispose()


@pytest.fixture
def order_db(test_database) -> Iterator[Engine]:
    """Peeks into the order service's schema (its rows, its outbox, its catalogue copy)."""
    yield from _service_engine(test_database, "order_service")


@pytest.fixture
def stock_db(test_database) -> Iterator[Engine]:
    """Peeks into the stock service's schema."""
    yield from _service_engine(test_database, "stock_service")
