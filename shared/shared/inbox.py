"""Idempotent consumers: the ids of processed messages, written with the handler's effect.

The row is inserted in the same transaction as what the handler changes; a redelivered or
duplicated message finds its id already there and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import Column, CursorResult, DateTime, MetaData, String, Table, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from shared.db import driver_execute

PROCESSED_MESSAGES_TABLE = "processed_messages"


def processed_messages_table(metadata: MetaData) -> Table:
    return Table(
        PROCESSED_MESSAGES_TABLE,
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("message_id", UUID(as_uuid=False), primary_key=True),
        Column("event_type", String(100), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def claim_message(
    session: Session, table: Table, *, consumer: str, message_id: str, event_type: str
) -> bool:
    """Record that `consumer` handles `message_id`; False when it already did (a duplicate).

    Concurrent deliveries of the same id block on the primary key until the first
    transaction ends, so exactly one of them sees True.
    """
    return bool(
        claim_messages(session, table, consumer=consumer, messages=[(message_id, event_type)])
    )


@cache
def _claim_many(table: Table) -> TextClause:
    # Built once per inbox table, so a batch only binds its values.
    return text(
        f"INSERT INTO {table.fullname} (consumer, message_id, event_type)"
        " SELECT :consumer, m.id, m.type"
        " FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS text[])) AS m(id, type)"
        " ORDER BY m.id"
        " ON CONFLICT DO NOTHING RETURNING message_id"
    )


def claim_messages(
    session: Session, table: Table, *, consumer: str, messages: Iterable[tuple[str, str]]
) -> set[str]:
    """`claim_message` for many (message_id, event_type) at once: the ids claimed now.

    One statement. The rows go in sorted by message id, so two consumers claiming
    overlapping batches (a redelivered duplicate) take the key locks in the same order and
    wait for each other instead of deadlocking. An id given twice is claimed once.
    """
    # Keyed by the canonical form: PostgreSQL returns ids lowercase, events may not be.
    rows: dict[str, tuple[str, str]] = {}
    for message_id, event_type in messages:
        rows.setdefault(str(uuid.UUID(message_id)), (message_id, event_type))
    if not rows:
        return set()
    keys = sorted(rows)
    claimed = driver_execute(  # every batch of every consumer: on the driver
        session,
        _claim_many(table),
        {"consumer": consumer, "ids": keys, "types": [rows[key][1] for key in keys]},
    )
    return {rows[str(key)][0] for (key,) in claimed}


# -- retention -----------------------------------------------------------------------------

# 30 days: far longer than any path that can deliver an event twice (the relay republishes
# only rows it has not marked published, and its outbox keeps published rows 7 days), and
# long enough for an operator to replay a dead-lettered message from last month and still
# have a duplicate recognised.
DEFAULT_INBOX_RETENTION = timedelta(days=30)
PURGE_CHUNK = 5000


@cache
def _purge_chunk(table: Table) -> TextClause:
    # By ctid, LIMITed: one short transaction per chunk, whatever the backlog. No index on
    # processed_at: it would cost every claim (the hot path) an index insert, to save an
    # hourly scan of a narrow table.
    return text(
        f"DELETE FROM {table.fullname} WHERE ctid = ANY(ARRAY("
        f"SELECT ctid FROM {table.fullname}"
        " WHERE consumer = :consumer AND processed_at < now() - :older_than"
        " LIMIT :chunk))"
    )


def purge_processed(
    session: Session,
    table: Table,
    *,
    consumer: str,
    older_than: timedelta = DEFAULT_INBOX_RETENTION,
    limit: int = PURGE_CHUNK,
) -> int:
    """Forget up to `limit` ids `consumer` processed longer than `older_than` ago.

    In the caller's transaction; returns the rows deleted (fewer than `limit`: done). A
    message whose id was forgotten is handled again if it is ever delivered again.
    """
    params = {"consumer": consumer, "older_than": older_than, "chunk": limit}
    result: CursorResult[Any] = session.execute(_purge_chunk(table), params)  # type: ignore[assignment]
    return result.rowcount
