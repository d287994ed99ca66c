"""The supplier block of an order's lines (requirement 003: the supplier's name, CNPJ, WhatsApp
and e-mail with each item), from the stock service, which owns supplier records."""

from __future__ import annotations

import uuid
from typing import Any

from order_service.stock_catalogue import StockCatalogue


def add_supplier_blocks(order: dict[str, Any], stock: StockCatalogue) -> dict[str, Any]:
    """Give each line `supplier`: null without a supplier; the stock service's record (one call
    per distinct supplier); or, for a supplier it no longer knows, the name the line captured
    with `known: false`. The stock service away is a 503 (StockUnavailable), as for orders."""
    ids = {item["supplier_id"] for item in order["items"] if item.get("supplier_id")}
    records = {supplier_id: stock.supplier(uuid.UUID(str(supplier_id))) for supplier_id in ids}
    for item in order["items"]:
        supplier_id = item.get("supplier_id")
        if not supplier_id:
            item["supplier"] = None
            continue
        record = records[supplier_id]
        item["supplier"] = (
            {
                "id": record.id,
                "name": record.name,
                "cnpj": record.cnpj,
                "whatsapp": record.whatsapp,
                "email": record.email,
                "known": True,
            }
            if record
            else {"id": supplier_id, "name": item.get("supplier_name"), "known": False}
        )
    return order
