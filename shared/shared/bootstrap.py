"""Create the database, one login role per service and the schema each role owns.

Run by `make run`, docker compose's `migrate` step and the test fixtures. A service's role
owns its schema and has no rights on the others, so a service cannot read another's tables
even by mistake. Where the server does not let us create roles (a managed database), every
service falls back to the configured URL's user, and a warning says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg2
from psycopg2 import errors as pg_errors
from psycopg2 import sql

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceDatabase:
    service: str
    schema: str
    role: str


SERVICE_DATABASES = (
    ServiceDatabase("auth_service", "auth", "pedidos_auth"),
    ServiceDatabase("order_service", "orders", "pedidos_orders"),
    ServiceDatabase("stock_service", "stock", "pedidos_stock"),
)


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


def with_credentials(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "postgres"


def _connect(url: str):
    conn = psycopg2.connect(url, connect_timeout=5)
    conn.autocommit = True
    return conn


def create_database(admin_url: str, database: str) -> None:
    conn = _connect(with_database(admin_url, "postgres"))
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    finally:
        conn.close()


def drop_database(admin_url: str, database: str) -> None:
    conn = _connect(with_database(admin_url, "postgres"))
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (database,),
            )
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database)))
    finally:
        conn.close()


def bootstrap(admin_url: str, passwords: dict[str, str]) -> dict[str, str]:
    """Create database, roles and schemas; return each service's own connection URL."""
    database = database_name(admin_url)
    create_database(admin_url, database)
    urls: dict[str, str] = {}
    conn = _connect(admin_url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(database))
            )
            for sdb in SERVICE_DATABASES:
                password = passwords.get(sdb.service, "pedidos")
                try:
                    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (sdb.role,))
                    verb = "ALTER" if cur.fetchone() else "CREATE"
                    cur.execute(
                        sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
                            sql.Identifier(sdb.role), sql.Literal(password)
                        )
                    )
                    cur.execute(
                        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
                            sql.Identifier(database), sql.Identifier(sdb.role)
                        )
                    )
                    cur.execute(
                        sql.SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(
                            sql.Identifier(sdb.schema), sql.Identifier(sdb.role)
                        )
                    )
                    cur.execute(
                        sql.SQL("ALTER ROLE {} IN DATABASE {} SET search_path = {}").format(
                            sql.Identifier(sdb.role),
                            sql.Identifier(database),
                            sql.Identifier(sdb.schema),
                        )
                    )
                    urls[sdb.service] = with_credentials(admin_url, sdb.role, password)
                except pg_errors.InsufficientPrivilege:
                    log.warning(
                        "cannot create role %s: %s will use the configured user",
                        sdb.role,
                        sdb.service,
                    )
                    cur.execute(
                        sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(sdb.schema))
                    )
                    urls[sdb.service] = admin_url
            create_extensions(cur)
    finally:
        conn.close()
    return urls


# Extensions the services' migrations use when present; a service role cannot create them.
EXTENSIONS = ("pg_trgm",)  # stock_service: trigram index for the product name search


def create_extensions(cur) -> None:  # noqa: ANN001 - a psycopg2 cursor
    for name in EXTENSIONS:
        try:
            cur.execute(
                sql.SQL("CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA public").format(
                    sql.Identifier(name)
                )
            )
        except psycopg2.Error as exc:
            log.warning("cannot create extension %s (%s): searches will not use it", name, exc)
