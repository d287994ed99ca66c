"""An order's money: line and order totals in cents, with Decimal (never floats)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def line_total(quantity: int, unit_price: Decimal) -> Decimal:
    """quantity × unit price, in cents (prices have two decimals, so this is exact)."""
    return (unit_price * quantity).quantize(CENT, rounding=ROUND_HALF_UP)


def order_total(lines: Iterable[tuple[int, Decimal]]) -> Decimal:
    """Σ quantity × unit price over the lines, with Decimal (never floats)."""
    return sum((line_total(q, p) for q, p in lines), Decimal("0.00")).quantize(CENT)
