"""JSON where money is a number with its two decimals: `"price": 12.50`, not `"12.50"` or 12.5."""

from __future__ import annotations

import re
import secrets
from decimal import Decimal
from typing import Any

from flask.json.provider import DefaultJSONProvider

# Decimals are first written as marked strings, then unquoted: the stdlib encoder has no way
# to emit a number token verbatim. The mark is random per process, so no client text can
# forge it.
_MARK = f"@decimal-{secrets.token_hex(16)}:"
_MARKED = re.compile('"' + re.escape(_MARK) + r'(-?[0-9]+(?:\.[0-9]+)?)"')


def _default(value: Any) -> Any:
    if isinstance(value, Decimal) and value.is_finite():
        return f"{_MARK}{value:f}"
    return DefaultJSONProvider.default(value)


class MoneyJSONProvider(DefaultJSONProvider):
    """Flask's JSON with Decimal values written as exact JSON numbers."""

    sort_keys = False
    ensure_ascii = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("default", _default)
        return _MARKED.sub(r"\1", super().dumps(obj, **kwargs))
