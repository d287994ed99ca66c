"""Pytest plugin: a fresh database (migrated) and a fresh RabbitMQ vhost for each test run.

Both are created at the start of the session and removed at the end, even when tests fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from shared.bootstrap import bootstrap, drop_database, with_database
from shared.migrations import upgrade
from tests.support import servers

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("auth_service", "order_service", "stock_service")


@dataclass(frozen=True)
class TestDatabase:
    admin_url: str
    name: str
    service_urls: dict[str, str]

    __test__ = False  # not a test class

    def url_for(self, service: str) -> str:
        return self.service_urls[service]


def migrate_all(service_urls: dict[str, str]) -> None:
    for service in SERVICES:
        if (ROOT / service / "migrations").is_dir():
            upgrade(ROOT / service, service_urls[service])


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    try:
        return servers.database_admin_url()
    except servers.MissingServer as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def test_database(pg_admin_url: str) -> Iterator[TestDatabase]:
    """A database of its own for this run, with every service's schema migrated."""
    name = servers.unique_name("pedidos_test")
    admin_url = with_database(pg_admin_url, name)
    try:
        urls = bootstrap(admin_url, passwords={})
        migrate_all(urls)
        yield TestDatabase(admin_url=admin_url, name=name, service_urls=urls)
    finally:
        drop_database(pg_admin_url, name)


@pytest.fixture
def admin_engine(test_database: TestDatabase) -> Iterator[Engine]:
    """An engine on the run's database as its owner (sees every schema), e.g. for drift."""
    engine = create_engine(test_database.admin_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def amqp_admin_url() -> str:
    try:
        return servers.rabbitmq_admin_url()
    except servers.MissingServer as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def vhost_admin(amqp_admin_url: str) -> servers.VhostAdmin:
    return servers.VhostAdmin(amqp_admin_url)


@pytest.fixture(scope="session")
def amqp_url(vhost_admin: servers.VhostAdmin) -> Iterator[str]:
    """A RabbitMQ vhost of its own for this run (AMQP URL pointing at it)."""
    vhost = servers.unique_name("pedidos_test")
    url = vhost_admin.create(vhost)
    try:
        yield url
    finally:
        vhost_admin.delete(vhost)


@pytest.fixture
def fresh_vhost(vhost_admin: servers.VhostAdmin) -> Iterator[str]:
    """A vhost for one test, when it must see an empty broker (about 2 s to create)."""
    vhost = servers.unique_name("pedidos_t")
    url = vhost_admin.create(vhost)
    try:
        yield url
    finally:
        vhost_admin.delete(vhost)


def pytest_sessionfinish(session, exitstatus) -> None:  # noqa: ANN001 - pytest hook
    servers.stop_containers()
