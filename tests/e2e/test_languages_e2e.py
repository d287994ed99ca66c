"""Every service answers its refusals in the caller's language (Accept-Language), its own
validation messages included, through the gateway."""

from __future__ import annotations

import pytest

from tests.support.api_client import ApiClient
from tests.support.e2e_builders import new_client, new_product

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


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Use the E.164 format: +5511987654321.",
                "Use YYYY-MM, from 1900 on.",
                "Use 1 to 200 visible ASCII characters (a UUID, for example).",
                "The price must be greater than zero.",
                "Must not contain the null character (\\u0000).",
            ],
        ),
        (
            "pt-BR",
            [
                "Use o formato E.164: +5511987654321.",
                "Use AAAA-MM, de 1900 em diante.",
                "Use de 1 a 200 caracteres ASCII visíveis (por exemplo um UUID).",
                "O preço deve ser maior que zero.",
                "Não pode conter o caractere nulo (\\u0000).",
            ],
        ),
    ],
)
def test_pattern_price_and_nul_messages_follow_accept_language(
    admin: ApiClient, language: str, expected: list[str]
):
    headers = {"Accept-Language": language}
    product = new_product(admin, on_hand=1)
    order = {
        "client_id": new_client(admin)["id"],
        "items": [{"product_id": product["id"], "quantity": 1}],
    }

    answers = [
        admin.get("/notifications", params={"recipient": "11987"}, headers=headers),
        admin.get("/orders/reports/performance", params={"until": "12-2026"}, headers=headers),
        admin.post("/orders", json=order, headers={**headers, "Idempotency-Key": "com espaço"}),
        admin.put(f"/products/{product['id']}", json={"price": "0"}, headers=headers),
        admin.put(f"/products/{product['id']}", json={"name": "a\x00b"}, headers=headers),
    ]

    assert [refusal(answer) for answer in answers] == [(400, [message]) for message in expected]
    assert admin.get(f"/products/{product['id']}").json()["data"]["price"] == product["price"]
    assert admin.get("/orders", params={"client_id": order["client_id"]}).json()["data"] == []
