"""The outbox relay: publishes committed outbox rows to RabbitMQ, each confirmed before it counts.

A batch of unpublished rows is locked with `FOR UPDATE SKIP LOCKED`, so several relays can
run at once and never take the same row. One statement locks the batch and marks it published;
the rows RabbitMQ does not confirm are unmarked before the transaction commits, so only
confirmed rows ever commit as published. If the relay dies between the confirm and the
commit, the marks roll back and the rows are published again (at-least-once): consumers
deduplicate by message id. The relay sleeps on PostgreSQL LISTEN (woken by the outbox's
NOTIFY trigger) with polling as a fallback, and purges rows published longer ago than a
retention. Under a stream of commits its `pacer` spaces the batches (shared.messaging.pacing).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, NamedTuple

from psycopg2.extensions import quote_ident
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import PoolProxiedConnection

from shared import wire_json
from shared.db import driver_compiled, driver_query
from shared.messaging.connection import BROKER_ERRORS, Backoff, BrokerTimeout
from shared.messaging.pacing import BatchPacer
from shared.messaging.publisher import OutgoingMessage, Publisher
from shared.messaging.shutdown import StopSignal
from shared.metrics import PUBLISHED

log = logging.getLogger("pedidos.messaging.relay")
# What stops a pass for a while (the broker or the database away), not the relay.
_INTERRUPTIONS: tuple[type[BaseException], ...] = (*BROKER_ERRORS, SQLAlchemyError)

DEFAULT_RETENTION = timedelta(days=7)
PURGE_CHUNK = 5000
LISTEN_RETRY_SECONDS = 5.0


class OutboxRow(NamedTuple):
    """An unpublished outbox row, as the relay claims it."""

    id: str
    event_type: str
    routing_key: str
    payload: Any  # dict (JSONB)
    headers: Any
    created_at: Any


def outgoing_message(row: Any) -> OutgoingMessage:
    """The message for one outbox row: its payload as JSON, its id, type, routing key, headers."""
    payload = row.payload if isinstance(row.payload, dict) else wire_json.decode(row.payload)
    return OutgoingMessage(
        routing_key=row.routing_key,
        body=wire_json.encode(payload),
        message_id=str(row.id),
        event_type=row.event_type,
        correlation_id=payload.get("correlation_id"),
        headers=dict(row.headers or {}),
    )


class OutboxListener:
    """A dedicated autocommit connection LISTENing on the outbox's NOTIFY channel.

    If the database is unreachable the relay still works by polling; the listener retries
    now and then.
    """

    def __init__(self, engine: Engine, channel: str) -> None:
        self.engine = engine
        self.channel = channel
        self._raw: PoolProxiedConnection | None = None
        self._retry_at = 0.0

    def _listening(self) -> Any | None:
        if self._raw is not None:
            return self._raw.driver_connection
        if time.monotonic() < self._retry_at:
            return None
        try:
            raw = self.engine.raw_connection()
            driver: Any = raw.driver_connection  # psycopg2's connection
            driver.rollback()  # the pool's pre-ping may have opened a transaction
            driver.autocommit = True
            with driver.cursor() as cursor:
                cursor.execute(f"LISTEN {quote_ident(self.channel, driver)}")
        except Exception as exc:
            self._retry_at = time.monotonic() + LISTEN_RETRY_SECONDS
            log.warning("cannot LISTEN for outbox events; polling", extra={"error": repr(exc)})
            return None
        self._raw = raw
        return driver

    def wait(self, timeout: float, stop: StopSignal) -> None:
        """Return on a NOTIFY, on stop, or after `timeout` seconds."""
        driver = self._listening()
        if driver is None:
            stop.wait(timeout)
            return
        if stop.wait(timeout, also=[driver.fileno()]):
            try:
                driver.poll()
                driver.notifies.clear()
            except Exception as exc:  # the database went away; poll until it is back
                log.warning("lost the LISTEN connection", extra={"error": repr(exc)})
                self.close()

    def close(self) -> None:
        """Drop the LISTEN connection (a later wait reconnects)."""
        raw, self._raw = self._raw, None
        if raw is not None:
            try:
                raw.invalidate()  # never hand an autocommit, LISTENing connection to the pool
            except Exception:
                pass


class OutboxRelay:
    """Moves events from one service's outbox table to the events exchange."""

    def __init__(
        self,
        engine: Engine,
        outbox_table: Table,
        publisher: Publisher,
        *,
        notify_channel: str,
        batch_size: int = 100,
        poll_interval: float = 1.0,
        pacer: BatchPacer | None = None,
        retention: timedelta = DEFAULT_RETENTION,
        purge_interval: float = 3600.0,
        sweep: Callable[[Connection], int] | None = None,
        sweep_interval: float = 60.0,
        backoff: Backoff | None = None,
        stop: StopSignal | None = None,
    ) -> None:
        self.engine = engine
        self.outbox = outbox_table
        self.publisher = publisher
        self.notify_channel = notify_channel
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.pacer = pacer or BatchPacer(0.0)
        self.retention = retention
        self.purge_interval = purge_interval
        # The service's periodic work on its outbox (re-queueing events that got no answer,
        # announcing coalesced changes), in a transaction of its own: the rows it wrote.
        self.sweep = sweep
        self.sweep_interval = sweep_interval
        self.backoff = backoff or Backoff(initial=0.5, maximum=10.0)
        self.stop_signal = stop or StopSignal()
        self.published_total = 0
        self._batch_was_full = False
        # Compiled once and run on the driver: a cycle per event under a steady flow made
        # building them a tenth of the relay's CPU, and SQLAlchemy's execution layer a fifth.
        t = outbox_table
        # Lock and mark in one statement (a separate SELECT and UPDATE were two round trips
        # and two statements for PostgreSQL per batch, and at intake rates a batch is an
        # event or two). MATERIALIZED: the LIMIT … SKIP LOCKED subquery runs exactly once.
        claimed = (
            select(t.c.id)
            .where(t.c.published_at.is_(None))
            .order_by(t.c.created_at)
            .limit(bindparam("batch_size"))
            .with_for_update(skip_locked=True)
            .cte("claimed")
            .prefix_with("MATERIALIZED")
        )
        self._claim_batch = driver_compiled(
            update(t)
            .where(t.c.id == claimed.c.id)
            .values(published_at=func.now())
            .returning(
                t.c.id, t.c.event_type, t.c.routing_key, t.c.payload, t.c.headers, t.c.created_at
            )
        )

    def run_once(self) -> int:
        """Publish one batch of unpublished rows, oldest first; return how many were confirmed.

        A broker failure is recorded on the rows it left unconfirmed (attempts, last_error),
        committed, then raised.
        """
        self._batch_was_full = False
        self.pacer.started(time.monotonic())
        # Connect before locking rows: no row stays locked while the broker is unreachable.
        self.publisher.connect()
        with self.engine.begin() as conn:
            claimed = driver_query(conn, self._claim_batch, {"batch_size": self.batch_size})
            if not claimed:
                return 0
            # RETURNING comes in no particular order: oldest first, as they were written.
            rows = sorted(
                (OutboxRow(str(id_), *rest) for id_, *rest in claimed),
                key=lambda row: row.created_at,
            )
            result = self.publisher.publish_many([outgoing_message(row) for row in rows])
            confirmed = [rows[index].id for index in result.confirmed]
            for index, error in result.rejected.items():
                self._record_failure(conn, [rows[index].id], error)
            if result.unconfirmed:
                # Claimed means marked: whatever the broker did not confirm is unmarked here,
                # whatever the reason, so no unconfirmed row commits as published.
                reason = result.error or BrokerTimeout("no publisher confirm for this event")
                self._record_failure(conn, [rows[i].id for i in result.unconfirmed], reason)
        self.published_total += len(confirmed)
        PUBLISHED.labels(self.notify_channel or "outbox").inc(len(confirmed))
        if result.rejected:
            log.error(
                "outbox events rejected by RabbitMQ; they stay in the outbox and are retried",
                extra={"event_ids": [str(rows[index].id) for index in result.rejected]},
            )
        if result.error is not None:
            raise result.error
        self._batch_was_full = len(rows) == self.batch_size and not result.rejected
        log.debug("outbox batch published", extra={"published": len(confirmed)})
        return len(confirmed)

    def _record_failure(self, conn: Any, ids: list[Any], error: BaseException) -> None:
        """Unmark rows the broker did not confirm (claimed as published) and say why."""
        t = self.outbox
        conn.execute(
            update(t)
            .where(t.c.id.in_(ids))
            .values(published_at=None, attempts=t.c.attempts + 1, last_error=repr(error)[:2000])
        )

    def purge_published(self, older_than: timedelta | None = None) -> int:
        """Delete rows published more than `older_than` (default: the retention) ago."""
        t = self.outbox
        cutoff = func.now() - (older_than if older_than is not None else self.retention)
        total = 0
        while True:
            # In chunks, so a large backlog never holds long locks or hits the statement timeout.
            with self.engine.begin() as conn:
                chunk = (
                    select(t.c.id)
                    .where(t.c.published_at < cutoff)
                    .limit(PURGE_CHUNK)
                    .with_for_update(skip_locked=True)
                    .scalar_subquery()
                )
                deleted = conn.execute(delete(t).where(t.c.id.in_(chunk))).rowcount
            total += deleted
            if deleted < PURGE_CHUNK:
                break
        if total:
            log.info("purged published outbox rows", extra={"deleted": total})
        return total

    def run_sweep(self) -> int:
        """Run the service's sweep: the rows it wrote or re-queued go out in the next batch."""
        assert self.sweep is not None
        with self.engine.begin() as conn:
            return self.sweep(conn)

    def run(self) -> None:
        """Relay until stopped: publish, then sleep until NOTIFY or the poll interval."""
        log.info(
            "outbox relay started",
            extra={"table": self.outbox.fullname, "channel": self.notify_channel},
        )
        listener = OutboxListener(self.engine, self.notify_channel)
        next_purge = next_sweep = time.monotonic()
        try:
            while not self.stop_signal.is_set():
                try:
                    self.run_once()
                    if time.monotonic() >= next_purge:
                        self.purge_published()
                        next_purge = time.monotonic() + self.purge_interval
                    if self.sweep is not None and time.monotonic() >= next_sweep:
                        self.run_sweep()
                        next_sweep = time.monotonic() + self.sweep_interval
                except _INTERRUPTIONS as exc:
                    delay = self.backoff.next_delay()
                    log.warning(
                        "outbox relay interrupted; retrying",
                        extra={"error": repr(exc), "retry_in_s": round(delay, 2)},
                    )
                    self.stop_signal.wait(delay)
                    continue
                self.backoff.reset()
                if self._batch_was_full:
                    continue  # more rows are waiting: no sleep
                listener.wait(self.poll_interval, self.stop_signal)
                # Woken by a commit soon after the last batch: let the stream gather.
                if pause := self.pacer.pause(time.monotonic()):
                    self.stop_signal.wait(pause)
                self.publisher.keepalive()
        finally:
            listener.close()
            self.publisher.close()
            log.info("outbox relay stopped", extra={"published": self.published_total})

    def stop(self) -> None:
        """Ask `run` to return after the current batch (thread- and signal-safe)."""
        self.stop_signal.set()
