"""The login lockout rules: per account and address, doubling, never against a clean address."""

from datetime import UTC, datetime, timedelta

import pytest

from auth_service.domain.rate_limit import (
    ALLOWED,
    FailureCount,
    LockoutPolicy,
    RateDecision,
    counting_since,
    decide,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
POLICY = LockoutPolicy()  # 30 s after 5 failures, doubling to 15 min; 50 per account per hour
NONE = FailureCount()


def failures(count: int, seconds_ago: float = 0) -> FailureCount:
    return FailureCount(count, NOW - timedelta(seconds=seconds_ago))


@pytest.mark.parametrize(
    ("count", "delay"),
    [(1, 0), (4, 0), (5, 30), (6, 60), (7, 120), (8, 240), (9, 480), (10, 900), (40, 900)],
)
def test_five_failures_lock_for_30_s_then_the_wait_doubles_up_to_15_min(count, delay):
    assert POLICY.delay_after(count) == timedelta(seconds=delay)


def test_a_pair_waits_from_its_latest_failure():
    decision = decide(policy=POLICY, pair=failures(6, seconds_ago=20), account=failures(6), now=NOW)

    assert decision == RateDecision(allowed=False, retry_after_seconds=40)


def test_the_wait_over_is_allowed():
    decision = decide(policy=POLICY, pair=failures(6, seconds_ago=60), account=failures(6), now=NOW)

    assert decision == ALLOWED


def test_an_address_without_failures_for_the_account_is_never_refused():
    under_attack = failures(500)

    assert decide(policy=POLICY, pair=NONE, account=under_attack, now=NOW) == ALLOWED


def test_an_account_under_a_spread_attack_refuses_every_address_that_failed_for_it():
    decision = decide(policy=POLICY, pair=failures(1), account=failures(50), now=NOW)

    assert decision == RateDecision(allowed=False, retry_after_seconds=900)


def test_retry_after_is_at_least_one_second():
    almost_free = failures(5, seconds_ago=29.99)

    decision = decide(policy=POLICY, pair=almost_free, account=almost_free, now=NOW)

    assert decision.retry_after_seconds == 1


def test_zero_lockout_after_turns_the_lockout_off():
    off = LockoutPolicy(lockout_after=0)

    assert decide(policy=off, pair=failures(99), account=failures(99), now=NOW) == ALLOWED


def test_a_successful_login_forgives_earlier_failures():
    success = NOW - timedelta(minutes=2)

    assert counting_since(now=NOW, policy=POLICY, last_success_at=success) == success
    assert counting_since(now=NOW, policy=POLICY, last_success_at=None) == NOW - timedelta(hours=1)
