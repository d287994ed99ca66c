from datetime import UTC, datetime, timedelta

from auth_service.domain.rate_limit import (
    ALLOWED,
    LoginLimit,
    RateDecision,
    counting_since,
    decide,
    strictest,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
FIVE_PER_5_MIN = LoginLimit(max_failures=5, window=timedelta(minutes=5))


def test_fewer_failures_than_the_limit_are_allowed():
    assert decide(limit=FIVE_PER_5_MIN, nth_latest_failure_at=None, now=NOW) == ALLOWED


def test_the_limit_reached_refuses_until_the_oldest_counted_failure_leaves_the_window():
    decision = decide(
        limit=FIVE_PER_5_MIN, nth_latest_failure_at=NOW - timedelta(minutes=1), now=NOW
    )

    assert decision == RateDecision(allowed=False, retry_after_seconds=240)


def test_a_failure_that_left_the_window_no_longer_counts():
    old = NOW - timedelta(minutes=5)

    assert decide(limit=FIVE_PER_5_MIN, nth_latest_failure_at=old, now=NOW) == ALLOWED


def test_retry_after_is_at_least_one_second():
    almost_free = NOW - timedelta(minutes=5) + timedelta(milliseconds=10)

    decision = decide(limit=FIVE_PER_5_MIN, nth_latest_failure_at=almost_free, now=NOW)

    assert decision.retry_after_seconds == 1


def test_a_zero_limit_turns_limiting_off():
    off = LoginLimit(max_failures=0, window=timedelta(minutes=5))

    assert decide(limit=off, nth_latest_failure_at=NOW, now=NOW) == ALLOWED


def test_a_successful_login_forgives_earlier_failures():
    success = NOW - timedelta(minutes=2)

    assert counting_since(now=NOW, limit=FIVE_PER_5_MIN, last_success_at=success) == success
    assert counting_since(now=NOW, limit=FIVE_PER_5_MIN, last_success_at=None) == NOW - timedelta(
        minutes=5
    )


def test_the_strictest_decision_wins():
    email = RateDecision(allowed=False, retry_after_seconds=30)
    address = RateDecision(allowed=False, retry_after_seconds=200)

    assert strictest(ALLOWED, ALLOWED) == ALLOWED
    assert strictest(ALLOWED, email) == email
    assert strictest(email, address) == address
