"""The scheduled automatic replenishment: `python -m order_service.replenisher`.

Every `REPLENISH_EVERY_HOURS` hours (0, off, by default) it runs the use case of
`POST /orders/auto/low-stock` over every section, with `REPLENISH_THRESHOLD_PERCENT` (20):
the same plan, the same dedupe (a product already on an open replenishment order is not
ordered again), so a daily run never piles up duplicates. It runs once at start, then after
each interval; SIGTERM or SIGINT stops it at once, between runs or while it waits. A run
that fails (the stock service away) is logged and tried again at the next interval.
"""

from __future__ import annotations

import logging
import sys

from flask import Flask

from order_service.api import STOCK_EXTENSION
from order_service.app import create_app
from order_service.config import OrderSettings
from order_service.domain.access import Actor, ActorRole
from order_service.models import db
from order_service.replenishment import (
    DEFAULT_THRESHOLD_PERCENT,
    ReplenishmentPlan,
    replenish,
)
from shared.config import ConfigError, env_float, env_int
from shared.logging import configure_logging
from shared.messaging.shutdown import StopSignal
from shared.service_app import init_sentry

log = logging.getLogger("pedidos.orders.replenisher")

# Who the scheduled orders are "created by" in their history.
REPLENISHER = Actor(subject="service:replenisher", role=ActorRole.SERVICE)


def run_once(app: Flask, *, threshold_percent: int) -> ReplenishmentPlan:
    """One scheduled run, in `app`'s context (its database and stock service client)."""
    with app.app_context():
        try:
            plan = replenish(
                session=db.session,
                actor=REPLENISHER,
                stock=app.extensions[STOCK_EXTENSION],
                threshold_percent=threshold_percent,
            )
        finally:
            db.session.remove()
    log.info(
        "replenishment run",
        extra={
            "orders": [p.number for p in plan.orders],
            "already_open": len(plan.already_open),
            "not_processed": len(plan.not_processed),
            "total_value": str(plan.total_value),
        },
    )
    return plan


def main() -> int:
    settings = OrderSettings.from_env()
    configure_logging(settings.service_name, settings.log_level)
    hours = env_float("REPLENISH_EVERY_HOURS", 0)
    if hours <= 0:
        log.info("scheduled replenishment is off (REPLENISH_EVERY_HOURS=0)")
        return 0
    init_sentry(settings, flask=False)
    threshold = env_int("REPLENISH_THRESHOLD_PERCENT", DEFAULT_THRESHOLD_PERCENT)
    if not 1 <= threshold <= 100:
        raise ConfigError("REPLENISH_THRESHOLD_PERCENT deve estar entre 1 e 100.")
    app = create_app(settings)
    stop = StopSignal()
    stop.install()
    try:
        while not stop.is_set():
            try:
                run_once(app, threshold_percent=threshold)
            except Exception:  # the next interval tries again; the process stays up
                log.exception("replenishment run failed")
            stop.wait(hours * 3600)
    finally:
        stop.close()
    log.info("replenisher stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
