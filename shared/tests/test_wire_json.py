"""The machines' JSON: what json.dumps(default=str) wrote, faster; bad bytes are NotJSON."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest

from shared import wire_json


def test_encodes_what_the_standard_library_wrote_compact_with_ids_and_decimals_as_text():
    value = {
        "id": uuid.UUID("0f6c5a52-1c1d-4c8e-9a43-2f3e6e1b7a10"),
        "price": Decimal("12.50"),
        "items": [{"quantity": 3, "weight": 0.25}, None, True, False],
        "name": 'Feijão "carioca" 1\\2',
    }
    expected = json.dumps(value, separators=(",", ":"), default=str, ensure_ascii=False)
    assert wire_json.encode(value) == expected.encode()
    assert wire_json.encode_text(value) == expected
    assert wire_json.decode(wire_json.encode(value)) == json.loads(expected)


@pytest.mark.parametrize("raw", [b"", b"{", b"\xff", b"[1] x", b"NaN", b"1e400", "{'a': 1}"])
def test_what_is_not_one_json_document_is_not_json(raw):
    with pytest.raises(wire_json.NotJSON):
        wire_json.decode(raw)
