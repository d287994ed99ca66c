"""What people read of an import: the job's progress, its line results, the failed lines."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from order_service.domain.access import Actor
from order_service.domain.errors import NotFoundError
from order_service.imports.csv_format import ERROR_COLUMN, TEMPLATE_COLUMNS
from order_service.imports.tables import ImportJob, ImportLineResult, LineOutcome
from shared.i18n import Text, localize
from shared.pagination import Page, paginate


class ImportNotFound(NotFoundError):
    message = Text("Importação não encontrada.", "Import not found.")


def get_job(session: Session, job_id: uuid.UUID) -> ImportJob:
    job = session.get(ImportJob, job_id, populate_existing=True)
    if job is None:
        raise ImportNotFound()
    return job


def job_summary(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "state": job.state,
        "source_format": job.source_format,
        "file_name": job.file_name,
        "total_lines": job.total_lines,
        "processed": job.processed_lines,
        "created": job.created_lines,
        "failed": job.failed_lines,
        "orders_created": job.orders_created,
        "total_value": job.total_value,
        "error": localize(Text(job.error["pt"], job.error["en"])) if job.error else None,
        "created_by": job.created_by,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def line_result(row: ImportLineResult) -> dict[str, Any]:
    return {
        "line": row.line,
        "status": row.outcome,
        "order_ref": row.order_ref,
        "order_id": row.order_id,
        "order_number": row.order_number,
        "total": row.order_total,
        "errors": [
            {"field": error["field"], "message": localize(Text(error["pt"], error["en"]))}
            for error in row.errors
        ],
    }


def line_page(
    session: Session, job_id: uuid.UUID, *, outcome: str | None, page: int, page_size: int
) -> Page:
    stmt = (
        select(ImportLineResult)
        .where(ImportLineResult.job_id == job_id)
        .order_by(ImportLineResult.line)
    )
    if outcome is not None:
        stmt = stmt.where(ImportLineResult.outcome == outcome)
    return paginate(session, stmt, page=page, page_size=page_size).map(line_result)


def all_lines(session: Session, job_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every line's result (a small import's response: at most SYNC_MAX_LINES)."""
    rows = session.scalars(
        select(ImportLineResult)
        .where(ImportLineResult.job_id == job_id)
        .order_by(ImportLineResult.line)
    )
    return [line_result(row) for row in rows]


def list_jobs(session: Session, actor: Actor, *, page: int, page_size: int) -> Page:
    """The imports, newest first (admin and staff see every import)."""
    stmt = select(ImportJob).order_by(ImportJob.created_at.desc(), ImportJob.id)
    return paginate(session, stmt, page=page, page_size=page_size).map(job_summary)


def template_csv() -> str:
    """The template: the header and one example line (a valid UUID shape, to be replaced)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerow(
        [
            "escola-001",
            "3f0c8a52-4a8e-4f0b-9a55-0d7f8d1b2c3a",
            "9b1d6e7a-2c4f-4e8b-8f1a-5c6d7e8f9a0b",
            "50",
            "",
            "Entrega pela manhã",
        ]
    )
    return out.getvalue()


def failed_lines_csv(session: Session, job_id: uuid.UUID) -> Iterator[str]:
    """The failed lines as the template's columns plus `error`, to fix and upload again."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*TEMPLATE_COLUMNS, ERROR_COLUMN])
    yield _drain(out)
    rows = session.scalars(
        select(ImportLineResult)
        .where(ImportLineResult.job_id == job_id, ImportLineResult.outcome == LineOutcome.FAILED)
        .order_by(ImportLineResult.line)
        .execution_options(yield_per=500)
    )
    for row in rows:
        described = "; ".join(
            f"{error['field']}: {localize(Text(error['pt'], error['en']))}" for error in row.errors
        )
        writer.writerow(
            [
                *(row.raw.get(name, "") for name in TEMPLATE_COLUMNS),
                localize(_LINE.format(line=row.line)) + described,
            ]
        )
        yield _drain(out)


_LINE = Text("linha {line}: ", "line {line}: ")


def _drain(out: io.StringIO) -> str:
    value = out.getvalue()
    out.seek(0)
    out.truncate()
    return value
