"""The business clock: which day it is for our users, at the hours where calendars disagree."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from shared import clock
from shared.config import ConfigError


@pytest.fixture
def zone_from_env(monkeypatch):
    """Set BUSINESS_TIMEZONE for one test; the cached zone is read again before and after."""

    def use(name: str | None) -> None:
        if name is None:
            monkeypatch.delenv("BUSINESS_TIMEZONE", raising=False)
        else:
            monkeypatch.setenv("BUSINESS_TIMEZONE", name)
        clock.business_timezone.cache_clear()

    yield use
    clock.business_timezone.cache_clear()


def test_today_is_the_brasilia_day_at_every_boundary_hour(business_hour):
    assert clock.business_today() == business_hour.business_day
    # The machine's own "today" is UTC's here; the two differ between 21:00 and 23:59 Brasília.
    assert clock.now().date() == business_hour.utc_day


def test_now_is_an_aware_utc_instant(business_hour):
    instant = clock.now()

    assert instant.tzinfo is UTC
    assert abs(instant - business_hour.instant) < timedelta(minutes=1)


def test_a_day_starts_at_midnight_in_brasilia_which_is_three_in_the_morning_utc():
    start = clock.start_of_business_day(date(2026, 12, 7))

    assert start == datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    assert clock.business_day_of(start - timedelta(microseconds=1)) == date(2026, 12, 6)
    assert clock.business_day_of(start) == date(2026, 12, 7)


def test_an_instant_belongs_to_the_business_day_it_falls_on(business_hour):
    assert clock.business_day_of(business_hour.instant) == business_hour.business_day


def test_a_naive_datetime_has_no_business_day():
    with pytest.raises(ValueError):
        clock.business_day_of(datetime(2026, 12, 7, 12, 0))  # noqa: DTZ001 - the point of the test


def test_the_zone_comes_from_the_environment(zone_from_env, time_machine):
    time_machine.move_to(datetime(2026, 12, 7, 2, 0, tzinfo=UTC), tick=False)

    zone_from_env(None)
    assert clock.business_today() == date(2026, 12, 6)  # 23:00 in São Paulo
    zone_from_env("Europe/Lisbon")
    assert clock.business_today() == date(2026, 12, 7)  # 02:00 in Lisbon
    assert clock.start_of_business_day(date(2026, 12, 7)) == datetime(2026, 12, 7, tzinfo=UTC)


@pytest.mark.parametrize("name", ["Brasil/Sao_Paulo", "../etc/passwd", "UTC+3"])
def test_an_unknown_zone_stops_the_process_with_a_clear_message(zone_from_env, name):
    zone_from_env(name)

    with pytest.raises(ConfigError, match="BUSINESS_TIMEZONE"):
        clock.business_timezone()
