"""Database setup for a service: one schema, one Flask-SQLAlchemy instance, bounded pools.

Each service owns one PostgreSQL schema and connects with a role that can touch only it.
Connections carry a statement timeout so that a stuck query fails instead of hanging a worker.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import psycopg2
from flask_sqlalchemy import SQLAlchemy
from psycopg2.extras import Json, execute_values
from sqlalchemy import Connection, MetaData
from sqlalchemy.dialects.postgresql import psycopg2 as pg_psycopg2
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.dml import Insert

from shared import wire_json
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


# -- The hot path's statements on the driver ------------------------------------------------
# SQLAlchemy's execution layer (parameter processing, result wrapping) costs more CPU than a
# small INSERT itself; the few statements of every order, and those of every consumer and
# relay batch, run on the session's (or connection's) own psycopg2 connection, in its
# transaction, with SQL compiled once from the same Core statements.

_DIALECT = pg_psycopg2.dialect()
# By the statement's id, with the statement itself: held here, its id is never reused.
_compiled: dict[tuple[int, tuple[str, ...]], tuple[Executable, str]] = {}
_compiled_with_values: dict[int, tuple[Executable, str, dict[str, Any]]] = {}


def driver_sql(stmt: Insert, keys: tuple[str, ...]) -> str:
    """`stmt` as psycopg2 SQL for rows with these keys (compiled once per shape)."""
    found = _compiled.get((id(stmt), keys))
    if found is None:
        sql = str(stmt.compile(dialect=_DIALECT, column_keys=list(keys)))
        found = _compiled[(id(stmt), keys)] = (stmt, sql)
    return found[1]


def driver_value(value: Any) -> Any:
    # psycopg2 adapts str, numbers, Decimal, dates and None itself; a UUID goes as its text,
    # a dict or list as JSON (the JSONB columns: an event's payload and headers).
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return Json(value, dumps=wire_json.encode_text)
    return value


def driver_insert(session: Session | scoped_session[Any], stmt: Insert, row: dict[str, Any]) -> Any:
    """One row through the driver; its RETURNING row (a tuple) or None."""
    params = {k: driver_value(v) for k, v in row.items()}
    returned = driver_query(session, driver_sql(stmt, tuple(row)), params)
    return returned[0] if returned else None


def driver_insert_many(
    session: Session | scoped_session[Any], stmt: Insert, rows: list[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """Many rows with the same keys in one multi-row INSERT; their RETURNING rows."""
    keys = tuple(rows[0])
    sql = driver_sql(stmt, keys)
    head, _, rest = sql.partition(" VALUES ")
    template, _, returning = rest.partition(" RETURNING ")
    query = f"{head} VALUES %s" + (f" RETURNING {returning}" if returning else "")
    values = [{k: driver_value(v) for k, v in row.items()} for row in rows]
    with _cursor(session) as cursor:
        with _as_sqlalchemy_error(query, values):
            found = execute_values(cursor, query, values, template=template, fetch=bool(returning))
        return found or []


def driver_execute(
    on: Session | scoped_session[Any] | Connection, stmt: Executable, params: dict[str, Any]
) -> list[tuple[Any, ...]]:
    """A Core statement built once (a SELECT, an UPDATE, a `text()`) through the driver,
    compiled once, in the caller's transaction: the rows it returns, if any, as psycopg2
    gives them (a UUID as uuid.UUID: SQLAlchemy's dialect registers that on every connection
    it opens). A list parameter goes as an array: cast it in the statement, e.g. `uuid[]`."""
    found = _compiled_with_values.get(id(stmt))
    if found is None:
        compiled = stmt.compile(dialect=_DIALECT)  # type: ignore[attr-defined]
        # The values the statement carries itself (a literal such as `attempts + 1`).
        carried = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        found = _compiled_with_values[id(stmt)] = (stmt, str(compiled), carried)
    _, sql, carried = found
    return driver_query(on, sql, {**carried, **params} if carried else params)


def driver_compiled(stmt: Executable) -> str:
    """`stmt` as psycopg2 SQL for `driver_query`, every value a named `bindparam` (compile
    once and keep the text)."""
    return str(stmt.compile(dialect=_DIALECT))  # type: ignore[attr-defined]


def driver_query(
    on: Session | scoped_session[Any] | Connection, sql: str, params: dict[str, Any]
) -> list[tuple[Any, ...]]:
    """psycopg2 SQL (`%(name)s` parameters) on the caller's connection, in its
    transaction: the rows it returns, if any. A list parameter goes as one array literal
    (`'{a,b}'`): the statement casts it to its array type."""
    if any(type(value) is list for value in params.values()):
        params = {k: array_literal(v) if type(v) is list else v for k, v in params.items()}
    with _cursor(on) as cursor:
        with _as_sqlalchemy_error(sql, params):
            cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def array_literal(values: Iterable[Any]) -> str:
    """PostgreSQL's text form of a one-dimensional array, e.g. `{"a","b c",NULL}`.

    psycopg2 sends a list as `ARRAY['a', 'b', …]`, an expression PostgreSQL parses and
    type-checks element by element: for a batch's 600 ids that cost 1.8 ms a statement
    (0.8 of it in psycopg2), against 0.8 ms as this one string, read by the array type's
    input function (docs/performance.md, session 14). Text is quoted and escaped, so any
    text is safe; None is NULL.
    """
    return "{" + ",".join(map(_array_element, values)) + "}"


def _array_element(value: Any) -> str:
    kind = type(value)
    # The common cases first, by exact type: a batch's arrays hold hundreds of ids.
    if kind is str:
        if '"' in value or "\\" in value:
            value = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{value}"'
    if kind is int or kind is uuid.UUID:  # digits, letters and dashes: no quoting needed
        return str(value)
    if value is None:
        return "NULL"
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, list | tuple | dict):
        raise TypeError("array_literal: one-dimensional arrays of scalars only")
    return _array_element(str(value))  # a Decimal, a date, …: as its text, quoted


@contextmanager
def _as_sqlalchemy_error(sql: str, params: Any) -> Iterator[None]:
    # The driver's error as SQLAlchemy's (IntegrityError, OperationalError, …), the one kind
    # of database error the services and the workers handle, whichever layer ran the SQL.
    try:
        yield
    except psycopg2.Error as exc:
        raise DBAPIError.instance(sql, params, exc, psycopg2.Error) from exc


# Where a session keeps (its transaction, that transaction's DBAPI connection) for _cursor.
_TRANSACTION_CONNECTION = "pedidos.driver_connection"


def _cursor(on: Session | scoped_session[Any] | Connection) -> Any:
    if isinstance(on, Connection):
        return on.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    session = on() if isinstance(on, scoped_session) else on
    # The transaction's connection, looked up once per transaction: Session.connection() walks
    # SQLAlchemy's transaction state on every call, several times an order.
    transaction = session.get_transaction()
    held = session.info.get(_TRANSACTION_CONNECTION)
    if transaction is None or held is None or held[0] is not transaction:
        dbapi_connection = session.connection().connection.dbapi_connection
        held = session.info[_TRANSACTION_CONNECTION] = (session.get_transaction(), dbapi_connection)
    return held[1].cursor()  # type: ignore[union-attr]
