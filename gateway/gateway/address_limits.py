"""Per-address request limits at the edge, for the routes anyone can call without a token.

Login, sign-up and token refresh are where a single address can hammer us: guessing
passwords for many accounts, creating accounts in bulk. The auth service's lockout protects
each account (per account *and* address, so nobody innocent is locked out); these limits
protect the service from one address's volume. They count requests, not failures, over a
moving window, so a shared address (an office, a school's NAT) at worst waits seconds.

Counting is `limits` (the engine behind Flask-Limiter) in each worker process's memory:
with WEB_CONCURRENCY workers an address may reach up to that many times the value before
every worker refuses it (docs/security.md). The values are chosen with that in mind.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from shared.config import ConfigError
from shared.errors import TooManyRequests
from shared.i18n import Text

TOO_MANY = Text(
    "Muitas requisições deste endereço. Tente novamente em {seconds} segundos.",
    "Too many requests from this address. Try again in {seconds} seconds.",
)


def parse_rules(rules: Mapping[tuple[str, str], str]) -> dict[tuple[str, str], list[RateLimitItem]]:
    """{(method, path): "10/minute;60/hour"} → parsed limits; an empty value is no limit."""
    parsed = {}
    for route, value in rules.items():
        if not value.strip():
            continue
        try:
            parsed[route] = parse_many(value)
        except ValueError as exc:
            raise ConfigError(
                f"Limite inválido para {route[0]} {route[1]}: {value!r} "
                "(use por exemplo '10/minute;60/hour')."
            ) from exc
    return parsed


class AddressLimiter:
    """Refuses (429 with Retry-After) an address that went over a route's limits."""

    def __init__(self, rules: Mapping[tuple[str, str], str]) -> None:
        self._rules = parse_rules(rules)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def check(self, method: str, path: str, address: str) -> None:
        """Count this request, or raise TooManyRequests without counting it."""
        items = self._rules.get((method, path))
        if not items:
            return
        keys = (path, address)
        refused = [item for item in items if not self._limiter.test(item, *keys)]
        if refused:
            now = time.time()
            wait = max(self._limiter.get_window_stats(item, *keys).reset_time for item in refused)
            seconds = max(1, math.ceil(wait - now))
            raise TooManyRequests(TOO_MANY.format(seconds=seconds), data={"retry_after": seconds})
        for item in items:
            self._limiter.hit(item, *keys)
