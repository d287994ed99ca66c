"""Random valid identifiers for tests: CPF, CNPJ and EAN-13, each with correct check digits."""

from __future__ import annotations

import random


def _mod11(digits: list[int], weights: list[int]) -> int:
    remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if remainder < 2 else 11 - remainder


def random_cpf() -> str:
    digits = [random.randint(0, 9) for _ in range(9)]
    digits.append(_mod11(digits, list(range(10, 1, -1))))
    digits.append(_mod11(digits, list(range(11, 1, -1))))
    return "".join(map(str, digits))


def random_cnpj() -> str:
    digits = [random.randint(0, 9) for _ in range(8)] + [0, 0, 0, 1]
    digits.append(_mod11(digits, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]))
    digits.append(_mod11(digits, [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]))
    return "".join(map(str, digits))


def gtin_check_digit(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def random_gtin13() -> str:
    """An EAN-13 in the in-store range (prefix 2), so it never meets a real or seeded one."""
    body = "2" + "".join(random.choices("0123456789", k=11))
    return body + gtin_check_digit(body)
