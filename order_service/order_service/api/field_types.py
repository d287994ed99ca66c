"""The field types of the order API's schemas: how a value is read and written (trimmed
strings, digits-only documents, strict integers, UTC timestamps, money), and TEXT_MAX, the
longest free text (notes, status notes, cancel reasons)."""

from __future__ import annotations

import numbers
from datetime import UTC, datetime
from typing import Any

from marshmallow import fields

from shared.documents import only_digits

TEXT_MAX = 2000


class Trimmed(fields.String):
    """A string without surrounding blanks."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Digits(fields.String):
    """A document or phone typed with or without punctuation, kept as its digits."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return only_digits(super()._deserialize(value, attr, data, **kwargs))


class LowerEmail(fields.Email):
    """An email address, trimmed and lower-cased (emails are unique without regard to case)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            value = value.strip()
        return super()._deserialize(value, attr, data, **kwargs).lower()


class WholeNumber(fields.Integer):
    """A JSON integer: "3", 2.5 and true are refused instead of becoming 3, 2 or 1."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class UtcDateTime(fields.DateTime):
    """Timestamps always go out in UTC."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def Money(**kwargs: Any) -> fields.Decimal:  # noqa: N802 - reads as a field type
    """Money out: a JSON number with two decimals (the app's JSON provider keeps the digits)."""
    return fields.Decimal(as_string=False, places=2, **kwargs)
