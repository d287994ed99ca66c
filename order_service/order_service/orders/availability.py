"""What the stock's answer means for an order: the products it may order (400 for unknown or
inactive ones) or the shortages that refuse it (409, nothing written).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from order_service.domain.errors import ConflictError, InvalidInput
from order_service.domain.items import INACTIVE_PRODUCT, UNKNOWN_PRODUCT
from order_service.stock_catalogue import Availability, CataloguedProduct
from shared.i18n import Text


class InsufficientStock(ConflictError):
    code = "insufficient_stock"


def orderable_products(
    availability: Availability, lines: Sequence[tuple[uuid.UUID, int]]
) -> dict[uuid.UUID, CataloguedProduct]:
    """The products of `lines` as the stock describes them; 400 unknown/inactive, 409 short."""
    unknown = set(availability.unknown_product_ids)
    errors = []
    for index, (product_id, _) in enumerate(lines):
        product = availability.products.get(product_id)
        if product_id in unknown or product is None:
            errors.append(
                {
                    "field": f"items.{index}.product_id",
                    "message": UNKNOWN_PRODUCT.format(id=product_id),
                }
            )
        elif not product.active:
            errors.append(
                {
                    "field": f"items.{index}.product_id",
                    "message": INACTIVE_PRODUCT.format(name=product.name),
                }
            )
    if errors:
        raise InvalidInput(
            Text("Há produtos que não podem ser pedidos.", "Some products cannot be ordered."),
            code="unknown_product",
            errors=errors,
        )
    if availability.shortages:
        raise insufficient_stock(availability)
    return {product_id: availability.products[product_id] for product_id, _ in lines}


def insufficient_stock(availability: Availability) -> InsufficientStock:
    shortages = []
    described = []
    for shortage in availability.shortages:
        product = availability.products.get(shortage.product_id)
        name = product.name if product else str(shortage.product_id)
        shortages.append({**shortage.to_dict(), "product_name": name})
        described.append(f"{name} (pedido {shortage.requested}, disponível {shortage.available})")
    described_en = [
        f"{s['product_name']} (requested {s['requested']}, available {s['available']})"
        for s in shortages
    ]
    return InsufficientStock(
        Text(
            "Estoque insuficiente: " + "; ".join(described) + ". Nada foi gravado.",
            "Insufficient stock: " + "; ".join(described_en) + ". Nothing was saved.",
        ),
        data={"shortages": shortages},
    )
