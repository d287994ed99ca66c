"""Reading an import's JSON body into orders, without Flask or the database.

A JSON body is `{"orders": [...]}`, each order shaped like the body of `POST /orders` and
counted as one line (its position, from 1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from order_service.domain.items import PAST_DELIVERY_DATE
from order_service.imports.imported_orders import (
    ORDER_REF_MAX,
    REQUIRED_FIELD,
    ImportedOrder,
    ImportItem,
    LineError,
)
from shared import clock
from shared.i18n import Text, field_message_text


class OrderRejected(ValueError):
    """One JSON order failed its schema: {field: [messages]}, as marshmallow reports them."""

    def __init__(self, messages: Any) -> None:
        super().__init__("order rejected")
        self.messages = messages


def read_json_orders(
    orders: list[Any], load_order: Callable[[Any], dict[str, Any]]
) -> Iterator[ImportedOrder]:
    """Each element of `orders` (the POST /orders body) → an order counted as one line.

    `load_order(element)` validates one element (the API's schema) and returns its data, or
    raises OrderRejected; its messages become the line's errors.
    """
    for position, element in enumerate(orders, start=1):
        raw = _json_raw(element)
        try:
            data = load_order(element)
        except OrderRejected as exc:
            item = ImportItem(line=position, product_id=None, quantity=None, raw=raw)
            item.errors.extend(_schema_errors(exc.messages))
            yield ImportedOrder(_json_ref(element), None, None, None, [item])
            continue
        items = [
            ImportItem(
                line=position, product_id=line["product_id"], quantity=line["quantity"], raw=raw
            )
            for line in data["items"]
        ]
        order = ImportedOrder(
            ref=_json_ref(element),
            client_id=data.get("client_id"),
            desired_delivery_date=data.get("desired_delivery_date"),
            notes=data.get("notes"),
            items=items,
        )
        if order.client_id is None:
            order.fail("client_id", REQUIRED_FIELD)
        elif (
            order.desired_delivery_date is not None
            and order.desired_delivery_date < clock.business_today()
        ):
            order.fail("desired_delivery_date", PAST_DELIVERY_DATE)
        yield order


def _json_ref(element: Any) -> str | None:
    ref = element.get("order_ref") if isinstance(element, Mapping) else None
    return str(ref)[:ORDER_REF_MAX] if ref not in (None, "") else None


def _json_raw(element: Any) -> dict[str, str]:
    """A JSON order flattened to the template's columns (first item), for the failed lines."""
    if not isinstance(element, Mapping):
        return {}
    items = element.get("items")
    first = items[0] if isinstance(items, list) and items and isinstance(items[0], Mapping) else {}
    values = {
        "order_ref": element.get("order_ref"),
        "client_id": element.get("client_id"),
        "product_id": first.get("product_id"),
        "quantity": first.get("quantity"),
        "desired_delivery_date": element.get("desired_delivery_date"),
        "notes": element.get("notes"),
    }
    return {
        name: str(value).replace("\x00", "") for name, value in values.items() if value is not None
    }


def _schema_errors(messages: Any, prefix: str = "") -> Iterator[LineError]:
    if isinstance(messages, Mapping):
        for name, nested in messages.items():
            yield from _schema_errors(nested, f"{prefix}.{name}" if prefix else str(name))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        for message in messages:
            yield LineError(prefix or "line", field_message_text(message))
    elif isinstance(messages, list):
        for nested in messages:
            yield from _schema_errors(nested, prefix)
    else:
        yield LineError(prefix or "line", Text(str(messages), str(messages)))
