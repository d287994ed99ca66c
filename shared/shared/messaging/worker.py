"""Running a relay or a consumer as a process: settings, logging, Sentry, signals, exit code.

Each service's entrypoint (`python -m <service>.messaging.relay|consumer`) is a few lines
that call one of these with its own tables, queue and handlers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import timedelta

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Connection, Engine, Table, create_engine

from shared.config import ServiceSettings, env_float, env_int
from shared.db import engine_options, sqlalchemy_url, unit_of_work
from shared.logging import configure_logging
from shared.long_running import settle_after_startup
from shared.messaging.consumer import Consumer, Handler
from shared.messaging.pacing import (
    BUSY_AT,
    BUSY_FROM,
    DEFAULT_BUSY_INTERVAL,
    DEFAULT_CONSUMER_INTERVAL,
    DEFAULT_RELAY_INTERVAL,
    BatchPacer,
    CpuPressure,
)
from shared.messaging.publisher import Publisher
from shared.messaging.relay import OutboxListener, OutboxRelay
from shared.messaging.settlement import DEFAULT_MAX_ATTEMPTS
from shared.messaging.shutdown import StopSignal
from shared.messaging.topology import declare_topology, delivery_limit_from_env
from shared.metrics import serve_worker_metrics
from shared.outbox import notify_channel
from shared.service_app import init_sentry

log = logging.getLogger("pedidos.messaging.worker")


def batch_pacer(quiet_variable: str, quiet_default: float) -> BatchPacer:
    """The pacing of a worker's batches: its quiet interval, longer while the CPU is short."""
    return BatchPacer(
        env_float(quiet_variable, quiet_default),
        busy_interval=env_float("BUSY_BATCH_INTERVAL", DEFAULT_BUSY_INTERVAL),
        pressure=CpuPressure(),
        busy_from=env_float("BUSY_PRESSURE_FROM", BUSY_FROM),
        busy_at=env_float("BUSY_PRESSURE_AT", BUSY_AT),
    )


def run_relay(
    settings: ServiceSettings,
    *,
    outbox_table: Table,
    schema: str,
    sweep: Callable[[Connection], int] | None = None,
    sweep_interval: float | None = None,
) -> int:
    """Relay `schema`'s outbox to RabbitMQ until SIGTERM/SIGINT; return the exit status.

    `sweep`, when given, runs every `sweep_interval` seconds (default OUTBOX_SWEEP_SECONDS,
    60) in its own transaction: the service's periodic writes to its outbox.
    """
    configure_logging(settings.service_name, settings.log_level)
    init_sentry(settings, flask=False)
    serve_worker_metrics()
    stop = StopSignal()
    stop.install()
    # A relay needs one connection for its batches and one for LISTEN; no Flask app.
    engine = create_engine(
        sqlalchemy_url(settings.database_url),
        **engine_options(settings, pool_size=2, max_overflow=1),
    )
    limit = delivery_limit_from_env()
    publisher = Publisher(
        settings.rabbitmq_url,
        on_connect=lambda channel: declare_topology(channel, delivery_limit=limit),
        connection_name=f"{settings.service_name}.relay",
    )
    relay = OutboxRelay(
        engine,
        outbox_table,
        publisher,
        notify_channel=notify_channel(schema),
        batch_size=env_int("OUTBOX_BATCH_SIZE", 100),
        poll_interval=env_float("OUTBOX_POLL_INTERVAL", 1.0),
        pacer=batch_pacer("OUTBOX_BATCH_INTERVAL", DEFAULT_RELAY_INTERVAL),
        retention=timedelta(days=env_float("OUTBOX_RETENTION_DAYS", 7.0)),
        sweep=sweep,
        sweep_interval=(
            sweep_interval
            if sweep_interval is not None
            else env_float("OUTBOX_SWEEP_SECONDS", 60.0)
        ),
        stop=stop,
    )
    settle_after_startup()
    try:
        relay.run()
    finally:
        engine.dispose()
        stop.close()
    return 0


def run_consumer(
    settings: ServiceSettings,
    *,
    app: Flask,
    db: SQLAlchemy,
    queue: str,
    handlers: Mapping[str, Handler],
    inbox_table: Table,
    consumer_name: str | None = None,
    prefetch: int = 50,
    batch_size: int = 50,
) -> int:
    """Consume `queue` inside `app`'s context until SIGTERM/SIGINT; return the exit status.

    Handlers get the service's Flask-SQLAlchemy session, one transaction per delivered batch
    (shared.messaging.consumer). `prefetch` and `batch_size` are the service's defaults;
    CONSUMER_PREFETCH and CONSUMER_BATCH_SIZE override them. The app factory has already
    configured logging and Sentry.
    """
    serve_worker_metrics()
    stop = StopSignal()
    stop.install()
    limit = delivery_limit_from_env()
    with app.app_context():
        consumer = Consumer(
            settings.rabbitmq_url,
            queue=queue,
            handlers=handlers,
            transaction=lambda: unit_of_work(db.session()),  # this app context's session
            inbox_table=inbox_table,
            consumer_name=consumer_name,
            prefetch=env_int("CONSUMER_PREFETCH", prefetch),
            batch_size=env_int("CONSUMER_BATCH_SIZE", batch_size),
            pacer=batch_pacer("CONSUMER_BATCH_INTERVAL", DEFAULT_CONSUMER_INTERVAL),
            max_attempts=env_int("CONSUMER_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS),
            delivery_limit=limit,
            topology=lambda channel: declare_topology(channel, delivery_limit=limit),
            stop=stop,
            inbox_retention=timedelta(days=env_float("INBOX_RETENTION_DAYS", 30.0)),
        )
        settle_after_startup()
        try:
            consumer.run()
        finally:
            db.session.remove()
            stop.close()
    return 0


def run_woken_worker(
    *,
    name: str,
    engine: Engine,
    channel: str,
    cycle: Callable[[StopSignal], object],
    poll_seconds: float,
) -> int:
    """Run `cycle(stop)` whenever a NOTIFY on `channel` arrives, or every `poll_seconds`.

    The loop of the workers that drain a table (imports, notifications): woken at commit by
    the writer's pg_notify, polling as a fallback; a failing cycle (the database away) is
    logged and tried again; SIGTERM or SIGINT stops it between cycles.
    """
    log = logging.getLogger(f"pedidos.{name}")
    serve_worker_metrics()
    stop = StopSignal()
    stop.install()
    listener = OutboxListener(engine, channel)
    settle_after_startup()
    try:
        while not stop.is_set():
            try:
                cycle(stop)
            except Exception:  # the database away: log, wait, try again
                log.exception("worker cycle failed")
            listener.wait(poll_seconds, stop)
    finally:
        listener.close()
        stop.close()
    log.info("worker stopped")
    return 0
