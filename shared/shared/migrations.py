"""Alembic for one service's schema: the env.py body and a programmatic `upgrade`."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData, create_engine, pool

from shared.db import sqlalchemy_url


def alembic_config(service_dir: Path, database_url: str) -> Config:
    config = Config(str(service_dir / "alembic.ini"))
    config.set_main_option("script_location", str(service_dir / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def upgrade(service_dir: Path, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(service_dir, database_url), revision)


def _schema_options(schema: str) -> dict:
    """Alembic options that confine it to one service's schema."""
    return dict(
        version_table_schema=schema,
        include_schemas=True,
        include_name=lambda name, type_, parent: type_ != "schema" or name == schema,
        compare_type=True,
    )


def schema_drift(connection: Connection, metadata: MetaData, schema: str) -> list:
    """What the migrated `schema` and the models disagree on (empty when they match)."""
    context = MigrationContext.configure(connection, opts=_schema_options(schema))
    with warnings.catch_warnings():
        # alembic cannot compare expression indexes (DESC, lower()) and says so.
        warnings.simplefilter("ignore", UserWarning)
        return compare_metadata(context, metadata)


def run_env(context, metadata: MetaData, schema: str) -> None:  # noqa: ANN001 - alembic's proxy
    """Body of every service's migrations/env.py: migrate `schema` only, version table inside it.

    The schema itself is created by shared.bootstrap (the service role may not create schemas).
    """
    url = context.config.attributes.get("database_url") or os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError("DATABASE_URL is required to run migrations")
    options = dict(target_metadata=metadata, **_schema_options(schema))
    if context.is_offline_mode():
        context.configure(url=sqlalchemy_url(url), literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
