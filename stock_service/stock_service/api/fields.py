"""marshmallow fields the stock API's schemas share: trimmed text, digits, UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError, fields

from shared.documents import only_digits
from shared.i18n import FieldMessage, Text


class Trimmed(fields.String):
    """A string without surrounding blanks."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Digits(fields.String):
    """A document or phone typed with or without punctuation, kept as its digits."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return only_digits(super()._deserialize(value, attr, data, **kwargs))


class UtcDateTime(fields.DateTime):
    """Timestamps always go out in UTC."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def not_blank(value: str) -> None:
    if not value:
        raise ValidationError(FieldMessage(Text("Não pode ficar em branco.", "Must not be blank.")))


def strict_int(**kwargs: Any) -> fields.Integer:
    # strict: 1.5 or "3" are refused instead of silently becoming 1 or 3.
    return fields.Integer(strict=True, **kwargs)
