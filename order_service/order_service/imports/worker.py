"""The import worker: `python -m order_service.imports.worker`.

Takes the large imports (more than 1,000 lines, answered 202) one at a time, oldest first,
and runs them batch by batch. It sleeps on PostgreSQL LISTEN (the upload's NOTIFY wakes it
at once) and polls every `IMPORT_POLL_SECONDS` (5) as a fallback, which also finds a job
whose runner died once its lease ends. Several workers may run: a job is taken with
`FOR UPDATE SKIP LOCKED` and written under its lease. SIGTERM or SIGINT stops it between
batches; the job is resumed from its last committed batch.
"""

from __future__ import annotations

import logging
import sys

from flask import Flask

from order_service.api import STOCK_EXTENSION
from order_service.app import create_app
from order_service.config import OrderSettings
from order_service.domain.errors import DependencyUnavailable
from order_service.imports import jobs
from order_service.imports.batch import LeaseLost
from order_service.models import db
from shared.config import env_float
from shared.i18n import Text
from shared.logging import configure_logging
from shared.messaging.shutdown import StopSignal
from shared.messaging.worker import run_woken_worker
from shared.service_app import init_sentry

log = logging.getLogger("pedidos.orders.imports.worker")

DEFAULT_POLL_SECONDS = 5.0


def run_pending(app: Flask, stop: StopSignal | None = None) -> int:
    """Run every job waiting now; how many were finished (tests call this directly)."""
    finished = 0
    with app.app_context():
        try:
            while stop is None or not stop.is_set():
                lease = jobs.claim_next(db.session)
                if lease is None:
                    break
                if _run_one(app, lease):
                    finished += 1
        finally:
            db.session.remove()
    return finished


def _run_one(app: Flask, lease: jobs.JobLease) -> bool:
    log.info("import started", extra={"import_id": str(lease.job_id)})
    try:
        jobs.run(db.session, lease=lease, stock=app.extensions[STOCK_EXTENSION], in_request=False)
    except DependencyUnavailable:
        log.warning(
            "stock service unavailable; import retried later",
            extra={"import_id": str(lease.job_id)},
        )
        return False
    except LeaseLost:
        log.warning("import taken by another worker", extra={"import_id": str(lease.job_id)})
        return False
    except Exception:
        log.exception("import failed", extra={"import_id": str(lease.job_id)})
        db.session.rollback()
        jobs.fail(
            db.session,
            lease,
            Text(
                "Erro interno ao processar a importação; as linhas já processadas foram "
                "mantidas. Envie as linhas restantes de novo.",
                "Internal error while importing; the lines already processed were kept.",
            ),
        )
        return False
    log.info("import done", extra={"import_id": str(lease.job_id)})
    return True


def main() -> int:
    settings = OrderSettings.from_env()
    configure_logging(settings.service_name, settings.log_level)
    init_sentry(settings, flask=False)
    app = create_app(settings)
    with app.app_context():
        engine = db.engine
    return run_woken_worker(
        name="orders.imports.worker",
        engine=engine,
        channel=jobs.JOBS_CHANNEL,
        cycle=lambda stop: run_pending(app, stop),
        poll_seconds=env_float("IMPORT_POLL_SECONDS", DEFAULT_POLL_SECONDS),
    )


if __name__ == "__main__":
    sys.exit(main())
