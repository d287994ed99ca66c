"""Brazilian taxpayer documents (CPF, CNPJ) and phone numbers, normalised to digits."""

from __future__ import annotations

import re

from auth_service.domain.errors import InvalidDocument, InvalidPhone
from shared.documents import is_valid_cnpj, is_valid_cpf

CPF_LENGTH = 11
CNPJ_LENGTH = 14
# People type documents with dots, dashes and slashes; nothing else is tolerated.
_DOCUMENT_PUNCTUATION = re.compile(r"[.\-/\s]")
_PHONE_PUNCTUATION = re.compile(r"[()+.\-\s]")


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
