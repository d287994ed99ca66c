"""The hours at which "today" differs between the machine, UTC and our users' calendar.

Brasília is UTC-3 (no daylight saving since 2019): from 21:00 to 23:59 in Brasília it is
already the next day in UTC, and a test that takes "today" from the machine instead of the
business clock fails only then. Calendar rules are tested at these instants, with the clock
moved there by time-machine (`business_hour` fixture), so they fail at any hour, not just at
night.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest


@dataclass(frozen=True)
class BusinessHour:
    instant: datetime  # aware, UTC
    business_day: date  # the day on the Brasília calendar at that instant

    @property
    def utc_day(self) -> date:
        return self.instant.date()


BOUNDARY_HOURS = {
    # 21:30 of the 6th in Brasília: UTC has already turned the day.
    "00:30-UTC": BusinessHour(datetime(2026, 12, 7, 0, 30, tzinfo=UTC), date(2026, 12, 6)),
    # The last minute of the 6th in Brasília, the last of the three-hour window in UTC.
    "02:59-UTC=23:59-Brasilia": BusinessHour(
        datetime(2026, 12, 7, 2, 59, tzinfo=UTC), date(2026, 12, 6)
    ),
    # The first minute of the 7th in Brasília: both calendars agree again.
    "00:01-Brasilia": BusinessHour(datetime(2026, 12, 7, 3, 1, tzinfo=UTC), date(2026, 12, 7)),
    "12:00-Brasilia": BusinessHour(datetime(2026, 12, 7, 15, 0, tzinfo=UTC), date(2026, 12, 7)),
}


@pytest.fixture(params=list(BOUNDARY_HOURS.values()), ids=list(BOUNDARY_HOURS))
def business_hour(request: pytest.FixtureRequest, time_machine) -> BusinessHour:  # noqa: ANN001
    """The test runs with the clock at each boundary hour in turn (the clock keeps ticking)."""
    hour: BusinessHour = request.param
    time_machine.move_to(hour.instant, tick=True)
    return hour
