"""Request and response examples shown in the OpenAPI document (Swagger UI)."""

from __future__ import annotations

from shared.api import example_error, example_success

# The envelopes every example is wrapped in.
success = example_success
failure = example_error

CLIENT_ID = "5b1e7c2a-9d3f-4e6a-8b0c-1d2e3f4a5b6c"
ORDER_ID = "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d"
ITEM_ID = "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
PRODUCT_ID = "8d2f4b6a-1c3e-4a5b-8c7d-9e0f1a2b3c4d"
PRODUCT_2_ID = "9e3a5c7b-2d4f-4b6c-9d8e-0f1a2b3c4d5e"
SUPPLIER_ID = "3f9a1c2e-5b7d-4e8f-9a01-2b3c4d5e6f70"
USER_SUB = "0c9a3f57-1d2b-4f6e-8a10-77b2c4d5e6f7"
NOW = "2026-11-23T10:15:00+00:00"
LATER = "2026-11-23T14:02:11+00:00"

META = {"page": 1, "page_size": 20, "total": 1, "pages": 1, "total_exact": True}


# -- clients ----------------------------------------------------------------------------

CLIENT_REQUEST = {
    "name": "Escola Municipal João da Silva",
    "email": "secretaria@escolajoaodasilva.edu.br",
    "document": "11.444.777/0001-61",
    "phone": "(11) 98765-4321",
    "address": "Rua das Flores, 123 — Centro, São Paulo/SP",
}
CLIENT_UPDATE_REQUEST = {"phone": "11912345678", "address": "Rua das Acácias, 45"}
CLIENT = {
    "id": CLIENT_ID,
    "name": "Escola Municipal João da Silva",
    "email": "secretaria@escolajoaodasilva.edu.br",
    "document": "11444777000161",
    "phone": "11987654321",
    "address": "Rua das Flores, 123 — Centro, São Paulo/SP",
    "notify_whatsapp": True,
    "user_id": None,
    "created_at": NOW,
    "updated_at": NOW,
}

# -- orders -----------------------------------------------------------------------------

ORDER_REQUEST = {
    "client_id": CLIENT_ID,
    "items": [
        {"product_id": PRODUCT_ID, "quantity": 10},
        {"product_id": PRODUCT_2_ID, "quantity": 24},
    ],
    "notes": "Entregar pela manhã, portão lateral.",
    "desired_delivery_date": "2026-12-01",
}
ITEM = {
    "id": ITEM_ID,
    "product_id": PRODUCT_ID,
    "product_name": "Arroz branco tipo 1 (5 kg)",
    "unit": "pct",
    "section": "Mercearia",
    "category": "Grãos",
    "supplier_id": SUPPLIER_ID,
    "supplier_name": "Distribuidora Boa Safra Ltda",
    "quantity": 10,
    "unit_price": 27.90,
    "line_total": 279.00,
}
ITEM_2 = {
    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
    "product_id": PRODUCT_2_ID,
    "product_name": "Leite UHT integral (1 L)",
    "unit": "l",
    "section": "Laticínios",
    "category": "Leites",
    "supplier_id": SUPPLIER_ID,
    "supplier_name": "Distribuidora Boa Safra Ltda",
    "quantity": 24,
    "unit_price": 5.29,
    "line_total": 126.96,
}
ORDER_SUMMARY = {
    "id": ORDER_ID,
    "number": 1042,
    "type": "sale",
    "client_id": CLIENT_ID,
    "client_name": "Escola Municipal João da Silva",
    "supplier_id": None,
    "status": "pending",
    "stock_status": "awaiting",
    "order_version": 1,
    "total": 405.96,
    "item_count": 2,
    "notes": "Entregar pela manhã, portão lateral.",
    "desired_delivery_date": "2026-12-01",
    "cancel_reason": None,
    "created_by": USER_SUB,
    "created_at": NOW,
    "updated_at": NOW,
    "approved_at": None,
    "items": [ITEM, ITEM_2],
}
ORDER = {
    **ORDER_SUMMARY,
    "client": {
        "id": CLIENT_ID,
        "name": "Escola Municipal João da Silva",
        "email": "secretaria@escolajoaodasilva.edu.br",
        "document": "11444777000161",
        "phone": "11987654321",
        "address": "Rua das Flores, 123 — Centro, São Paulo/SP",
        "deleted": False,
    },
    "shortages": [],
    "status_history": [
        {"from": None, "to": "pending", "at": NOW, "by": USER_SUB, "by_role": "staff", "note": None}
    ],
    # Staff, stock not yet reserved: approving waits for the reservation.
    "allowed_transitions": ["cancelled"],
}
ORDER_APPROVED = {
    **ORDER,
    "status": "approved",
    "stock_status": "reserved",
    "approved_at": LATER,
    "updated_at": LATER,
    "status_history": [
        *ORDER["status_history"],
        {
            "from": "pending",
            "to": "approved",
            "at": LATER,
            "by": USER_SUB,
            "by_role": "staff",
            "note": "Orçamento confirmado.",
        },
    ],
    "allowed_transitions": ["processing", "cancelled"],
}
ORDER_UPDATE_REQUEST = {"status": "approved", "note": "Orçamento confirmado."}
ITEM_REQUEST = {"product_id": PRODUCT_2_ID, "quantity": 24}

CLIENT_ORDERS = {
    "client": {"id": CLIENT_ID, "name": "Escola Municipal João da Silva", "deleted": False},
    "period": {"date_from": "2026-11-01", "date_to": "2026-11-30"},
    "orders": [ORDER_SUMMARY],
    "summary": {
        "total_orders": 1,
        "total_value": 405.96,
        "by_status": {
            "pending": 1,
            "approved": 0,
            "processing": 0,
            "shipped": 0,
            "delivered": 0,
            "cancelled": 0,
            "returned": 0,
        },
        "top_product": {
            "product_id": PRODUCT_ID,
            "name": "Arroz branco tipo 1 (5 kg)",
            "orders": 1,
            "quantity": 10,
        },
    },
}
SUPPLIER_ORDERS = {
    "supplier": {"id": SUPPLIER_ID, "name": "Distribuidora Boa Safra Ltda"},
    "period": {"date_from": None, "date_to": None},
    "orders": [ORDER_SUMMARY],
    "summary": {
        "total_orders": 1,
        "total_value": 405.96,
        "clients_served": 1,
        "products_supplied": 2,
    },
}

# -- errors -----------------------------------------------------------------------------

VALIDATION = failure(
    "Dados inválidos.",
    "validation_error",
    [
        {
            "field": "items.0.quantity",
            "message": "Deve ser maior ou igual a 1 e menor ou igual a 1000000.",
        },
        {"field": "items.1.product_id", "message": "Não é um UUID válido."},
    ],
)
UNKNOWN_PRODUCT = failure(
    "Há produtos que não podem ser pedidos.",
    "unknown_product",
    [
        {
            "field": "items.1.product_id",
            "message": f"Produto {PRODUCT_2_ID} não encontrado (inexistente ou excluído).",
        }
    ],
)
FORBIDDEN = failure("Este pedido não é seu.", "forbidden")
# The routes for admin and staff only, refused by role before anything is read.
STAFF_ONLY = failure("Você não tem permissão para esta operação.", "forbidden")
CLIENT_FORBIDDEN = failure("Você só pode acessar o seu próprio cadastro de cliente.", "forbidden")
ORDER_NOT_FOUND = failure("Pedido não encontrado.", "not_found")
CLIENT_NOT_FOUND = failure("Cliente não encontrado.", "not_found")
ITEM_NOT_FOUND = failure("Item não encontrado neste pedido.", "not_found")
SUPPLIER_NOT_FOUND = failure("Fornecedor não encontrado.", "not_found")
DUPLICATE_CLIENT = failure(
    "Já existe um cliente com este CPF/CNPJ.",
    "duplicate",
    [{"field": "document", "message": "Já existe um cliente com este CPF/CNPJ."}],
)
INSUFFICIENT_STOCK = failure(
    "Estoque insuficiente: Arroz branco tipo 1 (5 kg) (pedido 40, disponível 30). "
    "Nada foi gravado.",
    "insufficient_stock",
    shortages=[
        {
            "product_id": PRODUCT_ID,
            "product_name": "Arroz branco tipo 1 (5 kg)",
            "requested": 40,
            "available": 30,
        }
    ],
)
IDEMPOTENCY_REUSED = failure(
    "Esta Idempotency-Key já foi usada com outro corpo de requisição. "
    "Use uma chave nova para um pedido diferente.",
    "idempotency_key_reused",
    [{"field": "Idempotency-Key", "message": "Esta Idempotency-Key já foi usada com outro corpo."}],
)
ILLEGAL_TRANSITION = failure(
    "Transição de status inválida: pending → shipped. A partir de pending são permitidas: "
    "approved, cancelled.",
    "illegal_transition",
    [{"field": "status", "message": "Transição de status inválida: pending → shipped."}],
    current="pending",
    requested="shipped",
    allowed=["approved", "cancelled"],
)
NOT_PENDING = failure(
    "Os itens só podem ser alterados com o pedido pendente (status atual: approved).",
    "order_not_pending",
    status="approved",
)
STOCK_UNAVAILABLE = failure(
    "O serviço de estoque não respondeu; nada foi gravado. Tente novamente em instantes.",
    "stock_unavailable",
)
