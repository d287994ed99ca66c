"""The orders an import file is read into: each line with its own errors, grouped in orders.

Every line is checked on its own and carries its own errors: a bad line never hides the
good ones. An order is created only if all of its lines are good (a school's order missing
an item is worse than no order: the user fixes the line and uploads it again), so the other
lines of an order with a bad line fail too, naming the line at fault.

The CSV file is read in csv_format.py, a JSON body in json_format.py; no Flask, no database.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from shared.i18n import Text

ORDER_REF_MAX = 100


@dataclass(frozen=True)
class LineError:
    field: str
    message: Text

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "pt": self.message.pt, "en": self.message.en}


@dataclass
class ImportItem:
    """One product line of an order to import, as read, with what is wrong with it."""

    line: int  # the file line (header = 1), or the order's position in a JSON body
    product_id: uuid.UUID | None
    quantity: int | None
    raw: dict[str, str]  # the values as given, for the failed-lines CSV
    errors: list[LineError] = field(default_factory=list)


@dataclass
class ImportedOrder:
    """Consecutive lines that make one order; created only when none of them has an error."""

    ref: str | None
    client_id: uuid.UUID | None
    desired_delivery_date: date | None
    notes: str | None
    items: list[ImportItem]

    @property
    def lines(self) -> list[int]:
        return sorted({item.line for item in self.items})

    @property
    def first_bad_line(self) -> int | None:
        return next((item.line for item in self.items if item.errors), None)

    def fail(self, field_name: str, message: Text) -> None:
        """Put an error on every line (a shortage, an unknown client: the whole order fails)."""
        for item in self.items:
            item.errors.append(LineError(field_name, message))

    def fail_siblings(self) -> None:
        """The good lines of an order with a bad line fail too, naming the bad line."""
        bad = self.first_bad_line
        if bad is None:
            return
        for item in self.items:
            if not item.errors:
                item.errors.append(
                    LineError(
                        "order_ref",
                        Text(
                            f"Pedido não criado: a linha {bad} do mesmo pedido tem erro.",
                            f"Order not created: line {bad} of the same order has an error.",
                        ),
                    )
                )

    @property
    def valid(self) -> bool:
        return not any(item.errors for item in self.items)


REQUIRED_FIELD = Text("Campo obrigatório.", "Required field.")
