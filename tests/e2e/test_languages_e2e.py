"""Every service answers its refusals in the caller's language (Accept-Language), its own
validation messages included, through the gateway."""

from __future__ import annotations

import pytest

from tests.support.api_client import ApiClient
from tests.support.e2e_builders import new_product

pytestmark = pytest.mark.e2e


def refusal(response) -> tuple[int, list[str]]:
    return response.status_code, [error["message"] for error in response.json()["errors"]]


@pytest.mark.parametrize(
    ("language", "document", "expiry", "adjustment"),
    [
        (
            "en",
            "Invalid CNPJ (check digits do not match).",
            "The expiry date cannot be in the past.",
            "The adjustment cannot be zero.",
        ),
        (
            "pt-BR",
            "CNPJ inválido (dígitos verificadores não conferem).",
            "A data de validade não pode estar no passado.",
            "O ajuste não pode ser zero.",
        ),
    ],
)
def test_our_own_validation_messages_follow_accept_language(
    admin: ApiClient, language: str, document: str, expiry: str, adjustment: str
):
    headers = {"Accept-Language": language}
    product = new_product(admin, on_hand=1)

    client = admin.post(
        "/clients",
        json={"name": "Escola", "email": "x@example.com", "document": "11222333000100",
              "phone": "11987654321"},
        headers=headers,
    )  # fmt: skip
    expired = admin.put(
        f"/products/{product['id']}", json={"expiry_date": "2000-01-01"}, headers=headers
    )
    zero = admin.post(
        f"/stock/{product['id']}/adjustments",
        json={"delta": 0, "reason": "count"},
        headers=headers,
    )

    assert refusal(client) == (400, [document])
    assert refusal(expired) == (400, [expiry])
    assert refusal(zero) == (400, [adjustment])
