"""Idempotent consumers: the ids of processed messages, written with the handler's effect.

The row is inserted in the same transaction as what the handler changes; a redelivered or
duplicated message finds its id already there and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import cache

from sqlalchemy import Column, DateTime, MetaData, String, Table, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

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
    result = session.execute(
        _claim_many(table),
        {"consumer": consumer, "ids": keys, "types": [rows[key][1] for key in keys]},
    )
    return {rows[str(key)][0] for key in result.scalars()}
