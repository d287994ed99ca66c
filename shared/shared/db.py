"""Database setup for a service: one schema, one Flask-SQLAlchemy instance, bounded pools.

Each service owns one PostgreSQL schema and connects with a role that can touch only it.
Connections carry a statement timeout so that a stuck query fails instead of hanging a worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session

from shared.config import ServiceSettings

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def create_db(schema: str) -> SQLAlchemy:
    """A Flask-SQLAlchemy instance whose models all live in `schema`."""

    class Base(DeclarativeBase):
        metadata = MetaData(schema=schema, naming_convention=NAMING_CONVENTION)

    return SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


def engine_options(settings: ServiceSettings, **overrides: Any) -> dict[str, Any]:
    """Pool sizes, pre-ping and per-connection timeouts for SQLALCHEMY_ENGINE_OPTIONS."""
    options: dict[str, Any] = {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout,
        "pool_pre_ping": settings.db_pool_pre_ping,
        "pool_recycle": 1800,
        "connect_args": {
            "connect_timeout": 5,
            "application_name": settings.service_name,
            "options": f"-c statement_timeout={settings.db_statement_timeout_ms}"
            " -c idle_in_transaction_session_timeout=60000",
        },
    }
    options.update(overrides)
    return options


def sqlalchemy_url(url: str) -> str:
    """Accept plain `postgresql://` URLs (as docker and libpq write them) for psycopg2."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    return url


# A plain session, or Flask-SQLAlchemy's request-scoped one (which proxies it).
_AnySession = TypeVar("_AnySession", bound=Session | scoped_session[Any])


@contextmanager
def unit_of_work(session: _AnySession) -> Iterator[_AnySession]:
    """One use case, one transaction: commit when the block ends, roll back if it raises."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
