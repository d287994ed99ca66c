"""Rules of the stock: adjustments, shortages, the low-stock threshold and reservation states.

Plain Python (no Flask, no SQLAlchemy): the use cases in `services.py` and `reservations.py`
load rows, ask these functions what to do and write the answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shared.texts import Text
from stock_service.domain.errors import InsufficientStock, InvalidAdjustment, StockLimitExceeded


class AdjustmentReason(StrEnum):
    """Why someone changed on_hand by hand."""

    RECEIPT = "receipt"  # goods arrived outside a replenishment order
    LOSS = "loss"  # broken, expired, stolen
    COUNT = "count"  # a physical count corrected the number, either way
    RETURN = "return"  # a customer brought goods back outside an order return


class LedgerCause(StrEnum):
    """Why a ledger row exists: the adjustment reasons plus the order lifecycle."""

    INITIAL = "initial"
    RECEIPT = "receipt"
    LOSS = "loss"
    COUNT = "count"
    RETURN = "return"
    ORDER_RESERVED = "order_reserved"
    ORDER_RELEASED = "order_released"
    ORDER_SHIPPED = "order_shipped"
    ORDER_RETURNED = "order_returned"
    REPLENISHMENT_RECEIVED = "replenishment_received"


ORDER_CAUSES = frozenset(
    {
        LedgerCause.ORDER_RESERVED,
        LedgerCause.ORDER_RELEASED,
        LedgerCause.ORDER_SHIPPED,
        LedgerCause.ORDER_RETURNED,
        LedgerCause.REPLENISHMENT_RECEIVED,
    }
)


# Units of one product on hand: far past any real stock room, and well inside the
# database's integer columns, so a typo of a few extra digits is refused with a reason.
MAX_ON_HAND = 1_000_000_000


def check_adjustment(delta: int, reason: AdjustmentReason) -> None:
    """A manual adjustment moves stock in the direction its reason says."""
    if delta == 0:
        raise InvalidAdjustment(
            Text("O ajuste não pode ser zero.", "The adjustment cannot be zero."), field="delta"
        )
    if reason in {AdjustmentReason.RECEIPT, AdjustmentReason.RETURN} and delta < 0:
        raise InvalidAdjustment(
            Text(
                "Entradas (receipt, return) devem ser positivas.",
                "Receipts and returns must be positive.",
            ),
            field="delta",
        )
    if reason is AdjustmentReason.LOSS and delta > 0:
        raise InvalidAdjustment(
            Text("Perdas (loss) devem ser negativas.", "Losses must be negative."), field="delta"
        )


def check_on_hand_limit(delta: int, *, on_hand: int) -> None:
    """An entry may not take a product's stock past MAX_ON_HAND."""
    if delta > 0 and on_hand + delta > MAX_ON_HAND:
        raise StockLimitExceeded(
            Text(
                "O estoque ficaria acima do máximo de {limit} unidades (hoje {on_hand}).",
                "Stock would exceed the maximum of {limit} units (now {on_hand}).",
            ).format(limit=MAX_ON_HAND, on_hand=on_hand),
            field="delta",
            data={"on_hand": on_hand, "requested": delta, "limit": MAX_ON_HAND},
        )


def check_removal(delta: int, *, on_hand: int, reserved: int) -> None:
    """Stock can leave only from what is free: reserved units belong to orders."""
    free = on_hand - reserved
    if delta < 0 and -delta > free:
        raise InsufficientStock(
            Text(
                "Estoque livre insuficiente: disponível {available}, saída pedida {requested}.",
                "Not enough free stock: {available} available, {requested} requested.",
            ).format(available=free, requested=-delta),
            data={"available": free, "requested": -delta, "reserved": reserved},
        )


# -- reservations -----------------------------------------------------------------------


class InvalidOrderLines(ValueError):
    """Order lines that no order could have (quantity not a positive integer)."""


@dataclass(frozen=True)
class Shortage:
    product_id: uuid.UUID
    requested: int
    available: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "product_id": str(self.product_id),
            "requested": self.requested,
            "available": self.available,
        }


def merge_lines(lines: Iterable[tuple[uuid.UUID, int]]) -> dict[uuid.UUID, int]:
    """Quantities per product; repeated products are added up."""
    merged: dict[uuid.UUID, int] = {}
    for product_id, quantity in lines:
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            raise InvalidOrderLines(f"quantity of {product_id} must be a positive integer")
        merged[product_id] = merged.get(product_id, 0) + quantity
    return dict(sorted(merged.items()))


def find_shortages(
    requested: Mapping[uuid.UUID, int], available: Mapping[uuid.UUID, int]
) -> list[Shortage]:
    """Lines that cannot be reserved; a product missing from `available` has none free."""
    shortages = []
    for product_id, quantity in sorted(requested.items()):
        free = max(available.get(product_id, 0), 0)
        if quantity > free:
            shortages.append(Shortage(product_id, quantity, free))
    return shortages


class ReservationStatus(StrEnum):
    """Where the stock service is with one order."""

    RESERVED = "reserved"  # lines hold `reserved` units
    REJECTED = "rejected"  # short: nothing held; a newer item list may still reserve
    RELEASED = "released"  # cancelled or deleted before shipping: nothing held, final
    SHIPPED = "shipped"  # units left: on_hand and reserved went down
    RETURNED = "returned"  # shipped units came back to on_hand, final
    RECEIVED = "received"  # replenishment delivered: on_hand went up, final


# A newer item list may still (re)reserve an order in these states.
RESERVABLE = frozenset({ReservationStatus.RESERVED, ReservationStatus.REJECTED})


def is_stale(incoming_version: int, recorded_version: int | None) -> bool:
    """An event about an older version of the order than the one we applied changes nothing."""
    return recorded_version is not None and incoming_version < recorded_version


def needs_reservation(
    incoming_version: int, recorded_version: int | None, status: ReservationStatus | None
) -> bool:
    """Reserve only for a version we have not applied yet, while the order may still change."""
    if status is None or recorded_version is None:
        return True
    return incoming_version > recorded_version and status in RESERVABLE


# -- low stock --------------------------------------------------------------------------


def is_below_threshold(*, available: int, ideal_quantity: int, percent: int) -> bool:
    """Available is under `percent`% of the ideal quantity (no ideal quantity: never low)."""
    return ideal_quantity > 0 and available * 100 < ideal_quantity * percent


@dataclass(frozen=True)
class LowStockCheck:
    flagged: bool  # the product is below the threshold (the flag to store)
    alert: bool  # it just crossed below: publish stock.low now


def check_low_stock(
    *, available: int, ideal_quantity: int, percent: int, flagged: bool
) -> LowStockCheck:
    """Alert once when stock crosses below the threshold; re-arm when it climbs back."""
    below = is_below_threshold(available=available, ideal_quantity=ideal_quantity, percent=percent)
    return LowStockCheck(flagged=below, alert=below and not flagged)


def percent_of_ideal(available: int, ideal_quantity: int) -> float | None:
    """Available as a percentage of the ideal quantity, one decimal (None without an ideal)."""
    if ideal_quantity <= 0:
        return None
    return round(available * 100 / ideal_quantity, 1)
