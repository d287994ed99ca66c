"""Rules of the reports: which window they cover, who may read them, how figures are derived.

What each figure counts (docs/reports.md): reports are about *sales* (orders of type
`sale`); a deleted order is in no figure; a cancelled or returned order is in `by_status`
and in its own count only — it is not volume (orders, value, quantity, clients served,
products, ticket), because the programme never spent that money.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from order_service.domain.orders import OrderStatus

# A year and a day: any calendar year, leap or not, fits; beyond that ask for two reports.
MAX_REPORT_DAYS = 366
GROUPINGS = ("client", "product", "supplier", "status")
CENT = Decimal("0.01")
# Orders whose goods were never consumed: counted by status, never as volume.
NOT_VOLUME = (OrderStatus.CANCELLED, OrderStatus.RETURNED)


@dataclass(frozen=True)
class ReportWindow:
    """Business calendar days from `first` to `last`, both included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def end_exclusive(self) -> date:
        return self.last + timedelta(days=1)

    def problem(self) -> tuple[str, str] | None:
        """(field, message in Portuguese) when the window cannot be reported on."""
        if self.first > self.last:
            return "date_from", "date_from não pode ser depois de date_to."
        if self.days > MAX_REPORT_DAYS:
            return "date_to", f"O período pode ter no máximo {MAX_REPORT_DAYS} dias."
        return None


def average_ticket(value: Decimal, orders: int) -> Decimal:
    """Value ÷ orders, to the cent (half up); 0 when there are no orders."""
    if orders == 0:
        return Decimal("0.00")
    return (Decimal(value) / orders).quantize(CENT, rounding=ROUND_HALF_UP)
