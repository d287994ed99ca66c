"""Importing orders from a CSV or JSON file (admin and staff, SPEC §3)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, current_app, request, stream_with_context
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from order_service.api import current_actor, request_id, settings, stock_catalogue
from order_service.api import examples as ex
from order_service.api import import_examples as iex
from order_service.api.field_types import Money
from order_service.api.order_schemas import IdempotencyHeaderSchema
from order_service.api.orders import IDEMPOTENT_REPLAY_HEADER
from order_service.domain.errors import InvalidInput
from order_service.imports import jobs, uploads, views
from order_service.imports.csv_format import text_lines
from order_service.imports.tables import ImportFormat, ImportJob, LineOutcome
from order_service.models import db
from order_service.stock_catalogue import StockUnavailable
from shared.api import ApiBlueprint, ErrorEnvelopeSchema, envelope, ok, ok_page
from shared.auth import Role, roles_required
from shared.i18n import Text
from shared.pagination import PageMetaSchema, PaginationQuerySchema
from shared.service_app import accepts_body

blp = ApiBlueprint(
    "imports",
    __name__,
    url_prefix="/api/v1/orders",
    description="Importação de pedidos em lote (CSV ou JSON), com relatório por linha.",
)

IMPORTS_PATH = "/api/v1/orders/imports"
CSV_MIMETYPES = ("text/csv", "application/csv", "text/plain")
FILE_NAME_MAX = 255


class LineErrorSchema(Schema):
    field = fields.String()
    message = fields.String()


class LineResultSchema(Schema):
    line = fields.Integer(metadata={"description": "Linha do arquivo (cabeçalho = 1) ou posição."})
    status = fields.String(metadata={"description": "created ou failed"})
    order_ref = fields.String(allow_none=True)
    order_id = fields.UUID(allow_none=True)
    order_number = fields.Integer(allow_none=True)
    total = Money(allow_none=True)
    errors = fields.List(fields.Nested(LineErrorSchema))


class ImportLinksSchema(Schema):
    self = fields.String()
    failed_lines = fields.String()


class ImportJobSchema(Schema):
    id = fields.UUID()
    state = fields.String(metadata={"description": "queued, running, done ou failed"})
    source_format = fields.String()
    file_name = fields.String(allow_none=True)
    total_lines = fields.Integer()
    processed = fields.Integer()
    created = fields.Integer(metadata={"description": "Linhas que viraram pedido."})
    failed = fields.Integer()
    orders_created = fields.Integer()
    total_value = Money()
    error = fields.String(allow_none=True)
    created_by = fields.String()
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    links = fields.Nested(ImportLinksSchema)
    lines = fields.List(
        fields.Nested(LineResultSchema),
        metadata={"description": "O relatório por linha (paginado em GET /orders/imports/{id})."},
    )


class ImportJobQuerySchema(PaginationQuerySchema):
    status = fields.String(
        load_default=None,
        validate=validate.OneOf([o.value for o in LineOutcome]),
        metadata={"description": "Só as linhas created ou failed."},
    )


_JOB_ENVELOPE = envelope(ImportJobSchema)()


class ImportJobLinesEnvelopeSchema(envelope(ImportJobSchema)):  # type: ignore[misc]
    """The job with one page of its line results; `meta` counts the lines."""

    meta = fields.Nested(PageMetaSchema)


def _links(job_id: uuid.UUID) -> dict[str, str]:
    return {
        "self": f"{IMPORTS_PATH}/{job_id}",
        "failed_lines": f"{IMPORTS_PATH}/{job_id}/failed-lines.csv",
    }


def _job_data(job: ImportJob, lines: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    data = {**views.job_summary(job), "links": _links(job.id)}
    if lines is not None:
        data["lines"] = lines
    return data


def _upload() -> uploads.Upload:
    """The request's file: a CSV body, a multipart `file`, or a JSON {"orders": [...]}."""
    if request.mimetype == "application/json":
        payload = request.get_json()
        orders = payload.get("orders") if isinstance(payload, dict) else None
        if not isinstance(orders, list):
            raise InvalidInput(
                Text('Envie {"orders": [...]}.', 'Send {"orders": [...]}.'), field="orders"
            )
        return uploads.Upload(ImportFormat.JSON, None, json_orders=orders)
    # A CSV may be far larger than a JSON body: its own limit, read as it arrives.
    request.max_content_length = settings().max_import_bytes
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise InvalidInput(
                Text("Envie o arquivo no campo 'file'.", "Send the file in the 'file' field."),
                field="file",
            )
        # The name is the user's label for the import: kept printable and within its column.
        name = (upload.filename or "").replace("\x00", "")[:FILE_NAME_MAX] or None
        return uploads.Upload(ImportFormat.CSV, name, csv_lines=text_lines(upload.stream))
    return uploads.Upload(ImportFormat.CSV, None, csv_lines=text_lines(request.stream))


@blp.route("/import")
class OrderImport(MethodView):
    @roles_required(Role.ADMIN, Role.STAFF)  # before the body: a client learns nothing
    @accepts_body(*CSV_MIMETYPES, "multipart/form-data")
    @blp.arguments(IdempotencyHeaderSchema(), location="headers")
    @blp.doc(requestBody=iex.REQUEST_BODY)
    @blp.response(
        201,
        envelope(ImportJobSchema),
        example=ex.success(iex.DONE, "Importação concluída: 2 de 2 linhas criadas."),
    )
    @blp.alt_response(
        207,
        schema=envelope(ImportJobSchema),
        example=ex.success(iex.PARTIAL, "Importação concluída: 1 de 2 linhas criadas."),
        description="Parte das linhas virou pedido; as outras trazem seus erros.",
    )
    @blp.alt_response(
        202,
        schema=envelope(ImportJobSchema),
        example=ex.success(iex.QUEUED, "Importação recebida: 20000 linhas."),
        description="Mais de 1.000 linhas: um job (`Location`) que um worker conclui.",
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=iex.FAILED)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.STAFF_ONLY)
    @blp.alt_response(409, schema=ErrorEnvelopeSchema, example=iex.KEY_REUSED)
    @blp.alt_response(413, schema=ErrorEnvelopeSchema, example=iex.TOO_LARGE)
    @blp.alt_response(415, schema=ErrorEnvelopeSchema, example=iex.UNSUPPORTED_MEDIA)
    @blp.alt_response(503, schema=ErrorEnvelopeSchema, example=ex.STOCK_UNAVAILABLE)
    def post(self, headers: dict):
        """Importar pedidos (CSV ou JSON)

        `admin` e `staff`. **CSV** (`text/csv` no corpo, ou `multipart/form-data` com o
        campo `file`; UTF-8, separador `,` ou `;`): cabeçalho `order_ref, client_id,
        product_id, quantity, desired_delivery_date, notes` (obrigatórias: client_id,
        product_id, quantity; o modelo está em `GET /orders/import/template.csv`), **um item
        por linha**; linhas **seguidas** com o mesmo `order_ref` formam um pedido, uma linha
        sem `order_ref` é um pedido sozinha. **JSON**: `{"orders": [...]}`, cada pedido como
        o corpo de `POST /orders` (mais `order_ref` opcional), contado como uma linha.

        Cada linha é validada sozinha e cada pedido obedece às regras de `POST /orders`
        (cliente e produtos existentes e ativos, estoque disponível — descontado o que as
        linhas anteriores deste arquivo já pediram —, data de entrega não passada) e emite
        o mesmo `order.created`. Uma linha com erro nunca bloqueia as boas; um pedido só é
        criado com todas as suas linhas boas (as outras dizem qual linha falhou).

        Até 1.000 linhas, a resposta traz o relatório de cada linha (`line`: linha do
        arquivo, cabeçalho = 1): **201** tudo criado, **207** parte criada, **400**
        nenhuma (e nada foi gravado). Mais de 1.000 linhas: **202** com `Location` do job
        (`GET /orders/imports/{id}`), que um worker conclui em lotes. As linhas com erro
        podem ser baixadas em CSV (`links.failed_lines`) para corrigir e enviar de novo.
        `Idempotency-Key`: repetir a mesma chave com o mesmo arquivo devolve a primeira
        resposta (nada é criado duas vezes); com outro arquivo, 409.
        """
        received = jobs.receive(
            db.session,
            actor=current_actor(),
            upload=_upload(),
            idempotency_key=headers.get("idempotency_key"),
            request_id=request_id(),
        )
        if received.replayed is not None:
            return _replayed(received.replayed)
        if received.lease is None:
            job = views.get_job(db.session, received.job_id)
            message = Text(
                f"Importação recebida: {received.total_lines} linhas. Acompanhe o progresso "
                "no link do job.",
                f"Import received: {received.total_lines} lines. Follow its progress at the "
                "job's link.",
            )
            return ok(_job_data(job), message), 202, {"Location": _links(job.id)["self"]}
        outcome = jobs.run(
            db.session, lease=received.lease, stock=stock_catalogue(), in_request=True
        )
        return _small_import_response(outcome)


def _small_import_response(outcome: jobs.RunOutcome) -> Response:
    job_id = outcome.job_id
    job = views.get_job(db.session, job_id)
    lines = views.all_lines(db.session, job_id)
    if job.created_lines == 0:
        jobs.discard(db.session, job_id)
        if outcome.stock_unavailable:
            raise StockUnavailable()  # 503: nothing written, the same file may come again
        raise _nothing_imported(job, lines)
    status = 201 if job.failed_lines == 0 else 207
    message = Text(
        f"Importação concluída: {job.created_lines} de {job.total_lines} linhas criadas.",
        f"Import done: {job.created_lines} of {job.total_lines} lines created.",
    )
    body = current_app.json.dumps(_JOB_ENVELOPE.dump(ok(_job_data(job, lines), message)))
    jobs.store_response(db.session, job_id, status, body)
    return Response(body, status=status, mimetype="application/json")


def _nothing_imported(job: ImportJob, lines: list[dict[str, Any]]) -> InvalidInput:
    return InvalidInput(
        Text(
            f"Nenhuma linha importada: as {job.total_lines} linhas têm erro. Nada foi gravado.",
            f"Nothing imported: all {job.total_lines} lines have errors. Nothing was saved.",
        ),
        code="import_failed",
        errors=[
            {"field": f"lines.{line['line']}.{error['field']}", "message": error["message"]}
            for line in lines
            for error in line["errors"]
        ],
        data={"total_lines": job.total_lines, "failed": job.failed_lines, "lines": lines},
    )


def _replayed(job: ImportJob) -> Response | tuple:
    if job.response_body is not None:
        return Response(
            job.response_body,
            status=job.response_status,
            mimetype="application/json",
            headers={IDEMPOTENT_REPLAY_HEADER: "true"},
        )
    message = Text("Importação já recebida com esta chave.", "Import already received.")
    return (
        ok(_job_data(job), message),
        202,
        {"Location": _links(job.id)["self"], IDEMPOTENT_REPLAY_HEADER: "true"},
    )


@blp.route("/import/template.csv")
class ImportTemplate(MethodView):
    @roles_required(Role.ADMIN, Role.STAFF)
    @blp.doc(
        responses={
            "200": {
                "description": "O modelo CSV: cabeçalho e uma linha de exemplo.",
                "content": {"text/csv": {"example": views.template_csv()}},
            }
        }
    )
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.STAFF_ONLY)
    def get(self):
        """Baixar o modelo CSV de importação

        `admin` e `staff`. O cabeçalho (`order_ref, client_id, product_id, quantity,
        desired_delivery_date, notes`) e uma linha de exemplo, para preencher e enviar a
        `POST /orders/import`: uma linha por item; linhas seguidas com o mesmo `order_ref`
        formam um pedido.
        """
        return _csv_download(views.template_csv(), "modelo-importacao-pedidos.csv")


@blp.route("/imports")
class ImportList(MethodView):
    @roles_required(Role.ADMIN, Role.STAFF)
    @blp.arguments(PaginationQuerySchema(), location="query")
    @blp.response(
        200,
        envelope(ImportJobSchema, paginated=True),
        example=ex.success([iex.QUEUED], "1 importação.", meta=ex.META),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.STAFF_ONLY)
    def get(self, args: dict):
        """Listar as importações

        `admin` e `staff`: todas as importações, da mais recente para a mais antiga, com
        estado e progresso (sem o relatório por linha).
        """
        page = views.list_jobs(
            db.session, current_actor(), page=args["page"], page_size=args["page_size"]
        )
        return ok_page(page, Text(f"{page.total} importação(ões).", f"{page.total} import(s)."))


@blp.route("/imports/<uuid:import_id>")
class ImportJobView(MethodView):
    @roles_required(Role.ADMIN, Role.STAFF)
    @blp.arguments(ImportJobQuerySchema(), location="query")
    @blp.response(
        200,
        ImportJobLinesEnvelopeSchema,
        example=ex.success(iex.PARTIAL, "Importação encontrada.", meta={**ex.META, "total": 2}),
    )
    @blp.alt_response(400, schema=ErrorEnvelopeSchema, example=ex.VALIDATION)
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.STAFF_ONLY)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=iex.NOT_FOUND)
    def get(self, args: dict, import_id: uuid.UUID):
        """Acompanhar uma importação

        `admin` e `staff`. `state` (queued, running, done, failed), `total_lines`,
        `processed` (linhas já processadas), `created`, `failed`, `orders_created`,
        `total_value` e o relatório por linha em `lines`, paginado (`page`, `page_size`;
        `meta` conta as linhas) e filtrável por `status` (created ou failed).
        """
        job = views.get_job(db.session, import_id)
        page = views.line_page(
            db.session,
            import_id,
            outcome=args["status"],
            page=args["page"],
            page_size=args["page_size"],
        )
        message = Text("Importação encontrada.", "Import found.")
        return ok(_job_data(job, page.items), message, meta=page.meta)


@blp.route("/imports/<uuid:import_id>/failed-lines.csv")
class ImportFailedLines(MethodView):
    @roles_required(Role.ADMIN, Role.STAFF)
    @blp.doc(
        responses={
            "200": {
                "description": "As linhas com erro, nas colunas do modelo, mais `error`.",
                "content": {"text/csv": {"example": iex.FAILED_LINES_CSV}},
            }
        }
    )
    @blp.alt_response(403, schema=ErrorEnvelopeSchema, example=ex.STAFF_ONLY)
    @blp.alt_response(404, schema=ErrorEnvelopeSchema, example=iex.NOT_FOUND)
    def get(self, import_id: uuid.UUID):
        """Baixar as linhas com erro (CSV)

        `admin` e `staff`. As linhas que falharam, com os valores como vieram e a coluna
        `error` (linha e motivo): corrija e envie de novo a `POST /orders/import` (a coluna
        `error` é ignorada na volta).
        """
        views.get_job(db.session, import_id)
        rows = stream_with_context(views.failed_lines_csv(db.session, import_id))
        return _csv_download(rows, f"linhas-com-erro-{import_id}.csv")


def _csv_download(body: Any, file_name: str) -> Response:
    """A CSV the browser saves as `file_name` (a string, or lines streamed as written)."""
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{file_name}"'},
    )
