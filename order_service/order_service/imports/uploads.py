"""An import's upload: what the request carried, stored with its job in chunks that end on a
line end before any line is processed, and read back one chunk at a time.

The stored upload is what lets a job always be run again (jobs.py), from its first line not
yet processed.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from order_service.api.order_schemas import OrderCreateSchema
from order_service.domain.errors import InvalidInput
from order_service.imports.csv_format import csv_records, read_csv_orders, read_header
from order_service.imports.imported_orders import ImportedOrder
from order_service.imports.json_format import OrderRejected, read_json_orders
from order_service.imports.tables import ImportFormat, ImportJob, ImportUploadChunk
from shared.api import nul_character_errors
from shared.i18n import Text

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """What the request carried: CSV lines (lazily, after decoding) or a JSON body's orders."""

    format: ImportFormat
    file_name: str | None
    csv_lines: Iterator[str] | None = None
    json_orders: list[Any] | None = None


class EmptyImport(InvalidInput):
    code = "empty_import"
    message = Text("O arquivo não tem nenhuma linha de pedido.", "The file has no order lines.")


def store_upload(upload: Upload, writer: ChunkWriter) -> int:
    """Write the upload to its chunks; the number of lines (CSV records, or JSON orders)."""
    if upload.format == ImportFormat.JSON:
        orders = upload.json_orders or []
        writer.write(json.dumps(orders, ensure_ascii=False, sort_keys=True, default=str))
        return len(orders)
    lines = upload.csv_lines or iter(())
    first = next(lines, None)
    if first is None or not first.strip():
        raise EmptyImport()
    header = read_header(first)  # a bad header stops here, before anything is kept
    writer.write(first)
    return sum(1 for _ in csv_records(header, writer.recording(lines)))


class ChunkWriter:
    """Appends text to the job's chunks (each ending on a line end) and fingerprints it."""

    def __init__(self, session: Session, job_id: uuid.UUID) -> None:
        self._session = session
        self._job_id = job_id
        self._pending: list[str] = []
        self._pending_bytes = 0
        self._seq = 0
        self._hash = hashlib.sha256()

    def recording(self, lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            self.write(line)
            yield line

    def write(self, piece: str) -> None:
        self._pending.append(piece)
        self._pending_bytes += len(piece)
        if self._pending_bytes >= CHUNK_BYTES:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        content = "".join(self._pending).encode()
        self._hash.update(content)
        self._session.execute(
            insert(ImportUploadChunk.__table__),
            {"job_id": self._job_id, "seq": self._seq, "content": content},
        )
        self._seq += 1
        self._pending, self._pending_bytes = [], 0

    def finish(self) -> str:
        self._flush()
        return self._hash.hexdigest()


# -- reading a stored upload back ------------------------------------------------------------


def stored_orders(session: Session, job: ImportJob) -> Iterator[ImportedOrder]:
    """The job's orders as read from its chunks, from the first line not yet processed."""
    if job.source_format == ImportFormat.JSON:
        orders: Iterator[ImportedOrder] = read_json_orders(
            json.loads("".join(_chunk_texts(session, job.id))), _json_loader()
        )
    else:
        lines = (
            line
            for piece in _chunk_texts(session, job.id)
            for line in io.StringIO(piece, newline="")
        )
        header = read_header(next(lines))
        orders = read_csv_orders(header, csv_records(header, lines))
    skipped = 0
    for order in orders:
        if skipped < job.processed_lines:
            skipped += len(order.lines)
            continue
        yield order


def _chunk_texts(session: Session, job_id: uuid.UUID) -> Iterator[str]:
    """One chunk at a time (a large file is never in memory whole)."""
    seq = 0
    while True:
        content = session.scalar(
            select(ImportUploadChunk.content).where(
                ImportUploadChunk.job_id == job_id, ImportUploadChunk.seq == seq
            )
        )
        if content is None:
            return
        yield bytes(content).decode()
        seq += 1


def _json_loader() -> Callable[[Any], dict[str, Any]]:
    # The API's own schema for one order: an imported order obeys POST /orders' rules.
    schema = OrderCreateSchema()

    def load(element: Any) -> dict[str, Any]:
        with_nul = nul_character_errors(element)
        if with_nul:  # as the API's parser refuses it: PostgreSQL cannot store U+0000
            raise OrderRejected(with_nul)
        try:
            return schema.load(element)
        except ValidationError as exc:
            raise OrderRejected(exc.messages) from exc

    return load
