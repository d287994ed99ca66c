"""Request and response examples shown in the OpenAPI document (Swagger UI)."""

from __future__ import annotations

from shared.api import example_error, example_success

# The envelopes every example is wrapped in.
success = example_success
failure = example_error

SUPPLIER_ID = "3f9a1c2e-5b7d-4e8f-9a01-2b3c4d5e6f70"
PRODUCT_ID = "8d2f4b6a-1c3e-4a5b-8c7d-9e0f1a2b3c4d"
IMAGE_ID = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"
ORDER_ID = "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d"
USER_SUB = "0c9a3f57-1d2b-4f6e-8a10-77b2c4d5e6f7"
NOW = "2026-11-23T10:15:00+00:00"

META = {"page": 1, "page_size": 20, "total": 1, "pages": 1}


# -- suppliers --------------------------------------------------------------------------

SUPPLIER_REQUEST = {
    "name": "Distribuidora Boa Safra Ltda",
    "cnpj": "11.222.333/0001-81",
    "email": "vendas@boasafra.com.br",
    "whatsapp": "(11) 98765-4321",
    "active": True,
}
SUPPLIER_UPDATE_REQUEST = {"whatsapp": "11912345678", "active": False}
SUPPLIER = {
    "id": SUPPLIER_ID,
    "name": "Distribuidora Boa Safra Ltda",
    "cnpj": "11222333000181",
    "email": "vendas@boasafra.com.br",
    "whatsapp": "11987654321",
    "notify_whatsapp": True,
    "active": True,
    "created_at": NOW,
    "updated_at": NOW,
}

# -- products ---------------------------------------------------------------------------

PRODUCT_REQUEST = {
    "name": "Arroz branco tipo 1 (5 kg)",
    "description": "Pacote de 5 kg, grãos longos.",
    "price": 27.90,
    "barcode": "7891000100103",
    "section": "Mercearia",
    "category": "Grãos",
    "unit": "pct",
    "seasonality": "ano todo",
    "expiry_date": "2027-06-30",
    "supplier_id": SUPPLIER_ID,
    "ideal_quantity": 200,
    "initial_stock": 150,
    "active": True,
}
PRODUCT_UPDATE_REQUEST = {"price": 28.50, "ideal_quantity": 240}
IMAGE = {
    "id": IMAGE_ID,
    "content_type": "image/jpeg",
    "size_bytes": 184223,
    "url": f"/api/v1/products/{PRODUCT_ID}/images/{IMAGE_ID}",
    "created_at": NOW,
}
PRODUCT = {
    "id": PRODUCT_ID,
    "name": "Arroz branco tipo 1 (5 kg)",
    "description": "Pacote de 5 kg, grãos longos.",
    "price": 27.90,
    "barcode": "7891000100103",
    "section": "Mercearia",
    "category": "Grãos",
    "unit": "pct",
    "seasonality": "ano todo",
    "expiry_date": "2027-06-30",
    "supplier_id": SUPPLIER_ID,
    "supplier_name": "Distribuidora Boa Safra Ltda",
    "ideal_quantity": 200,
    "active": True,
    "stock": {
        "on_hand": 150,
        "reserved": 20,
        "available": 130,
        "percent_of_ideal": 65.0,
        "low_stock": False,
    },
    "images": [IMAGE],
    "created_at": NOW,
    "updated_at": NOW,
}

# -- stock ------------------------------------------------------------------------------

STOCK_LEVEL = {
    "product_id": PRODUCT_ID,
    "product_name": "Arroz branco tipo 1 (5 kg)",
    "section": "Mercearia",
    "category": "Grãos",
    "unit": "pct",
    "price": 27.90,
    "supplier_id": SUPPLIER_ID,
    "active": True,
    "ideal_quantity": 200,
    "on_hand": 50,
    "reserved": 20,
    "available": 30,
    "percent_of_ideal": 15.0,
    "low_stock": True,
    "updated_at": NOW,
}
MOVEMENT = {
    "id": 4182,
    "product_id": PRODUCT_ID,
    "delta_on_hand": 0,
    "delta_reserved": 20,
    "on_hand_after": 50,
    "reserved_after": 20,
    "available_after": 30,
    "cause": "order_reserved",
    "order_id": ORDER_ID,
    "event_id": "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9",
    "note": None,
    "actor": "order_service",
    "created_at": NOW,
}
ADJUSTMENT_REQUEST = {"delta": -3, "reason": "loss", "note": "Pacotes rasgados no recebimento."}
ADJUSTMENT = {
    "stock": {"on_hand": 47, "reserved": 20, "available": 27},
    "movement": {
        **MOVEMENT,
        "id": 4183,
        "delta_on_hand": -3,
        "delta_reserved": 0,
        "on_hand_after": 47,
        "available_after": 27,
        "cause": "loss",
        "order_id": None,
        "event_id": None,
        "note": "Pacotes rasgados no recebimento.",
        "actor": USER_SUB,
    },
}
AVAILABILITY_REQUEST = {
    "items": [
        {"product_id": PRODUCT_ID, "quantity": 40},
        {"product_id": "00000000-0000-4000-8000-000000000000", "quantity": 1},
    ]
}
AVAILABILITY = {
    "available": False,
    "shortages": [
        {"product_id": "00000000-0000-4000-8000-000000000000", "requested": 1, "available": 0},
        {"product_id": PRODUCT_ID, "requested": 40, "available": 30},
    ],
    "unknown_product_ids": ["00000000-0000-4000-8000-000000000000"],
    "products": [
        {
            "id": PRODUCT_ID,
            "name": "Arroz branco tipo 1 (5 kg)",
            "unit": "pct",
            "price": 27.90,
            "section": "Mercearia",
            "category": "Grãos",
            "supplier_id": SUPPLIER_ID,
            "supplier_name": "Distribuidora Boa Safra Ltda",
            "supplier_active": True,
            "active": True,
            "available": 30,
        }
    ],
}

# -- errors -----------------------------------------------------------------------------

VALIDATION = failure(
    "Dados inválidos.",
    "validation_error",
    [
        {
            "field": "barcode",
            "message": (
                "Código de barras inválido: use EAN-8, EAN-13 ou GTIN com dígito verificador"
                " correto."
            ),
        }
    ],
)
DUPLICATE_BARCODE = failure(
    "Já existe um produto com este código de barras.",
    "duplicate_barcode",
    [{"field": "barcode", "message": "Já existe um produto com este código de barras."}],
    product_id=PRODUCT_ID,
)
DUPLICATE_CNPJ = failure(
    "Já existe um fornecedor com este CNPJ.",
    "duplicate_cnpj",
    [{"field": "cnpj", "message": "Já existe um fornecedor com este CNPJ."}],
    supplier_id=SUPPLIER_ID,
)
INSUFFICIENT_STOCK = failure(
    "Estoque livre insuficiente: disponível 27, saída pedida 30.",
    "insufficient_stock",
    available=27,
    requested=30,
    reserved=20,
)
PRODUCT_NOT_FOUND = failure("Produto não encontrado.", "not_found")
SUPPLIER_NOT_FOUND = failure("Fornecedor não encontrado.", "not_found")
FORBIDDEN = failure("Você não tem permissão para esta operação.", "forbidden")
HAS_RESERVATIONS = failure(
    "O produto tem unidades reservadas para pedidos; cancele ou conclua esses pedidos antes.",
    "product_has_reservations",
    reserved=20,
)
UNSUPPORTED_IMAGE = failure(
    "Envie uma imagem JPEG, PNG ou WebP (o conteúdo do arquivo é verificado).",
    "unsupported_media_type",
    [
        {
            "field": "file",
            "message": "Envie uma imagem JPEG, PNG ou WebP (o conteúdo do arquivo é verificado).",
        }
    ],
)
IMAGE_TOO_LARGE = failure(
    "Imagem grande demais: o máximo é 5.0 MiB.", "payload_too_large", max_bytes=5242880
)

PRODUCT_SEARCH_REQUEST = {
    "active": True,
    "created_before": "2026-11-07T03:00:00Z",
    "exclude_ids": ["5b0c2d8e-8a61-4f0e-9d3c-1f2a3b4c5d6e"],
    "sort": "created_at",
    "page_size": 100,
}
