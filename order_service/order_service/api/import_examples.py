"""Examples of the import routes in the OpenAPI document (Swagger UI)."""

from __future__ import annotations

from order_service.api.examples import CLIENT_ID, NOW, ORDER_ID, PRODUCT_2_ID, PRODUCT_ID, failure

IMPORT_ID = "4d5e6f70-8a9b-4c0d-9e1f-2a3b4c5d6e7f"
LINKS = {
    "self": f"/api/v1/orders/imports/{IMPORT_ID}",
    "failed_lines": f"/api/v1/orders/imports/{IMPORT_ID}/failed-lines.csv",
}
CSV_BODY = (
    "order_ref,client_id,product_id,quantity,desired_delivery_date,notes\r\n"
    f"escola-001,{CLIENT_ID},{PRODUCT_ID},50,,Entrega pela manhã\r\n"
    f"escola-001,{CLIENT_ID},{PRODUCT_2_ID},0,,\r\n"
)
REQUEST_BODY = {
    "description": "Um CSV (corpo `text/csv` ou campo `file` de um multipart) ou um JSON.",
    "content": {
        "text/csv": {"schema": {"type": "string"}, "example": CSV_BODY},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        "application/json": {
            "schema": {"type": "object", "properties": {"orders": {"type": "array"}}},
            "example": {
                "orders": [
                    {
                        "order_ref": "escola-001",
                        "client_id": CLIENT_ID,
                        "items": [{"product_id": PRODUCT_ID, "quantity": 50}],
                        "notes": "Pedido automatizado",
                    }
                ]
            },
        },
    },
}


def _job(**values: object) -> dict[str, object]:
    return {
        "id": IMPORT_ID,
        "state": "done",
        "source_format": "csv",
        "file_name": "pedidos-dezembro.csv",
        "total_lines": 2,
        "processed": 2,
        "created": 2,
        "failed": 0,
        "orders_created": 1,
        "total_value": 1475.0,
        "error": None,
        "created_by": "0c9a3f57-1d2b-4f6e-8a10-77b2c4d5e6f7",
        "created_at": NOW,
        "started_at": NOW,
        "finished_at": NOW,
        "links": LINKS,
        **values,
    }


CREATED_LINE = {
    "line": 2,
    "status": "created",
    "order_ref": "escola-001",
    "order_id": ORDER_ID,
    "order_number": 1042,
    "total": 1475.0,
    "errors": [],
}
FAILED_LINE = {
    "line": 3,
    "status": "failed",
    "order_ref": "escola-002",
    "order_id": None,
    "order_number": None,
    "total": None,
    "errors": [
        {
            "field": "quantity",
            "message": "A quantidade deve estar entre 1 e 1000000: '0'.",
        }
    ],
}
DONE = _job(lines=[CREATED_LINE, {**CREATED_LINE, "line": 3}])
PARTIAL = _job(created=1, failed=1, lines=[CREATED_LINE, FAILED_LINE])
QUEUED = _job(
    state="queued",
    total_lines=20000,
    processed=0,
    created=0,
    failed=0,
    orders_created=0,
    total_value=0.0,
    started_at=None,
    finished_at=None,
)
FAILED = failure(
    "Nenhuma linha importada: as 2 linhas têm erro. Nada foi gravado.",
    "import_failed",
    [
        {"field": "lines.2.client_id", "message": f"Cliente {CLIENT_ID} não encontrado."},
        {"field": "lines.3.quantity", "message": "A quantidade deve ser um número inteiro: 'dez'."},
    ],
    total_lines=2,
    failed=2,
    lines=[FAILED_LINE],
)
KEY_REUSED = failure(
    "Esta Idempotency-Key já foi usada com outro arquivo. Use uma chave nova para outra "
    "importação.",
    "idempotency_key_reused",
    [
        {
            "field": "Idempotency-Key",
            "message": "Esta Idempotency-Key já foi usada com outro arquivo.",
        }
    ],
)
TOO_LARGE = failure("Corpo da requisição grande demais (máximo 64 MiB).", "payload_too_large")
UNSUPPORTED_MEDIA = failure(
    "Envie o corpo como application/json, multipart/form-data, text/csv.", "unsupported_media_type"
)
NOT_FOUND = failure("Importação não encontrada.", "not_found")
FAILED_LINES_CSV = (
    "order_ref,client_id,product_id,quantity,desired_delivery_date,notes,error\r\n"
    f"escola-002,{CLIENT_ID},{PRODUCT_2_ID},0,,,"
    "linha 3: quantity: A quantidade deve estar entre 1 e 1000000: '0'.\r\n"
)
