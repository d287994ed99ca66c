"""Brazilian documents and product codes: check-digit validation and normalisation.

Format rules used by several services (auth and orders check CPF/CNPJ, stock checks CNPJ and
barcodes); they describe identifiers, not business decisions, so they live here once.
"""

from __future__ import annotations

import re

from marshmallow import ValidationError

from shared.texts import FieldMessage, Text

_NON_DIGITS = re.compile(r"\D")


def only_digits(value: str) -> str:
    return _NON_DIGITS.sub("", value or "")


def _mod11_digit(digits: list[int], weights: list[int]) -> int:
    remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if remainder < 2 else 11 - remainder


def is_valid_cpf(value: str) -> bool:
    digits = [int(c) for c in only_digits(value)]
    if len(digits) != 11 or len(set(digits)) == 1:
        return False
    first = _mod11_digit(digits[:9], list(range(10, 1, -1)))
    second = _mod11_digit(digits[:10], list(range(11, 1, -1)))
    return digits[9] == first and digits[10] == second


def is_valid_cnpj(value: str) -> bool:
    digits = [int(c) for c in only_digits(value)]
    if len(digits) != 14 or len(set(digits)) == 1:
        return False
    first = _mod11_digit(digits[:12], [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
    second = _mod11_digit(digits[:13], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
    return digits[12] == first and digits[13] == second


def is_valid_gtin(value: str) -> bool:
    """EAN-8, UPC-A (GTIN-12), EAN-13 or GTIN-14 with a correct GS1 check digit."""
    if not value or not value.isdigit() or len(value) not in (8, 12, 13, 14):
        return False
    body, check = [int(c) for c in value[:-1]], int(value[-1])
    # GS1: from the right of the body, weights alternate 3, 1, 3, ...
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def validate_cpf_or_cnpj(value: str) -> None:
    """marshmallow validator: a CPF (11 digits) or CNPJ (14 digits) with valid check digits."""
    digits = only_digits(value)
    if len(digits) == 11:
        if not is_valid_cpf(digits):
            raise ValidationError(
                FieldMessage(
                    Text(
                        "CPF inválido (dígitos verificadores não conferem).",
                        "Invalid CPF (check digits do not match).",
                    )
                )
            )
    elif len(digits) == 14:
        if not is_valid_cnpj(digits):
            raise ValidationError(
                FieldMessage(
                    Text(
                        "CNPJ inválido (dígitos verificadores não conferem).",
                        "Invalid CNPJ (check digits do not match).",
                    )
                )
            )
    else:
        raise ValidationError(
            FieldMessage(
                Text(
                    "Informe um CPF (11 dígitos) ou CNPJ (14 dígitos).",
                    "Give a CPF (11 digits) or a CNPJ (14 digits).",
                )
            )
        )


def validate_cnpj(value: str) -> None:
    if not is_valid_cnpj(value):
        raise ValidationError(
            FieldMessage(
                Text(
                    "CNPJ inválido (dígitos verificadores não conferem).",
                    "Invalid CNPJ (check digits do not match).",
                )
            )
        )


def validate_gtin(value: str) -> None:
    if not is_valid_gtin(value):
        raise ValidationError(
            FieldMessage(
                Text(
                    "Código de barras inválido: use EAN-8, EAN-13 ou GTIN com dígito"
                    " verificador correto.",
                    "Invalid barcode: use EAN-8, EAN-13 or a GTIN with a correct check digit.",
                )
            )
        )
