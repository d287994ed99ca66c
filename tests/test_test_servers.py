"""The tests' servers: a given URL, the local default, or testcontainers when Docker answers."""

from __future__ import annotations

import pytest

from tests.support import servers


# The library's own modules still use a decorator it deprecates: not ours to fix.
@pytest.mark.filterwarnings("ignore::DeprecationWarning:testcontainers.*")
def test_the_testcontainers_fallback_is_installed_from_the_lock():
    # Imported only when the local servers do not answer and Docker does; pinned in the lock
    # so that path works on a machine with Docker and nothing else.
    from testcontainers.community.postgres import PostgresContainer
    from testcontainers.community.rabbitmq import RabbitMqContainer

    assert PostgresContainer and RabbitMqContainer


def test_a_given_url_that_does_not_answer_fails_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/nada")
    with pytest.raises(servers.MissingServer, match="não responde: inicie o PostgreSQL"):
        servers.database_admin_url()
