"""Login lockout: slow the guesser down without locking the owner out (docs/security.md).

Failures are counted per *account and address*: an address that has not failed for an
account is never refused for it, so an attacker's guesses cannot lock the owner out from
their own address, nor lock other people out of a shared one (an office, a school's NAT).
Per pair, the `lockout_after`-th failure closes the door for `base_delay`, and each failure
after it for twice as long as the one before, up to `max_delay`. Against guesses spread over
many addresses, an account with `max_account_failures` failures in the window refuses every
address that has failed for it (one guess each), still never one that has not.

The storage answers what the rules need — how many failures, and the latest, for the pair
and for the account — and these pure functions turn that into allow / refuse-for-so-long.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    lockout_after: int = 5
    base_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(minutes=15)
    # Failures older than this are forgotten; a successful login forgives its pair's too.
    window: timedelta = timedelta(hours=1)
    max_account_failures: int = 50

    @property
    def enabled(self) -> bool:
        return self.lockout_after > 0

    def delay_after(self, failures: int) -> timedelta:
        """How long a pair waits after its `failures`-th failure (0 before `lockout_after`)."""
        if not self.enabled or failures < self.lockout_after:
            return timedelta(0)
        doublings = min(failures - self.lockout_after, 32)  # 2**32 × 30 s is past any cap
        return min(self.base_delay * (2**doublings), self.max_delay)


@dataclass(frozen=True)
class FailureCount:
    """Failures inside the window (after the last success that forgives them)."""

    count: int = 0
    latest_at: datetime | None = None


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after_seconds: int = 0


ALLOWED = RateDecision(allowed=True)


def counting_since(
    *, now: datetime, policy: LockoutPolicy, last_success_at: datetime | None
) -> datetime:
    """Start of the window: a successful login forgives the failures before it."""
    start = now - policy.window
    return max(start, last_success_at) if last_success_at else start


def _refused_until(frees_at: datetime, now: datetime) -> RateDecision:
    if frees_at <= now:
        return ALLOWED
    seconds = max(1, math.ceil((frees_at - now).total_seconds()))
    return RateDecision(allowed=False, retry_after_seconds=seconds)


def decide(
    *, policy: LockoutPolicy, pair: FailureCount, account: FailureCount, now: datetime
) -> RateDecision:
    """May this address try a password for this account now?"""
    if not policy.enabled or pair.count == 0 or pair.latest_at is None:
        return ALLOWED  # a clean address is never refused: the owner always gets in
    if account.count >= policy.max_account_failures:
        # Guessing from many addresses: each of them waits the longest delay.
        return _refused_until(pair.latest_at + policy.max_delay, now)
    return _refused_until(pair.latest_at + policy.delay_after(pair.count), now)
