"""Login throttling: at most N failed logins per key (email, address) in a sliding window.

The storage answers one question per key — "when was the N-th most recent failure inside
the window?" — and these rules turn the answer into allow / refuse-for-so-long.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LoginLimit:
    """At most `max_failures` failures per `window`; 0 or less turns the limit off."""

    max_failures: int
    window: timedelta

    @property
    def enabled(self) -> bool:
        return self.max_failures > 0


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after_seconds: int = 0


ALLOWED = RateDecision(allowed=True)


def counting_since(
    *, now: datetime, limit: LoginLimit, last_success_at: datetime | None
) -> datetime:
    """Start of the window for an email: a successful login forgives earlier failures."""
    start = now - limit.window
    return max(start, last_success_at) if last_success_at else start


def decide(
    *, limit: LoginLimit, nth_latest_failure_at: datetime | None, now: datetime
) -> RateDecision:
    """Refuse while the limit-th most recent failure is still inside the window."""
    if not limit.enabled or nth_latest_failure_at is None:
        return ALLOWED
    frees_at = nth_latest_failure_at + limit.window
    if frees_at <= now:
        return ALLOWED
    return RateDecision(
        allowed=False, retry_after_seconds=max(1, math.ceil((frees_at - now).total_seconds()))
    )


def strictest(*decisions: RateDecision) -> RateDecision:
    """Combine the per-key decisions: refused if any refuses, for the longest wait."""
    refused = [d for d in decisions if not d.allowed]
    if not refused:
        return ALLOWED
    return RateDecision(
        allowed=False, retry_after_seconds=max(d.retry_after_seconds for d in refused)
    )
