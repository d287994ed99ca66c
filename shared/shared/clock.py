"""The business clock: which instant it is, and which calendar day it is for our users.

Two kinds of time live in Pedidos (docs/decisions.md, "Calendar days and instants"):

- *instants* (when an order was created, when a token expires) are aware datetimes in UTC,
  from `now()`;
- *calendar days* (a delivery date, an expiry date, a date filter, a report's day or month)
  are days in the business time zone, from `business_today()` and `start_of_business_day()`.
  At 22:00 in São Paulo it is already tomorrow in UTC; a product expiring today must still
  be accepted there, and an order placed then belongs to today's report.

Every rule and query that talks about days goes through this module: no other code calls
`date.today()` or a naive `datetime.now()` (tests/test_business_clock_usage.py keeps it so).
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.config import ConfigError

DEFAULT_BUSINESS_TIMEZONE = "America/Sao_Paulo"


@cache
def business_timezone() -> ZoneInfo:
    """The zone of our users' calendar: `BUSINESS_TIMEZONE`, São Paulo by default."""
    name = os.environ.get("BUSINESS_TIMEZONE") or DEFAULT_BUSINESS_TIMEZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"BUSINESS_TIMEZONE deve ser um fuso IANA (ex.: America/Sao_Paulo), recebido {name!r}."
        ) from exc


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def business_now() -> datetime:
    """The current instant on the business wall clock."""
    return datetime.now(business_timezone())


def business_today() -> date:
    """Today on the business calendar (not the machine's, not UTC's)."""
    return business_now().date()


def start_of_business_day(day: date) -> datetime:
    """Midnight at the start of `day` on the business calendar, as an aware instant.

    A calendar range [from, to] is the instants [start(from), start(to + 1 day)).
    """
    return datetime.combine(day, time.min, tzinfo=business_timezone())


def business_day_of(instant: datetime) -> date:
    """The business calendar day an aware instant falls on."""
    if instant.tzinfo is None:
        raise ValueError("business_day_of needs an aware datetime")
    return instant.astimezone(business_timezone()).date()
