"""The transactional outbox: events are rows written in the same transaction as the change.

A relay (shared.messaging.relay) publishes them afterwards with publisher confirms, so an
event is never lost when RabbitMQ is down and never published for a rolled-back change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.sql.dml import Insert

from shared.db import driver_insert, driver_insert_many
from shared.events import Event, routing_key_of

OUTBOX_TABLE = "outbox"


def outbox_table(metadata: MetaData) -> Table:
    """Define the outbox table in a service's schema (its metadata)."""
    return Table(
        OUTBOX_TABLE,
        metadata,
        Column("id", UUID(as_uuid=False), primary_key=True),
        Column("event_type", String(100), nullable=False),
        Column("routing_key", String(200), nullable=False),
        Column("payload", JSONB, nullable=False),
        Column("headers", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("last_error", Text, nullable=True),
        # The relay reads only unpublished rows, oldest first: keep that index small.
        Index(
            "ix_outbox_unpublished",
            "created_at",
            postgresql_where=text("published_at IS NULL"),
        ),
    )


def notify_channel(schema: str) -> str:
    """The LISTEN/NOTIFY channel that wakes the relay as soon as an event is committed."""
    return f"{schema}_outbox"


def notify_trigger_sql(schema: str) -> list[str]:
    """DDL for a trigger that NOTIFYs the relay on insert (used by each service's migration)."""
    channel = notify_channel(schema)
    return [
        f"""
        CREATE OR REPLACE FUNCTION {schema}.outbox_notify() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{channel}', '');
            RETURN NULL;
        END $$;
        """,
        f"""
        CREATE TRIGGER outbox_notify AFTER INSERT ON {schema}.{OUTBOX_TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION {schema}.outbox_notify();
        """,
    ]


def drop_notify_trigger_sql(schema: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS outbox_notify ON {schema}.{OUTBOX_TABLE}",
        f"DROP FUNCTION IF EXISTS {schema}.outbox_notify()",
    ]


def record_event(
    session: Session,
    table: Table,
    event: Event,
    *,
    routing_key: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Add `event` to the outbox inside the caller's transaction (never commits)."""
    driver_insert(session, _insert_in_order(table), _row(event, routing_key, headers))


@cache
def _insert_in_order(table: Table) -> Insert:
    # Built once per outbox table (a statement's cache key is computed once per object).
    # created_at is the clock at each row, not the transaction's start: the relay publishes
    # oldest first, so the events of one transaction keep the order they were recorded in.
    return insert(table).values(created_at=func.clock_timestamp())


def record_events(
    session: Session,
    table: Table,
    events: Sequence[Event],
    *,
    headers: dict[str, str] | None = None,
) -> None:
    """Add many events in one statement, in their order (never commits)."""
    if not events:
        return
    driver_insert_many(
        session, _insert_in_order(table), [_row(event, None, headers) for event in events]
    )


def _row(
    event: Event, routing_key: str | None = None, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    return {
        "id": event.id,
        "event_type": event.type,
        "routing_key": routing_key or routing_key_of(event),
        "payload": event.to_dict(),
        "headers": headers or {},
    }


# Counting an outage's backlog exactly is not worth a slow health check: past this, "at least".
BACKLOG_COUNT_CAP = 100_000


@dataclass(frozen=True)
class OutboxBacklog:
    """Events recorded but not yet published: how many, and how long the oldest has waited.

    A few for a fraction of a second is normal (the relay publishes right after each commit).
    Many, or an old one, means the relay cannot reach RabbitMQ: orders are still accepted and
    safe, but nothing downstream happens until it can.
    """

    waiting: int
    oldest_age_seconds: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "waiting": self.waiting,
            "waiting_capped": self.waiting >= BACKLOG_COUNT_CAP,
            "oldest_age_seconds": (
                None if self.oldest_age_seconds is None else round(self.oldest_age_seconds, 1)
            ),
        }


def outbox_backlog(session: Session | scoped_session[Any], table: Table) -> OutboxBacklog:
    """Read the unpublished events (both reads use the partial index on unpublished rows)."""
    unpublished = table.c.published_at.is_(None)
    waiting = session.scalar(
        select(func.count()).select_from(
            select(table.c.id).where(unpublished).limit(BACKLOG_COUNT_CAP).subquery()
        )
    )
    age = session.scalar(
        select(func.extract("epoch", func.clock_timestamp() - func.min(table.c.created_at))).where(
            unpublished
        )
    )
    return OutboxBacklog(
        waiting=int(waiting or 0), oldest_age_seconds=None if age is None else float(age)
    )
