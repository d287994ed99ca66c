"""The saga with the stock service: when a stock.reserved/stock.rejected reply changes an order.

Plain Python (no Flask, no SQLAlchemy).
"""

from __future__ import annotations

from order_service.domain.statuses import OrderStatus, StockStatus

# The state in which an order still waits for a stock reply (stock_reply_applies). The
# consumer applies a reply with one UPDATE guarded by these same values.
REPLY_AWAITED_STATUS = OrderStatus.PENDING
REPLY_AWAITED_STOCK_STATUS = StockStatus.AWAITING


def stock_reply_applies(
    *,
    status: OrderStatus,
    stock_status: StockStatus,
    order_version: int,
    reply_version: int,
    deleted: bool,
) -> bool:
    """Whether a stock.reserved/stock.rejected changes the order (else it is old or repeated).

    Only the reply to the order's current item list counts, and only once: a reply for an
    older `order_version` (the items changed since) or a second reply changes nothing. A
    cancelled or deleted order keeps its state; the stock service releases on its own.
    """
    return (
        not deleted
        and status == REPLY_AWAITED_STATUS
        and stock_status == REPLY_AWAITED_STOCK_STATUS
        and reply_version == order_version
    )
