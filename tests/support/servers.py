"""Where the test PostgreSQL and RabbitMQ are, and how to give a test run its own of each.

`TEST_DATABASE_URL` / `TEST_RABBITMQ_URL` name existing servers (default: the local ones).
When neither is set and the local defaults do not answer: when Docker answers, testcontainers
starts them (SPEC §5); otherwise, as root on Debian/Ubuntu, they are installed and started
(scripts/install_servers.py; `make test` does it before pytest). Otherwise the run fails
with a clear message: a missing server never skips tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import requests

from scripts.dev import answers as reachable
from scripts.install_servers import CannotInstall, InstallFailed, ensure_installed

DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_TEST_RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"


class MissingServer(RuntimeError):
    pass


def _docker_answers() -> bool:
    try:
        import docker  # type: ignore[import-not-found]

        docker.from_env().ping()
        return True
    except Exception:
        return False


_containers: list = []


def _install(server: str) -> str | None:
    """Root on Debian/Ubuntu: install and start the local server (None); else what to run."""
    try:
        ensure_installed([server])
    except CannotInstall as exc:
        return str(exc)
    except InstallFailed as exc:
        raise MissingServer(str(exc)) from exc
    return None


def database_admin_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        if not reachable(url, 5432):
            raise MissingServer(f"TEST_DATABASE_URL={url} não responde: inicie o PostgreSQL.")
        return url
    if reachable(DEFAULT_TEST_DATABASE_URL, 5432):
        return DEFAULT_TEST_DATABASE_URL
    if _docker_answers():  # SPEC §5: testcontainers when Docker is available
        from testcontainers.community.postgres import PostgresContainer  # type: ignore[import-not-found]

        container = PostgresContainer("postgres:15-alpine", driver=None).start()
        _containers.append(container)
        return container.get_connection_url()
    advice = _install("postgres")  # root on Debian/Ubuntu: install it; else what to run
    if advice is None:
        return DEFAULT_TEST_DATABASE_URL
    raise MissingServer(
        "PostgreSQL não encontrado em 127.0.0.1:5432 e nenhum TEST_DATABASE_URL definido "
        "(e o Docker não responde para o testcontainers). Inicie o PostgreSQL ou defina "
        "TEST_DATABASE_URL.\n" + advice
    )


def rabbitmq_admin_url() -> str:
    url = os.environ.get("TEST_RABBITMQ_URL")
    if url:
        if not reachable(url, 5672):
            raise MissingServer(f"TEST_RABBITMQ_URL={url} não responde: inicie o RabbitMQ.")
        return url
    if reachable(DEFAULT_TEST_RABBITMQ_URL, 5672):
        return DEFAULT_TEST_RABBITMQ_URL
    if _docker_answers():  # SPEC §5: testcontainers when Docker is available
        from testcontainers.community.rabbitmq import RabbitMqContainer  # type: ignore[import-not-found]

        container = RabbitMqContainer("rabbitmq:3.13-management-alpine").start()
        _containers.append(container)
        params = container.get_connection_params()
        return f"amqp://guest:guest@{params.host}:{params.port}/%2F"
    advice = _install("rabbitmq")  # root on Debian/Ubuntu: install it; else what to run
    if advice is None:
        return DEFAULT_TEST_RABBITMQ_URL
    raise MissingServer(
        "RabbitMQ não encontrado em 127.0.0.1:5672 e nenhum TEST_RABBITMQ_URL definido "
        "(e o Docker não responde para o testcontainers). Inicie o RabbitMQ ou defina "
        "TEST_RABBITMQ_URL.\n" + advice
    )


def stop_containers() -> None:
    while _containers:
        _containers.pop().stop()


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def with_vhost(amqp_url: str, vhost: str) -> str:
    parts = urlsplit(amqp_url)
    return urlunsplit(parts._replace(path="/" + quote(vhost, safe="")))


class VhostAdmin:
    """Creates and deletes vhosts: rabbitmqctl for a local broker, else the management API."""

    def __init__(self, amqp_url: str) -> None:
        self.amqp_url = amqp_url
        parts = urlsplit(amqp_url)
        self.user = unquote(parts.username or "guest")
        self.password = unquote(parts.password or "guest")
        self.management_url = os.environ.get("TEST_RABBITMQ_MANAGEMENT_URL")
        local = parts.hostname in {"127.0.0.1", "localhost", "::1"}
        self.use_ctl = not self.management_url and local and shutil.which("rabbitmqctl") is not None
        if not self.use_ctl and not self.management_url:
            self.management_url = f"http://{parts.hostname}:15672"

    def _ctl(self, *args: str) -> None:
        subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)

    def _api(self, method: str, path: str, json: dict | None = None) -> None:
        response = requests.request(
            method,
            f"{self.management_url}/api{path}",
            json=json,
            auth=(self.user, self.password),
            timeout=10,
        )
        if response.status_code not in (200, 201, 204, 404):
            response.raise_for_status()

    def create(self, vhost: str) -> str:
        if self.use_ctl:
            self._ctl("add_vhost", vhost)
            self._ctl("set_permissions", "-p", vhost, self.user, ".*", ".*", ".*")
        else:
            self._api("PUT", f"/vhosts/{quote(vhost, safe='')}")
            self._api(
                "PUT",
                f"/permissions/{quote(vhost, safe='')}/{quote(self.user, safe='')}",
                {"configure": ".*", "write": ".*", "read": ".*"},
            )
        return with_vhost(self.amqp_url, vhost)

    def delete(self, vhost: str) -> None:
        if self.use_ctl:
            subprocess.run(
                ["rabbitmqctl", "-q", "delete_vhost", vhost], capture_output=True, timeout=60
            )
        else:
            self._api("DELETE", f"/vhosts/{quote(vhost, safe='')}")
