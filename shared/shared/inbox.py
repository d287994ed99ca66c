"""Idempotent consumers: the ids of processed messages, written with the handler's effect.

The row is inserted in the same transaction as what the handler changes; a redelivered or
duplicated message finds its id already there and changes nothing.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.orm import Session

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
    result = session.execute(
        insert(table)
        .values(consumer=consumer, message_id=message_id, event_type=event_type)
        .on_conflict_do_nothing()
        .returning(table.c.message_id)
    )
    return result.first() is not None
