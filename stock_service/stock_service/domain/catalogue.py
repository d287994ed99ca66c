"""Rules of the catalogue: units, prices, expiry dates, barcodes and supplier contacts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from shared.documents import only_digits
from shared.texts import Text

UNITS = ("un", "kg", "g", "l", "ml", "cx", "pct")

# Prices are numeric(12,2): at most ten digits before the decimal point.
MAX_PRICE = Decimal("9999999999.99")
CENT = Decimal("0.01")

MAX_IMAGES_PER_PRODUCT = 10


def price_problem(price: Decimal) -> Text | None:
    """Why a price is not acceptable, or None when it is."""
    if not price.is_finite() or price <= 0:
        return Text("O preço deve ser maior que zero.", "The price must be greater than zero.")
    # Before quantize: a price of 1e240 has too many digits to round to cents at all.
    if price > MAX_PRICE:
        return Text(
            "Preço acima do máximo permitido (9.999.999.999,99).",
            "Price above the maximum allowed (9,999,999,999.99).",
        )
    if price != price.quantize(CENT):
        return Text(
            "O preço deve ter no máximo duas casas decimais.",
            "The price must have at most two decimal places.",
        )
    return None


def is_expired(expiry_date: date | None, *, today: date) -> bool:
    """A product whose expiry date is before today (the last valid day is the date itself)."""
    return expiry_date is not None and expiry_date < today


def gtin_key(barcode: str) -> str:
    """GTIN-8/12/13/14 padded to 14 digits: the same item under any of its lengths."""
    return barcode.zfill(14)


def normalise_whatsapp(value: str) -> str:
    """Digits only; a Brazilian number with DDD, with or without the country code 55."""
    return only_digits(value)


def is_valid_whatsapp(digits: str) -> bool:
    if digits.startswith("55") and len(digits) in (12, 13):
        digits = digits[2:]
    return len(digits) in (10, 11) and digits[0] != "0"
