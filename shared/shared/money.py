"""JSON for every Pedidos API: money as a number with its two decimals, ISO 8601 UTC timestamps.

`"total": 375.00`, not "375.00" or 375.0; `"created_at": "2026-11-23T10:15:00+00:00"` (the
same text the schemas' UtcDateTime writes), UUIDs as strings. Views that skip marshmallow
for speed (GET /orders) rely on this to write exactly what their schema documents.
"""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask.json.provider import DefaultJSONProvider

# Decimals are first written as marked strings, then unquoted: the stdlib encoder cannot emit
# a number token verbatim. The mark is random per process, so no client text can forge it.
_MARK = f"@decimal-{secrets.token_hex(16)}:"
_MARKED = re.compile('"' + re.escape(_MARK) + r'(-?[0-9]+(?:\.[0-9]+)?)"')


def _default(value: Any) -> Any:
    if isinstance(value, Decimal) and value.is_finite():
        return f"{_MARK}{value:f}"
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return DefaultJSONProvider.default(value)


class PedidosJSONProvider(DefaultJSONProvider):
    """Flask's JSON with exact Decimal numbers, ISO timestamps and UUID strings."""

    sort_keys = False
    ensure_ascii = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("default", _default)
        return _MARKED.sub(r"\1", super().dumps(obj, **kwargs))
