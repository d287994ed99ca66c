"""An import's life: received and stored, run batch by batch under a lease, finished.

Every upload is stored (in chunks that end on a line end) with its job before any line is
processed, so a job can always be run again from what was received: a small one in its own
request, a large one by a worker (`python -m order_service.imports.worker`). Whoever runs a
job holds its lease; each committed batch extends it, and a runner that dies lets the job go
when the lease ends, to be resumed after the last committed batch.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from order_service.domain.access import Actor, ActorRole
from order_service.domain.errors import DependencyUnavailable
from order_service.imports.batch import (
    JobLease,
    StockAllocation,
    batches,
    import_batch,
)
from order_service.imports.tables import ImportJob, ImportState, ImportUploadChunk
from order_service.imports.uploads import (
    ChunkWriter,
    EmptyImport,
    Upload,
    store_upload,
    stored_orders,
)
from order_service.orders import idempotency
from order_service.stock_catalogue import StockCatalogue
from shared import clock
from shared.db import unit_of_work
from shared.i18n import Text

log = logging.getLogger("pedidos.orders.imports")

# A file of more than this many lines is answered 202 and completed by a worker.
SYNC_MAX_LINES = 1000
# How long a runner holds a job without committing a batch before another may take it.
LEASE = timedelta(minutes=2)
# After the stock service failed to answer, a job waits this long before it is tried again.
RETRY_AFTER = timedelta(seconds=15)
# The worker is woken at once by this NOTIFY when a job is queued (and polls as a fallback).
JOBS_CHANNEL = "orders_import_jobs"


@dataclass(frozen=True)
class Received:
    """A stored upload: its job, and for a small one the lease to run it in the request."""

    job_id: uuid.UUID
    total_lines: int
    lease: JobLease | None  # None: queued for the worker
    replayed: ImportJob | None = None  # a repeated Idempotency-Key: the first upload's job


class IdempotencyKeyReused(idempotency.IdempotencyKeyReused):
    """POST /orders' refusal (same code), in an import's words."""

    message = Text(
        "Esta Idempotency-Key já foi usada com outro arquivo. Use uma chave nova para outra "
        "importação.",
        "This Idempotency-Key was already used with another file. Use a new key for another "
        "import.",
    )


def receive(
    session: Session,
    *,
    actor: Actor,
    upload: Upload,
    idempotency_key: str | None,
    request_id: str | None,
) -> Received:
    """Store the upload with a new job (one transaction) and say who runs it.

    The file is streamed into chunks as it is read, never held whole; a bad header or an
    empty file writes nothing. A repeated Idempotency-Key with the same content returns the
    first job (nothing stored twice); with other content, 409.
    """
    job_id = uuid.uuid4()
    fingerprint = ""
    try:
        with unit_of_work(session):
            session.execute(
                insert(ImportJob.__table__),
                {
                    "id": job_id,
                    "created_by": actor.subject,
                    "created_by_role": actor.role,
                    "request_fingerprint": "",
                    "request_id": request_id,
                    "source_format": upload.format,
                    "file_name": upload.file_name,
                    "state": ImportState.QUEUED,
                    "total_lines": 0,
                },
            )
            writer = ChunkWriter(session, job_id)
            total = store_upload(upload, writer)
            fingerprint = writer.finish()
            if total == 0:
                raise EmptyImport()
            if idempotency_key is not None:
                first = _job_with_key(session, actor, idempotency_key)
                if first is not None:
                    session.rollback()
                    return _replay(first, fingerprint)
            lease = None
            values: dict[str, Any] = {
                "total_lines": total,
                "request_fingerprint": fingerprint,
                "idempotency_key": idempotency_key,
            }
            if total <= SYNC_MAX_LINES:
                lease = JobLease(job_id, uuid.uuid4(), actor, request_id)
                values |= _running(lease.lease_id)
            session.execute(update(ImportJob).where(ImportJob.id == job_id).values(**values))
            if lease is None:
                session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": JOBS_CHANNEL})
            return Received(job_id, total, lease)
    except IntegrityError:
        # Another upload with the same key committed between our check and our write.
        first = _job_with_key(session, actor, idempotency_key or "")
        session.rollback()
        if first is None:
            raise
        return _replay(first, fingerprint)


def _replay(first: ImportJob, fingerprint: str) -> Received:
    if first.request_fingerprint != fingerprint:
        raise IdempotencyKeyReused(field="Idempotency-Key")
    return Received(first.id, first.total_lines, None, replayed=first)


def _job_with_key(session: Session, actor: Actor, key: str) -> ImportJob | None:
    return session.scalar(
        select(ImportJob).where(
            ImportJob.created_by == actor.subject, ImportJob.idempotency_key == key
        )
    )


def _running(lease_id: uuid.UUID) -> dict[str, Any]:
    now = clock.now()
    return {
        "state": ImportState.RUNNING,
        "lease_id": lease_id,
        "lease_until": now + LEASE,
        "started_at": now,
    }


# -- running ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunOutcome:
    job_id: uuid.UUID
    state: ImportState
    stock_unavailable: bool = False  # in a request: some lines failed for that reason


def run(
    session: Session,
    *,
    lease: JobLease,
    stock: StockCatalogue,
    in_request: bool,
) -> RunOutcome:
    """Run the job from where it stands, batch by batch, then mark it done.

    In a request, a stock service that does not answer fails the remaining lines (the user
    sends them again); in the worker it stops the run, and the job is tried again later.
    """
    job = session.get(ImportJob, lease.job_id, populate_existing=True)
    assert job is not None
    orders = stored_orders(session, job)
    session.rollback()  # reading the chunks opened a transaction; batches open their own
    allocation = StockAllocation()
    stock_unavailable = False
    try:
        for batch in batches(orders):
            result = import_batch(
                session,
                lease=lease,
                orders=batch,
                stock=stock,
                allocation=allocation,
                stock_unavailable_fails_lines=in_request,
            )
            stock_unavailable |= result.stock_unavailable
    except DependencyUnavailable:
        with unit_of_work(session):
            _release(session, lease, lease_until=clock.now() + RETRY_AFTER)
        raise
    with unit_of_work(session):
        _release(session, lease, state=ImportState.DONE, finished_at=clock.now())
        # The chunks were kept to resume the job; done, they are dead weight.
        session.execute(delete(ImportUploadChunk).where(ImportUploadChunk.job_id == lease.job_id))
    return RunOutcome(lease.job_id, ImportState.DONE, stock_unavailable)


def fail(session: Session, lease: JobLease, reason: Text) -> None:
    """The job cannot go on (e.g. an error in our code): stop it, keep what was done."""
    with unit_of_work(session):
        _release(
            session,
            lease,
            state=ImportState.FAILED,
            finished_at=clock.now(),
            error={"pt": reason.pt, "en": reason.en},
        )


def _release(session: Session, lease: JobLease, **values: Any) -> None:
    """Give the job's lease back with `values` (only while this runner still holds it)."""
    session.execute(
        update(ImportJob)
        .where(ImportJob.id == lease.job_id, ImportJob.lease_id == lease.lease_id)
        .values(**{"lease_id": None, "lease_until": None, **values})
    )


def claim_next(session: Session) -> JobLease | None:
    """Take the oldest job waiting (or left by a runner whose lease ended), if any."""
    now = clock.now()
    with unit_of_work(session):
        job = session.scalar(
            select(ImportJob)
            .where(
                ImportJob.state.in_([ImportState.QUEUED, ImportState.RUNNING]),
                or_(ImportJob.lease_until.is_(None), ImportJob.lease_until < now),
            )
            .order_by(ImportJob.created_at)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if job is None:
            return None
        lease = JobLease(
            job.id,
            uuid.uuid4(),
            Actor(subject=job.created_by, role=ActorRole(job.created_by_role)),
            job.request_id,
        )
        values = _running(lease.lease_id)
        if job.started_at is not None:
            values.pop("started_at")
        session.execute(update(ImportJob).where(ImportJob.id == job.id).values(**values))
    return lease


def store_response(session: Session, job_id: uuid.UUID, status: int, body: str) -> None:
    """Keep the response a small import got, for a repeated Idempotency-Key."""
    with unit_of_work(session):
        session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id)
            .values(response_status=status, response_body=body)
        )


def discard(session: Session, job_id: uuid.UUID) -> None:
    """An import in which no line was created leaves nothing behind (400, nothing written)."""
    with unit_of_work(session):
        session.execute(delete(ImportJob).where(ImportJob.id == job_id))


def waiting_jobs(session: Session) -> int:
    """How many jobs wait for a worker (health, operations)."""
    return (
        session.scalar(
            select(func.count()).where(
                ImportJob.state.in_([ImportState.QUEUED, ImportState.RUNNING])
            )
        )
        or 0
    )
