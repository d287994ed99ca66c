"""Brazilian taxpayer documents (CPF, CNPJ) and phone numbers, normalised to digits."""

from __future__ import annotations

import re

from auth_service.domain.errors import InvalidDocument, InvalidPhone

CPF_LENGTH = 11
CNPJ_LENGTH = 14
_CNPJ_WEIGHTS = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
# People type documents with dots, dashes and slashes; nothing else is tolerated.
_DOCUMENT_PUNCTUATION = re.compile(r"[.\-/\s]")
_PHONE_PUNCTUATION = re.compile(r"[()+.\-\s]")


def _cpf_digit(digits: str) -> int:
    weight = len(digits) + 1
    total = sum(int(d) * (weight - i) for i, d in enumerate(digits))
    return (total * 10) % 11 % 10


def is_valid_cpf(digits: str) -> bool:
    """True when `digits` is an 11-digit CPF with correct check digits."""
    if len(digits) != CPF_LENGTH or not digits.isdigit() or len(set(digits)) == 1:
        return False
    first = _cpf_digit(digits[:9])
    second = _cpf_digit(digits[:9] + str(first))
    return digits[9:] == f"{first}{second}"


def _cnpj_digit(digits: str) -> int:
    # The first check digit weighs 12 digits, the second 13 (one more weight in front).
    weights = _CNPJ_WEIGHTS if len(digits) == 12 else (6, *_CNPJ_WEIGHTS)
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if remainder < 2 else 11 - remainder


def is_valid_cnpj(digits: str) -> bool:
    """True when `digits` is a 14-digit CNPJ with correct check digits."""
    if len(digits) != CNPJ_LENGTH or not digits.isdigit() or len(set(digits)) == 1:
        return False
    first = _cnpj_digit(digits[:12])
    second = _cnpj_digit(digits[:12] + str(first))
    return digits[12:] == f"{first}{second}"


def normalise_document(raw: str, *, field: str = "document") -> str:
    """The CPF or CNPJ as digits only; InvalidDocument when it is neither."""
    digits = _DOCUMENT_PUNCTUATION.sub("", raw)
    if not digits.isdigit() or len(digits) not in (CPF_LENGTH, CNPJ_LENGTH):
        raise InvalidDocument(
            "Informe um CPF (11 dígitos) ou CNPJ (14 dígitos).",
            "Enter a CPF (11 digits) or a CNPJ (14 digits).",
            field=field,
        )
    if len(digits) == CPF_LENGTH and not is_valid_cpf(digits):
        raise InvalidDocument(
            "CPF inválido: dígito verificador incorreto.",
            "Invalid CPF: wrong check digit.",
            field=field,
        )
    if len(digits) == CNPJ_LENGTH and not is_valid_cnpj(digits):
        raise InvalidDocument(
            "CNPJ inválido: dígito verificador incorreto.",
            "Invalid CNPJ: wrong check digit.",
            field=field,
        )
    return digits


def normalise_phone(raw: str, *, field: str = "phone") -> str:
    """The phone as digits (area code + number, optionally country code 55)."""
    digits = _PHONE_PUNCTUATION.sub("", raw)
    # 10-11 digits with area code; 12-13 with the country code in front.
    if not digits.isdigit() or not 10 <= len(digits) <= 13:
        raise InvalidPhone(
            "Telefone inválido: informe DDD e número, por exemplo (11) 91234-5678.",
            "Invalid phone: give area code and number, e.g. (11) 91234-5678.",
            field=field,
        )
    return digits
