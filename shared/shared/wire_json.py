"""JSON that machines write and read: event bodies, outbox payloads, JSONB values.

msgspec, not the standard library: an event's body encodes in ~1.5 µs against ~17 µs for
`json.dumps`, and every order's events are encoded and decoded several times on their way
(docs/performance.md, session 15). Compact, UTF-8 (not \\u-escaped); UUIDs and Decimals as
their text, as `json.dumps(default=str)` wrote them. The APIs' JSON (money as numbers,
timestamps with +00:00) is Flask's provider in shared.money, not this.
"""

from __future__ import annotations

from typing import Any

import msgspec

_ENCODER = msgspec.json.Encoder(enc_hook=str)  # any other type as its text
_DECODER = msgspec.json.Decoder()


class NotJSON(ValueError):
    """The bytes are not one JSON document."""


def encode(value: Any) -> bytes:
    """`value` (dicts, lists, str, numbers, bool, None, UUID, Decimal) as compact JSON."""
    return _ENCODER.encode(value)


def encode_text(value: Any) -> str:
    """`encode` as text, for the driver's JSONB parameters."""
    return _ENCODER.encode(value).decode()


def decode(raw: bytes | str) -> Any:
    """One JSON document as dicts, lists, str, int, float, bool and None; NotJSON if not."""
    try:
        return _DECODER.decode(raw)
    except msgspec.DecodeError as exc:
        raise NotJSON(str(exc)) from exc
